import { compareComposite, toPeriods } from '../../src/smartcharging';
import type { CompositeResult, Period } from '../../src/smartcharging';

/** Expected result of worked example A (rules §5.3). */
const A: CompositeResult = {
  unit: 'A',
  duration: 400,
  intervals: [
    { from: 0, to: 50, limit: 8 },
    { from: 50, to: 200, limit: 10 },
    { from: 200, to: 240, limit: 6 },
    { from: 240, to: 260, limit: 10 },
    { from: 260, to: 300, limit: 8 },
    { from: 300, to: 400, limit: 10 },
  ],
};
const P = (...xs: [number, number][]): Period[] => xs.map(([startPeriod, limit]) => ({ startPeriod, limit }));
const exact = P([0, 8], [50, 10], [200, 6], [240, 10], [260, 8], [300, 10]);

describe('compareComposite: step functions over the whole window (rules §5.2, §10)', () => {
  test('exact match → ok', () => {
    expect(compareComposite(A, exact, 400)).toEqual({ ok: true });
  });
  test('rules §5.2 step 8 (IMPL): unmerged equal neighbours are the same step function → ok', () => {
    const unmerged = P([0, 8], [50, 10], [60, 10], [120, 10], [140, 10], [180, 10], [200, 6], [240, 10], [260, 8], [300, 10]);
    expect(compareComposite(A, unmerged, 400)).toEqual({ ok: true });
  });
  test('rules §10: every boundary shifted by 1 s (ε) → ok; by −1 s → ok', () => {
    expect(compareComposite(A, P([0, 8], [51, 10], [201, 6], [241, 10], [261, 8], [301, 10]), 400)).toEqual({ ok: true });
    expect(compareComposite(A, P([0, 8], [49, 10], [199, 6], [239, 10], [259, 8], [299, 10]), 400)).toEqual({ ok: true });
  });
  test('wrong boundary (2 s late, beyond ε) → fails at [50,52) expected 10, actual 8', () => {
    const r = compareComposite(A, P([0, 8], [52, 10], [200, 6], [240, 10], [260, 8], [300, 10]), 400);
    expect(r).toMatchObject({ ok: false, from: 50, to: 52, expected: 10, actual: 8, kind: 'value' });
  });
  test('epsilon option widens the boundary tolerance (2 s late with ε = 2 → ok)', () => {
    expect(compareComposite(A, P([0, 8], [52, 10], [200, 6], [240, 10], [260, 8], [300, 10]), 400, { epsilonS: 2 })).toEqual({ ok: true });
  });
  test('catalogue §5: wrong tail is caught, not a prefix comparison (TC_K_41 Part 6 lists only 4 periods)', () => {
    const prefixOnly = P([0, 8], [50, 10], [200, 6], [240, 10]);
    const r = compareComposite(A, prefixOnly, 400);
    expect(r).toMatchObject({ ok: false, from: 260, to: 300, expected: 8, actual: 10, kind: 'value' });
  });
  test('wrong value in the middle → first differing interval reported with both values', () => {
    const r = compareComposite(A, P([0, 8], [50, 10], [200, 7], [240, 10], [260, 8], [300, 10]), 400);
    expect(r).toMatchObject({ ok: false, from: 200, to: 240, expected: 6, actual: 7 });
    if (!r.ok) expect(r.message).toContain('[200, 240)');
  });
  test('tolerance: ±0.1 A accepted, 0.2 A rejected', () => {
    expect(compareComposite(A, P([0, 8.1], [50, 9.9], [200, 6], [240, 10], [260, 8], [300, 10]), 400)).toEqual({ ok: true });
    expect(compareComposite(A, P([0, 8.2], [50, 10], [200, 6], [240, 10], [260, 8], [300, 10]), 400)).toMatchObject({ ok: false, from: 0, to: 50 });
  });
  test('tolerance in W: ±0.1 % accepted (11040 vs 11050), 0.2 % rejected', () => {
    const W: CompositeResult = { unit: 'W', duration: 100, intervals: [{ from: 0, to: 100, limit: 11040 }] };
    expect(compareComposite(W, P([0, 11050]), 100)).toEqual({ ok: true });
    expect(compareComposite(W, P([0, 11065]), 100)).toMatchObject({ ok: false, expected: 11040, actual: 11065 });
  });
  test('rules §5.2 step 7: unvalidated intervals accept any non-negative value (48 A, 0), but the neighbours still hold', () => {
    const E: CompositeResult = { unit: 'A', duration: 400, intervals: [{ from: 0, to: 300, limit: 6 }, { from: 300, to: 400, limit: null }] };
    expect(compareComposite(E, P([0, 6], [300, 48]), 400)).toEqual({ ok: true });
    expect(compareComposite(E, P([0, 6], [300, 0]), 400)).toEqual({ ok: true });
    expect(compareComposite(E, P([0, 6]), 400)).toEqual({ ok: true });
    // misplaced boundary: 48 reported from 250 → the validated 6 A interval fails over [250, 300)
    expect(compareComposite(E, P([0, 6], [250, 48]), 400)).toMatchObject({ ok: false, from: 250, to: 300, expected: 6, actual: 48 });
  });
  test('rules §11: a negative value where no profile applies (MicroOcpp −1) → kind negative-unvalidated', () => {
    const E: CompositeResult = { unit: 'A', duration: 100, intervals: [{ from: 0, to: 100, limit: null }] };
    expect(compareComposite(E, P([0, -1]), 100)).toMatchObject({ ok: false, kind: 'negative-unvalidated', from: 0, to: 100 });
  });
  test('shorter reported duration leaves the tail uncovered → missing; truncateToReported judges the sent part only', () => {
    expect(compareComposite(A, exact, 350)).toMatchObject({ ok: false, from: 350, to: 400, expected: 10, actual: null, kind: 'missing' });
    expect(compareComposite(A, exact, 350, { truncateToReported: true })).toEqual({ ok: true });
  });
  test('reported periods not strictly increasing → structure failure', () => {
    expect(compareComposite(A, P([0, 8], [50, 10], [50, 6]), 400)).toMatchObject({ ok: false, kind: 'structure' });
  });
  test('first reported period starting late leaves [0, start) uncovered → missing', () => {
    expect(compareComposite(A, P([5, 8], [50, 10], [200, 6], [240, 10], [260, 8], [300, 10]), 400)).toMatchObject({ ok: false, from: 0, to: 5, kind: 'missing' });
  });
  test('rules §10 item 3: a boundary within ε of the window start is accepted with or without the short leading period', () => {
    const E: CompositeResult = { unit: 'A', duration: 100, intervals: [{ from: 0, to: 1, limit: 6 }, { from: 1, to: 100, limit: 10 }] };
    expect(compareComposite(E, P([0, 10]), 100)).toEqual({ ok: true });
    expect(compareComposite(E, P([0, 6], [1, 10]), 100)).toEqual({ ok: true });
  });
  test('a short spike longer than 2ε between equal expected values is caught', () => {
    const E: CompositeResult = { unit: 'A', duration: 100, intervals: [{ from: 0, to: 100, limit: 10 }] };
    expect(compareComposite(E, P([0, 10], [40, 16], [43, 10]), 100)).toMatchObject({ ok: false, from: 40, to: 43, actual: 16 });
  });
});

describe('toPeriods: what a conforming station sends (rules §5.2 step 8, §8)', () => {
  test('merged, from 0, one decimal; unvalidated filled with 48 A (libocpp default)', () => {
    const r: CompositeResult = {
      unit: 'A',
      duration: 400,
      intervals: [
        { from: 0, to: 100, limit: 10.04 },
        { from: 100, to: 200, limit: 9.96 },
        { from: 200, to: 300, limit: 16.666666 },
        { from: 300, to: 400, limit: null },
      ],
    };
    expect(toPeriods(r)).toEqual(P([0, 10], [200, 16.7], [300, 48]));
  });
  test('W default 33120, explicit default overrides, numberPhases kept', () => {
    const r: CompositeResult = { unit: 'W', duration: 20, intervals: [{ from: 0, to: 10, limit: 6900, numberPhases: 1 }, { from: 10, to: 20, limit: null }] };
    expect(toPeriods(r)).toEqual([{ startPeriod: 0, limit: 6900, numberPhases: 1 }, { startPeriod: 10, limit: 33120 }]);
    expect(toPeriods(r, 0)).toEqual([{ startPeriod: 0, limit: 6900, numberPhases: 1 }, { startPeriod: 10, limit: 0 }]);
  });
  test('toPeriods output compares ok against its own source result', () => {
    expect(compareComposite(A, toPeriods(A), 400)).toEqual({ ok: true });
  });
});

describe('compareComposite messages use the unit on the wire (issue #11 item 10)', () => {
  test('reported values carry reportedUnit, expected values the model unit', () => {
    const W: CompositeResult = { unit: 'W', duration: 100, intervals: [{ from: 0, to: 100, limit: 2760 }] };
    const r = compareComposite(W, P([0, 12]), 100, { reportedUnit: 'A' });
    expect(r).toMatchObject({ ok: false, kind: 'value' });
    expect((r as { message: string }).message).toMatch(/expected 2760 W, reported 12 A/);
  });
});
