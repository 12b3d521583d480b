import type { OcppVersion } from '../ocpp/version';
import type { CompositeComparison, HarnessRole, TraceFrame } from '../report/types';
import type { Payload } from '../ocppj/messages';
import type { CallOptions, Reply, RpcSession } from '../transport';
import type { Assertions } from '../runner/assertions';
import type { DeviceCapabilities, RunConfig, RateUnit } from '../runner/config';
import type { TriggerOutcome, TriggerVars } from '../runner/triggers';
import type { StationActionName } from '../runner/stationActions';
import type { OfflineOptions, OfflineOutcome } from '../runner/offline';
import type { TransactionRecord, StationInfo, ConnectorState } from '../csms';

/** What a case needs from the device; unmet needs skip the case with the reason. */
export interface Requirements {
  evses?: number;
  rateUnits?: RateUnit[];
  /** At least this many stack levels above 0 (ChargeProfileMaxStackLevel / ProfileStackLevel). */
  maxStackLevel?: number;
  maxProfiles?: number;
  periodsPerSchedule?: number;
  /** Feature flags that must be true in the device profile (e.g. remoteStart, reset). */
  features?: string[];
  /** The run must target the built-in reference peer (cases that drive it through its test hooks). */
  builtin?: boolean;
}

export interface CaseDefinition {
  /** Our id, e.g. SC-201-07. */
  id: string;
  /** OCTT test-case id as displayed (JUnit name, --list), e.g. TC_K_29_CS; derived from `octt` when absent. */
  octtId?: string;
  /**
   * The exact OCTT test-case ids whose checks this case's steps really perform (issue #12: coverage
   * toward OCTT), e.g. ['TC_K_05_CS', 'TC_K_06_CS']. Counted by `run --list`.
   */
  octt?: string[];
  title: string;
  ocpp: OcppVersion[];
  /** The side the harness plays. */
  as: HarnessRole;
  /** Requirements that hold in every version the case runs in. */
  requirements?: string[];
  /**
   * Requirements of one version only (issue #11 item 9: a 1.6 run is judged and labelled by 1.6 text, so a
   * case that runs in both lists its 2.0.1 ids here). A run reports requirementsOf(def, ocpp).
   */
  versionRequirements?: Partial<Record<OcppVersion, string[]>>;
  tags?: string[];
  needs?: Requirements;
  /** Extra applicability rule: return a reason to skip. */
  applies?: (caps: DeviceCapabilities, ocpp: OcppVersion) => string | undefined;
  /**
   * The case's own time limit instead of timing.caseTimeoutMs; a function when it follows the configuration
   * (e.g. the offline cases wait timing.rebootTimeoutMs for a reconnect, twice).
   */
  timeoutMs?: number | ((config: RunConfig) => number);
  run: (t: CaseContext) => Promise<void>;
}

/** The requirements a case checks in a run of `ocpp`: the shared ones, then that version's own. */
export function requirementsOf(def: Pick<CaseDefinition, 'requirements' | 'versionRequirements'>, ocpp: OcppVersion): string[] {
  return [...(def.requirements ?? []), ...(def.versionRequirements?.[ocpp] ?? [])];
}

export interface SuiteDefinition {
  name: string;
  /** Functional block, e.g. SmartCharging (JUnit classname part). */
  block: string;
  cases: CaseDefinition[];
  /** Runs before every case of the suite, e.g. clear profiles and verify the clean slate. */
  beforeEach?: (t: CaseContext) => Promise<void>;
  /**
   * Runs after the body of every case that did not throw, in the case (its findings are the case's): e.g.
   * one quiet period for all the reads of the case (issue #14).
   */
  afterEach?: (t: CaseContext) => Promise<void>;
}

export interface ReceivedCall {
  action: string;
  payload: Payload;
  frame: TraceFrame;
  /** ms since epoch, when the harness received it. */
  at: number;
}

export interface ExpectCallOptions {
  match?: (payload: Payload) => boolean;
  timeoutMs?: number;
  /** Answer this CALL with this payload (or Reply) instead of the default answer. */
  reply?: Payload | Reply | ((payload: Payload) => Payload | Reply | Promise<Payload | Reply>);
  /** The rule a missing CALL breaks: the timeout is recorded as a failure citing it. */
  rule?: string;
  /**
   * The CALL is a precondition the device may legitimately not meet (e.g. no EV plugged in after an
   * Accepted remote start): a timeout ends the case as ERROR with this hint, never as a failure (issue #11 item 11).
   */
  unmet?: string | (() => string);
}

/** What tryCall returns; `frame` is the response frame (CALLRESULT or CALLERROR) findings point at. */
export type CallOutcome<T = Payload> =
  | { ok: true; payload: T; frame: TraceFrame }
  | { ok: false; errorCode: string; errorDescription: string; error: Error; frameSeq?: number };

/** The body of a case sees only this. */
export interface CaseContext {
  readonly id: string;
  readonly ocpp: OcppVersion;
  readonly as: HarnessRole;
  readonly config: RunConfig;
  /** Effective device capabilities (declared, refined by discovery). */
  readonly caps: DeviceCapabilities;
  /** The RPC session with the peer (follows reconnects). */
  readonly session: RpcSession;
  readonly signal: AbortSignal;
  /** Station data from BootNotification (harness as CSMS). */
  readonly station: StationInfo | undefined;
  /** Transactions the station reported (harness as CSMS). */
  readonly transactions: readonly TransactionRecord[];
  /** Last reported status per connector (1.6) / EVSE (2.0.1) (harness as CSMS; issue #12 item 3). */
  readonly connectors: ReadonlyMap<number, ConnectorState>;
  /** Whether the peer is the built-in reference peer. */
  readonly builtin: boolean;

  /** Send a CALL; a CALLERROR, timeout or invalid response fails the case unless caught. */
  call<T = Payload>(action: string, payload: Payload, opts?: CallOptions): Promise<T>;
  /** Send a CALL and return the outcome whatever it is (negative tests where CALLERROR is allowed). */
  tryCall<T = Payload>(action: string, payload: Payload, opts?: CallOptions): Promise<CallOutcome<T>>;
  /** Wait for an incoming CALL (already received during this case and not yet consumed, or the next one). */
  expectCall(action: string, opts?: ExpectCallOptions): Promise<ReceivedCall>;
  /** Every CALL of this action received during this case so far. */
  received(action?: string): ReceivedCall[];
  /** Resolve with the first matching CALL within `ms`, or undefined if none arrives (grace-period checks). */
  quietFor(action: string, ms: number, match?: (p: Payload) => boolean): Promise<ReceivedCall | undefined>;
  /**
   * The quiet period for a "nothing more arrives" check starting now (issue #14): a small multiple of the
   * device's worst measured latency on this link, within [250 ms, timing.graceMs]; graceMs before any
   * measurement. Ask it once per settle window, not per request.
   */
  quietMs(): number;
  /** Answer inbound CALLs of `action` with this handler for the rest of the case. */
  handle(action: string, handler: (payload: Payload) => Payload | Reply | Promise<Payload | Reply>): void;

  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Hard assertions: the first failure stops the case. */
  readonly assert: Assertions;
  /** Soft assertions: failures recorded, the case goes on. */
  readonly check: Assertions;
  readonly note: { warn(message: string, rule?: string): void; info(message: string, rule?: string): void };
  /**
   * Structured evidence for the reports, never a verdict (issue #15): a composite compared with the
   * reference model is charted by the HTML report. `step` defaults to the current step.
   */
  readonly evidence: { composite(c: CompositeComparison): void };
  /** Ask the operator to do something (TTY), or fail/skip by config in CI. */
  manual(prompt: string, opts?: { timeoutMs?: number }): Promise<void>;
  /**
   * Make the peer act (harness as station: make the CSMS send `action`) through the trigger configured
   * for that action (http / command / manual, issue #6). Starts at once; the promise settles with the
   * trigger's outcome. Register the expected CALL (expectCall) before triggering. A trigger failure ends
   * the case with ERROR (FAIL instead when the peer had sent an unusable CALL); no trigger configured
   * skips the case (throws synchronously).
   */
  trigger(action: string, vars?: TriggerVars): Promise<TriggerOutcome>;
  /**
   * Make the station act as an operator / EV would (issue #12): plugIn, unplug, presentIdToken, reboot,
   * through `stationActions.<name>`. Resolves with the outcome, or undefined when the action is not
   * configured (the caller then takes its `unmet` path). A failing action ends the case as ERROR.
   */
  stationAction(name: StationActionName, vars?: TriggerVars): Promise<TriggerOutcome | undefined>;
  /**
   * Harness as CSMS: close the station's connection, refuse its reconnection for `refuseMs`, then wait up
   * to `reconnectTimeoutMs` more for it to connect again (cases about offline behaviour). Resolves with
   * whether it came back and how long it was offline as the harness measured it; `t.session` follows the
   * new connection. Skips the case where the harness is not the server.
   */
  offline(opts: OfflineOptions): Promise<OfflineOutcome>;
  /** Skip from inside the case (only before any test frame was sent). */
  skip(reason: string): never;
  /**
   * End the case without a verdict: a precondition the device may legitimately refuse was not reached
   * (ERROR PreconditionFailed, with what to do). A failure already recorded still makes the case FAILED.
   */
  unmet(reason: string): never;
  /** Load fixtures/<name>.json with "now+60s" placeholders resolved against `base` (default now). */
  fixture<T = unknown>(name: string, base?: Date): T;
  /** Whole-second "now" of the harness clock. */
  now(): Date;
}
