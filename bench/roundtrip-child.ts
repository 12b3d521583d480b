/**
 * Child process of part 2 (round trips) and part 5 (memory): one measured run per process, so that its
 * peak RSS is its own. Argument: a JSON RoundTripJob. Prints one JSON RoundTripRun line on stdout.
 *
 * - mode 'harness': the reference CSMS (harness RpcSession on a CsmsServer) installs N profiles into the
 *   built-in ReferenceStation over loopback and reads them back with GetChargingProfiles (paginated
 *   ReportChargingProfiles). Every frame is validated both ways and traced on both sides.
 * - mode 'bare': the frames captured from a harness run (same texts, same sizes, same order and
 *   direction) replayed through two bare `ws` sockets in lockstep, with no parsing and no validation.
 * - mode 'json': the same replay, but each frame is JSON.stringify'd from an object when sent and
 *   JSON.parse'd when received: the least any OCPP-J peer does, without validation or bookkeeping.
 * - mode 'fair' (issue #14): ONE harness endpoint — the harness transport (CsmsServer + RpcSession: schema
 *   validation both ways, trace, correlation) sending the same SetChargingProfile / GetChargingProfiles
 *   CALLs — against a bare replay peer as the device (plain ws + JSON.parse of each frame, precomputed
 *   answers from the captured frames, only the messageId filled in). Compared with 'bare', it is the
 *   harness's own cost, not two harnesses' cost.
 */
import fs from 'node:fs';
import { WebSocketServer, WebSocket } from 'ws';
import { ReferenceCsms, ReferenceStation } from '../src/reference';
import { CsmsServer } from '../src/transport';
import type { Payload } from '../src/ocppj/messages';
import type { CallHandler, RpcSession } from '../src/transport/session';
import { profile201 } from './frames';
import { now } from './stats';

export interface RoundTripJob {
  mode: 'harness' | 'bare' | 'json' | 'fair';
  profiles: number;
  pageSize: number;
  warmupProfiles: number;
  /** harness: write the captured frames of the measured run here. bare: read them from here. */
  script: string;
  /**
   * bare / json / fair: whole exchanges run before the measured one (default 1). The bench keeps 1; a higher
   * value measures the steady state, once the JIT has optimised both ends (issue #14: with 1, the fair run is
   * mostly the harness's code warming up).
   */
  warmupRuns?: number;
  /**
   * bare / json / fair: after the measured exchange, run this many more; the median of the last
   * STEADY_MEASURED of them is `steady` (issue #14: the steady state, once the JIT has optimised both ends;
   * the fair target is judged on it). At least STEADY_MEASURED.
   */
  steadyRuns?: number;
}

/** One measured exchange. */
export interface Measured {
  ms: number;
  cpuMs: number;
}

export interface RoundTripRun {
  mode: 'harness' | 'bare' | 'json' | 'fair';
  /** Wall time of the measured run. */
  ms: number;
  /** CPU time (user + system) of the process during the measured run: less sensitive to a busy machine. */
  cpuMs: number;
  frames: number;
  bytes: number;
  reportFrames: number;
  /** Highest process RSS sampled during the measured run (MiB). */
  peakRssMiB: number;
  /** Process-lifetime max RSS from getrusage (MiB). */
  maxRssMiB: number;
  heapUsedMiB: number;
  /** harness: CPU ms inside the built-in station's handlers (its SmartCharging model: parse, install rules, store, selection). */
  stationModelMs?: number;
  /** bare / json / fair with `steadyRuns`: the last of the further exchanges. */
  steady?: Measured;
}

interface ScriptFrame {
  dir: 'in' | 'out';
  raw: string;
}

const IDENTITY = 'BENCH-RT';
const MiB = 1024 * 1024;

function rssSampler(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const t = setInterval(() => {
    const r = process.memoryUsage.rss();
    if (r > peak) peak = r;
  }, 20);
  return {
    stop: () => {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage.rss()) / MiB;
    },
  };
}

/** Install `count` profiles from `firstId`, then read everything back; resolves when the last report is answered. */
/** SetChargingProfile payloads: 1 to 24 periods, EVSEs 0..2, stack levels 0..8. Built before the clock starts. */
function installPayloads(firstId: number, count: number): Payload[] {
  return Array.from({ length: count }, (_, i) => ({ evseId: i % 3, chargingProfile: profile201(firstId + i, 1 + ((i * 5) % 24), { stackLevel: i % 9 }) }));
}

async function installAndRead(csms: ReferenceCsms, station: ReferenceStation, payloads: readonly Payload[], requestId: number): Promise<number> {
  const firstId = (payloads[0]!.chargingProfile as Payload).id as number;
  const count = payloads.length;
  for (const payload of payloads) {
    const id = (payload.chargingProfile as Payload).id as number;
    const r = await csms.trigger(IDENTITY, 'SetChargingProfile', payload);
    const status = ((r.body as { response?: Payload }).response ?? {}).status;
    if (r.status !== 200 || status !== 'Accepted') throw new Error(`SetChargingProfile ${id}: ${JSON.stringify(r.body)}`);
  }
  const harness = csms.sessions.get(IDENTITY)!;
  const stationSession = station.currentSession!;
  let reports = 0;
  let last = false;
  let answered = 0;
  const done = new Promise<void>((resolve) => {
    const onCall = (action: string, p: Payload) => {
      if (action !== 'ReportChargingProfiles' || p.requestId !== requestId) return;
      reports++;
      if (p.tbc !== true) last = true;
    };
    const onFrame = (f: { dir: string; type: string; action?: string }) => {
      if (f.dir !== 'in' || f.type !== 'CALLRESULT' || f.action !== 'ReportChargingProfiles') return;
      answered++;
      if (last && answered === reports) {
        harness.off('call', onCall);
        stationSession.trace.off('frame', onFrame);
        resolve();
      }
    };
    harness.on('call', onCall);
    stationSession.trace.on('frame', onFrame);
  });
  const r = await csms.trigger(IDENTITY, 'GetChargingProfiles', { requestId, chargingProfile: { chargingLimitSource: ['CSO'] } });
  if ((r.body as { response?: Payload }).response?.status !== 'Accepted') throw new Error(`GetChargingProfiles: ${JSON.stringify(r.body)}`);
  await done;
  const agg = csms.reports.get(IDENTITY)?.get(requestId);
  const got = agg?.profiles.filter((p) => (p.chargingProfile.id as number) >= firstId && (p.chargingProfile.id as number) < firstId + count).length ?? 0;
  if (!agg?.complete || got !== count) throw new Error(`report ${requestId}: ${got} of ${count} profiles, complete=${agg?.complete}`);
  return reports;
}

async function harnessRun(job: RoundTripJob): Promise<RoundTripRun> {
  const csms = new ReferenceCsms({ versions: ['2.0.1'] });
  const url = await csms.start();
  const station = new ReferenceStation({
    version: '2.0.1',
    url,
    identity: IDENTITY,
    pageSize: job.pageSize,
    heartbeatS: 0,
    reconnect: false,
    evses: 2,
    limits: { maxProfiles: job.profiles + job.warmupProfiles, maxStackLevel: 8, maxPeriods: 24 },
  });
  await station.start();
  const harness: RpcSession = csms.sessions.get(IDENTITY)!;
  // Time the station's handlers (the device's own work, not the harness's): wrap each registered handler.
  let modelMs = 0;
  const handlers = (station.currentSession as unknown as { handlers: Map<string, CallHandler> }).handlers;
  for (const [action, h] of handlers) {
    handlers.set(action, (p, ctx) => {
      const t = now();
      try {
        return h(p, ctx);
      } finally {
        modelMs += now() - t;
      }
    });
  }
  // Warm-up (schema compilation on first use, JIT), then a clean slate.
  if (job.warmupProfiles > 0) {
    await installAndRead(csms, station, installPayloads(900_000, job.warmupProfiles), 99);
    const c = await csms.trigger(IDENTITY, 'ClearChargingProfile', {});
    if ((c.body as { response?: Payload }).response?.status !== 'Accepted') throw new Error(`ClearChargingProfile: ${JSON.stringify(c.body)}`);
  }
  const payloads = installPayloads(1, job.profiles);
  if (global.gc) global.gc();
  const fromSeq = harness.trace.lastSeq;
  const mem = rssSampler();
  modelMs = 0;
  const c0 = process.cpuUsage();
  const t0 = now();
  const reportFrames = await installAndRead(csms, station, payloads, 1);
  const ms = now() - t0;
  const cpu = process.cpuUsage(c0);
  const peakRssMiB = mem.stop();
  const { frames, omitted } = harness.trace.slice(fromSeq);
  if (omitted) throw new Error(`trace evicted ${omitted} frames; raise maxFrames`);
  if (frames.some((f) => f.rawLength !== f.raw.length)) throw new Error('trace truncated a frame; raise maxRawChars');
  const script: ScriptFrame[] = frames.map((f) => ({ dir: f.dir, raw: f.raw }));
  fs.writeFileSync(job.script, JSON.stringify(script));
  const heapUsedMiB = process.memoryUsage().heapUsed / MiB;
  await station.stop();
  await csms.stop();
  return {
    mode: 'harness',
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    frames: script.length,
    bytes: script.reduce((n, f) => n + Buffer.byteLength(f.raw), 0),
    reportFrames,
    peakRssMiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB,
    stationModelMs: modelMs,
  };
}

/** Replay the script over a fresh pair of bare sockets; resolves with the elapsed ms. */
async function replay(script: readonly ScriptFrame[], json = false): Promise<number> {
  const objects = json ? script.map((f) => JSON.parse(f.raw) as unknown) : [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 10 * MiB });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', (ws) => r(ws)));
  const client = new WebSocket(`ws://127.0.0.1:${port}/${IDENTITY}`, ['ocpp2.0.1'], { maxPayload: 10 * MiB });
  await new Promise<void>((r, j) => {
    client.once('open', () => r());
    client.once('error', j);
  });
  const server = await serverSide;
  let t0 = 0;
  const elapsed = await new Promise<number>((resolve) => {
    let finished = 0;
    // Each side sends its run of frames, then waits for the peer's; the server is the CSMS ('out').
    const side = (ws: WebSocket, mine: 'in' | 'out') => {
      let pos = 0;
      const pump = () => {
        while (pos < script.length && script[pos]!.dir === mine) {
          ws.send(json ? JSON.stringify(objects[pos]) : script[pos]!.raw);
          pos++;
        }
        if (pos >= script.length && ++finished === 2) resolve(now() - t0);
      };
      ws.on('message', (data: Buffer) => {
        if (json) JSON.parse(data.toString('utf8'));
        pos++;
        pump();
      });
      return pump;
    };
    const pumpServer = side(server, 'out');
    const pumpClient = side(client, 'in');
    t0 = now();
    pumpServer();
    pumpClient();
  });
  client.close();
  await new Promise<void>((r) => wss.close(() => r()));
  server.terminate();
  return elapsed;
}

async function bareRun(job: RoundTripJob): Promise<RoundTripRun> {
  const script = JSON.parse(fs.readFileSync(job.script, 'utf8')) as ScriptFrame[];
  const json = job.mode === 'json';
  for (let i = 0; i < (job.warmupRuns ?? 1); i++) await replay(script, json); // warm-up
  const measure = async (): Promise<Measured> => {
    if (global.gc) global.gc();
    const c0 = process.cpuUsage();
    const ms = await replay(script, json);
    const cpu = process.cpuUsage(c0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const mem = rssSampler();
  const first = await measure();
  const peakRssMiB = mem.stop();
  const steady = await steadyState(job, measure, () => replay(script, json));
  return {
    mode: job.mode,
    ...first,
    ...(steady ? { steady } : {}),
    frames: script.length,
    bytes: script.reduce((n, f) => n + Buffer.byteLength(f.raw), 0),
    reportFrames: script.filter((f) => f.dir === 'in' && f.raw.includes('"ReportChargingProfiles"')).length,
    peakRssMiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / MiB,
  };
}

/**
 * The device side of mode 'fair': answers from the captured frames. A CALLRESULT of the script is sent with
 * the messageId of the CALL just received (precomputed text after the id); the station's own CALLs
 * (ReportChargingProfiles) are sent as captured, each after the harness answered the previous one.
 */
async function replayPeer(url: string, script: readonly ScriptFrame[]): Promise<{ done: Promise<void>; close: () => void }> {
  const tails = script.map((f) => (f.dir === 'in' && f.raw.startsWith('[3,') ? f.raw.slice(f.raw.indexOf('"', 4) + 1) : undefined));
  const ws = new WebSocket(`${url}/${IDENTITY}`, ['ocpp2.0.1'], { maxPayload: 10 * MiB });
  await new Promise<void>((r, j) => {
    ws.once('open', () => r());
    ws.once('error', j);
  });
  let pos = 0;
  let lastId = '';
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString('utf8')) as unknown[];
      if (m[0] === 2) lastId = m[1] as string;
      pos++;
      while (pos < script.length && script[pos]!.dir === 'in') {
        const tail = tails[pos];
        ws.send(tail === undefined ? script[pos]!.raw : `[3,"${lastId}"${tail}`);
        pos++;
      }
      if (pos >= script.length) resolve();
    });
  });
  return { done, close: () => ws.close() };
}

async function fairRun(job: RoundTripJob): Promise<RoundTripRun> {
  const script = JSON.parse(fs.readFileSync(job.script, 'utf8')) as ScriptFrame[];
  const server = new CsmsServer({ versions: ['2.0.1'], maxPayload: 10 * MiB, callTimeoutMs: 60_000 });
  await server.listen();
  const payloads = installPayloads(1, job.profiles);
  const once = async () => {
    const sessionP = new Promise<RpcSession>((r) => server.once('session', (s: RpcSession) => r(s)));
    const peer = await replayPeer(server.url, script);
    const session = await sessionP;
    session.handle('ReportChargingProfiles', () => ({}));
    if (global.gc) global.gc();
    const mem = rssSampler();
    const c0 = process.cpuUsage();
    const t0 = now();
    for (const p of payloads) {
      const r = await session.call<{ status: string }>('SetChargingProfile', p);
      if (r.status !== 'Accepted') throw new Error(`SetChargingProfile: ${JSON.stringify(r)}`);
    }
    const g = await session.call<{ status: string }>('GetChargingProfiles', { requestId: 1, chargingProfile: { chargingLimitSource: ['CSO'] } });
    if (g.status !== 'Accepted') throw new Error(`GetChargingProfiles: ${JSON.stringify(g)}`);
    await peer.done;
    const ms = now() - t0;
    const cpu = process.cpuUsage(c0);
    const peakRssMiB = mem.stop();
    if (session.trace.lastSeq < script.length) throw new Error(`fair run: ${session.trace.lastSeq} frames traced, ${script.length} expected`);
    peer.close();
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB };
  };
  for (let i = 0; i < (job.warmupRuns ?? 1); i++) await once(); // warm-up: schema compilation, JIT
  const m = await once();
  const steady = await steadyState(job, async () => { const { ms, cpuMs } = await once(); return { ms, cpuMs }; }, once);
  await server.close();
  return {
    mode: 'fair',
    ...m,
    ...(steady ? { steady } : {}),
    frames: script.length,
    bytes: script.reduce((n, f) => n + Buffer.byteLength(f.raw), 0),
    reportFrames: script.filter((f) => f.dir === 'in' && f.raw.includes('"ReportChargingProfiles"')).length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / MiB,
  };
}

/** How many of the last `steadyRuns` exchanges are measured; their median is the steady-state figure. */
const STEADY_MEASURED = 5;

/**
 * `steadyRuns` more exchanges after the measured one; the median wall and CPU of the last STEADY_MEASURED
 * (undefined without steadyRuns). Measured on a loopback, one exchange varies by ±15 %: the median of five
 * keeps one slow exchange from deciding the figure.
 */
async function steadyState(job: RoundTripJob, measure: () => Promise<Measured>, run: () => Promise<unknown>): Promise<Measured | undefined> {
  if (!job.steadyRuns) return undefined;
  if (job.steadyRuns < STEADY_MEASURED) throw new Error(`steadyRuns must be at least ${STEADY_MEASURED}`);
  for (let i = 0; i < job.steadyRuns - STEADY_MEASURED; i++) await run();
  const m: Measured[] = [];
  for (let i = 0; i < STEADY_MEASURED; i++) m.push(await measure());
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ms: median(m.map((x) => x.ms)), cpuMs: median(m.map((x) => x.cpuMs)) };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as RoundTripJob;
  const run = job.mode === 'harness' ? await harnessRun(job) : job.mode === 'fair' ? await fairRun(job) : await bareRun(job);
  process.stdout.write(JSON.stringify(run) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`roundtrip child: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
