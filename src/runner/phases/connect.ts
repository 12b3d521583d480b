import { CsmsServer, connectStation, type RpcSession } from '../../transport';
import { parseListen } from '../config';
import { PeerUnavailable } from '../errors';
import { recordDeviceFailure } from '../verdict';
import type { RunContext } from './context';

/**
 * Phase 1, connect: open the endpoint (listen for the station, or connect to the CSMS), start the
 * built-in peer when no device is named, and wait for the session. Sets `ctx.endpoint`, or
 * `ctx.peerUnavailable` when there is no peer to test.
 */
export async function connectPhase(ctx: RunContext): Promise<void> {
  const { config, signal, notice, link } = ctx;
  try {
    ctx.endpoint = config.as === 'csms' ? await listenForStation(ctx) : await connectToCsms(ctx);
  } catch (e) {
    ctx.peerUnavailable = (e as Error).message;
  }
  if (!ctx.peerUnavailable && !signal.aborted) {
    const session = await link.waitForSession(config.timing.connectTimeoutMs, signal);
    if (!session && !signal.aborted) {
      ctx.peerUnavailable = config.as === 'csms'
        ? `no Charging Station connected to ${ctx.endpoint} within ${config.timing.connectTimeoutMs} ms`
        : `could not open a session with the CSMS at ${ctx.endpoint}`;
    }
  }
  if (ctx.peerUnavailable) notice(`peer unavailable: ${ctx.peerUnavailable}`);
}

const faultsNote = (ctx: RunContext) => (ctx.config.builtinFaults.length ? `, faults: ${ctx.config.builtinFaults.join(', ')}` : '');

async function listenForStation(ctx: RunContext): Promise<string> {
  const { config, link, notice, cleanups, input } = ctx;
  const tls = config.security.tls;
  const { host, port } = config.listen ? parseListen(config.listen) : { host: '127.0.0.1', port: 0 };
  const server = new CsmsServer({
    host,
    port,
    versions: [config.ocpp],
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
  link.gate = { refuseUntil: (at) => server.refuseUpgradesUntil(at) };
  cleanups.push(() => server.close());
  const url = `${server.url}/ocpp`;
  if (ctx.builtin) {
    if (!input.builtinPeers) throw new PeerUnavailable('no built-in reference station available');
    const identity = config.identity ?? 'CS-BUILTIN-1';
    pinned = identity;
    notice(`testing the built-in reference Charging Station (OCPP ${config.ocpp}${faultsNote(ctx)})`);
    const peer = await input.builtinPeers.startStation({ url, identity, config });
    cleanups.push(() => peer.stop());
  } else {
    // Issue #15 §4: the path the station must use (its identity when pinned) and how long the harness waits.
    const wait = config.timing.connectTimeoutMs;
    const waitText = wait % 1000 === 0 ? `${wait / 1000} s` : `${wait} ms`;
    notice(`waiting for a Charging Station on ${url}/${config.identity ?? '<identity>'} (OCPP ${config.ocpp}; up to ${waitText}, timing.connectTimeoutMs)`);
  }
  return url;
}

async function connectToCsms(ctx: RunContext): Promise<string> {
  const { config, link, notice, cleanups, input, signal, stationRole } = ctx;
  const tls = config.security.tls;
  let url = config.url;
  if (ctx.builtin) {
    if (!input.builtinPeers) throw new PeerUnavailable('no built-in reference CSMS available');
    notice(`testing the built-in reference CSMS (OCPP ${config.ocpp}${faultsNote(ctx)})`);
    const peer = await input.builtinPeers.startCsms({ config });
    cleanups.push(() => peer.stop());
    url = peer.url;
  }
  const identity = config.identity ?? 'CS-CONFORMANCE-1';
  const open = async () => {
    const s = await connectStation({
      url: url!,
      identity,
      versions: [config.ocpp],
      password: config.security.password,
      tls: tls?.ca || tls?.cert ? tls : undefined,
      callTimeoutMs: config.timing.callTimeoutMs,
      trace: link.trace,
      onSession: (session) => link.attach(session),
    });
    return s;
  };
  const first = await open();
  // The first BootNotification exchange belongs to SC-X-01: a CSMS that does not answer it, or answers
  // it with a CALLERROR or an invalid payload, fails there instead of passing as "unreachable".
  try {
    await stationRole?.onSession?.(first);
  } catch (e) {
    if (!recordDeviceFailure(e, ctx.outside.connection, 'BootNotification')) notice(`boot with the CSMS failed: ${(e as Error).message}`);
  }
  // Follow the CSMS: reopen before the next case when it dropped us.
  link.on('close', () => {
    if (!signal.aborted) {
      void open()
        .then((s) => stationRole?.onSession?.(s))
        .catch((e) => notice(`reconnect to the CSMS failed: ${(e as Error).message}`));
    }
  });
  cleanups.push(async () => {
    link.removeAllListeners('close');
    await link.session?.close(1000, 'run finished');
  });
  return url!;
}
