import WebSocket, { WebSocketServer } from 'ws';
import { CsmsServer, connectStation, type ProtocolViolation, type RpcSession } from '../../src/transport';
import type { OcppVersion } from '../../src/ocpp/version';
import { nextEvent, waitFor } from '../helpers/wait';

/** Seeded PRNG (mulberry32): the corpus and the property tests are reproducible from the seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const str = (n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_') => Array.from({ length: n }, () => pick([...alphabet])).join('');
  return { next, int, pick, str };
}
export type Rng = ReturnType<typeof rng>;

/** What the raw (hostile) peer plays: 'station' talks to a harness CsmsServer, 'csms' accepts a harness connectStation. */
export type PeerRole = 'station' | 'csms';

export interface HostilePair {
  role: PeerRole;
  version: OcppVersion;
  /** The harness side. */
  session: RpcSession;
  /** The raw peer socket. */
  peer: WebSocket;
  violations: ProtocolViolation[];
  /** Every text message the peer received, parsed when possible. */
  inbox: unknown[];
  close(): Promise<void>;
}

/** A valid CALL the peer sends to check the harness still answers (role-appropriate action). */
export function probeFor(role: PeerRole): { action: string; payload: Record<string, unknown> } {
  return role === 'station' ? { action: 'Heartbeat', payload: {} } : { action: 'ClearCache', payload: {} };
}

/**
 * Open a harness session facing a raw ws peer. The harness side answers the probe action like a
 * conforming peer; every other inbound CALL goes through the session's own validation.
 */
export async function hostilePair(role: PeerRole, version: OcppVersion, opts: { maxPayload?: number } = {}): Promise<HostilePair> {
  let session: RpcSession;
  let peer: WebSocket;
  let stop: () => Promise<void>;
  if (role === 'station') {
    const server = new CsmsServer({ versions: [version], maxPayload: opts.maxPayload });
    await server.listen();
    const s = nextEvent<RpcSession>(server, 'session');
    peer = new WebSocket(`${server.url}/HOSTILE-1`, [`ocpp${version}`]);
    peer.on('error', () => undefined);
    await nextEvent(peer, 'open');
    session = await s;
    stop = () => server.close();
  } else {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    const accepted = nextEvent<WebSocket>(wss, 'connection');
    session = await connectStation({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CS-HARNESS-1', versions: [version], maxPayload: opts.maxPayload });
    peer = await accepted;
    peer.on('error', () => undefined);
    stop = async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    };
  }
  const probe = probeFor(role);
  session.handle(probe.action, () => (probe.action === 'Heartbeat' ? { currentTime: new Date().toISOString() } : { status: 'Accepted' }));
  const violations: ProtocolViolation[] = [];
  session.on('violation', (v: ProtocolViolation) => violations.push(v));
  const inbox: unknown[] = [];
  peer.on('message', (d: Buffer) => {
    try {
      inbox.push(JSON.parse(d.toString()));
    } catch {
      inbox.push(d.toString());
    }
  });
  return {
    role,
    version,
    session,
    peer,
    violations,
    inbox,
    async close() {
      await session.close().catch(() => undefined);
      peer.terminate();
      await stop();
    },
  };
}

let probeSeq = 0;
/** The peer sends a valid CALL; resolves with the harness's answer frame (bounded wait). */
export async function probe(p: HostilePair, timeoutMs = 3000): Promise<unknown[]> {
  const id = `probe-${++probeSeq}`;
  const { action, payload } = probeFor(p.role);
  p.peer.send(JSON.stringify([2, id, action, payload]));
  return waitFor(() => p.inbox.find((m): m is unknown[] => Array.isArray(m) && m[1] === id), timeoutMs, `answer to probe ${id}`);
}

/** Wait until the socket is closed; resolves with the close code. */
export function closeCode(ws: WebSocket, timeoutMs = 3000): Promise<number> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve((ws as unknown as { _closeCode: number })._closeCode);
  return nextEvent<number>(ws, 'close', timeoutMs);
}
