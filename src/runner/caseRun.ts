import { createInterface } from 'node:readline';
import type { CaseContext, CaseDefinition, CallOutcome, ExpectCallOptions, ReceivedCall } from '../scenario/types';
import type { Failure, Note } from '../report/types';
import type { Payload } from '../ocppj/messages';
import { CallErrorResponse, type OcppjError } from '../ocppj/errors';
import type { CallOptions, Reply, RpcSession, ProtocolViolation, TraceFrame } from './runtimeTypes';
import { Assertions } from './assertions';
import { CaseSkipped, Interrupted, ManualActionUnavailable, PeerUnavailable } from './errors';
import { loadFixture } from './fixtures';
import type { RunRuntime } from './runtime';

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
      const w: Waiter = {
        action,
        match: opts.match,
        resolve: (c) => {
          clearTimeout(t);
          resolve(c);
        },
      };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        reject(
          this.fail(
            `expected a ${action} CALL from the ${this.as === 'csms' ? 'station' : 'CSMS'} within ${timeoutMs} ms; none arrived`,
            'Timeout',
          ),
        );
      }, timeoutMs);
      this.signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(this.closedReason);
      });
      this.waiters.add(w);
    });
  }

  received(action?: string): ReceivedCall[] {
    return this.inbox.filter((c) => !action || c.action === action);
  }

  async quietFor(action: string, ms: number, match?: (p: Payload) => boolean): Promise<ReceivedCall | undefined> {
    this.ensureOpen();
    const since = this.inbox.length;
    return new Promise((resolve) => {
      const w: Waiter = {
        action,
        match,
        resolve: (c) => {
          clearTimeout(t);
          resolve(c);
        },
      };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        resolve(undefined);
      }, ms);
      // A matching CALL that arrived between the call and the wait still counts.
      const early = this.inbox.slice(since).find((c) => c.action === action && (!match || match(c.payload)));
      if (early) {
        clearTimeout(t);
        return resolve(early);
      }
      this.waiters.add(w);
      this.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve(undefined);
      });
    });
  }

  handle(action: string, handler: Handler): void {
    this.overrides.set(action, handler);
  }

  // --- outbound -----------------------------------------------------------------------------

  async call<T = Payload>(action: string, payload: Payload, opts?: CallOptions): Promise<T> {
    this.ensureOpen();
    this.sentTestFrame = true;
    const session = this.session;
    const result = await session.call<T>(action, payload, { timeoutMs: opts?.timeoutMs ?? this.rt.config.timing.callTimeoutMs, ...opts });
    this.ensureOpen();
    return result;
  }

  async tryCall<T = Payload>(action: string, payload: Payload, opts?: CallOptions): Promise<CallOutcome<T>> {
    try {
      return { ok: true, payload: await this.call<T>(action, payload, opts) };
    } catch (e) {
      if (e instanceof CallErrorResponse) return { ok: false, errorCode: e.errorCode, errorDescription: e.errorDescription, error: e };
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
        const t = setTimeout(() => reject(new ManualActionUnavailable(`operator did not confirm within ${timeoutMs} ms: ${prompt}`)), timeoutMs);
        this.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(this.closedReason ?? new Interrupted('abort'));
        });
        rl.once('line', (l) => {
          clearTimeout(t);
          resolve(l.trim().toLowerCase());
        });
      });
      if (line === 'skip') throw new CaseSkipped(`operator skipped: ${prompt}`);
      if (line === 'fail') throw this.fail(`operator reported the action failed: ${prompt}`);
    } finally {
      rl.close();
    }
  }

  /** Record a failure and return an error to throw (ends the case). */
  fail(message: string, kind: Failure['kind'] = 'AssertionFailure'): Error {
    const f: Failure = { kind, message, step: this.currentStep };
    this.failures.push(f);
    const e = new Error(message);
    (e as Error & { recorded: true }).recorded = true;
    return e;
  }

  /** Attach a protocol violation of the peer to this case. */
  onViolation(v: ProtocolViolation): void {
    if (v.severity === 'warn') {
      this.notes.push({ level: 'warn', message: v.message, rule: v.rule });
      return;
    }
    this.failures.push({ kind: v.kind, message: `${v.rule}: ${v.message}`, rule: v.rule, pointer: v.pointer, expected: v.expected, actual: v.actual, frameSeq: v.frameSeq, step: this.currentStep });
  }
}

export type { OcppjError };
