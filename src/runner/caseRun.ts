import { createInterface } from 'node:readline';
import { setMaxListeners } from 'node:events';
import type { CaseContext, CaseDefinition, CallOutcome, ExpectCallOptions, ReceivedCall } from '../scenario/types';
import type { CompositeComparison, Failure, Note } from '../report/types';
import type { Payload } from '../ocppj/messages';
import { CallErrorResponse } from '../ocppj/errors';
import type { CallOptions, Reply, RpcSession, ProtocolViolation, TraceFrame } from './runtimeTypes';
import { Assertions } from './assertions';
import { CaseSkipped, Interrupted, ManualActionUnavailable, PeerUnavailable, PreconditionFailed } from './errors';
import { loadFixture } from './fixtures';
import type { RunRuntime } from './runtime';
import { runStationAction, stationActionFor, type StationActionName } from './stationActions';
import { OfflineUnsupported, takeOffline, type OfflineOptions, type OfflineOutcome } from './offline';
import { noTriggerReason, runTrigger, triggerFor, triggerWaitMs, manualLimitMs, type TriggerOutcome, type TriggerVars } from './triggers';

type Handler = (payload: Payload) => Payload | Reply | Promise<Payload | Reply>;

interface Waiter {
  action: string;
  match?: (p: Payload) => boolean;
  resolve: (c: ReceivedCall) => void;
}

/** One running case: implements the scenario API and collects failures, notes and steps. */
export class CaseRun implements CaseContext {
  readonly failures: Failure[] = [];
  readonly notes: Note[] = [];
  readonly steps: string[] = [];
  readonly composites: CompositeComparison[] = [];
  readonly evidence: CaseContext['evidence'] = { composite: (c) => void this.composites.push({ ...c, step: c.step ?? this.currentStep }) };
  readonly assert: Assertions;
  readonly check: Assertions;
  readonly note: CaseContext['note'];
  /** Set once a test frame has been sent: a case never turns N/A after that (catalogue §2). */
  sentTestFrame = false;
  private currentStep: string | undefined;
  private readonly inbox: ReceivedCall[] = [];
  private readonly consumed = new Set<ReceivedCall>();
  private readonly waiters = new Set<Waiter>();
  private readonly replies: { action: string; match?: (p: Payload) => boolean; reply: NonNullable<ExpectCallOptions['reply']> }[] = [];
  private readonly overrides = new Map<string, Handler>();
  private readonly abort = new AbortController();
  private closedReason: Error | undefined;
  /** Triggers started by this case whose CALL has not arrived yet (issue #6). */
  private readonly armed = new Set<{ action: string; since: number; arrived: boolean }>();

  constructor(
    readonly def: CaseDefinition,
    private readonly rt: RunRuntime,
  ) {
    const record = (f: Failure) => this.failures.push(f);
    this.assert = new Assertions(record, true, () => this.currentStep);
    this.check = new Assertions(record, false, () => this.currentStep);
    this.note = {
      warn: (message, rule) => this.notes.push({ level: 'warn', message, rule }),
      info: (message, rule) => this.notes.push({ level: 'info', message, rule }),
    };
  }

  get id() {
    return this.def.id;
  }
  get ocpp() {
    return this.rt.config.ocpp;
  }
  get as() {
    return this.rt.config.as;
  }
  get config() {
    return this.rt.config;
  }
  get caps() {
    return this.rt.caps;
  }
  get signal(): AbortSignal {
    return this.abort.signal;
  }
  get builtin() {
    return this.rt.builtin;
  }
  get station() {
    return this.rt.csmsState.boot;
  }
  get transactions() {
    return this.rt.csmsState.transactions;
  }
  get connectors() {
    return this.rt.csmsState.connectors;
  }
  get session(): RpcSession {
    const s = this.rt.link.session;
    if (!s) throw new PeerUnavailable('no connection to the device');
    return s;
  }

  /** Stop the case: pending waits reject, later API use throws (a timed-out body must not leak). */
  close(reason: Error): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.abort.abort(reason);
    this.waiters.clear();
  }

  private ensureOpen(): void {
    if (this.closedReason) throw this.closedReason;
  }

  // --- inbound ------------------------------------------------------------------------------

  /** Called by the runner's dispatcher for every inbound CALL while this case runs. */
  async answer(action: string, payload: Payload, frame: TraceFrame, fallback: () => Payload | Reply | Promise<Payload | Reply>): Promise<Payload | Reply> {
    const received: ReceivedCall = { action, payload, frame, at: Date.now() };
    this.inbox.push(received);
    for (const a of this.armed) if (a.action === action) a.arrived = true;
    for (const w of this.waiters) {
      if (w.action === action && (!w.match || w.match(payload))) {
        this.waiters.delete(w);
        this.consumed.add(received);
        w.resolve(received);
        break;
      }
    }
    const i = this.replies.findIndex((r) => r.action === action && (!r.match || r.match(payload)));
    if (i >= 0) {
      const [r] = this.replies.splice(i, 1);
      const reply = r!.reply;
      return typeof reply === 'function' ? reply(payload) : reply;
    }
    const o = this.overrides.get(action);
    if (o) return o(payload);
    return fallback();
  }

  expectCall(action: string, opts: ExpectCallOptions = {}): Promise<ReceivedCall> {
    this.ensureOpen();
    const found = this.inbox.find((c) => c.action === action && !this.consumed.has(c) && (!opts.match || opts.match(c.payload)));
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    if (opts.reply !== undefined) this.replies.push({ action, match: opts.match, reply: opts.reply });
    const timeoutMs = opts.timeoutMs ?? this.rt.config.timing.callTimeoutMs;
    return new Promise((resolve, reject) => {
      const end = this.untilAbort(() => {
        clearTimeout(t);
        reject(this.closedReason);
      });
      const w: Waiter = {
        action,
        match: opts.match,
        resolve: (c) => {
          clearTimeout(t);
          end();
          resolve(c);
        },
      };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        end();
        const missing = `expected a ${action} CALL from the ${this.as === 'csms' ? 'station' : 'CSMS'} within ${timeoutMs} ms; none arrived`;
        reject(opts.unmet ? new PreconditionFailed(`precondition not reached: ${missing}. ${typeof opts.unmet === 'function' ? opts.unmet() : opts.unmet}`) : this.fail(missing, 'Timeout', opts.rule));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  received(action?: string): ReceivedCall[] {
    return this.inbox.filter((c) => !action || c.action === action);
  }

  quietMs(): number {
    return this.rt.quiet.take();
  }

  async quietFor(action: string, ms: number, match?: (p: Payload) => boolean): Promise<ReceivedCall | undefined> {
    this.ensureOpen();
    return new Promise((resolve) => {
      const end = this.untilAbort(() => {
        clearTimeout(t);
        resolve(undefined);
      });
      const w: Waiter = {
        action,
        match,
        resolve: (c) => {
          clearTimeout(t);
          end();
          resolve(c);
        },
      };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        end();
        resolve(undefined);
      }, ms);
      this.waiters.add(w);
    });
  }

  /**
   * Run `onAbort` if the case is closed while a wait is pending; the returned function detaches it
   * when the wait ends, so a long case does not pile up listeners on its signal.
   */
  private untilAbort(onAbort: () => void): () => void {
    this.signal.addEventListener('abort', onAbort, { once: true });
    return () => this.signal.removeEventListener('abort', onAbort);
  }

  handle(action: string, handler: Handler): void {
    this.overrides.set(action, handler);
  }

  // --- outbound -----------------------------------------------------------------------------

  async call<T = Payload>(action: string, payload: Payload, opts?: CallOptions): Promise<T> {
    return (await this.callAnswered<T>(action, payload, opts)).payload;
  }

  private async callAnswered<T>(action: string, payload: Payload, opts?: CallOptions) {
    this.ensureOpen();
    this.sentTestFrame = true;
    const result = await this.session.callAnswered<T>(action, payload, { timeoutMs: opts?.timeoutMs ?? this.rt.config.timing.callTimeoutMs, ...opts });
    this.ensureOpen();
    return result;
  }

  async tryCall<T = Payload>(action: string, payload: Payload, opts?: CallOptions): Promise<CallOutcome<T>> {
    try {
      const a = await this.callAnswered<T>(action, payload, opts);
      return { ok: true, payload: a.payload, frame: a.frame };
    } catch (e) {
      if (e instanceof CallErrorResponse) return { ok: false, errorCode: e.errorCode, errorDescription: e.errorDescription, error: e, frameSeq: e.frameSeq };
      // Anything else (timeout, schema violation, disconnect) stays fatal for the case.
      throw e;
    }
  }

  // --- structure ----------------------------------------------------------------------------

  async step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    this.ensureOpen();
    const prev = this.currentStep;
    this.currentStep = name;
    this.steps.push(name);
    try {
      return await fn();
    } finally {
      this.currentStep = prev;
    }
  }

  skip(reason: string): never {
    throw new CaseSkipped(reason);
  }

  unmet(reason: string): never {
    throw new PreconditionFailed(`precondition not reached: ${reason}`);
  }

  now(): Date {
    return new Date(Math.floor(Date.now() / 1000) * 1000);
  }

  fixture<T = unknown>(name: string, base?: Date): T {
    return loadFixture<T>(this.rt.fixturesDir, name, base ?? this.now());
  }

  async manual(prompt: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    this.ensureOpen();
    const mode = this.rt.config.manual;
    const input = this.rt.input ?? process.stdin;
    const output = this.rt.promptOutput ?? process.stderr;
    if (mode !== 'prompt' || !(input as NodeJS.ReadStream).isTTY && !this.rt.input) {
      if (mode === 'skip' && !this.sentTestFrame) throw new CaseSkipped(`needs an operator action: ${prompt}`);
      throw new ManualActionUnavailable(`operator action needed but no terminal to ask (manual: ${mode}): ${prompt}`);
    }
    const timeoutMs = opts.timeoutMs ?? 120_000;
    output.write(`\n>>> MANUAL ACTION (${Math.round(timeoutMs / 1000)} s): ${prompt}\n>>> press Enter when done, or type "skip" / "fail": `);
    const rl = createInterface({ input, terminal: false });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const end = this.untilAbort(() => {
          clearTimeout(t);
          reject(this.closedReason ?? new Interrupted('abort'));
        });
        const t = setTimeout(() => {
          end();
          reject(new ManualActionUnavailable(`operator did not confirm within ${timeoutMs} ms: ${prompt}`));
        }, timeoutMs);
        rl.once('line', (l) => {
          clearTimeout(t);
          end();
          resolve(l.trim().toLowerCase());
        });
      });
      if (line === 'skip') throw new CaseSkipped(`operator skipped: ${prompt}`);
      if (line === 'fail') throw this.fail(`operator reported the action failed: ${prompt}`, 'AssertionFailure', 'operator verdict (manual step)');
    } finally {
      rl.close();
    }
  }

  trigger(action: string, vars: TriggerVars = {}): Promise<TriggerOutcome> {
    this.ensureOpen();
    const cfg = triggerFor(this.rt.config, action);
    if (!cfg) throw new CaseSkipped(noTriggerReason(action));
    if (cfg.type !== 'manual') this.sentTestFrame = true;
    // Each trigger and wait listens on the case signal; a long case legitimately holds many.
    setMaxListeners(200, this.signal);
    const entry = { action, since: this.rt.link.trace.lastSeq, arrived: false };
    this.armed.add(entry);
    const timeoutMs = cfg.type === 'manual' ? manualLimitMs(this.rt.config) : 2 * triggerWaitMs(this.rt.config, action) + 5000;
    const p = runTrigger(cfg, {
      identity: this.rt.link.session?.identity ?? this.rt.config.identity ?? '',
      action,
      vars,
      timeoutMs,
      signal: this.signal,
      manual: (prompt, o) => this.manual(prompt, o),
      callbacks: this.rt.callbacks,
    }).then(
      (outcome) => {
        this.sentTestFrame = true;
        return outcome;
      },
      (e: Error) => {
        this.armed.delete(entry);
        if (this.closedReason) throw e;
        if (entry.arrived) {
          // The peer did send the CALL; what the trigger reported afterwards is not the device's verdict.
          this.note.info(`trigger for ${action} ended with an error after the CALL had arrived: ${e.message}`);
          return { type: cfg.type, lateError: e.message };
        }
        const bad = this.unusableCallsSince(entry.since, action);
        if (bad) {
          // The trigger failed because the peer answered it with a CALL the harness could not accept: FAIL.
          const err = this.failures.length ? Object.assign(new Error(bad), { recorded: true }) : this.fail(`${action}: the peer sent an unusable CALL (${bad})`, 'AssertionFailure', bad.includes('schema') ? `${action}Request schema` : 'OCPP-J');
          this.close(err);
          throw err;
        }
        this.close(e);
        throw e;
      },
    );
    p.catch(() => undefined);
    return p;
  }

  async offline(opts: OfflineOptions): Promise<OfflineOutcome> {
    this.ensureOpen();
    if (!this.rt.link.gate) throw new CaseSkipped(new OfflineUnsupported().message);
    this.sentTestFrame = true;
    setMaxListeners(200, this.signal);
    return takeOffline(this.rt.link, opts, this.signal);
  }

  async stationAction(name: StationActionName, vars: TriggerVars = {}): Promise<TriggerOutcome | undefined> {
    this.ensureOpen();
    if (!stationActionFor(this.rt.config, name)) return undefined;
    setMaxListeners(200, this.signal);
    const outcome = await runStationAction(this.rt.config, name, {
      identity: this.rt.link.session?.identity ?? this.rt.config.identity ?? '',
      vars,
      signal: this.signal,
      manual: (prompt, o) => this.manual(prompt, o),
      callbacks: this.rt.callbacks,
    });
    // The station was made to act: from here on a skip would hide what the case has done.
    this.sentTestFrame = true;
    return outcome;
  }

  /** An inbound CALL of `action` (or an unparseable frame) since `since` that failed framing or schema checks. */
  private unusableCallsSince(since: number, action: string): string | undefined {
    const f = this.rt.link.trace.slice(since).frames.find((x) => x.dir === 'in' && (x.type === 'INVALID' || (x.type === 'CALL' && x.action === action && x.valid === false)));
    if (!f) return undefined;
    return f.framingError ?? `${action} CALL failed schema validation (frame ${f.seq})`;
  }

  /** Record a failure and return an error to throw (ends the case). */
  fail(message: string, kind: Failure['kind'] = 'AssertionFailure', rule?: string): Error {
    const f: Failure = { kind, message, step: this.currentStep, ...(rule ? { rule } : {}) };
    this.failures.push(f);
    const e = new Error(message);
    (e as Error & { recorded: true }).recorded = true;
    return e;
  }

  /** Per case and severity, violations listed one by one; the rest are counted in one summary entry. */
  static readonly MAX_LISTED_VIOLATIONS = 200;
  private readonly violationCount = { fail: 0, warn: 0 };
  private readonly violationSummary: { fail?: Failure; warn?: Note } = {};

  /** A flooding device must not grow the case (memory, reports) without bound; nothing is dropped silently. */
  private overflow(v: ProtocolViolation): boolean {
    const n = ++this.violationCount[v.severity] - CaseRun.MAX_LISTED_VIOLATIONS;
    if (n <= 0) return false;
    const message = `${n} further protocol violation${n === 1 ? '' : 's'} not listed (the first ${CaseRun.MAX_LISTED_VIOLATIONS} are; the last: ${v.message})`;
    const summary = this.violationSummary[v.severity];
    if (summary) summary.message = message;
    else if (v.severity === 'warn') this.notes.push((this.violationSummary.warn = { level: 'warn', message, rule: v.rule }));
    else this.failures.push((this.violationSummary.fail = { kind: v.kind, message, rule: v.rule, step: this.currentStep }));
    return true;
  }

  /** Attach a protocol violation of the peer to this case. */
  onViolation(v: ProtocolViolation): void {
    if (v.severity === 'warn') {
      if (!this.overflow(v)) this.notes.push({ level: 'warn', message: v.message, rule: v.rule });
      return;
    }
    if (!this.overflow(v)) this.failures.push({ kind: v.kind, message: `${v.rule}: ${v.message}`, rule: v.rule, pointer: v.pointer, expected: v.expected, actual: v.actual, frameSeq: v.frameSeq, step: this.currentStep });
    // A triggered CALL that arrives unusable (framing, schema, reused id) ends the wait at once: FAIL.
    if (v.frameSeq !== undefined && (v.kind === 'FramingViolation' || v.kind === 'SchemaViolation') && [...this.armed].some((a) => !a.arrived)) {
      const frame = this.rt.link.trace.slice(v.frameSeq - 1, v.frameSeq).frames[0];
      if (frame?.dir === 'in' && (frame.type === 'INVALID' || (frame.type === 'CALL' && [...this.armed].some((a) => !a.arrived && a.action === frame.action)))) {
        this.close(Object.assign(new Error(`${v.rule}: ${v.message}`), { recorded: true }));
      }
    }
  }
}

