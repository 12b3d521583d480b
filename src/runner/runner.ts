import { CsmsServer, connectStation, type HandlerContext, type ProtocolViolation, type RpcSession, type CallHandler } from '../transport';
import { CallErrorReply, CallErrorResponse, CallTimeoutError, ConnectionClosedError, OutboundSchemaError, PayloadSchemaError } from '../ocppj/errors';
import { MissingSchemaError, schemaSource } from '../validation';
import { CsmsStationState, csmsDefaultHandlers } from '../csms';
import { subprotocolOf } from '../ocpp/version';
import type { Payload } from '../ocppj/messages';
import type { CaseResult, ErrorType, Reporter, RunResult, Verdict, Failure } from '../report';
import type { SuiteDefinition } from '../scenario/types';
import { requirementsOf } from '../scenario/types';
import { parseListen, type DeviceCapabilities, type RunConfig } from './config';
import { CaseRun } from './caseRun';
import { AssertionFailed, CaseSkipped, CaseTimeout, Interrupted, ManualActionUnavailable, PeerUnavailable, PreconditionFailed } from './errors';
import { PeerLink } from './link';
import { discoverCapabilities } from './discovery';
import { notApplicable, selectCases, type SelectedCase } from './select';
import type { RunRuntime } from './runtime';
import { HARNESS } from './harness';

/** A started in-process peer (the reference station or CSMS). */
export interface StartedPeer {
  url?: string;
  stop(): Promise<void>;
}

/** Factories for the built-in reference peers; injected so the runner stays independent of them. */
export interface BuiltinPeers {
  startStation(opts: { url: string; identity: string; config: RunConfig }): Promise<StartedPeer>;
  startCsms(opts: { config: RunConfig }): Promise<StartedPeer & { url: string }>;
}

/** Handlers the harness uses for inbound CALLs when it plays the station (answers like a conforming station). */
export type StationRoleFactory = (config: RunConfig) => { handlers: Record<string, CallHandler>; onSession?(s: RpcSession): void | Promise<void> };

export interface RunInput {
  config: RunConfig;
  suites: SuiteDefinition[];
  reporter: Reporter;
  signal?: AbortSignal;
  builtinPeers?: BuiltinPeers;
  stationRole?: StationRoleFactory;
  fixturesDir: string;
  /** One-line notices for the operator (stderr in the CLI). */
  notice?: (line: string) => void;
  input?: NodeJS.ReadableStream;
  promptOutput?: NodeJS.WritableStream;
}

export interface RunOutput {
  result: RunResult;
  exitCode: number;
}

/** Exit codes (issue #3): 0 pass, 1 FAIL, 2 usage/config/unreachable/ERROR, 130 interrupted. */
export function exitCodeOf(result: RunResult, peerUnavailable = false): number {
  if (result.interrupted) return 130;
  if (peerUnavailable || result.cases.some((c) => c.verdict === 'error')) return 2;
  if (result.cases.some((c) => c.verdict === 'failed')) return 1;
  return 0;
}

const BOOT_WAIT_MS = 10_000;

/**
 * Run the selected cases in order on one connection and report each. Never throws for device
 * behaviour: every problem ends up as a verdict, and reports are always handed to the reporter.
 */
export async function runConformance(input: RunInput): Promise<RunOutput> {
  const { config, reporter } = input;
  const notice = input.notice ?? (() => undefined);
  const signal = input.signal ?? new AbortController().signal;
  const started = new Date();
  const selected = selectCases(input.suites, config);
  const builtin = !config.listen && !config.url;
  // The built-in peer answers on loopback at once; a 1 s quiet period is ample there (README).
  if (builtin) config.timing.graceMs = Math.min(config.timing.graceMs, 1000);
  const csmsState = new CsmsStationState();
  const stationRole = config.as === 'station' ? input.stationRole?.(config) : undefined;
  const roleDefaults: Record<string, CallHandler> = config.as === 'csms' ? csmsDefaultHandlers(config.ocpp, csmsState) : (stationRole?.handlers ?? {});
  let current: CaseRun | undefined;
  const betweenCases: ProtocolViolation[] = [];
  const harnessErrors = new WeakMap<CaseRun, Error[]>();

  const link = new PeerLink((action, payload, ctx: HandlerContext) => {
    const fallback = () => {
      const h = roleDefaults[action];
      if (!h) throw new CallErrorReply('NotSupported', `${action} is not supported by the harness in the ${config.as} role`);
      return h(payload, ctx);
    };
    return current ? current.answer(action, payload, ctx.frame, fallback) : fallback();
  });
  link.on('violation', (v: ProtocolViolation) => (current ? current.onViolation(v) : betweenCases.push(v)));
  link.on('harnessError', (e: Error) => {
    if (current) harnessErrors.set(current, [...(harnessErrors.get(current) ?? []), e]);
    else notice(`harness error outside a case: ${e.message}`);
  });

  const caps: DeviceCapabilities = structuredClone(config.device);
  const rt: RunRuntime = { config, caps, link, csmsState, builtin, fixturesDir: input.fixturesDir, input: input.input, promptOutput: input.promptOutput };
  const results: CaseResult[] = [];
  const capabilities: Record<string, unknown> = { declared: config.device };
  let endpoint: string | undefined;
  let peerUnavailable: string | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  reporter.onRunBegin?.({ ocpp: config.ocpp, as: config.as, device: { identity: config.identity, builtin }, total: selected.length });

  try {
    // --- connect ------------------------------------------------------------------------------
    try {
      endpoint = await connect();
    } catch (e) {
      peerUnavailable = (e as Error).message;
    }
    if (!peerUnavailable && !signal.aborted) {
      const session = await link.waitForSession(config.timing.connectTimeoutMs, signal);
      if (!session && !signal.aborted) {
        peerUnavailable = config.as === 'csms'
          ? `no Charging Station connected to ${endpoint} within ${config.timing.connectTimeoutMs} ms`
          : `could not open a session with the CSMS at ${endpoint}`;
      }
    }
    if (peerUnavailable) notice(`peer unavailable: ${peerUnavailable}`);
    if (!peerUnavailable && !signal.aborted && config.as === 'csms' && selected.length) await prepareStation();

    // --- cases --------------------------------------------------------------------------------
    let stop: { verdict: Verdict; reason: string; errorType?: ErrorType } | undefined;
    for (const sel of selected) {
      if (signal.aborted) stop ??= { verdict: 'error', reason: 'not run: run interrupted', errorType: 'Interrupted' };
      if (peerUnavailable) stop ??= { verdict: 'error', reason: `not run: ${peerUnavailable}`, errorType: 'ConnectionError' };
      if (stop) {
        results.push(emptyResult(sel, stop.verdict, stop.reason, stop.errorType));
        reporter.onCaseEnd?.(results[results.length - 1]!);
        continue;
      }
      const result = await runCase(sel);
      results.push(result);
      reporter.onCaseEnd?.(result);
      if (config.bail && (result.verdict === 'failed' || result.verdict === 'error')) {
        stop = { verdict: 'skipped', reason: `not run: --bail after ${result.id} ${result.verdict}` };
      }
    }
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }

  const finished = new Date();
  const boot = csmsState.boot;
  const session = link.session;
  const result: RunResult = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    harness: HARNESS,
    schemas: schemaSource(),
    ocpp: config.ocpp,
    as: config.as,
    device: {
      identity: session?.identity ?? config.identity,
      endpoint,
      subprotocol: session ? subprotocolOf(session.version) : undefined,
      vendor: boot?.vendor,
      model: boot?.model,
      firmware: boot?.firmware,
      serial: boot?.serial,
      builtin,
    },
    capabilities,
    interrupted: signal.aborted,
    cases: results,
  };
  await reporter.onRunEnd(result);
  return { result, exitCode: exitCodeOf(result, !!peerUnavailable) };

  // ------------------------------------------------------------------------------------------

  async function connect(): Promise<string> {
    const versions = [config.ocpp];
    const tls = config.security.tls;
    if (config.as === 'csms') {
      const { host, port } = config.listen ? parseListen(config.listen) : { host: '127.0.0.1', port: 0 };
      const server = new CsmsServer({
        host,
        port,
        versions,
        password: config.security.password,
        tls: tls?.cert ? tls : undefined,
        callTimeoutMs: config.timing.callTimeoutMs,
        traceFactory: () => link.trace,
      });
      let pinned = config.identity;
      server.on('session', (s: RpcSession) => {
        if (pinned && s.identity !== pinned) {
          notice(`refused station "${s.identity}": this run tests "${pinned}"`);
          void s.close(1008, 'unexpected identity');
          return;
        }
        pinned = s.identity;
        if (link.session) notice(`station ${s.identity} reconnected`);
        link.attach(s);
      });
      server.on('refused', (r: { identity?: string; status: number; reason: string }) => notice(`refused a handshake from ${r.identity ?? '?'}: HTTP ${r.status} ${r.reason}`));
      await server.listen();
      cleanups.push(() => server.close());
      const url = `${server.url}/ocpp`;
      if (builtin) {
        if (!input.builtinPeers) throw new PeerUnavailable('no built-in reference station available');
        const identity = config.identity ?? 'CS-BUILTIN-1';
        pinned = identity;
        notice(`testing the built-in reference Charging Station (OCPP ${config.ocpp}${config.builtinFaults.length ? `, faults: ${config.builtinFaults.join(', ')}` : ''})`);
        const peer = await input.builtinPeers.startStation({ url, identity, config });
        cleanups.push(() => peer.stop());
      } else {
        notice(`waiting for a Charging Station on ${url}/<identity> (OCPP ${config.ocpp})`);
      }
      return url;
    }
    let url = config.url;
    if (builtin) {
      if (!input.builtinPeers) throw new PeerUnavailable('no built-in reference CSMS available');
      notice(`testing the built-in reference CSMS (OCPP ${config.ocpp}${config.builtinFaults.length ? `, faults: ${config.builtinFaults.join(', ')}` : ''})`);
      const peer = await input.builtinPeers.startCsms({ config });
      cleanups.push(() => peer.stop());
      url = peer.url;
    }
    const identity = config.identity ?? 'CS-CONFORMANCE-1';
    const open = async () => {
      const s = await connectStation({
        url: url!,
        identity,
        versions,
        password: config.security.password,
        tls: tls?.ca || tls?.cert ? tls : undefined,
        callTimeoutMs: config.timing.callTimeoutMs,
        trace: link.trace,
        onSession: (session) => link.attach(session),
      });
      await stationRole?.onSession?.(s);
      return s;
    };
    await open();
    // Follow the CSMS: reopen before the next case when it dropped us.
    link.on('close', () => {
      if (!signal.aborted) void open().catch((e) => notice(`reconnect to the CSMS failed: ${(e as Error).message}`));
    });
    cleanups.push(async () => {
      link.removeAllListeners('close');
      await link.session?.close(1000, 'run finished');
    });
    return url!;
  }

  async function prepareStation(): Promise<void> {
    // The station boots on connect; give it a bounded moment so vendor/model reach the report.
    if (!csmsState.boot) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, BOOT_WAIT_MS);
        function done() {
          clearTimeout(t);
          link.off('call', on);
          resolve();
        }
        function on(action: string) {
          if (action === 'BootNotification') setImmediate(done);
        }
        link.on('call', on);
        signal.addEventListener('abort', done);
      });
    }
    const session = link.session;
    if (!session?.isOpen) return;
    try {
      const d = await discoverCapabilities(session, caps, config.timing.callTimeoutMs);
      Object.assign(caps, d.effective);
      Object.assign(capabilities, { discovered: d.reported, effective: d.effective, mismatches: d.mismatches, unknown: d.unknown });
      for (const m of d.mismatches) notice(`capability mismatch: ${m}`);
    } catch (e) {
      capabilities.discoveryError = (e as Error).message;
      notice(`capability discovery failed (${(e as Error).message}); using the declared profile`);
    }
  }

  async function runCase(sel: SelectedCase): Promise<CaseResult> {
    const { def, suite } = sel;
    const startedAt = new Date();
    const t0 = Date.now();
    const base = (verdict: Verdict, extra: Partial<CaseResult> = {}): CaseResult => ({
      ...emptyResult(sel, verdict),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - t0,
      ...extra,
    });
    const reason = notApplicable(def, caps, config.ocpp, builtin);
    if (reason) return base('skipped', { reason });

    reporter.onCaseBegin?.({ id: def.id, title: def.title });
    if (!link.connected) {
      const s = await link.waitForSession(config.timing.connectTimeoutMs, signal);
      if (!s) {
        return base('error', {
          reason: signal.aborted ? 'interrupted' : 'device not connected',
          errorType: signal.aborted ? 'Interrupted' : 'ConnectionError',
        });
      }
    }
    const run = new CaseRun(def, rt);
    const startSeq = link.trace.lastSeq;
    for (const v of betweenCases.splice(0)) run.note.warn(`between cases: ${v.message}`, v.rule);
    current = run;
    const timeoutMs = def.timeoutMs ?? config.timing.caseTimeoutMs;
    let thrown: unknown;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => run.close(new Interrupted(String(signal.reason ?? 'SIGINT')));
    signal.addEventListener('abort', onAbort);
    try {
      const body = (async () => {
        if (suite.beforeEach) {
          try {
            await run.step('precondition', () => suite.beforeEach!(run));
          } catch (e) {
            if (e instanceof CaseSkipped || e instanceof Interrupted) throw e;
            throw new PreconditionFailed(`precondition failed: ${(e as Error).message}`);
          }
        }
        await def.run(run);
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
      current = undefined;
      run.close(new Interrupted('case ended'));
    }
    const { frames, omitted } = link.trace.slice(startSeq);
    const common: Partial<CaseResult> = {
      failures: run.failures,
      notes: run.notes,
      steps: run.steps,
      frames,
      ...(omitted ? { framesOmitted: omitted } : {}),
    };
    const verdict = judge(thrown, run, harnessErrors.get(run) ?? []);
    return base(verdict.verdict, { ...common, reason: verdict.reason, errorType: verdict.errorType });
  }
}

/** Turn what a case threw and recorded into its verdict (catalogue §2: ERROR > FAIL > PASS). */
function judge(thrown: unknown, run: CaseRun, harnessErrors: Error[]): { verdict: Verdict; reason?: string; errorType?: ErrorType } {
  if (thrown instanceof CaseSkipped) {
    if (!run.sentTestFrame) return { verdict: 'skipped', reason: thrown.reason };
    return { verdict: 'error', reason: `case asked to skip after sending test frames: ${thrown.reason}`, errorType: 'HarnessError' };
  }
  const err = (reason: string, errorType: ErrorType) => ({ verdict: 'error' as const, reason, errorType });
  if (thrown instanceof Interrupted) return err(thrown.message, 'Interrupted');
  if (harnessErrors.length) return err(`harness error: ${harnessErrors[0]!.message}`, 'HarnessError');
  if (thrown instanceof CaseTimeout) return err(thrown.message, 'Timeout');
  if (thrown instanceof PreconditionFailed) {
    // A schema/framing violation by the device during the precondition is a verdict on the device (catalogue §2 FAIL).
    if (!run.failures.some((f) => f.kind === 'SchemaViolation' || f.kind === 'FramingViolation')) return err(thrown.message, 'PreconditionFailed');
    run.failures.push({ kind: 'AssertionFailure', message: thrown.message, step: 'precondition' });
    return { verdict: 'failed' };
  }
  if (thrown instanceof ConnectionClosedError || thrown instanceof PeerUnavailable) return err(thrown.message, 'ConnectionError');
  if (thrown instanceof ManualActionUnavailable) return err(thrown.message, 'HarnessError');
  if (thrown instanceof MissingSchemaError) return err(thrown.message, 'MissingSchema');
  if (thrown instanceof OutboundSchemaError) return err(thrown.message, 'HarnessError');
  if (thrown instanceof AssertionFailed) run.failures.push(thrown.failure);
  else if (thrown instanceof CallTimeoutError) {
    // OCPP-J: every CALL is answered by a CALLRESULT or CALLERROR with the same messageId.
    run.failures.push({ kind: 'Timeout', rule: 'OCPP-J CALL/CALLRESULT', message: `OCPP-J: the device did not answer ${thrown.action} (messageId ${thrown.messageId}) within ${thrown.timeoutMs} ms` });
  }
  else if (thrown instanceof CallErrorResponse) {
    run.failures.push({ kind: 'AssertionFailure', message: `${thrown.action} was answered with CALLERROR ${thrown.errorCode}${thrown.errorDescription ? ` (${thrown.errorDescription})` : ''}`, actual: thrown.errorCode });
  } else if (thrown instanceof PayloadSchemaError) {
    if (!run.failures.some((f) => f.kind === 'SchemaViolation')) run.failures.push({ kind: 'SchemaViolation', message: thrown.message });
  } else if (thrown && !(thrown as { recorded?: boolean }).recorded) {
    return err(`harness error: ${(thrown as Error).stack?.split('\n').slice(0, 2).join(' ') ?? String(thrown)}`, 'HarnessError');
  }
  if (run.failures.length) return { verdict: 'failed' };
  return { verdict: 'passed' };
}

function emptyResult(sel: SelectedCase, verdict: Verdict, reason?: string, errorType?: ErrorType): CaseResult {
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

export type { Payload };
