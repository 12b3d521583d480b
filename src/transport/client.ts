import WebSocket from 'ws';
import { subprotocolOf, versionOfSubprotocol, type OcppVersion } from '../ocpp/version';
import { RpcSession } from './session';
import { Trace } from './trace';
import { describeTlsError, loadTls, MIN_TLS_VERSION, type TlsFiles } from './tls';
import { AuthenticationError, ConnectError, SubprotocolError } from './errors';

export interface StationConnectOptions {
  /** CSMS base URL; `/<identity>` is appended. */
  url: string;
  identity: string;
  versions: OcppVersion[];
  password?: string;
  tls?: TlsFiles;
  maxPayload?: number;
  callTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  trace?: Trace;
  /**
   * Called synchronously with the new session, before any frame is processed. Register handlers here:
   * a CALL that arrives together with the handshake is dispatched before the returned promise resolves.
   */
  onSession?: (session: RpcSession) => void;
}

/** The station's endpoint: base URL + '/' + identity (percent-encoded). */
export function stationUrl(base: string, identity: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(identity)}`;
}

/**
 * The harness (or the reference station) as a Charging Station connecting to a CSMS. Resolves with an
 * open session on the negotiated version; rejects with a typed, one-line error that never contains the
 * password.
 */
export function connectStation(opts: StationConnectOptions): Promise<RpcSession> {
  const url = stationUrl(opts.url, opts.identity);
  const tls = opts.tls ? loadTls(opts.tls) : undefined;
  const headers: Record<string, string> = {};
  if (opts.password !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${opts.identity}:${opts.password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.versions.map(subprotocolOf), {
      headers,
      maxPayload: opts.maxPayload ?? 10 * 1024 * 1024,
      handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
      ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key, minVersion: MIN_TLS_VERSION } : {}),
    });
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      reject(e);
    };
    ws.once('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      if (status === 401) fail(new AuthenticationError(`CSMS refused the credentials of ${opts.identity} (HTTP 401)`, url, status));
      else fail(new ConnectError(`CSMS refused the WebSocket handshake with HTTP ${status}`, url, status));
    });
    ws.once('error', (err: NodeJS.ErrnoException) => {
      // ws checks the subprotocol answer itself and reports it as an error before 'open'.
      if (/subprotocol/i.test(err.message)) {
        return fail(new SubprotocolError(`CSMS at ${url}: ${err.message}; offered [${opts.versions.map(subprotocolOf).join(', ')}]`));
      }
      fail(new ConnectError(`cannot connect to ${url}: ${describeTlsError(err)}`, url));
    });
    ws.once('open', () => {
      if (settled) return;
      const version = versionOfSubprotocol(ws.protocol);
      if (!version || !opts.versions.includes(version)) {
        return fail(new SubprotocolError(`CSMS selected subprotocol "${ws.protocol}", none of [${opts.versions.map(subprotocolOf).join(', ')}]`));
      }
      settled = true;
      ws.removeAllListeners('error');
      const session = new RpcSession(ws, { version, identity: opts.identity, trace: opts.trace ?? new Trace(), callTimeoutMs: opts.callTimeoutMs });
      opts.onSession?.(session);
      resolve(session);
    });
  });
}
