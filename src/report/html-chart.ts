/**
 * SVG chart of one composite comparison (issue #15): the reference model's step function and the
 * reported one on one time axis (limit vs seconds from the reported scheduleStart, rules §10), the
 * unvalidated intervals (no profile applies, rules §5.2 step 7) shaded and the first differing interval
 * (rules §5.2 "Comparison rule") marked. Rendered when the report is written: plain SVG, no script, no
 * ids (several charts share one page), so the report works with JavaScript off.
 */
import type { CompositeComparison, ProfileSteps, StepInterval } from './types';

/** Escape text for HTML/SVG content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Reported periods → intervals over [0, duration): each period holds until the next startPeriod. Periods
 * out of order (a structure failure the checks report) are drawn where they claim to start, clipped.
 */
export function reportedSteps(periods: readonly { startPeriod: number; limit: number }[], duration: number): StepInterval[] {
  const sorted = [...periods].filter((p) => Number.isFinite(p.startPeriod) && p.startPeriod < duration).sort((a, b) => a.startPeriod - b.startPeriod);
  const out: StepInterval[] = [];
  sorted.forEach((p, i) => {
    const from = Math.max(0, p.startPeriod);
    const to = Math.min(sorted[i + 1]?.startPeriod ?? duration, duration);
    if (from < to) out.push({ from, to, limit: p.limit });
  });
  return out;
}

/** 1, 2, 5 × 10^k step giving about `count` ticks over [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export interface ChartOptions {
  width?: number;
  height?: number;
}

const fmt = (v: number): string => String(Number(v.toFixed(2)));

/** SVG path of a step function: horizontal runs, joined vertically where intervals touch. */
function stepPath(steps: readonly StepInterval[], x: (s: number) => number, y: (v: number) => number): string {
  let d = '';
  let prevEnd: number | undefined;
  for (const s of steps) {
    if (s.limit === null) {
      prevEnd = undefined;
      continue;
    }
    d += prevEnd === s.from ? ` V${fmt(y(s.limit))}` : ` M${fmt(x(s.from))} ${fmt(y(s.limit))}`;
    d += ` H${fmt(x(s.to))}`;
    prevEnd = s.to;
  }
  return d.trim();
}

/** Length of the time axis: the longer of the expected and the reported window. */
function windowOf(c: CompositeComparison): number {
  return Math.max(c.expectedDuration, c.reportedDuration ?? c.requestedDuration, 1);
}

/** The chart as an SVG element (string). */
export function compositeChartSvg(c: CompositeComparison, opts: ChartOptions = {}): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 240;
  // Legend in a strip above the plot so it never hides a line.
  const m = { l: 56, r: 16, t: 30, b: 40 };
  const reportedEnd = c.reportedDuration ?? c.requestedDuration;
  const reported = reportedSteps(c.reported, reportedEnd);
  const expected = c.expected;
  const D = windowOf(c);
  const values = [...expected, ...reported].map((s) => s.limit).filter((v): v is number => v !== null && Number.isFinite(v));
  const vMax = Math.max(1, ...values);
  const vMin = Math.min(0, ...values);
  const yTop = vMax + (vMax - vMin) * 0.1;
  const x = (s: number) => m.l + (Math.min(Math.max(s, 0), D) / D) * (W - m.l - m.r);
  const y = (v: number) => m.t + ((yTop - v) / (yTop - vMin)) * (H - m.t - m.b);
  const plotH = H - m.t - m.b;
  const unit = c.unit;
  const repUnit = c.reportedUnit ?? c.unit;
  const first = decidingDifference(c);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" data-duration="${D}">`,
    `<title>${esc(`Composite ${c.evseId}: expected (reference model) vs reported, limit in ${unit} over s from scheduleStart ${c.scheduleStart}`)}</title>`,
  );
  // Unvalidated stretches of the model: any non-negative value (and none) is accepted there.
  for (const s of expected) {
    if (s.limit !== null) continue;
    parts.push(`<rect data-role="unvalidated" data-from="${s.from}" data-to="${s.to}" x="${fmt(x(s.from))}" y="${m.t}" width="${fmt(x(s.to) - x(s.from))}" height="${plotH}" fill="#9aa0a6" fill-opacity="0.25"><title>${esc(`[${s.from}, ${s.to}) s unvalidated: no profile applies (rules §5.2 step 7)`)}</title></rect>`);
  }
  if (first) {
    const w = Math.max(2, x(first.to) - x(first.from));
    const colour = first.level === 'fail' ? '#d93025' : '#f9ab00';
    parts.push(
      `<rect data-role="first-difference" data-level="${first.level}" data-from="${first.from}" data-to="${first.to}" x="${fmt(x(first.from))}" y="${m.t}" width="${fmt(w)}" height="${plotH}" fill="${colour}" fill-opacity="0.18" stroke="${colour}" stroke-dasharray="4 2"><title>${esc(first.message)}</title></rect>`,
    );
  }
  // Axes and grid.
  for (const v of niceTicks(vMin, yTop, 4)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="#e0e0e0"/>`, `<text x="${m.l - 6}" y="${fmt(y(v) + 4)}" text-anchor="end" font-size="11">${esc(fmt(v))}</text>`);
  }
  for (const s of niceTicks(0, D, 6)) {
    parts.push(`<line x1="${fmt(x(s))}" x2="${fmt(x(s))}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#555"/>`, `<text x="${fmt(x(s))}" y="${H - m.b + 16}" text-anchor="middle" font-size="11">${esc(fmt(s))}</text>`);
  }
  parts.push(
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#555"/>`,
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#555"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">s from scheduleStart</text>`,
    `<text x="12" y="${m.t + plotH / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${m.t + plotH / 2})">limit (${esc(unit)})</text>`,
  );
  // Expected thick and pale under the reported line, so equal stretches show as one line with a halo.
  parts.push(`<path data-role="expected" d="${stepPath(expected, x, y)}" fill="none" stroke="#1a73e8" stroke-opacity="0.45" stroke-width="6"/>`);
  parts.push(`<path data-role="reported" d="${stepPath(reported, x, y)}" fill="none" stroke="#202124" stroke-width="2"/>`);
  if (c.reportedDuration !== undefined && c.reportedDuration < c.expectedDuration) {
    parts.push(`<line data-role="reported-end" x1="${fmt(x(c.reportedDuration))}" x2="${fmt(x(c.reportedDuration))}" y1="${m.t}" y2="${H - m.b}" stroke="#202124" stroke-dasharray="2 3"><title>${esc(`reported duration ends at ${c.reportedDuration} s`)}</title></line>`);
  }
  // Legend.
  const ly = 12;
  const fcol = first?.level === 'fail' ? '#d93025' : '#f9ab00';
  parts.push(
    `<g font-size="11">`,
    `<line x1="${m.l}" x2="${m.l + 22}" y1="${ly}" y2="${ly}" stroke="#1a73e8" stroke-opacity="0.45" stroke-width="6"/><text x="${m.l + 28}" y="${ly + 4}">expected (reference model)</text>`,
    `<line x1="${m.l + 190}" x2="${m.l + 212}" y1="${ly}" y2="${ly}" stroke="#202124" stroke-width="2"/><text x="${m.l + 218}" y="${ly + 4}">reported${repUnit !== unit ? ` (${esc(repUnit)})` : ''}</text>`,
    expected.some((s) => s.limit === null) ? `<rect x="${m.l + 300}" y="${ly - 5}" width="22" height="10" fill="#9aa0a6" fill-opacity="0.35"/><text x="${m.l + 328}" y="${ly + 4}">unvalidated</text>` : '',
    first ? `<rect x="${m.l + 410}" y="${ly - 5}" width="22" height="10" fill="${fcol}" fill-opacity="0.3" stroke="${fcol}" stroke-dasharray="4 2"/><text x="${m.l + 438}" y="${ly + 4}">first difference [${fmt(first.from)}, ${fmt(first.to)}) s</text>` : '',
    `</g></svg>`,
  );
  return parts.join('');
}

/** Purposes top to bottom as the composite combines them (rules §5.2 steps 4–6): limits first, then the transaction layer. */
const PURPOSE_ORDER = ['ChargingStationMaxProfile', 'ChargingStationExternalConstraints', 'TxProfile', 'TxDefaultProfile'];

/** Profiles ordered by purpose, then by stackLevel (highest, the one that wins, first). */
export function orderedStack(profiles: readonly ProfileSteps[]): ProfileSteps[] {
  const rank = (p: string) => (PURPOSE_ORDER.includes(p) ? PURPOSE_ORDER.indexOf(p) : PURPOSE_ORDER.length);
  return [...profiles].sort((a, b) => rank(a.purpose) - rank(b.purpose) || b.stackLevel - a.stackLevel || a.evseId - b.evseId || a.id - b.id);
}

/**
 * The stack of installed profiles under a composite chart, on the same time axis: one row per profile
 * (its own limit scale, its unit), grouped by purpose, each step labelled with its limit.
 */
export function profileStackSvg(c: CompositeComparison, opts: ChartOptions = {}): string {
  const rows = orderedStack(c.profiles ?? []);
  if (rows.length === 0) return '';
  const W = opts.width ?? 720;
  const m = { l: 56, r: 16 };
  const rowH = 54;
  const H = rows.length * rowH + 6;
  const D = windowOf(c);
  const x = (s: number) => m.l + (Math.min(Math.max(s, 0), D) / D) * (W - m.l - m.r);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="chart stack" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`, `<title>Installed profiles over the composite window</title>`];
  rows.forEach((p, i) => {
    const top = i * rowH + 4;
    const band = { t: top + 28, b: top + rowH - 6 };
    const max = Math.max(1, ...p.steps.map((s) => s.limit ?? 0));
    const y = (v: number) => band.b - (v / max) * (band.b - band.t);
    parts.push(
      `<g data-role="profile" data-id="${p.id}" data-purpose="${esc(p.purpose)}">`,
      `<line x1="${m.l}" x2="${W - m.r}" y1="${band.b}" y2="${band.b}" stroke="#dadce0"/>`,
      `<text x="${m.l}" y="${top + 11}" font-size="11">${esc(`${p.purpose} #${p.id} · stackLevel ${p.stackLevel} · ${p.evseId === 0 ? 'station (0)' : `EVSE/connector ${p.evseId}`} · ${p.unit}`)}${p.steps.length === 0 ? ' — not in effect in this window' : ''}</text>`,
      `<path d="${stepPath(p.steps, x, y)}" fill="none" stroke="#188038" stroke-width="2"/>`,
      ...p.steps.filter((s) => x(s.to) - x(s.from) >= 26 && s.limit !== null).map((s) => `<text x="${fmt(x(s.from) + 3)}" y="${fmt(y(s.limit!) - 3)}" font-size="10" fill="#188038">${esc(fmt(s.limit!))}</text>`),
      `</g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The difference that decides a chart: the first FAIL, else the first WARN (a leading WARN never hides a FAIL). */
export function decidingDifference(c: CompositeComparison): CompositeComparison['differences'][number] | undefined {
  return c.differences.find((d) => d.level === 'fail') ?? c.differences[0];
}
