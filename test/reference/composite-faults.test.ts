/**
 * The reference station's composite faults (issue #11 items 4, 5) do what their names say, so the
 * mutation self-test exercises the right behaviour.
 */
import { notRebased, truncated } from '../../src/reference/composite-faults';
import { InstallClock } from '../../src/reference/relative-anchor-fault';
import { answerCompositeSchedule } from '../../src/station/answers';
import { T0, installed, profile, tx } from '../smartcharging/fixtures';
import type { CompositeContext } from '../../src/smartcharging';

const ctx = (over: Partial<CompositeContext>): CompositeContext => ({ version: '2.0.1', installed: [], transactions: [], evses: 2, nominalVoltage: 230, rateUnits: ['A', 'W'], ...over });
const periods = (p: Record<string, unknown>) => ((p.schedule ?? p.chargingSchedule) as { chargingSchedulePeriod: unknown[]; duration: number });

describe('composite-truncated (SAP: 350 s answered with 150 s)', () => {
  test('worked example B: the composite stops where the stackLevel-1 profile ends', () => {
    const c = ctx({
      installed: [
        installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6], [100, 8], [200, 10]], duration: 400 })),
        installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 7], [100, 9]], duration: 150 })),
      ],
    });
    const correct = answerCompositeSchedule(c, { evseId: 1, duration: 350, chargingRateUnit: 'A' }, T0);
    const cut = periods(truncated(correct, c, 1, T0));
    expect(cut.duration).toBe(150);
    expect(cut.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 7 }, { startPeriod: 100, limit: 9 }]);
  });
  test('1.6 TxProfile ending before the TxDefault: cut at the TxProfile end', () => {
    const c = ctx({
      version: '1.6',
      transactions: [tx(1, '7', -10)],
      installed: [
        installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6]], duration: 300 })),
        installed(1, profile({ id: 2, purpose: 'TxProfile', transactionId: '7', periods: [[0, 10], [100, 4]], duration: 200 })),
      ],
    });
    const out = truncated(answerCompositeSchedule(c, { connectorId: 1, duration: 300, chargingRateUnit: 'A' }, T0), c, 1, T0);
    expect(periods(out).duration).toBe(200);
  });
});

describe('composite-offsets-not-rebased (SAP: startPeriods from the profile start)', () => {
  test('an Absolute profile from an hour ago is laid from scheduleStart; a fresh one is untouched', () => {
    const old = installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 16], [3720, 10]], startSchedule: new Date((T0 - 3600) * 1000).toISOString() }));
    const fresh = installed(2, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 16], [120, 10]], startSchedule: new Date((T0 - 3) * 1000).toISOString() }));
    const c = notRebased(ctx({ installed: [old, fresh] }), T0);
    expect(periods(answerCompositeSchedule(c, { evseId: 1, duration: 900, chargingRateUnit: 'A' }, T0)).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 16 }]);
    expect(c.installed[1]).toBe(fresh);
  });
  test('a Relative profile in a transaction older than 3 s is anchored at scheduleStart', () => {
    const c = notRebased(ctx({ transactions: [tx(1, 'T', -30)], installed: [installed(1, profile({ id: 1, purpose: 'TxProfile', kind: 'Relative', transactionId: 'T', periods: [[0, 10], [60, 16]] }))] }), T0);
    expect(periods(answerCompositeSchedule(c, { evseId: 1, duration: 300, chargingRateUnit: 'A' }, T0)).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 10 }, { startPeriod: 60, limit: 16 }]);
  });
});

describe('relative-anchored-at-install (SC-16-21 / SC-201-27, rules §5.2 step 2)', () => {
  const relative = (id: number) => installed(1, profile({ id, purpose: 'TxDefaultProfile', kind: 'Relative', periods: [[0, 16], [50, 20]] }));
  test('a Relative profile installed 3 s before the transaction start runs from its installation', () => {
    const clock = new InstallClock();
    clock.note(1, T0 - 13);
    const c = clock.anchoredAtInstall(ctx({ transactions: [tx(1, 'T', -10)], installed: [relative(1)] }));
    // Correct: 20 A from T + 50 = T0 + 40; anchored at the install: from T0 + 37.
    expect(periods(answerCompositeSchedule(c, { evseId: 1, duration: 300, chargingRateUnit: 'A' }, T0)).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 16 }, { startPeriod: 37, limit: 20 }]);
  });
  test('installed during the transaction, or without one: untouched', () => {
    const clock = new InstallClock();
    clock.note(1, T0 - 5);
    const during = ctx({ transactions: [tx(1, 'T', -10)], installed: [relative(1)] });
    expect(clock.anchoredAtInstall(during).installed[0]).toBe(during.installed[0]);
    const none = ctx({ installed: [relative(1)] });
    expect(clock.anchoredAtInstall(none).installed[0]).toBe(none.installed[0]);
  });
});
