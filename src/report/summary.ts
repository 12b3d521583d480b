/**
 * Run-level summaries shared by the console, GitHub and JSON reporters (issue #15 §2 and §4):
 * how much was actually tested, and notes repeated across cases.
 */
import { collapseNotes } from './collapse';
import type { CaseResult, Note } from './types';
import { isNotRun } from './types';

/**
 * The cases the runner adds around every selection (src/runner/outside.ts). They judge the connection
 * and the frames between cases, not a SmartCharging behaviour, so "tested" counts the selected cases only.
 */
const OUTSIDE_IDS = new Set(['SC-X-01', 'SC-X-99']);

export interface TestedCount {
  /** Selected cases that reached a verdict of their own (passed or failed). */
  tested: number;
  /** Selected cases (SC-X-01 / SC-X-99 excluded). */
  total: number;
  skipped: number;
  notRun: number;
  errors: number;
  /** Skip reasons, most frequent first, with how many cases each. */
  skipReasons: { reason: string; count: number }[];
}

export function testedCount(cases: readonly CaseResult[]): TestedCount {
  const own = cases.filter((c) => !OUTSIDE_IDS.has(c.id));
  const out: TestedCount = { tested: 0, total: own.length, skipped: 0, notRun: 0, errors: 0, skipReasons: [] };
  const reasons = new Map<string, number>();
  for (const c of own) {
    if (isNotRun(c)) out.notRun++;
    else if (c.verdict === 'passed' || c.verdict === 'failed') out.tested++;
    else if (c.verdict === 'error') out.errors++;
    else {
      out.skipped++;
      const r = reasonKind(c.reason ?? 'no reason given');
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
  }
  out.skipReasons = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  return out;
}

/** A skip reason as grouped and shown: one line, bounded. */
function reasonKind(reason: string): string {
  const r = reason.replace(/\s+/g, ' ').trim();
  return r.length > 120 ? `${r.slice(0, 117)}...` : r;
}

/**
 * "tested: 1 of 9 cases; 8 skipped (8: no trigger configured for …)" — the line that says how much of the
 * selection really exercised the device (a run of skips exits 0 otherwise without anyone noticing).
 */
export function testedLine(cases: readonly CaseResult[]): string {
  const t = testedCount(cases);
  const parts = [`tested: ${t.tested} of ${t.total} case${t.total === 1 ? '' : 's'}`];
  if (t.skipped) {
    const top = t.skipReasons.slice(0, 3).map((r) => `${r.count}: ${r.reason}`);
    const rest = t.skipReasons.length - 3;
    const more = rest > 0 ? `; ${rest} more reason${rest === 1 ? '' : 's'}` : '';
    parts.push(`${t.skipped} skipped (${top.join('; ')}${more})`);
  }
  if (t.errors) parts.push(`${t.errors} errored`);
  if (t.notRun) parts.push(`${t.notRun} not run`);
  return parts.join('; ');
}

export interface RepeatedNote {
  note: Note;
  /** Ids of the cases that carry it, in run order. */
  cases: string[];
}

/** Notes (same level, message, rule) carried by two or more cases: shown once in the summary (issue #15 §4). */
export function repeatedNotes(cases: readonly CaseResult[]): RepeatedNote[] {
  const byKey = new Map<string, RepeatedNote>();
  for (const c of cases) {
    for (const n of collapseNotes(c.notes)) {
      const key = `${n.level}\u0000${n.rule ?? ''}\u0000${n.message}`;
      const hit = byKey.get(key);
      if (hit) hit.cases.push(c.id);
      else byKey.set(key, { note: { level: n.level, message: n.message, ...(n.rule ? { rule: n.rule } : {}) }, cases: [c.id] });
    }
  }
  return [...byKey.values()].filter((r) => r.cases.length > 1);
}
