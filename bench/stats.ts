/** Small statistics and formatting helpers shared by the benchmark parts. */
import { performance } from 'node:perf_hooks';

/** One figure: the median of several runs, with min and max, in `unit`. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number[];
  unit: string;
}

export function figure(runs: number[], unit: string): Figure {
  const s = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs, unit };
}

/** Ratio of two medians, with the range given by pairing the runs in order (run i of a with run i of b). */
export function ratio(a: Figure, b: Figure): Figure {
  const n = Math.min(a.runs.length, b.runs.length);
  const pairs = Array.from({ length: n }, (_, i) => a.runs[i]! / b.runs[i]!);
  const f = figure(pairs, 'x');
  return { ...f, median: a.median / b.median };
}

export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Drain pending microtasks and immediates (async handlers of the session). */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export function fmt(v: number, unit: string): string {
  if (unit === 'x') return `${v.toFixed(2)}x`;
  if (unit === 'ms') return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v >= 100 ? 0 : 1)} ms`;
  if (unit === 'MiB') return `${v.toFixed(1)} MiB`;
  if (unit === 'frames/s') return `${Math.round(v).toLocaleString('en-US')}/s`;
  if (unit === 'frames') return `${Math.round(v)}`;
  if (unit === 'µs') return `${v.toFixed(1)} µs`;
  return `${v.toFixed(2)} ${unit}`;
}

/** "median (min–max)" */
export function fmtFigure(f: Figure): string {
  if (f.runs.length === 1 || f.min === f.max) return fmt(f.median, f.unit);
  return `${fmt(f.median, f.unit)} (${fmt(f.min, f.unit)} – ${fmt(f.max, f.unit)})`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
