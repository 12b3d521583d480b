/**
 * Drive runConformance (harness as CSMS) against an in-test station peer whose answers to the cases'
 * ClearChargingProfile CALLs follow a script: one behaviour per CALL, in order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { OcppVersion } from '../../src/ocpp/version';
import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import { runConformance, type BuiltinPeers } from '../../src/runner/runner';
import { createReporters } from '../../src/report';
import type { RunResult } from '../../src/report/types';
import type { SuiteDefinition } from '../../src/scenario/types';
import { tinySuite } from './fixtures/tiny-suite';

export type Behaviour =
  | 'ok'
  | 'garbage'
  | 'silent'
  | 'late'
  | 'twice'
  | 'disconnect'
  | 'disconnect-other-identity'
  | { close: number }
  | 'stall'
  | { flood: number };

export const GARBAGE = [
  'this is not an OCPP frame {',
  '[2,"g-1","FlyToTheMoon",{}]',
  '[3,"nobody-asked",{}]',
  // Deep nesting and a large frame must not break the reports either (JSON.stringify recursion, size).
  `[2,"g-2","DataTransfer",{"vendorId":"v","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}]`,
  JSON.stringify([2, 'g-3', 'Heartbeat', { pad: 'z'.repeat(200_000) }]),
];

export interface ScriptedRun {
  result: RunResult;
  exitCode: number;
  notices: string[];
  junit: string;
  json: string;
  dir: string;
}

// Generous for a loaded 2-core CI box; "late" answers are timed relative to it, so their order holds.
export const CALL_TIMEOUT_MS = 2000;
let bootSeq = 0;

class ScriptedStation {
  private ws: WebSocket | undefined;
  private stopped = false;
  private n = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly sockets: WebSocket[] = [];

  constructor(
    private readonly url: string,
    private readonly identity: string,
    private readonly version: OcppVersion,
    private readonly script: Behaviour[],
  ) {}

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  async connect(identity = this.identity): Promise<void> {
    const ws = new WebSocket(`${this.url}/${encodeURIComponent(identity)}`, [`ocpp${this.version}`]);
    ws.on('error', () => undefined);
    this.sockets.push(ws);
    // Listen before 'open': the harness may send in the same TCP segment as the 101 response.
    ws.on('message', (d: Buffer) => this.onMessage(ws, d.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.ws = ws;
    const boot = this.version === '1.6' ? { chargePointVendor: 'Robust', chargePointModel: 'Scripted' } : { chargingStation: { vendorName: 'Robust', model: 'Scripted' }, reason: 'PowerUp' };
    ws.send(JSON.stringify([2, `boot-${++bootSeq}`, 'BootNotification', boot]));
  }

  private reconnect(identity: string, after = 100): void {
    this.later(after, () => void this.connect(identity).catch(() => undefined));
  }

  private onMessage(ws: WebSocket, text: string): void {
    let m: unknown[];
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (m[0] !== 2) return;
    const id = m[1] as string;
    const action = m[2] as string;
    const ok = JSON.stringify([3, id, { status: 'Accepted' }]);
    if (action !== 'ClearChargingProfile') {
      ws.send(JSON.stringify([4, id, 'NotSupported', `${action} not supported by the scripted station`, {}]));
      return;
    }
    const b = this.script[this.n++] ?? 'ok';
    if (b === 'ok') ws.send(ok);
    else if (b === 'garbage') {
      for (const g of GARBAGE) ws.send(g);
      ws.send(ok);
    } else if (b === 'silent') {
      /* never answers */
    } else if (b === 'late') this.later(CALL_TIMEOUT_MS + 50, () => ws.readyState === ws.OPEN && ws.send(ok));
    else if (b === 'twice') {
      ws.send(ok);
      ws.send(ok);
    } else if (b === 'disconnect') {
      ws.terminate();
      this.reconnect(this.identity);
    } else if (b === 'disconnect-other-identity') {
      ws.terminate();
      // A different station shows up first (refused), then the right one comes back.
      this.reconnect('CS-INTRUDER-9', 50);
      this.reconnect(this.identity, 400);
    } else if (b === 'stall') {
      // Stop reading from TCP: the harness's frames pile up unread; resume after the case gave up.
      (ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
      this.later(CALL_TIMEOUT_MS * 3, () => (ws as unknown as { _socket: import('node:net').Socket })._socket.resume());
    } else if ('flood' in b) {
      void this.flood(ws, b.flood).then(() => ws.readyState === ws.OPEN && ws.send(ok));
    } else {
      ws.close(b.close, `scripted close ${b.close}`);
      this.reconnect(this.identity, 150);
    }
  }

  /** Send `n` Heartbeat CALLs in pipelined batches (waiting for each batch's answers), then resolve. */
  private async flood(ws: WebSocket, n: number, batch = 200): Promise<void> {
    let answered = 0;
    const onAnswer = (d: Buffer) => {
      if (d.toString().startsWith('[3,"f')) answered++;
    };
    ws.on('message', onAnswer);
    try {
      for (let sent = 0; sent < n && !this.stopped; ) {
        const k = Math.min(batch, n - sent);
        for (let i = 0; i < k; i++) ws.send(`[2,"f${sent + i}","Heartbeat",{}]`);
        sent += k;
        const deadline = Date.now() + 10_000;
        while (answered < sent && Date.now() < deadline && ws.readyState === ws.OPEN) await new Promise((r) => setImmediate(r));
        if (answered < sent) throw new Error(`flood: ${sent - answered} Heartbeats unanswered`);
      }
    } finally {
      ws.off('message', onAnswer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.terminate();
  }
}

export function tempDir(prefix = 'ocpp-robust-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ScriptedRunOptions {
  version?: OcppVersion;
  script: Behaviour[];
  /** Cases of the tiny suite to run (default R-1..R-n for n = script length, at least 3). */
  cases?: number;
  config?: PartialConfig;
  suite?: SuiteDefinition;
}

export async function scriptedRun(opts: ScriptedRunOptions): Promise<ScriptedRun> {
  const version = opts.version ?? '2.0.1';
  const dir = tempDir();
  const n = opts.cases ?? Math.max(3, opts.script.length + 1);
  const suite = opts.suite ?? { ...tinySuite, cases: tinySuite.cases.filter((c) => /^R-\d+$/.test(c.id)).slice(0, n) };
  const config = mergeConfig(
    {
      ocpp: version,
      as: 'csms',
      identity: 'CS-ROBUST-1',
      timing: { callTimeoutMs: CALL_TIMEOUT_MS, caseTimeoutMs: 15_000, graceMs: 100, connectTimeoutMs: 2000, toleranceS: 4 },
      reporters: ['junit', 'json'],
      out: dir,
    },
    opts.config ?? {},
  );
  let station: ScriptedStation | undefined;
  const peers: BuiltinPeers = {
    async startStation({ url, identity }) {
      station = new ScriptedStation(url, identity, version, opts.script);
      await station.connect();
      return { stop: () => station!.stop() };
    },
    async startCsms() {
      throw new Error('not used');
    },
  };
  const notices: string[] = [];
  const reporter = createReporters(['junit', 'json'], { outDir: dir });
  try {
    const { result, exitCode } = await runConformance({
      config,
      suites: [suite],
      reporter,
      builtinPeers: peers,
      fixturesDir: path.join(__dirname, '..', '..', 'fixtures'),
      notice: (l) => notices.push(l),
    });
    expect(reporter.lastError()).toBeUndefined();
    return {
      result,
      exitCode,
      notices,
      dir,
      junit: fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8'),
      json: fs.readFileSync(path.join(dir, 'results.json'), 'utf8'),
    };
  } finally {
    await station?.stop();
  }
}
