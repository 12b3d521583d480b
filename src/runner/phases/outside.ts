import type { CaseResult, ErrorType } from '../../report';
import { CONNECTION_CASE, OUTSIDE_CASE, outsideResult, type OutsideCollector } from '../outside';
import type { RunContext } from './context';

/** Block of the synthesised cases: the first selected suite's, so reports group them with the run's cases. */
const blockOf = (ctx: RunContext) => ctx.selected[0]?.suite.block ?? 'Run';

/**
 * End of SC-X-01 (connect → first case): judged from what its collector holds, with every frame of the
 * period. From here on, violations outside a case go to SC-X-99.
 */
export function connectionCaseResult(ctx: RunContext, startedAt: Date): CaseResult {
  ctx.outside.phase = 'between';
  const { frames, omitted } = ctx.link.trace.slice(0);
  let ended: { reason: string; errorType: ErrorType } | undefined;
  if (ctx.peerUnavailable) ended = { reason: `peer unavailable: ${ctx.peerUnavailable}`, errorType: 'ConnectionError' };
  else if (ctx.signal.aborted) ended = { reason: 'run interrupted before the first case', errorType: 'Interrupted' };
  return outsideResult({ def: CONNECTION_CASE, ocpp: ctx.config.ocpp, as: ctx.config.as, block: blockOf(ctx), startedAt, collector: ctx.outside.connection, frames, framesOmitted: omitted, ended });
}

/**
 * Phase 4, outside-case findings: SC-X-99 with every violation seen between cases and after the last
 * one, and the frames they point at. Its duration is the time outside the cases (`casesMs` excluded), so
 * that the JUnit testcase times add up to the run's instead of counting the cases twice.
 */
export function outsideCaseResult(ctx: RunContext, startedAt: Date, casesMs = 0): CaseResult {
  const c: OutsideCollector = ctx.outside.between;
  const frames = ctx.link.trace.slice(0).frames.filter((f) => c.frameSeqs.has(f.seq));
  let ended: { reason: string; errorType: ErrorType } | undefined;
  if (ctx.peerUnavailable) ended = { reason: `not run: ${ctx.peerUnavailable}`, errorType: 'ConnectionError' };
  else if (ctx.signal.aborted) ended = { reason: 'run interrupted', errorType: 'Interrupted' };
  return outsideResult({ def: OUTSIDE_CASE, ocpp: ctx.config.ocpp, as: ctx.config.as, block: blockOf(ctx), startedAt, collector: c, frames, ended, excludeMs: casesMs });
}
