import type { CaseResult, ErrorType, Failure, Verdict } from '../../report';
import { requirementsOf, type CaseDefinition, type SuiteDefinition } from '../../scenario/types';
import type { RunConfig } from '../config';
import { CaseRun } from '../caseRun';
import { CaseSkipped, CaseTimeout, Interrupted, PreconditionFailed } from '../errors';
import { notApplicable, slowReason, type SelectedCase } from '../select';
import { judge, recordDeviceFailure } from '../verdict';
import type { RunContext } from './context';

interface Stop {
  verdict: Verdict;
  reason: string;
  errorType?: ErrorType;
}

/**
 * Phase 3, cases: run the selected cases in order on one connection. A case whose set-up met a device
 * nonconformance FAILS once; the later cases of its suite are reported blocked by it (issue #11 item 3).
 */
export async function casesPhase(ctx: RunContext, results: CaseResult[], bailAfter?: CaseResult): Promise<void> {
  const { config, reporter, signal } = ctx;
  let stop: Stop | undefined = bailAfter ? { verdict: 'skipped', reason: `not run: --bail after ${bailAfter.id} ${bailAfter.verdict}` } : undefined;
  const blocked = new Map<SuiteDefinition, { by: string; message: string }>();
  const report = (r: CaseResult) => {
    results.push(r);
    reporter.onCaseEnd?.(r);
  };
  for (const sel of ctx.selected) {
    if (signal.aborted) stop ??= { verdict: 'error', reason: 'not run: run interrupted', errorType: 'Interrupted' };
    if (ctx.peerUnavailable) stop ??= { verdict: 'error', reason: `not run: ${ctx.peerUnavailable}`, errorType: 'ConnectionError' };
    if (stop) {
      report(emptyResult(sel, stop.verdict, stop.reason, stop.errorType));
      continue;
    }
    const block = blocked.get(sel.suite);
    if (block) {
      report({ ...emptyResult(sel, 'skipped', `blocked by ${block.by}: ${block.message}`), blockedBy: block.by });
      continue;
    }
    const { result, setupFailed } = await runCase(ctx, sel);
    report(result);
    if (setupFailed && result.verdict === 'failed') blocked.set(sel.suite, { by: result.id, message: result.failures[0]?.message ?? 'set-up failed' });
    if (config.bail && (result.verdict === 'failed' || result.verdict === 'error')) {
      stop = { verdict: 'skipped', reason: `not run: --bail after ${result.id} ${result.verdict}` };
    }
  }
}

async function runCase(ctx: RunContext, sel: SelectedCase): Promise<{ result: CaseResult; setupFailed: boolean }> {
  const { config, link, signal, reporter } = ctx;
  const { def, suite } = sel;
  const startedAt = new Date();
  const t0 = Date.now();
  const base = (verdict: Verdict, extra: Partial<CaseResult> = {}): CaseResult => ({
    ...emptyResult(sel, verdict),
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - t0,
    ...extra,
  });
  const reason = notApplicable(def, ctx.caps, config.ocpp, ctx.builtin) ?? slowReason(def, config);
  if (reason) return { result: base('skipped', { reason }), setupFailed: false };

  reporter.onCaseBegin?.({ id: def.id, title: def.title });
  if (!link.connected) {
    const s = await link.waitForSession(config.timing.connectTimeoutMs, signal);
    if (!s) {
      const result = base('error', {
        reason: signal.aborted ? 'interrupted' : 'device not connected',
        errorType: signal.aborted ? 'Interrupted' : 'ConnectionError',
      });
      return { result, setupFailed: false };
    }
  }
  const run = new CaseRun(def, ctx.rt);
  const startSeq = link.trace.lastSeq;
  ctx.current = run;
  const timeoutMs = caseTimeoutMs(def, config);
  let thrown: unknown;
  let setupFailed = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => run.close(new Interrupted(String(signal.reason ?? 'SIGINT')));
  signal.addEventListener('abort', onAbort);
  try {
    const body = (async () => {
      if (suite.beforeEach) {
        try {
          await run.step('precondition', () => suite.beforeEach!(run));
        } catch (e) {
          if (e instanceof CaseSkipped || e instanceof Interrupted || e instanceof CaseTimeout) throw e;
          setupFailed = true;
          // A device answer that breaks a rule in set-up is a finding like in the case body (issue #11
          // item 3): a CALL not answered, a CALLERROR, an invalid or malformed response.
          if (recordDeviceFailure(e, run, 'precondition') || run.failures.length) throw Object.assign(new Error((e as Error).message), { recorded: true });
          throw new PreconditionFailed(`precondition failed: ${(e as Error).message}`);
        }
      }
      let bodyError: unknown;
      let bodyThrew = false;
      try {
        await def.run(run);
      } catch (e) {
        bodyThrew = true;
        bodyError = e;
      }
      // The settle step (e.g. the quiet period after the case's last report read) runs however the body
      // ended, so that what the device still sends for this case is judged here and not blamed on the next
      // case. Not after a time limit or an interruption (the case is closed), nor once the device is gone.
      const settle = suite.afterEach && !run.signal.aborted && link.connected && !(bodyError instanceof CaseTimeout || bodyError instanceof Interrupted);
      if (settle) {
        try {
          await run.step('settle', () => suite.afterEach!(run));
        } catch (e) {
          // The body's own error decides how the case ended; a device finding in the settle step is still recorded.
          if (!bodyThrew) throw e;
          if (!recordDeviceFailure(e, run, 'settle')) {
            const errs = ctx.harnessErrors.get(run) ?? [];
            errs.push(e as Error);
            ctx.harnessErrors.set(run, errs);
          }
        }
      }
      if (bodyThrew) throw bodyError;
    })();
    body.catch(() => undefined);
    await Promise.race([
      body,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const e = new CaseTimeout(timeoutMs);
          run.close(e);
          reject(e);
        }, timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        if (signal.aborted) onAbort();
        run.signal.addEventListener('abort', () => reject(run.signal.reason));
      }),
    ]);
  } catch (e) {
    thrown = e;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    ctx.current = undefined;
    run.close(new Interrupted('case ended'));
  }
  const { frames, omitted } = link.trace.slice(startSeq);
  const verdict = judge(thrown, run, ctx.harnessErrors.get(run) ?? []);
  const result = base(verdict.verdict, {
    failures: run.failures,
    notes: run.notes,
    steps: run.steps,
    ...(run.composites.length ? { composites: run.composites } : {}),
    frames,
    ...(omitted ? { framesOmitted: omitted } : {}),
    reason: verdict.reason,
    errorType: verdict.errorType,
    ...(verdict.stack ? { errorStack: verdict.stack } : {}),
  });
  return { result, setupFailed };
}

/** The time limit of one case in this run: its own (fixed, or computed from the configuration) or timing.caseTimeoutMs. */
export function caseTimeoutMs(def: Pick<CaseDefinition, 'timeoutMs'>, config: RunConfig): number {
  const own = typeof def.timeoutMs === 'function' ? def.timeoutMs(config) : def.timeoutMs;
  return own ?? config.timing.caseTimeoutMs;
}

export function emptyResult(sel: SelectedCase, verdict: Verdict, reason?: string, errorType?: ErrorType): CaseResult {
  const { def, suite, ocpp } = sel;
  return {
    id: def.id,
    octtId: def.octtId,
    title: def.title,
    ocpp,
    as: def.as,
    block: suite.block,
    requirements: requirementsOf(def, ocpp),
    tags: def.tags ?? [],
    verdict,
    reason,
    errorType,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    failures: [] as Failure[],
    notes: [],
    steps: [],
    frames: [],
  };
}
