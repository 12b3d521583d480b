import { CallErrorReply } from '../ocppj/errors';
import { schemaSource } from '../validation';
import { CsmsStationState, csmsDefaultHandlers, LARGE_TRANSACTION_ID } from '../csms';
import { subprotocolOf } from '../ocpp/version';
import type { HandlerContext, ProtocolViolation, CallHandler } from '../transport';
import type { Payload } from '../ocppj/messages';
import type { CaseResult, RunResult } from '../report';
import type { DeviceCapabilities } from './config';
import type { CaseRun } from './caseRun';
import { PeerLink } from './link';
import { CallbackServer } from './trigger/callbacks';
import { selectCases } from './select';
import type { RunRuntime } from './runtime';
import { HARNESS } from './harness';
import { CONNECTION_CASE, OutsideCollector } from './outside';
import { exitCodeOf, skippedCount } from './verdict';
import { certificationCoverage } from '../octt';
import { QuietPeriod } from './quiet';
import type { RunContext, RunInput } from './phases/context';
import { connectPhase } from './phases/connect';
import { bootAndDiscoveryPhase } from './phases/boot';
import { casesPhase } from './phases/cases';
import { connectionCaseResult, outsideCaseResult } from './phases/outside';

export type { StartedPeer, BuiltinPeers, StationRoleFactory, RunInput } from './phases/context';
export { exitCodeOf, judge, skippedCount } from './verdict';

export interface RunOutput {
  result: RunResult;
  exitCode: number;
}

/**
 * Run the selected cases in order on one connection and report each. Never throws for device
 * behaviour: every problem ends up as a verdict, and reports are always handed to the reporter.
 * The lifecycle, phase by phase: connect → boot and discovery (judged by SC-X-01) → cases →
 * outside-case findings (SC-X-99) → reports.
 */
export async function runConformance(input: RunInput): Promise<RunOutput> {
  const ctx = createContext(input);
  const { config, reporter, signal } = ctx;
  const started = new Date();
  const results: CaseResult[] = [];
  const withOutside = ctx.selected.length > 0;
  reporter.onRunBegin?.({ ocpp: config.ocpp, as: config.as, device: { identity: config.identity, builtin: ctx.builtin }, total: ctx.selected.length + (withOutside ? 2 : 0) });
  try {
    if (withOutside) reporter.onCaseBegin?.({ ...CONNECTION_CASE });
    await connectPhase(ctx);
    if (!ctx.peerUnavailable && !signal.aborted && config.as === 'csms' && withOutside) await bootAndDiscoveryPhase(ctx);
    let bailAfter: CaseResult | undefined;
    if (withOutside) {
      const r = connectionCaseResult(ctx, started);
      results.push(r);
      reporter.onCaseEnd?.(r);
      // --bail stops after a failed SC-X-01 like after any case (an unreachable device is reported as today).
      if (config.bail && r.verdict === 'failed') bailAfter = r;
    }
    const betweenStarted = new Date();
    await casesPhase(ctx, results, bailAfter);
    if (withOutside) {
      await trailingQuiet(ctx);
      // results[0] is SC-X-01: the rest are the cases, whose time is not SC-X-99's.
      const r = outsideCaseResult(ctx, betweenStarted, results.slice(1).reduce((n, c) => n + c.durationMs, 0));
      reporter.onCaseBegin?.({ id: r.id, title: r.title });
      results.push(r);
      reporter.onCaseEnd?.(r);
    }
  } finally {
    ctx.rt.quiet.detach();
    for (const c of ctx.cleanups.reverse()) await c().catch(() => undefined);
  }
  const result = runResult(ctx, started, results);
  await reporter.onRunEnd(result);
  const exitCode = exitCodeOf(result, !!ctx.peerUnavailable, config.maxSkipped);
  const base = exitCodeOf(result, !!ctx.peerUnavailable);
  if (exitCode !== base) {
    const n = skippedCount(result);
    ctx.notice(`${n} case${n === 1 ? '' : 's'} skipped, more than the ${config.maxSkipped} allowed (${config.maxSkipped === 0 ? '--fail-on-skip' : '--max-skipped'}): exit 2`);
  }
  return { result, exitCode };
}

/** SC-X-99 judges frames after the last case too: give frames in flight a short moment to arrive. */
const TRAILING_QUIET_MS = 1000;
function trailingQuiet(ctx: RunContext): Promise<void> {
  if (ctx.signal.aborted || !ctx.link.connected || ctx.peerUnavailable) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, Math.min(ctx.rt.quiet.take(), TRAILING_QUIET_MS));
    ctx.signal.addEventListener('abort', done);
  });
}

/**
 * Request-driven report streams (2.0.1 K09 ReportChargingProfiles, B07 NotifyReport, N02/N04 monitoring and
 * customer information, O04 display messages): the gap before each report is the device's latency too.
 */
const STREAM_ACTIONS = ['ReportChargingProfiles', 'NotifyReport', 'NotifyMonitoringReport', 'NotifyCustomerInformation', 'NotifyDisplayMessages'];

/** The shared state of one run, with the link routing inbound CALLs and violations to the running case. */
function createContext(input: RunInput): RunContext {
  const { config } = input;
  const builtin = !config.listen && !config.url;
  // The built-in peer answers on loopback at once; a 1 s quiet period is ample there (README).
  if (builtin) config.timing.graceMs = Math.min(config.timing.graceMs, 1000);
  // Issue #12: the idTag policy and the first 1.6 transactionId are the run's (csms.*); the built-in
  // station's 'large-transaction-ids' quirk has the harness assign 1.6 ids near 2^31-1 (1.6 §6.46: integer).
  const firstTransactionId = config.csms?.firstTransactionId ?? (builtin && config.builtinQuirks.includes('large-transaction-ids') ? LARGE_TRANSACTION_ID : undefined);
  const csmsState = new CsmsStationState({ firstTransactionId, authorize: config.csms?.authorize });
  const stationRole = config.as === 'station' ? input.stationRole?.(config) : undefined;
  const roleDefaults: Record<string, CallHandler> = config.as === 'csms' ? csmsDefaultHandlers(config.ocpp, csmsState) : (stationRole?.handlers ?? {});
  const notice = input.notice ?? (() => undefined);
  const link = new PeerLink((action, payload, hctx: HandlerContext) => {
    const fallback = () => {
      const h = roleDefaults[action];
      if (!h) throw new CallErrorReply('NotSupported', `${action} is not supported by the harness in the ${config.as} role`);
      return h(payload, hctx);
    };
    return ctx.current ? ctx.current.answer(action, payload, hctx.frame, fallback) : fallback();
  });
  const caps: DeviceCapabilities = structuredClone(config.device);
  const callbacks = new CallbackServer();
  const quiet = new QuietPeriod(link.trace, { upperMs: config.timing.graceMs, streams: STREAM_ACTIONS, onFirstUse: notice });
  const rt: RunRuntime = { config, caps, link, csmsState, builtin, quiet, fixturesDir: input.fixturesDir, input: input.input, promptOutput: input.promptOutput, callbacks };
  const ctx: RunContext = {
    input,
    config,
    reporter: input.reporter,
    notice,
    signal: input.signal ?? new AbortController().signal,
    builtin,
    selected: selectCases(input.suites, config),
    link,
    rt,
    caps,
    csmsState,
    stationRole,
    capabilities: { declared: config.device },
    cleanups: [() => callbacks.close()],
    current: undefined,
    harnessErrors: new WeakMap<CaseRun, Error[]>(),
    outside: { connection: new OutsideCollector(), between: new OutsideCollector(), phase: 'connection' },
  };
  // Every violation is judged: by the running case, else by SC-X-01 (until the first case) or SC-X-99.
  link.on('violation', (v: ProtocolViolation) => {
    if (ctx.current) ctx.current.onViolation(v);
    else ctx.outside[ctx.outside.phase].onViolation(v);
  });
  link.on('harnessError', (e: Error) => {
    if (ctx.current) ctx.harnessErrors.set(ctx.current, [...(ctx.harnessErrors.get(ctx.current) ?? []), e]);
    else notice(`harness error outside a case: ${e.message}`);
  });
  return ctx;
}

/** Phase 5, reports: the run result every reporter reads. */
function runResult(ctx: RunContext, started: Date, cases: CaseResult[]): RunResult {
  const finished = new Date();
  const boot = ctx.csmsState.boot;
  const session = ctx.link.session;
  return {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    harness: HARNESS,
    schemas: schemaSource(),
    ocpp: ctx.config.ocpp,
    as: ctx.config.as,
    device: {
      identity: session?.identity ?? ctx.config.identity,
      endpoint: ctx.endpoint,
      subprotocol: session ? subprotocolOf(session.version) : undefined,
      vendor: boot?.vendor,
      model: boot?.model,
      firmware: boot?.firmware,
      serial: boot?.serial,
      builtin: ctx.builtin,
    },
    capabilities: ctx.capabilities,
    timing: { quietMs: ctx.rt.quiet.summary() },
    interrupted: ctx.signal.aborted,
    cases,
    octtCoverage: certificationCoverage(ctx.config.ocpp, ctx.config.as, ctx.input.suites.flatMap((s) => s.cases), cases),
  };
}

export type { Payload };
