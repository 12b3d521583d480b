import { mergeConfig } from '../../src/runner/config';
import { model, type CaseContext } from '../../src/scenario';
import { SmartCharging, profileUnit, scenarioLimitInW } from '../../suites/lib/smartcharging';

type Payload = Record<string, unknown>;

/** The smallest CaseContext the profile builder reads (no session: nothing is sent). */
function fakeContext(ocpp: '1.6' | '2.0.1', rateUnits: ('A' | 'W')[]): { t: CaseContext; notes: string[] } {
  const config = mergeConfig({ ocpp, device: { rateUnits } });
  const notes: string[] = [];
  const t = {
    id: 'SC-UNIT',
    ocpp,
    config,
    caps: config.device,
    transactions: [],
    now: () => new Date('2026-01-01T00:00:00Z'),
    note: { info: (m: string) => notes.push(m), warn: (m: string) => notes.push(m) },
  } as unknown as CaseContext;
  return { t, notes };
}

const periodsOf = (sc: SmartCharging, p: Payload) => ((sc.v16 ? p.chargingSchedule : (p.chargingSchedule as Payload[])[0]) as Payload);

describe('issue #12 item 1: profiles in a unit the device supports (rules §5.5)', () => {
  test('profileUnit: A when supported, W on a W-only device', () => {
    expect(profileUnit(['A', 'W'])).toBe('A');
    expect(profileUnit(['A'])).toBe('A');
    expect(profileUnit(['W'])).toBe('W');
  });

  test('scenarioLimitInW: A × nominal voltage × numberPhases (3 when absent), whole watts for one-decimal amps', () => {
    expect(scenarioLimitInW(10, undefined, 230)).toBe(6900);
    expect(scenarioLimitInW(16, 1, 230)).toBe(3680);
    expect(scenarioLimitInW(8.1, 3, 230)).toBe(5589);
    expect(scenarioLimitInW(6.5, 2, 230)).toBe(2990);
  });

  test.each(['1.6', '2.0.1'] as const)('%s: declared device.rateUnits ["W"] → the builder sends W, converted, and says so once', (ocpp) => {
    const { t, notes } = fakeContext(ocpp, ['W']);
    const sc = new SmartCharging(t);
    expect(sc.unit).toBe('W');
    const s = periodsOf(sc, sc.profile({ id: 1, purpose: 'TxDefault', periods: [[0, 10], [60, 16, 1]] }));
    expect(s.chargingRateUnit).toBe('W');
    expect(s.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 6900 }, { startPeriod: 60, limit: 3680, numberPhases: 1 }]);
    expect(notes.filter((n) => /supports only W/.test(n))).toHaveLength(1);
    // An explicit unit is sent exactly as given (cross-unit steps, unsupported-unit rejections).
    const e = periodsOf(sc, sc.profile({ id: 2, purpose: 'TxDefault', unit: 'A', periods: [[0, 10]] }));
    expect(e).toMatchObject({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] });
  });

  test.each(['1.6', '2.0.1'] as const)('%s: with A supported the case figures are sent unchanged in A, no note', (ocpp) => {
    const { t, notes } = fakeContext(ocpp, ['A']);
    const sc = new SmartCharging(t);
    const s = periodsOf(sc, sc.profile({ id: 1, purpose: 'TxDefault', periods: [[0, 10]] }));
    expect(s).toMatchObject({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] });
    expect(notes).toEqual([]);
  });

  test('the model computes the same scenario in W exactly: W composite of the W profiles = A composite × 690', () => {
    const ctx = (unit: 'A' | 'W'): model.CompositeContext => {
      const store = new model.ProfileStore('2.0.1', { evses: 1, maxStackLevel: 8, maxProfiles: 10, maxPeriods: 10, rateUnits: [unit], nominalVoltage: 230 });
      const { t } = fakeContext('2.0.1', [unit]);
      const sc = new SmartCharging(t);
      const max = sc.profile({ id: 1, purpose: 'Max', periods: [[0, 12], [120, 8.1]], startSchedule: '2026-01-01T00:00:00Z' });
      const txd = sc.profile({ id: 2, purpose: 'TxDefault', periods: [[0, 10], [60, 16]], startSchedule: '2026-01-01T00:00:00Z' });
      expect(store.install(0, model.profileFrom201(max), max, []).status).toBe('Accepted');
      expect(store.install(1, model.profileFrom201(txd), txd, []).status).toBe('Accepted');
      return { ...store.compositeContext([]), installed: store.list() };
    };
    const start = model.toEpochSeconds('2026-01-01T00:00:00Z');
    const a = model.toPeriods(model.compositeSchedule({ evseId: 1, duration: 300, unit: 'A', start }, ctx('A')));
    const w = model.toPeriods(model.compositeSchedule({ evseId: 1, duration: 300, unit: 'W', start }, ctx('W')));
    expect(a.map((p) => p.limit)).toEqual([10, 12, 8.1]);
    expect(w.map((p) => p.limit)).toEqual([6900, 8280, 5589]);
  });
});
