/**
 * Issue #16 (2.1 priority charging, new purposes): what the model computes for the PriorityCharging and
 * LocalGeneration purposes, as worked examples. Sources: 2.1 schema texts (UsePriorityChargingRequest.activate,
 * NotifyPriorityChargingRequest.activated), K01.FR.70/.71 as libocpp cites them; README "Priority charging".
 */
import { ProfileStore, compositeSchedule, hasPriorityProfile, profileFrom21, type Installed } from '../../src/smartcharging';
import { T0, at, limits, steps, tx } from './fixtures';

type Wire = Record<string, unknown>;

function wire(id: number, purpose: string, periods: Wire[], over: Wire = {}, schedule: Wire = {}): Wire {
  return {
    id,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    chargingSchedule: [{ id: 1, startSchedule: at(0), chargingRateUnit: 'A', chargingSchedulePeriod: periods, ...schedule }],
    ...over,
  };
}

const TX = tx(1, 'tx-1');
function store(): ProfileStore {
  const s = new ProfileStore('2.1', limits({ additionalPurposes: ['PriorityCharging', 'LocalGeneration'] }));
  const put = (evseId: number, w: Wire) => {
    const o = s.install(evseId, profileFrom21(w), w, [TX]);
    if (o.status !== 'Accepted') throw new Error(`${o.rule} ${o.message}`);
  };
  put(0, wire(1, 'ChargingStationMaxProfile', [{ startPeriod: 0, limit: 32 }, { startPeriod: 300, limit: 20 }]));
  put(1, wire(2, 'TxDefaultProfile', [{ startPeriod: 0, limit: 8 }]));
  put(1, wire(3, 'TxProfile', [{ startPeriod: 0, limit: 10 }], { transactionId: 'tx-1' }));
  put(1, wire(4, 'PriorityCharging', [{ startPeriod: 0, limit: 24 }, { startPeriod: 120, limit: 28 }]));
  return s;
}
const composite = (s: ProfileStore, priority?: string[]) =>
  compositeSchedule({ evseId: 1, duration: 600, unit: 'A', start: T0 }, { ...s.compositeContext([TX]), ...(priority ? { priority } : {}) });

describe('2.1 PriorityCharging in the composite (issue #16, SC-21-10)', () => {
  test('inactive: the PriorityCharging profile has no effect (TxProfile 10 under Max 32/20)', () => {
    const r = composite(store());
    expect(steps(r)).toBe('10@0');
    expect(r.leftOut).toBeUndefined();
  });

  test('active for the transaction: PriorityCharging replaces TxProfile and TxDefault, Max still caps (24, 28, 20 @300)', () => {
    expect(steps(composite(store(), ['tx-1']))).toBe('24@0 28@120 20@300');
  });

  test('active for another transaction: no effect', () => {
    expect(steps(composite(store(), ['tx-2']))).toBe('10@0');
  });

  test('active without a PriorityCharging profile: no effect (UsePriorityCharging answers NoProfile)', () => {
    const s = store();
    s.clear201({ chargingProfileId: 4 });
    expect(hasPriorityProfile(s.list(), 1)).toBe(false);
    expect(steps(composite(s, ['tx-1']))).toBe('10@0');
  });

  test('a PriorityCharging profile on evse 0 applies to the transaction on evse 1; one on evse 1 wins over it', () => {
    const s = new ProfileStore('2.1', limits({ additionalPurposes: ['PriorityCharging'] }));
    const p0 = wire(5, 'PriorityCharging', [{ startPeriod: 0, limit: 16 }]);
    s.install(0, profileFrom21(p0), p0, [TX]);
    expect(hasPriorityProfile(s.list(), 1)).toBe(true);
    expect(steps(composite(s, ['tx-1']))).toBe('16@0');
    const p1 = wire(6, 'PriorityCharging', [{ startPeriod: 0, limit: 12 }]);
    s.install(1, profileFrom21(p1), p1, [TX]);
    expect(steps(composite(s, ['tx-1']))).toBe('12@0');
  });

  test('K01.FR.70 / K01.FR.71: a PriorityCharging schedule with a duration, or a period not ChargingOnly, is rejected', () => {
    const s = new ProfileStore('2.1', limits({ additionalPurposes: ['PriorityCharging'], operationModes: ['ChargingOnly', 'CentralSetpoint'] }));
    const check = (w: Wire) => s.check(1, profileFrom21(w), [TX]);
    expect(check(wire(7, 'PriorityCharging', [{ startPeriod: 0, limit: 16 }], {}, { duration: 600 }))).toMatchObject({ status: 'Rejected', rule: 'K01.FR.70' });
    expect(check(wire(8, 'PriorityCharging', [{ startPeriod: 0, limit: 16, operationMode: 'CentralSetpoint', setpoint: 8 }]))).toMatchObject({ status: 'Rejected', rule: 'K01.FR.71' });
    expect(check(wire(9, 'PriorityCharging', [{ startPeriod: 0, limit: 16, operationMode: 'ChargingOnly' }]))).toEqual({ status: 'Accepted' });
  });
});

describe('2.1 LocalGeneration (issue #16, SC-21-12)', () => {
  test('how LocalGeneration combines is not established: the model leaves it out and names why', () => {
    const s = store();
    const w = wire(10, 'LocalGeneration', [{ startPeriod: 0, limit: 6 }]);
    expect(s.install(0, profileFrom21(w), w, [TX])).toEqual({ status: 'Accepted' });
    const r = composite(s);
    expect(steps(r)).toBe('10@0');
    expect(r.leftOut).toEqual([{ id: 10, evseId: 0, reason: expect.stringMatching(/LocalGeneration.*could not be established/) }]);
    expect((s.list() as Installed[]).find((i) => i.profile.id === 10)!.raw).toEqual(w);
  });
});
