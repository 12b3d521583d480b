/**
 * Issue #16: the reference station's 2.1 Dynamic profiles (K28) over loopback with the reference CSMS:
 * it advertises SupportsFeature[DynamicProfiles], answers UpdateDynamicSchedule, pulls with
 * PullDynamicScheduleUpdate after dynUpdateInterval and applies the answer, and keeps no timer after
 * stop(). Every frame both ways is validated against the 2.1 schemas (a violation fails the test).
 */
import type { Payload } from '../../src/ocppj/messages';
import { CsmsStationState, csmsDefaultHandlers } from '../../src/csms';
import type { ReferenceCsms, ReferenceStation } from '../../src/reference';
import type { HandlerContext } from '../../src/transport';
import { startPair21, validator21 as validator, type Pair21 } from '../helpers/reference21';
import { waitFor } from '../helpers/wait';

const ID = 'CS-21-DYN';

describe('reference station: 2.1 Dynamic profiles (K28, issue #16)', () => {
  let pair: Pair21;
  let csms: ReferenceCsms;
  let station: ReferenceStation;
  const pulls: Payload[] = [];
  /** The station's pull timers (white box: stop() must leave none). */
  const timers = () => (station as unknown as { dynamic: { timers: Map<number, unknown> } }).dynamic.timers;

  const call = (action: string, payload: Payload) => pair.call(action, payload);
  const compositeLimit = async () => {
    const r = await call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
    return ((r.schedule as Payload).chargingSchedulePeriod as Payload[]).map((p) => p.limit);
  };
  const dynamic = (id: number, limit: number, over: Payload = {}): Payload => ({
    id,
    stackLevel: 1,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Dynamic',
    chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] }],
    ...over,
  });

  beforeAll(async () => {
    pair = await startPair21(ID);
    ({ csms, station } = pair);
    // The CSMS answers this station's pulls with an update of 5 A (K28.FR.08), recording each.
    csms.sessions.get(ID)!.handle('PullDynamicScheduleUpdate', (p) => {
      pulls.push(p);
      return { status: 'Accepted', scheduleUpdate: { limit: 5 } };
    });
  });

  afterAll(() => pair?.stop());

  test('advertises SmartChargingCtrlr.SupportsFeature[DynamicProfiles] = true', async () => {
    const r = await call('GetVariables', { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'SupportsFeature', instance: 'DynamicProfiles' } }] });
    expect(r.getVariableResult).toEqual([expect.objectContaining({ attributeStatus: 'Accepted', attributeValue: 'true' })]);
  });

  test('K28.FR.06 / .11: UpdateDynamicSchedule applies to an installed Dynamic profile, is Rejected for an unknown one', async () => {
    expect(await call('SetChargingProfile', { evseId: 1, chargingProfile: dynamic(1, 10) })).toEqual({ status: 'Accepted' });
    expect(await compositeLimit()).toEqual([10]);
    expect(await call('UpdateDynamicSchedule', { chargingProfileId: 1, scheduleUpdate: { limit: 7.5 } })).toEqual({ status: 'Accepted' });
    expect(await compositeLimit()).toEqual([7.5]);
    expect(await call('UpdateDynamicSchedule', { chargingProfileId: 77, scheduleUpdate: { limit: 3 } })).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } });
    // No dynUpdateInterval: no pull timer.
    expect(timers().size).toBe(0);
    expect(pulls).toEqual([]);
  });

  test('K28.FR.10 / .08: with dynUpdateInterval 1 s it pulls and applies the answer; the report carries its dynUpdateTime (K28.FR.05)', async () => {
    expect(await call('SetChargingProfile', { evseId: 1, chargingProfile: dynamic(1, 10, { dynUpdateInterval: 1 }) })).toEqual({ status: 'Accepted' });
    await waitFor(() => pulls.length > 0, 5000, 'a PullDynamicScheduleUpdate');
    expect(pulls[0]).toEqual({ chargingProfileId: 1 });
    // Bounded poll: the station applies the answer when it arrives, after the pull was recorded here.
    const end = Date.now() + 5000;
    while ((await compositeLimit())[0] !== 5) {
      if (Date.now() > end) throw new Error('the pulled 5 A never reached the composite');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await call('GetChargingProfiles', { requestId: 31, chargingProfile: { chargingProfileId: [1] } })).toEqual({ status: 'Accepted' });
    const agg = await waitFor(() => (csms.reports.get(ID)?.get(31)?.complete ? csms.reports.get(ID)!.get(31)! : undefined), 5000, 'the report');
    expect(agg.profiles[0]!.chargingProfile).toMatchObject({ chargingProfileKind: 'Dynamic', dynUpdateInterval: 1, dynUpdateTime: expect.stringMatching(/^\d{4}-/) });
    expect(timers().size).toBe(1);
  });

  test('a cleared Dynamic profile is pulled no more; stop() leaves no timer', async () => {
    expect(await call('SetChargingProfile', { evseId: 1, chargingProfile: dynamic(2, 10, { dynUpdateInterval: 1 }) })).toEqual({ status: 'Accepted' });
    expect(await call('ClearChargingProfile', { chargingProfileId: 1 })).toEqual({ status: 'Accepted' });
    const seen = pulls.length;
    await waitFor(() => pulls.slice(seen).some((p) => p.chargingProfileId === 2), 5000, 'a pull for profile 2');
    expect(pulls.slice(seen).map((p) => p.chargingProfileId)).not.toContain(1);
    await station.stop();
    expect(timers().size).toBe(0);
  });

  test('the CSMS role answers a pull by default with a schema-valid Rejected (2.1 only; a case gives its own update)', () => {
    const pull = csmsDefaultHandlers('2.1', new CsmsStationState()).PullDynamicScheduleUpdate!;
    const answer = pull({ chargingProfileId: 1 }, {} as HandlerContext) as Payload;
    expect(answer).toEqual({ status: 'Rejected', statusInfo: { reasonCode: 'NoUpdate' } });
    expect(validator.validate('PullDynamicScheduleUpdate', 'response', answer)).toEqual({ valid: true, violations: [] });
    expect(csmsDefaultHandlers('2.0.1', new CsmsStationState()).PullDynamicScheduleUpdate).toBeUndefined();
  });

  test('no protocol or schema violation on either side', () => {
    expect(pair.violations).toEqual([]);
  });
});
