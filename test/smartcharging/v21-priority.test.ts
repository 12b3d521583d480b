/**
 * Issue #16 (2.1 priority charging, new purposes): what the model computes for the PriorityCharging and
 * LocalGeneration purposes, as worked examples. Sources: 2.1 schema texts (UsePriorityChargingRequest.activate,
 * NotifyPriorityChargingRequest.activated), K01.FR.70/.71 as libocpp cites them; README "Priority charging".
 */
import { ProfileStore, compareOperationModes, compositeSchedule, hasPriorityProfile, profileFrom21, profileToWire201, toPeriods, type Installed } from '../../src/smartcharging';
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

describe('2.1 operationMode periods in the composite (issue #16, SC-21-13)', () => {
  const modes = limits({ operationModes: ['ChargingOnly', 'CentralSetpoint', 'ExternalSetpoint'] });
  const setpointProfile = wire(20, 'TxDefaultProfile', [
    { startPeriod: 0, limit: 16, operationMode: 'CentralSetpoint', setpoint: 8, dischargeLimit: -4 },
    { startPeriod: 120, operationMode: 'CentralSetpoint', setpoint: -2 },
  ]);
  const window = (s: ProfileStore, evseId = 1) => compositeSchedule({ evseId, duration: 600, unit: 'A', start: T0 }, s.compositeContext([]));

  test('sole source: the composite carries the period as it is (mode, setpoint, dischargeLimit; no limit where it has none)', () => {
    const s = new ProfileStore('2.1', modes);
    expect(s.install(1, profileFrom21(setpointProfile), setpointProfile, [])).toEqual({ status: 'Accepted' });
    const r = window(s);
    expect(r.leftOut).toBeUndefined();
    expect(r.intervals).toEqual([
      { from: 0, to: 120, limit: 16, v2x: { operationMode: 'CentralSetpoint', fields: { setpoint: 8, dischargeLimit: -4 } } },
      { from: 120, to: 600, limit: null, v2x: { operationMode: 'CentralSetpoint', fields: { setpoint: -2 }, limitAbsent: true } },
    ]);
    // What the reference station sends: flat 2.1 period fields, no limit in the second period.
    expect(toPeriods(r)).toEqual([
      { startPeriod: 0, limit: 16, operationMode: 'CentralSetpoint', setpoint: 8, dischargeLimit: -4 },
      { startPeriod: 120, operationMode: 'CentralSetpoint', setpoint: -2 },
    ]);
    expect(compareOperationModes(r, toPeriods(r), 600)).toEqual({ ok: true });
    expect(compareOperationModes(r, [{ startPeriod: 0, limit: 16 }, { startPeriod: 120, limit: 48 }], 600)).toMatchObject({ ok: false, field: 'operationMode', required: true, from: 0, to: 120 });
    const noDischarge = toPeriods(r).map(({ startPeriod, limit, ...rest }) => ({ startPeriod, limit, ...rest, dischargeLimit: undefined }));
    expect(compareOperationModes(r, noDischarge, 600)).toMatchObject({ ok: false, field: 'dischargeLimit', required: false });
    // Written back to the wire unchanged (GetChargingProfiles echo, rules §6.2).
    expect(profileToWire201(profileFrom21(setpointProfile), '2.1')).toEqual(setpointProfile);
  });

  test('combined with a Max on evse 0, or asked for evse 0: not established, the profile is named in leftOut', () => {
    const s = new ProfileStore('2.1', modes);
    s.install(1, profileFrom21(setpointProfile), setpointProfile, []);
    expect(window(s, 0).leftOut).toEqual([{ id: 20, evseId: 1, reason: expect.stringMatching(/CentralSetpoint.*could not be established/) }]);
    const max = wire(21, 'ChargingStationMaxProfile', [{ startPeriod: 0, limit: 32 }]);
    s.install(0, profileFrom21(max), max, []);
    const r = window(s);
    expect(r.leftOut).toEqual([{ id: 20, evseId: 1, reason: expect.stringMatching(/meets other limits/) }]);
    expect(steps(r)).toBe('16@0 32@120');
  });

  test('ChargingOnly periods with per-phase limits (limit_L2/L3) stay outside the composite model, with the reason', () => {
    const w = wire(22, 'TxDefaultProfile', [{ startPeriod: 0, limit: 16, limit_L2: 10, limit_L3: 10 }]);
    expect(profileFrom21(w).outsideComposite).toMatch(/limit_L2, limit_L3/);
  });
});
