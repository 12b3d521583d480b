/**
 * Issue #4: `ocpp-conformance simulate csms` and `simulate station` run against each other as real child
 * processes, for OCPP 1.6 and 2.0.1; requests go through the CSMS trigger endpoint and every response is
 * checked against the OCA schemas and the reference model. Needs dist/ (npm test builds it first).
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Payload } from '../../src/ocppj/messages';
import type { AggregatedReport } from '../../src/reference';
import {
  ProfileStore,
  compareComposite,
  compositeSchedule,
  fromEpochSeconds,
  profileFrom16,
  profileFrom201,
  toEpochSeconds,
  type Period,
} from '../../src/smartcharging';
import { getValidator } from '../../src/validation';
import { waitFor } from '../helpers/wait';

type Version = '1.6' | '2.0.1';
const root = path.resolve(__dirname, '../..');
const BIN = path.join(root, 'bin', 'ocpp-conformance.js');
const IDENTITY = 'SIM-1';

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: 'inherit' });
}, 120_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Child {
  proc: ChildProcess;
  out: string;
  err: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
}

function start(args: string[]): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { proc, out: '', err: '', exited: false, exit: undefined as never };
  proc.stdout!.on('data', (b: Buffer) => (child.out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (child.err += b.toString()));
  child.exit = new Promise((resolve) =>
    proc.once('exit', (code, signal) => {
      child.exited = true;
      resolve({ code, signal });
    }),
  );
  return child;
}

/** SIGTERM, then a bounded wait for the exit; SIGKILL (and report) if it does not come. */
async function stop(child: Child | undefined, timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  if (!child) return undefined;
  if (child.exited) return child.exit;
  child.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  const r = await Promise.race([child.exit, timeout]);
  clearTimeout(timer);
  if (r) return r;
  child.proc.kill('SIGKILL');
  await child.exit;
  throw new Error(`process ${child.proc.pid} did not exit within ${timeoutMs} ms of SIGTERM`);
}

const describeOutput = (c: Child | undefined) => (c ? `stdout: ${c.out}\nstderr: ${c.err}` : '(not started)');

describe.each<Version>(['1.6', '2.0.1'])('simulate csms ↔ simulate station as processes, OCPP %s', (version) => {
  const v16 = version === '1.6';
  const validator = getValidator(version);
  let csms: Child | undefined;
  let station: Child | undefined;
  let base = '';
  /** the station's default limits (ReferenceStation defaults: 2 EVSEs, stack 8, 40 profiles, 24 periods) */
  const mirror = new ProfileStore(version, { evses: 2, maxStackLevel: 8, maxProfiles: 40, maxPeriods: 24, rateUnits: ['A', 'W'], nominalVoltage: 230 });

  async function trigger(action: string, payload: Payload): Promise<Payload> {
    const r = await fetch(`${base}/trigger/${IDENTITY}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const body = (await r.json()) as { response?: Payload; error?: string };
    if (r.status !== 200 || !body.response) throw new Error(`${action}: HTTP ${r.status} ${JSON.stringify(body)}`);
    const check = validator.validate(action, 'response', body.response);
    expect(check.violations).toEqual([]);
    expect(check.valid).toBe(true);
    return body.response;
  }

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    csms = start(['simulate', 'csms', '--ocpp', version, '--listen', `127.0.0.1:${port}`]);
    await waitFor(() => csms!.out.includes('listening on') || csms!.exited, 20_000, 'the CSMS to listen').catch((e: Error) => {
      throw new Error(`${e.message}\n${describeOutput(csms)}`);
    });
    if (csms.exited) throw new Error(`simulate csms exited early\n${describeOutput(csms)}`);
    expect(csms.out).toContain(`reference CSMS (OCPP ${version}) listening on ws://127.0.0.1:${port}`);
    station = start(['simulate', 'station', '--ocpp', version, '--url', `ws://127.0.0.1:${port}`, '--identity', IDENTITY]);
    // Bounded: the station says it is connected (after BootNotification), and the CSMS lists it with its boot.
    await waitFor(() => station!.err.includes(`reference station ${IDENTITY} (OCPP ${version}) connected`) || station!.exited, 20_000, 'the station to connect').catch((e: Error) => {
      throw new Error(`${e.message}\n${describeOutput(station)}\n${describeOutput(csms)}`);
    });
    if (station.exited) throw new Error(`simulate station exited early\n${describeOutput(station)}`);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const list = (await (await fetch(`${base}/stations`)).json()) as { identity: string; boot?: { model: string } }[];
      if (list.some((s) => s.identity === IDENTITY && s.boot?.model === 'ReferenceStation')) break;
      if (Date.now() > deadline) throw new Error(`GET /stations never listed ${IDENTITY}: ${JSON.stringify(list)}`);
    }
  }, 60_000);

  afterAll(async () => {
    // Safety net: whatever a failed test left running is stopped here (the last test checks the exit codes).
    await stop(station).catch(() => undefined);
    await stop(csms).catch(() => undefined);
  }, 30_000);

  it(`${v16 ? '1.6 §5.16' : 'K01.FR.01'} SetChargingProfile through POST /trigger is Accepted and schema-valid`, async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const max = v16
      ? { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: { startSchedule: fromEpochSeconds(t0 - 60), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 900, limit: 12 }] } }
      : { id: 1, stackLevel: 0, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 1, startSchedule: fromEpochSeconds(t0 - 60), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 900, limit: 12 }] }] };
    const txDefault = v16
      ? { chargingProfileId: 2, stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }, { startPeriod: 1800, limit: 14 }] } }
      : { id: 2, stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }, { startPeriod: 1800, limit: 14 }] }] };
    for (const [evse, wire] of [[0, max], [1, txDefault]] as const) {
      const res = await trigger('SetChargingProfile', v16 ? { connectorId: evse, csChargingProfiles: wire } : { evseId: evse, chargingProfile: wire });
      expect(res.status).toBe('Accepted');
      expect(mirror.install(evse, v16 ? profileFrom16(wire) : profileFrom201(wire), wire, []).status).toBe('Accepted');
    }
  });

  it(`${v16 ? '1.6 §5.7' : 'K08.FR.02'} GetCompositeSchedule through POST /trigger is Accepted, schema-valid and equals the model`, async () => {
    for (const evse of [0, 1, 2]) {
      const res = await trigger('GetCompositeSchedule', v16 ? { connectorId: evse, duration: 3600, chargingRateUnit: 'A' } : { evseId: evse, duration: 3600, chargingRateUnit: 'A' });
      expect(res.status).toBe('Accepted');
      const sched = (v16 ? res.chargingSchedule : res.schedule) as Payload;
      const start = toEpochSeconds((v16 ? res.scheduleStart : sched.scheduleStart) as string);
      const expected = compositeSchedule({ evseId: evse, duration: 3600, unit: 'A', start }, mirror.compositeContext([]));
      expect(compareComposite(expected, sched.chargingSchedulePeriod as Period[], sched.duration as number)).toEqual({ ok: true });
    }
  });

  if (!v16) {
    it('K09.FR.01 GetChargingProfiles through POST /trigger is Accepted and the aggregated report holds both profiles', async () => {
      const res = await trigger('GetChargingProfiles', { requestId: 7, chargingProfile: { chargingLimitSource: ['CSO'] } });
      expect(res.status).toBe('Accepted');
      const deadline = Date.now() + 10_000;
      let agg: AggregatedReport | undefined;
      while (!agg) {
        const r = await fetch(`${base}/stations/${IDENTITY}/reports/7`);
        const body = (await r.json()) as AggregatedReport;
        if (r.status === 200 && body.complete) agg = body;
        else if (Date.now() > deadline) throw new Error(`report 7 incomplete after 10 s: ${JSON.stringify(body)}`);
      }
      for (const f of agg.frames) expect(validator.validate('ReportChargingProfiles', 'request', f)).toEqual({ valid: true, violations: [] });
      expect(agg.profiles.map((p) => p.chargingProfile.id).sort()).toEqual([1, 2]);
      expect(agg.profiles.map((p) => p.evseId).sort()).toEqual([0, 1]);
    });
  }

  it('no schema or framing violation was logged on either side; SIGTERM stops both with exit code 0', async () => {
    // The reference CSMS logs every session violation as "[csms] <identity>: <message>"; the station logs
    // its own outbound schema errors as "internal error".
    expect(csms!.err.split('\n').filter((l) => l.startsWith(`[csms] ${IDENTITY}: `))).toEqual([]);
    expect(station!.err).not.toMatch(/internal error|failed/);
    expect(await stop(station)).toEqual({ code: 0, signal: null });
    expect(await stop(csms)).toEqual({ code: 0, signal: null });
  }, 30_000);
});
