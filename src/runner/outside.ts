/**
 * A home for what the device does outside the selected cases (issue #11 item 2). The runner
 * synthesises two cases around them, in both roles:
 * - SC-X-01 "Connection, boot and capability discovery" (first): every violation from connect through
 *   the boot and the discovery;
 * - SC-X-99 "Frames outside cases" (last): every framing, schema or correlation violation between
 *   cases and after the last one.
 * They FAIL like any case: no violation is "only a warning because of when it arrived".
 */
import type { CaseResult, Failure, HarnessRole, Note, TraceFrame, Verdict, ErrorType } from '../report/types';
import type { OcppVersion } from '../ocpp/version';
import type { ProtocolViolation } from '../transport';

export const CONNECTION_CASE = { id: 'SC-X-01', title: 'Connection, boot and capability discovery' } as const;
export const OUTSIDE_CASE = { id: 'SC-X-99', title: 'Frames outside cases' } as const;

/** Listed one by one per collector and severity; the rest are counted (a flooding device stays bounded). */
const MAX_LISTED = 200;

/** Failures and notes of one outside-case period, and the frames they point at. */
export class OutsideCollector {
  readonly failures: Failure[] = [];
  readonly notes: Note[] = [];
  readonly frameSeqs = new Set<number>();
  private readonly count = { fail: 0, warn: 0 };
  private readonly summary: { fail?: Failure; warn?: Note } = {};

  onViolation(v: ProtocolViolation): void {
    if (v.frameSeq !== undefined) this.frameSeqs.add(v.frameSeq);
    const over = ++this.count[v.severity] - MAX_LISTED;
    if (over > 0) {
      const message = `${over} further protocol violation${over === 1 ? '' : 's'} not listed (the first ${MAX_LISTED} are; the last: ${v.message})`;
      const s = this.summary[v.severity];
      if (s) s.message = message;
      else if (v.severity === 'warn') this.notes.push((this.summary.warn = { level: 'warn', message, rule: v.rule }));
      else this.failures.push((this.summary.fail = { kind: v.kind, message, rule: v.rule }));
      return;
    }
    if (v.severity === 'warn') this.notes.push({ level: 'warn', message: v.message, rule: v.rule });
    else this.failures.push({ kind: v.kind, message: `${v.rule}: ${v.message}`, rule: v.rule, pointer: v.pointer, expected: v.expected, actual: v.actual, frameSeq: v.frameSeq });
  }

  fail(f: Failure): void {
    if (f.frameSeq !== undefined) this.frameSeqs.add(f.frameSeq);
    this.failures.push(f);
  }

  warn(message: string, rule?: string): void {
    this.notes.push({ level: 'warn', message, ...(rule ? { rule } : {}) });
  }
}

export interface OutsideResultInput {
  def: { id: string; title: string };
  ocpp: OcppVersion;
  as: HarnessRole;
  block: string;
  startedAt: Date;
  collector: OutsideCollector;
  frames: TraceFrame[];
  framesOmitted?: number;
  /** Why no verdict could be reached (unreachable device, interrupted) when nothing failed. */
  ended?: { reason: string; errorType: ErrorType };
  /** Time spent in cases inside the window: not this case's (SC-X-99 covers what lies between them). */
  excludeMs?: number;
}

/** The CaseResult of an outside case: FAILED with any failure, else ERROR when it could not end, else PASSED. */
export function outsideResult(i: OutsideResultInput): CaseResult {
  const c = i.collector;
  let verdict: Verdict = 'passed';
  let ended = i.ended;
  if (c.failures.length) {
    verdict = 'failed';
    if (ended) c.notes.push({ level: 'warn', message: `after the failure: ${ended.reason} (${ended.errorType})` });
    ended = undefined;
  } else if (ended) verdict = 'error';
  return {
    id: i.def.id,
    title: i.def.title,
    ocpp: i.ocpp,
    as: i.as,
    block: i.block,
    requirements: [],
    tags: ['outside-cases'],
    verdict,
    ...(ended ? { reason: ended.reason, errorType: ended.errorType } : {}),
    startedAt: i.startedAt.toISOString(),
    durationMs: Math.max(0, Date.now() - i.startedAt.getTime() - (i.excludeMs ?? 0)),
    failures: c.failures,
    notes: c.notes,
    steps: [],
    frames: i.frames,
    ...(i.framesOmitted ? { framesOmitted: i.framesOmitted } : {}),
  };
}

/** Ids and titles as listed (--list): SC-X-01 first and SC-X-99 last around any selected case. */
export function withOutsideCases<T>(selected: readonly T[], entry: (d: { id: string; title: string }) => T): T[] {
  return selected.length ? [entry(CONNECTION_CASE), ...selected, entry(OUTSIDE_CASE)] : [];
}
