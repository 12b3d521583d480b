import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { subprotocolOf, versionOfSubprotocol, type OcppVersion } from '../ocpp/version';
import { RpcSession } from './session';
import { Trace } from './trace';
import { loadTls, MIN_TLS_VERSION, type TlsFiles } from './tls';

export interface CsmsServerOptions {
  /** Default 127.0.0.1: the harness never listens on every interface unless told to. */
  host?: string;
  port?: number;
  /** Versions accepted, in order of preference. */
  versions: OcppVersion[];
  /** Security profile 1/2: HTTP Basic auth, username = station identity. */
  password?: string | ((identity: string) => string | undefined);
  /** Security profile 2 (server cert) and 3 (`requestClientCert` + `ca`). */
  tls?: TlsFiles;
  /** Max inbound frame size in bytes (default 10 MiB). ws closes with 1009 above it. */
  maxPayload?: number;
  callTimeoutMs?: number;
  /** Per-frame trace options for each session. */
  traceFactory?: () => Trace;
}

export interface RefusedHandshake {
  identity: string | undefined;
  status: number;
  reason: string;
}

/**
 * The harness (or the reference CSMS) as a WebSocket server for Charging Stations:
 * `ws(s)://host:port/<any path>/<identity>`. The upgrade is handled by hand so that a handshake with
 * no acceptable subprotocol or bad credentials is refused with an HTTP status (and recorded) rather
 * than accepted without a protocol, which is what `ws` would otherwise do.
 *
 * Events: 'session' (RpcSession, request), 'refused' (RefusedHandshake), 'error'.
 */
export class CsmsServer extends EventEmitter {
  private readonly server: http.Server | https.Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<RpcSession>();
  private readonly sockets = new Set<Duplex>();
  /** Epoch ms until which every upgrade is refused (`refuseUpgradesUntil`). */
  private refusingUntil = 0;

  constructor(private readonly opts: CsmsServerOptions) {
    super();
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 10 * 1024 * 1024 });
    if (opts.tls) {
      const m = loadTls(opts.tls);
      this.server = https.createServer({
        cert: m.cert,
        key: m.key,
        ca: m.ca,
        requestCert: !!opts.tls.requestClientCert,
        rejectUnauthorized: !!opts.tls.requestClientCert,
        minVersion: MIN_TLS_VERSION,
      });
    } else {
      this.server = http.createServer();
    }
    this.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.emit('request', req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('tlsClientError', (err) => this.emit('tlsError', err));
  }

  /** Whether another listener handles plain HTTP requests (the reference CSMS trigger endpoint). */
  get httpServer(): http.Server | https.Server {
    return this.server;
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        this.server.on('error', (e) => this.emit('error', e));
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  get address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** ws(s)://host:port — append `/<identity>` (or any path and identity). */
  get url(): string {
    const a = this.address;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `${this.opts.tls ? 'wss' : 'ws'}://${host}:${a.port}`;
  }

  private refuse(socket: Duplex, status: number, reason: string, identity: string | undefined, extra = ''): void {
    this.emit('refused', { identity, status, reason } satisfies RefusedHandshake);
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  /**
   * Refuse every WebSocket upgrade until `epochMs` with HTTP 503 and a Retry-After, so a station that was
   * disconnected stays offline for a known time (cases about offline behaviour). Purely a connection gate:
   * what the offline period means is the caller's business. Ends early with `refuseUpgradesUntil(0)`.
   */
  refuseUpgradesUntil(epochMs: number): void {
    this.refusingUntil = epochMs;
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0]!;
    const last = path.split('/').filter(Boolean).pop();
    let identity: string | undefined;
    try {
      identity = last === undefined ? undefined : decodeURIComponent(last);
    } catch {
      identity = undefined;
    }
    if (!identity) return this.refuse(socket, 404, 'URL path carries no station identity', undefined);
    const refuseForMs = this.refusingUntil - Date.now();
    if (refuseForMs > 0) {
      return this.refuse(socket, 503, `connections refused for another ${refuseForMs} ms (offline period)`, identity, `Retry-After: ${Math.ceil(refuseForMs / 1000)}\r\n`);
    }
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const chosen = offered.find((p) => {
      const v = versionOfSubprotocol(p);
      return v !== undefined && this.opts.versions.includes(v);
    });
    if (!chosen) {
      return this.refuse(
        socket,
        400,
        `no acceptable subprotocol: offered [${offered.join(', ')}], accepted [${this.opts.versions.map(subprotocolOf).join(', ')}]`,
        identity,
      );
    }
    const expected = typeof this.opts.password === 'function' ? this.opts.password(identity) : this.opts.password;
    if (expected !== undefined && !this.checkBasic(req.headers.authorization, identity, expected)) {
      return this.refuse(socket, 401, 'HTTP Basic authentication failed', identity, 'WWW-Authenticate: Basic realm="OCPP"\r\n');
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const session = new RpcSession(ws, {
        version: versionOfSubprotocol(chosen)!,
        identity,
        trace: this.opts.traceFactory?.(),
        callTimeoutMs: this.opts.callTimeoutMs,
      });
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
      this.emit('session', session, req);
    });
  }

  /** SP1/2: username is the identity (which may contain ':'), so split at the last ':' of the pair. */
  private checkBasic(header: string | undefined, identity: string, password: string): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const expected = `${identity}:${password}`;
    const a = Buffer.from(decoded);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Close every session and stop listening. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.close(1001, 'server shutting down')));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.wss.close();
  }
}
