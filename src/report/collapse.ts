/**
 * Repeated identical findings of one case are shown once with a count ("36 x: …", issue #11 item 10):
 * a loop that meets the same deviation on every period must not bury the report. Used by every reporter
 * (console, JUnit, JSON) so they agree on the counts. The case result itself keeps every entry.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Failure, Note } from './types';

export type Counted<T> = T & { count: number };

/** Notes with the same level, message and rule merged into the first one, with how many there were. */
export function collapseNotes(notes: readonly Note[]): Counted<Note>[] {
  return collapse(notes, (a, b) => a.level === b.level && a.message === b.message && a.rule === b.rule);
}

/**
 * Failures that say exactly the same (kind, message, rule, pointer, step, expected, actual) merged into the
 * first one; the frame of the first occurrence is kept.
 */
export function collapseFailures(failures: readonly Failure[]): Counted<Failure>[] {
  return collapse(
    failures,
    (a, b) =>
      a.kind === b.kind &&
      a.message === b.message &&
      a.rule === b.rule &&
      a.pointer === b.pointer &&
      a.step === b.step &&
      isDeepStrictEqual(a.expected, b.expected) &&
      isDeepStrictEqual(a.actual, b.actual),
  );
}

/** `36 x: message` when a finding was collapsed, the message unchanged otherwise. */
export function countedMessage(f: { message: string; count: number }): string {
  return f.count > 1 ? `${f.count} x: ${f.message}` : f.message;
}

function collapse<T extends object>(items: readonly T[], same: (a: T, b: T) => boolean): Counted<T>[] {
  const out: Counted<T>[] = [];
  for (const it of items) {
    const hit = out.find((o) => same(o, it));
    if (hit) hit.count++;
    else out.push({ ...it, count: 1 });
  }
  return out;
}
