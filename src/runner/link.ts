import { EventEmitter } from 'node:events';
import type { Payload } from '../ocppj/messages';
import { Trace, type CallHandler, type HandlerContext, type ProtocolViolation, type Reply, type RpcSession } from '../transport';

/** What the endpoint lets a case do to the connection (harness as CSMS: the listening server). */
export interface ConnectionGate {
  /** Refuse the peer's reconnection attempts until this instant (epoch ms). */
  refuseUntil(epochMs: number): void;
}

export type Dispatch = (action: string, payload: Payload, ctx: HandlerContext) => Payload | Reply | Promise<Payload | Reply>;

/**
 * The harness's link to the peer under test: the current RPC session, replaced when the device
 * reconnects, one trace for the whole run, and one dispatcher for every inbound CALL so the running
 * case can intercept any action.
 *
 * Events: 'session' (RpcSession), 'violation', 'harnessError', 'call', 'close'.
 */
export class PeerLink extends EventEmitter {
  readonly trace: Trace;
  private current: RpcSession | undefined;
  private readonly waiting = new Set<(s: RpcSession) => void>();
  /** Set by the connect phase when the harness listens (harness as CSMS); undefined otherwise. */
  gate: ConnectionGate | undefined;

  constructor(
    private readonly dispatch: Dispatch,
    trace?: Trace,
  ) {
    super();
    this.trace = trace ?? new Trace();
  }

  get session(): RpcSession | undefined {
    return this.current;
  }

  get connected(): boolean {
    return !!this.current?.isOpen;
  }

  attach(session: RpcSession): void {
    const old = this.current;
    this.current = session;
    if (old && old !== session && old.isOpen) void old.close(1000, 'replaced by a new connection');
    for (const action of session.validator.actions()) {
      const h: CallHandler = (payload, ctx) => this.dispatch(action, payload, ctx);
      session.handle(action, h);
    }
    session.on('violation', (v: ProtocolViolation) => this.emit('violation', v));
    session.on('harnessError', (e: Error) => this.emit('harnessError', e));
    session.on('call', (action: string, payload: Payload, frame: unknown) => this.emit('call', action, payload, frame));
    session.once('close', (info) => {
      if (this.current === session) this.emit('close', info);
    });
    this.emit('session', session);
    for (const w of this.waiting) w(session);
    this.waiting.clear();
  }

  /** The open session, or the next one to arrive within `timeoutMs`. */
  waitForSession(timeoutMs: number, signal?: AbortSignal): Promise<RpcSession | undefined> {
    if (this.current?.isOpen) return Promise.resolve(this.current);
    return new Promise((resolve) => {
      const done = (s: RpcSession | undefined) => {
        clearTimeout(t);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(done);
        resolve(s);
      };
      const onAbort = () => done(undefined);
      const t = setTimeout(() => done(undefined), timeoutMs);
      signal?.addEventListener('abort', onAbort);
      this.waiting.add(done);
    });
  }
}
