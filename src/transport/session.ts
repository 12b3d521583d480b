import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { OcppVersion } from '../ocpp/version';
import type { TraceFrame, TraceViolation } from '../report/types';
import { getValidator, type SchemaValidator, type Violation } from '../validation';
import { decode, encode, type DecodeOptions } from '../ocppj/codec';
import { codeFor, isOtherVersionSpelling, isValidCode, type ErrorKind } from '../ocppj/errorCodes';
import {
  CallErrorReply,
  CallErrorResponse,
  CallTimeoutError,
  ConnectionClosedError,
  FramingError,
  MalformedResponseError,
  OutboundSchemaError,
  PayloadSchemaError,
} from '../ocppj/errors';
import type { OcppMessage, Payload } from '../ocppj/messages';
import { Trace, type FrameInput } from './trace';

/** A protocol problem of the peer, attached by the runner to the case that is running. */
export interface ProtocolViolation {
  severity: 'fail' | 'warn';
  /** AssertionFailure: a semantic rule a role checks on the peer's CALL (the harness as station). */
  kind: 'FramingViolation' | 'SchemaViolation' | 'AssertionFailure';
  rule: string;
  message: string;
  frameSeq?: number;
  pointer?: string;
  expected?: unknown;
  actual?: unknown;
}

export interface CallOptions {
  timeoutMs?: number;
  /** Send the request even if it violates the schema (negative tests); the frame is marked intentional. */
  intentionalInvalid?: boolean;
}

export interface HandlerContext {
  action: string;
  messageId: string;
  frame: TraceFrame;
  session: RpcSession;
}

/** A handler's answer when it needs more than "this payload": faults, negative tests, silence. */
export class Reply {
  private constructor(
    readonly kind: 'payload' | 'raw' | 'none',
    readonly payload?: unknown,
    readonly raw?: string,
    readonly allowInvalid = false,
  ) {}
  /** Answer with a payload that may violate the schema (marked intentional in the trace). */
  static invalid(payload: unknown): Reply {
    return new Reply('payload', payload, undefined, true);
  }
  /** Send this exact text instead of a CALLRESULT. */
  static raw(text: string): Reply {
    return new Reply('raw', undefined, text, true);
  }
  /** Do not answer at all. */
  static none(): Reply {
    return new Reply('none');
  }
}

export type CallHandler = (payload: Payload, ctx: HandlerContext) => Payload | Reply | Promise<Payload | Reply>;

export interface SessionOptions {
  version: OcppVersion;
  identity: string;
  trace?: Trace;
  /** Default CALL timeout (rules §10: 30 s). */
  callTimeoutMs?: number;
  validator?: SchemaValidator;
}

/** A validated response with the trace frame that carried it (failures and reports point at it). */
export interface Answered<T = Payload> {
  payload: T;
  frame: TraceFrame;
}

interface Pending {
  messageId: string;
  action: string;
  timeoutMs: number;
  /** callAnswered wants { payload, frame }; call wants the payload alone (no extra promise to unwrap it). */
  withFrame: boolean;
  resolve: (a: Answered | Payload) => void;
  reject: (e: Error) => void;
}

/**
 * One OCPP-J RPC session over an open WebSocket, either role. It validates every frame both ways,
 * traces every frame, keeps at most one outgoing CALL outstanding (Part 4 §4.1.1) and answers inbound
 * CALLs through handlers — crossing CALLs are legal and are answered while our own CALL is pending.
 *
 * Events: 'violation' (ProtocolViolation), 'call' (action, payload, frame), 'close' ({code, reason}),
 * 'harnessError' (Error: something the harness itself did wrong).
 */
export class RpcSession extends EventEmitter {
  readonly version: OcppVersion;
  readonly identity: string;
  readonly trace: Trace;
  readonly validator: SchemaValidator;
  callTimeoutMs: number;

  private readonly handlers = new Map<string, CallHandler>();
  private pending: Pending | undefined;
  /**
   * The deadline of the pending CALL: one Timeout per session, re-armed with refresh() for each CALL rather than
   * a new Timeout per CALL and a clearTimeout per answer (issue #14: timer list create/delete per frame). It fires
   * only for the pending CALL (each CALL re-arms it before it becomes pending); an answered CALL leaves it armed, firing into nothing.
   * Unref'd: while a CALL waits, the open socket keeps the process alive; a closed socket fails the CALL and clears it.
   */
  private callTimer: NodeJS.Timeout | undefined;
  private callTimerMs = -1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timedOut = new Map<string, string>();
  private readonly answered = new Set<string>();
  private readonly peerCallIds = new Set<string>();
  private readonly peerOutstanding = new Set<string>();
  private closeInfo: { code: number; reason: string } | undefined;
  /** performance.now() at the arrival of the inbound frame being handled (undefined outside onMessage). */
  private arrivedAt: number | undefined;
  /** One options object for every decode, not a fresh object and closure per frame (issue #14). */
  private readonly decodeOptions: DecodeOptions = { isKnownAction: (a) => this.validator.has(a, 'request') };
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    readonly ws: WebSocket,
    opts: SessionOptions,
  ) {
    super();
    this.version = opts.version;
    this.identity = opts.identity;
    this.trace = opts.trace ?? new Trace();
    this.callTimeoutMs = opts.callTimeoutMs ?? 30_000;
    this.validator = opts.validator ?? getValidator(opts.version);
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.disarmCallTimer();
        this.failPending(new ConnectionClosedError(this.pending?.action, code, reason.toString()));
        this.emit('close', this.closeInfo);
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('error', (err: Error) => {
      // ws reports oversize frames (close 1009) and invalid UTF-8 (1007) here before closing.
      // The frame never reaches 'message': record the refusal so the case trace shows it.
      const frame = this.record('in', '', undefined, null, undefined, false, `WebSocket error: ${err.message}`);
      this.violation({ severity: 'fail', kind: 'FramingViolation', rule: 'OCPP-J', message: `WebSocket error: ${err.message}`, frameSeq: frame.seq });
    });
  }

  get isOpen(): boolean {
    return this.closeInfo === undefined && this.ws.readyState === this.ws.OPEN;
  }

  /** Register the handler for an inbound action (replaces any earlier one). */
  handle(action: string, handler: CallHandler): this {
    this.handlers.set(action, handler);
    return this;
  }

  /**
   * Send a CALL and wait for its validated response. Calls are queued: at most one is outstanding.
   * Rejects with CallErrorResponse, CallTimeoutError, PayloadSchemaError, ConnectionClosedError or
   * OutboundSchemaError (harness fault; nothing sent).
   */
  call<T = Payload>(action: string, payload: Payload, opts: CallOptions = {}): Promise<T> {
    return this.enqueue(action, payload, opts, false) as Promise<T>;
  }

  /** As `call`, also giving the response's trace frame. A CallErrorResponse carries its frame too. */
  callAnswered<T = Payload>(action: string, payload: Payload, opts: CallOptions = {}): Promise<Answered<T>> {
    return this.enqueue(action, payload, opts, true) as Promise<Answered<T>>;
  }

  private enqueue(action: string, payload: Payload, opts: CallOptions, withFrame: boolean): Promise<Answered | Payload> {
    const run = () => this.doCall(action, payload, opts, withFrame);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private doCall(action: string, payload: Payload, opts: CallOptions, withFrame: boolean): Promise<Answered | Payload> {
    if (!this.isOpen) return Promise.reject(new ConnectionClosedError(action, this.closeInfo?.code, this.closeInfo?.reason ?? ''));
    const result = this.validator.validate(action, 'request', payload);
    if (!result.valid && !opts.intentionalInvalid) return Promise.reject(new OutboundSchemaError(action, 'request', result.violations));
    const messageId = randomUUID();
    const msg: OcppMessage = { type: 'CALL', messageId, action, payload };
    const raw = encode(msg);
    const timeoutMs = opts.timeoutMs ?? this.callTimeoutMs;
    return new Promise<Answered | Payload>((resolve, reject) => {
      this.armCallTimer(timeoutMs);
      this.pending = { messageId, action, timeoutMs, withFrame, resolve, reject };
      this.record('out', raw, msg, result.valid, result.violations, opts.intentionalInvalid);
      this.ws.send(raw, (err) => {
        if (err && this.pending?.messageId === messageId) {
          this.pending = undefined;
          reject(new ConnectionClosedError(action, undefined, err.message));
        }
      });
    });
  }

  private armCallTimer(timeoutMs: number): void {
    if (this.callTimer && this.callTimerMs === timeoutMs) {
      this.callTimer.refresh();
      return;
    }
    if (this.callTimer) clearTimeout(this.callTimer);
    this.callTimerMs = timeoutMs;
    this.callTimer = setTimeout(this.onCallTimer, timeoutMs).unref();
  }

  private readonly onCallTimer = (): void => {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.timedOut.set(p.messageId, p.action);
    p.reject(new CallTimeoutError(p.action, p.timeoutMs, p.messageId));
  };

  private disarmCallTimer(): void {
    if (this.callTimer) clearTimeout(this.callTimer);
    this.callTimer = undefined;
    this.callTimerMs = -1;
  }

  /** Send text as-is (faults, hostile-peer tests). Recorded as intentional. */
  sendRaw(text: string): void {
    if (!this.isOpen) return;
    this.record('out', text, undefined, null, undefined, true);
    this.ws.send(text);
  }

  close(code = 1000, reason = ''): Promise<{ code: number; reason: string }> {
    if (this.closeInfo) return this.closed;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    // A peer that never completes the closing handshake must not hold us: ws terminates after 30 s;
    // do it sooner.
    const t = setTimeout(() => this.ws.terminate(), 2000);
    return this.closed.finally(() => clearTimeout(t));
  }

  /** Drop the TCP connection without a closing handshake. */
  terminate(): void {
    this.ws.terminate();
  }

  // ----------------------------------------------------------------------------------------------

  private onMessage(data: Buffer, isBinary: boolean): void {
    // Every inbound frame is recorded synchronously below, after decoding and validation: stamp it with
    // its arrival so that latencies read from the trace are the peer's (issue #14 quiet periods).
    this.arrivedAt = performance.now();
    try {
      this.onMessageAt(data, isBinary);
    } finally {
      this.arrivedAt = undefined;
    }
  }

  private onMessageAt(data: Buffer, isBinary: boolean): void {
    // Decode the bytes to text once: the codec and the trace share it (bench: a second utf8 decode per frame).
    const raw = data.toString('utf8');
    const decoded = decode(this.version, raw, isBinary, this.decodeOptions);
    if (!decoded.ok) return this.onFramingError(decoded.error, decoded.response, data);
    const msg = decoded.message;
    switch (msg.type) {
      case 'CALL':
        return void this.onCall(msg.messageId, msg.action, msg.payload, raw);
      case 'CALLRESULT':
      case 'CALLERROR':
        return this.onResponse(msg, raw);
      default: {
        // 2.1 SEND / CALLRESULTERROR: traced; the harness sends no CALLRESULT for SEND by definition.
        const frame = this.record('in', raw, msg, null);
        this.emit('call', msg.type, msg, frame);
      }
    }
  }

  private onFramingError(error: FramingError, response: boolean, data: Buffer): void {
    const raw = data.toString('utf8');
    const frame = this.record('in', raw, undefined, null, undefined, false, error.message);
    this.violation({ severity: 'fail', kind: 'FramingViolation', rule: 'OCPP-J', message: error.message, frameSeq: frame.seq });
    // Answer with a CALLERROR only when the frame was meant as a CALL and its messageId is readable:
    // answering a broken CALLRESULT would create a response to a response.
    if (error.messageId !== undefined && !response) {
      this.sendError(error.messageId, error.errorKind, error.message);
    }
    // A broken response to the pending CALL still answers it: settle the CALL now rather than let it
    // wait for a timeout that would misreport the device as silent (issue #11 item 6).
    const pending = this.pending;
    if (response && error.messageId !== undefined && pending?.messageId === error.messageId) {
      this.pending = undefined;
      this.answered.add(error.messageId);
      pending.reject(new MalformedResponseError(pending.action, error.messageId, frame.seq, error.message, raw));
    }
  }

  private async onCall(messageId: string, action: string, payload: Payload, raw: string): Promise<void> {
    const result = this.validator.validate(action, 'request', payload);
    const frame = this.record('in', raw, { type: 'CALL', messageId, action, payload }, result.valid, result.violations);
    if (this.peerCallIds.has(messageId)) {
      this.violation({ severity: 'fail', kind: 'FramingViolation', rule: 'OCPP-J messageId', message: `${action} CALL reuses messageId ${messageId}`, frameSeq: frame.seq });
    }
    this.peerCallIds.add(messageId);
    // Bounded memory under a flood: reuse is checked against the most recent ids only.
    if (this.peerCallIds.size > 10_000) this.peerCallIds.delete(this.peerCallIds.values().next().value!);
    if (this.peerOutstanding.size > 0) {
      // Part 4 §4.1.1 is a SHALL in 2.x, a SHOULD in 1.6-J (rules §1.2).
      this.violation({
        severity: this.version === '1.6' ? 'warn' : 'fail',
        kind: 'FramingViolation',
        rule: this.version === '1.6' ? 'OCPP-J 1.6 §4.1.1' : 'Part 4 §4.1.1',
        message: `${action} CALL sent while ${this.peerOutstanding.size} earlier CALL(s) of the peer were still unanswered`,
        frameSeq: frame.seq,
      });
    }
    this.peerOutstanding.add(messageId);
    try {
      if (!result.valid) {
        for (const v of result.violations) {
          this.violation({ severity: 'fail', kind: 'SchemaViolation', rule: `${action}Request schema`, message: v.message, pointer: v.pointer, actual: v.value, frameSeq: frame.seq });
        }
        return this.sendError(messageId, result.violations[0]!.code, `${action}: ${result.violations[0]!.message}`);
      }
      this.emit('call', action, payload, frame);
      const handler = this.handlers.get(action);
      if (!handler) {
        return this.sendError(messageId, 'NotSupported', `${action} is not supported by this ${this.version} peer`);
      }
      let answer: Payload | Reply;
      try {
        answer = await handler(payload, { action, messageId, frame, session: this });
      } catch (e) {
        if (e instanceof CallErrorReply) return this.sendError(messageId, e.kindOrCode, e.description, e.details);
        this.emit('harnessError', e);
        return this.sendError(messageId, 'InternalError', `handler for ${action} failed`);
      }
      this.sendResult(messageId, action, answer);
    } finally {
      this.peerOutstanding.delete(messageId);
    }
  }

  private sendResult(messageId: string, action: string, answer: Payload | Reply): void {
    if (!this.isOpen) return;
    if (answer instanceof Reply) {
      if (answer.kind === 'none') return;
      if (answer.kind === 'raw') return this.sendRaw(answer.raw!);
    }
    const payload = answer instanceof Reply ? (answer.payload as Payload) : answer;
    const allowInvalid = answer instanceof Reply && answer.allowInvalid;
    const result = this.validator.validate(action, 'response', payload);
    if (!result.valid && !allowInvalid) {
      this.emit('harnessError', new OutboundSchemaError(action, 'response', result.violations));
      return this.sendError(messageId, 'InternalError', `harness produced an invalid ${action} response`);
    }
    const msg: OcppMessage = { type: 'CALLRESULT', messageId, payload };
    const raw = encode(msg);
    this.record('out', raw, msg, result.valid, result.violations, allowInvalid && !result.valid ? true : undefined, undefined, action);
    this.ws.send(raw);
  }

  private sendError(messageId: string, kindOrCode: ErrorKind | string, description: string, details: Record<string, unknown> = {}): void {
    if (!this.isOpen) return;
    // Kinds are spelled per version (1.6 keeps FormationViolation / OccurenceConstraintViolation);
    // an exact code outside the kinds (fault injection) is sent as given.
    const code = isValidCode('2.0.1', kindOrCode) ? codeFor(this.version, kindOrCode as ErrorKind) : kindOrCode;
    const errorDescription = description.length > 255 ? description.slice(0, 252) + '...' : description;
    const msg: OcppMessage = { type: 'CALLERROR', messageId, errorCode: code, errorDescription, errorDetails: details };
    const raw = encode(msg);
    this.record('out', raw, msg, null);
    this.ws.send(raw);
  }

  private onResponse(msg: Extract<OcppMessage, { type: 'CALLRESULT' | 'CALLERROR' }>, raw: string): void {
    const pending = this.pending;
    if (!pending || pending.messageId !== msg.messageId) {
      const frame = this.record('in', raw, msg, null);
      const late = this.timedOut.get(msg.messageId);
      const message = late
        ? `${msg.type} for ${late} arrived after its deadline; discarded`
        : this.answered.has(msg.messageId)
          ? `second ${msg.type} for messageId ${msg.messageId}`
          : `${msg.type} for unknown messageId ${msg.messageId}`;
      this.violation({ severity: late ? 'warn' : 'fail', kind: 'FramingViolation', rule: 'OCPP-J correlation', message, frameSeq: frame.seq });
      return;
    }
    this.pending = undefined;
    this.answered.add(msg.messageId);
    if (msg.type === 'CALLERROR') {
      const frame = this.record('in', raw, msg, null, undefined, false, undefined, pending.action);
      if (!isValidCode(this.version, msg.errorCode)) {
        const other = isOtherVersionSpelling(this.version, msg.errorCode);
        this.violation({
          severity: other ? 'warn' : 'fail',
          kind: 'FramingViolation',
          rule: 'rules §1.3 error codes',
          message: other
            ? `CALLERROR code ${msg.errorCode} is spelled as in the other OCPP version`
            : `CALLERROR code ${msg.errorCode} is not an OCPP ${this.version} error code`,
          frameSeq: frame.seq,
          actual: msg.errorCode,
        });
      }
      pending.reject(new CallErrorResponse(pending.action, msg.errorCode, msg.errorDescription, msg.errorDetails, raw, msg.messageId, frame.seq));
      return;
    }
    let payload = msg.payload;
    let nullNote = false;
    if (payload === null) {
      // rules §1.1: null where nothing is required is a WARN ({} is preferred), otherwise a schema failure.
      if (this.validator.validate(pending.action, 'response', {}).valid) {
        payload = {};
        nullNote = true;
      }
    }
    const result = this.validator.validate(pending.action, 'response', payload);
    // record reads only type and messageId of msg: no copy with the substituted payload is needed.
    const frame = this.record('in', raw, msg, result.valid, result.violations, false, undefined, pending.action);
    if (nullNote) {
      this.violation({ severity: 'warn', kind: 'SchemaViolation', rule: 'OCPP-J 1.6 §4.2.2', message: `${pending.action} CALLRESULT payload is null; {} is the preferred empty payload`, frameSeq: frame.seq });
    }
    if (!result.valid) {
      for (const v of result.violations) {
        this.violation({ severity: 'fail', kind: 'SchemaViolation', rule: `${pending.action}Response schema`, message: v.message, pointer: v.pointer, actual: v.value, frameSeq: frame.seq });
      }
      pending.reject(new PayloadSchemaError(pending.action, 'response', result.violations, raw, msg.messageId));
      return;
    }
    pending.resolve(pending.withFrame ? { payload: payload as Payload, frame } : (payload as Payload));
  }

  private failPending(err: Error): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    p.reject(err);
  }

  private violation(v: ProtocolViolation): void {
    // Peer-controlled text and values: one visible line, bounded size (reports must stay writable).
    const out: ProtocolViolation = { ...v, message: oneLineMessage(v.message) };
    if ('actual' in v) out.actual = boundedValue(v.actual);
    this.emit('violation', out);
  }

  private record(
    dir: 'in' | 'out',
    raw: string,
    msg: OcppMessage | undefined,
    valid: boolean | null,
    violations?: readonly Violation[],
    intentional?: boolean,
    framingError?: string,
    action?: string,
  ): TraceFrame {
    const tv: TraceViolation[] | undefined = violations?.length
      ? violations.map((v) => ({ pointer: v.pointer, keyword: v.keyword, message: v.message, value: boundedValue(v.value) }))
      : undefined;
    const input: FrameInput = {
      dir,
      raw,
      type: msg ? msg.type : 'INVALID',
      messageId: msg?.messageId,
      action: action ?? (msg && 'action' in msg ? msg.action : undefined),
      valid,
    };
    // Optional keys only when set (as before), assigned rather than spread from fresh objects per frame (issue #14).
    if (tv) input.violations = tv;
    if (framingError) input.framingError = framingError;
    if (intentional) input.intentional = true;
    return this.trace.record(input, dir === 'in' ? this.arrivedAt : undefined);
  }
}


const MAX_MESSAGE_CHARS = 500;
const MAX_VALUE_CHARS = 4096;

/** Control characters escaped (no line breaks or terminal escapes from the peer), length capped. */
function oneLineMessage(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS - 1)}…` : clean;
}

/** A peer value kept as evidence: as is when small, else its JSON head with the true length. */
function boundedValue(v: unknown): unknown {
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    return '[value not serialisable]';
  }
  if (text.length <= MAX_VALUE_CHARS) return v;
  return `${text.slice(0, MAX_VALUE_CHARS)}… [${text.length - MAX_VALUE_CHARS} more characters]`;
}
