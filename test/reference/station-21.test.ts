/**
 * Issue #16 (stage 1): the reference station negotiates `ocpp2.1` with the reference CSMS over loopback and
 * answers 2.1 SmartCharging messages; every frame both ways is validated against the 2.1 schemas (a
 * violation on either session fails the test).
 */
import type { Payload } from '../../src/ocppj/messages';
import { ReferenceCsms, ReferenceStation, UnknownFaultError } from '../../src/reference';
import { fromEpochSeconds } from '../../src/smartcharging';
import type { ProtocolViolation, RpcSession } from '../../src/transport';
import { getValidator } from '../../src/validation';
import { nextEvent, waitFor } from '../helpers/wait';

const ID = 'CS-21';
const validator = getValidator('2.1');

describe('reference station on OCPP 2.1 (issue #16)', () => {
  let csms: ReferenceCsms;
  let station: ReferenceStation;
  const violations: string[] = [];
  const track = (side: string) => (s: RpcSession) => {
    s.on('violation', (v: ProtocolViolation) => violations.push(`${side} ${v.kind} ${v.rule}: ${v.message}`));
    s.on('harnessError', (e: Error) => violations.push(`${side} harnessError: ${e.message}`));
  };

  async function call(action: string, payload: Payload): Promise<Payload> {
    const r = await csms.trigger(ID, action, payload);
    expect(r.status).toBe(200);
    const response = (r.body as { response: Payload }).response;
    expect(validator.validate(action, 'response', response)).toEqual({ valid: true, violations: [] });
    return response;
  }

  const profile = (id: number, periods: Payload[], over: Payload = {}): Payload => ({
    id,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: [{ id: 1, startSchedule: fromEpochSeconds(Math.floor(Date.now() / 1000) - 60), chargingRateUnit: 'A', chargingSchedulePeriod: periods }],
    ...over,
  });

  beforeAll(async () => {
    csms = new ReferenceCsms({ versions: ['2.1'], host: '127.0.0.1', port: 0, callTimeoutMs: 5000 });
    csms.server.on('session', track('csms'));
    const url = await csms.start();
    // No additional purposes (the default 2.1 station advertises PriorityCharging and LocalGeneration,
    // test/mutation/station-21-purposes.test.ts): the rejections below are those of a station without them.
    station = new ReferenceStation({ version: '2.1', url, identity: ID, evses: 2, pageSize: 1, callTimeoutMs: 5000, limits: { additionalPurposes: [] } });
    station.on('session', track('station'));
    const booted = nextEvent(station, 'booted', 5000);
    await station.start();
    await booted;
  });

  afterAll(async () => {
    await station?.stop();
    await csms?.stop();
  });

  test('negotiates ocpp2.1 and boots', () => {
    expect(csms.sessions.get(ID)?.version).toBe('2.1');
    expect(csms.states.get(ID)?.boot).toMatchObject({ model: 'ReferenceStation' });
  });

  test('2.1 decimals: a six-decimal limit is Accepted and the composite reports it unrounded (rules §8)', async () => {
    expect(await call('SetChargingProfile', { evseId: 1, chargingProfile: profile(1, [{ startPeriod: 0, limit: 6.123456 }]) })).toEqual({ status: 'Accepted' });
    const r = await call('GetCompositeSchedule', { evseId: 1, duration: 300, chargingRateUnit: 'A' });
    expect((r.schedule as Payload).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 6.123456 }]);
  });

  test('2.1-only features the station does not advertise are Rejected with a schema-valid statusInfo, not a CALLERROR', async () => {
    const setpoint = profile(2, [{ startPeriod: 0, operationMode: 'CentralSetpoint', setpoint: 4 }]);
    expect(await call('SetChargingProfile', { evseId: 1, chargingProfile: setpoint })).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedOpMode' } });
    const priority = profile(3, [{ startPeriod: 0, limit: 10 }], { chargingProfilePurpose: 'PriorityCharging' });
    expect(await call('SetChargingProfile', { evseId: 1, chargingProfile: priority })).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedPurpose' } });
  });

  test('GetChargingProfiles → ReportChargingProfiles with tbc (one profile a frame), chargingLimitSource CSO, then Clear', async () => {
    expect(await call('SetChargingProfile', { evseId: 0, chargingProfile: profile(4, [{ startPeriod: 0, limit: 16 }]) })).toEqual({ status: 'Accepted' });
    expect(await call('GetChargingProfiles', { requestId: 21, chargingProfile: { chargingLimitSource: ['CSO'] } })).toEqual({ status: 'Accepted' });
    const agg = await waitFor(() => (csms.reports.get(ID)?.get(21)?.complete ? csms.reports.get(ID)!.get(21)! : undefined), 5000, 'the complete report');
    expect(agg.frames.map((f) => f.tbc ?? false)).toEqual([true, false]);
    expect(agg.profiles.map((p) => [p.evseId, p.chargingLimitSource, p.chargingProfile.id])).toEqual([[0, 'CSO', 4], [1, 'CSO', 1]]);
    expect(await call('ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } })).toEqual({ status: 'Accepted' });
    expect(await call('GetChargingProfiles', { requestId: 22, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } })).toEqual({ status: 'NoProfiles' });
  });

  test('a 2.1-only fault is refused on another version (it would be inert there)', () => {
    expect(() => new ReferenceStation({ version: '2.0.1', url: 'ws://127.0.0.1:9', identity: 'X', faults: ['composite-limit-omitted-21'] })).toThrow(UnknownFaultError);
    expect(new ReferenceStation({ version: '2.1', url: 'ws://127.0.0.1:9', identity: 'X', faults: ['composite-limit-omitted-21'] }).faults.has('composite-limit-omitted-21')).toBe(true);
  });

  test('no protocol or schema violation on either side', () => {
    expect(violations).toEqual([]);
  });
});
