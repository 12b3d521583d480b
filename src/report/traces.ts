/**
 * Per-case frame traces as JSON Lines files, `<out>/traces/<case>.jsonl` (issue #15 §2): the full trace
 * of a run made junit.xml and results.json hundreds of KB; the reports now reference one file per case
 * (JUnit `[[ATTACHMENT|…]]` in system-out, results.json `trace`). One line per frame, the TraceFrame as
 * stored (raw text byte for byte, JSON escapes control characters losslessly).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic';
import type { CaseResult, RunResult } from './types';

export const TRACES_DIR = 'traces';

/** Trace file of each case that has frames, relative to the report directory (`traces/SC-201-07.jsonl`). */
export type TraceFiles = Map<CaseResult, string>;

/** A case id as a file name: anything outside [A-Za-z0-9._-] becomes `_` (ids are user-defined in custom suites). */
function safeName(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return s === '' ? 'case' : s.slice(0, 100);
}

/** The relative file name of every case with frames; a repeated id gets `-2`, `-3`… (pure). */
export function traceFileNames(run: Pick<RunResult, 'cases'>): TraceFiles {
  const out: TraceFiles = new Map();
  const used = new Set<string>();
  for (const c of run.cases) {
    if (c.frames.length === 0) continue;
    const base = safeName(c.id);
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    out.set(c, `${TRACES_DIR}/${name}.jsonl`);
  }
  return out;
}

/** JSON Lines text of one case's frames. */
export function traceJsonl(c: CaseResult): string {
  const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  return c.frames.map((f) => JSON.stringify(f, bigintSafe)).join('\n') + '\n';
}

/** One write per (run, report directory): the JUnit and JSON reporters both reference the same files. */
const written = new WeakMap<RunResult, Map<string, Promise<TraceFiles>>>();

/**
 * Write the trace files of a run under `outDir` (once per run and directory, whoever asks first) and
 * resolve with the relative names. Trace files of an earlier run in the same directory are removed first,
 * so a reader never takes a stale trace for this run's.
 */
export function writeTraces(outDir: string, run: RunResult): Promise<TraceFiles> {
  const dir = path.resolve(outDir);
  let perRun = written.get(run);
  if (!perRun) written.set(run, (perRun = new Map()));
  let p = perRun.get(dir);
  if (!p) {
    p = (async () => {
      const files = traceFileNames(run);
      const tracesDir = path.join(dir, TRACES_DIR);
      const old = await fs.readdir(tracesDir).catch(() => [] as string[]);
      await Promise.all(old.filter((f) => f.endsWith('.jsonl')).map((f) => fs.rm(path.join(tracesDir, f), { force: true })));
      for (const [c, rel] of files) await writeFileAtomic(path.join(dir, rel), traceJsonl(c));
      return files;
    })();
    perRun.set(dir, p);
  }
  return p;
}
