import { compareComposite, compositeSchedule, type CompositeContext, type Period } from '../../src/smartcharging';
import { ANCHOR_SHIFT_S } from '../../suites/cs/composite';
import { T0, installed, profile, tx } from './fixtures';

/**
 * Issue #14: SC-16-21 / SC-201-27 wait ANCHOR_SHIFT_S between installing the Relative TxDefault and
 * starting the transaction, SC-16-34 / SC-201-31 let the transaction age ANCHOR_SHIFT_S + 1 — no longer
 * Δ + 2 / Δ + 4 s. This pins the reason: the composite is compared anchored on the reported scheduleStart
 * with ε = 1 s (rules §10 convention 2), so a station anchoring at the installation (boundary earlier by
 * the gap, give or take one second of whole-second flooring) fails the comparison, while a correct one
 * is compared exactly whatever its clock offset.
 */
describe('rules §10 / §5.2 step 2: the Relative-anchor wait exceeds what the comparison absorbs (SC-201-27, SC-16-21)', () => {
  const ctx: CompositeContext = {
    version: '2.0.1',
    installed: [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', kind: 'Relative', periods: [[0, 16], [50, 20]] }))],
    // The transaction started 1 s before the composite (the case asks right after the start).
    transactions: [tx(1, 'T', -1)],
    evses: 2,
    nominalVoltage: 230,
    rateUnits: ['A', 'W'],
  };
  const expected = compositeSchedule({ evseId: 1, duration: 300, unit: 'A', start: T0 }, ctx);
  const reported = (boundary: number): Period[] => [{ startPeriod: 0, limit: 16 }, { startPeriod: boundary, limit: 20 }];

  test('the correct anchor (boundary at T + 50 = 49) passes', () => {
    expect(compareComposite(expected, reported(49), 300)).toEqual({ ok: true });
  });
  test(`anchored at the installation ${ANCHOR_SHIFT_S} s before the start: fails, even with a second of flooring in the station's favour`, () => {
    for (const boundary of [49 - ANCHOR_SHIFT_S, 49 - ANCHOR_SHIFT_S + 1]) {
      expect(compareComposite(expected, reported(boundary), 300)).toMatchObject({ ok: false, kind: 'value' });
    }
  });
  test('SC-201-31 / SC-16-34: a schedule laid from scheduleStart in a transaction ANCHOR_SHIFT_S + 1 s old fails', () => {
    const age = ANCHOR_SHIFT_S + 1;
    const old = { ...ctx, transactions: [tx(1, 'T', -age)], installed: [installed(1, profile({ id: 2, purpose: 'TxProfile', kind: 'Relative', transactionId: 'T', periods: [[0, 10], [age + 60, 16]] }))] };
    const exp = compositeSchedule({ evseId: 1, duration: 300, unit: 'A', start: T0 }, old);
    // Correct: 16 A from 60; not rebased: from age + 60 (and one second of flooring either way).
    expect(compareComposite(exp, [{ startPeriod: 0, limit: 10 }, { startPeriod: 60, limit: 16 }], 300)).toEqual({ ok: true });
    for (const b of [age + 60, age + 59]) expect(compareComposite(exp, [{ startPeriod: 0, limit: 10 }, { startPeriod: b, limit: 16 }], 300)).toMatchObject({ ok: false });
  });
});
