import { CompositeRequestError, compositeSchedule, toEpochSeconds } from '../../src/smartcharging';
import type { CompositeResult, Installed, ModelVersion, RateUnit, Transaction } from '../../src/smartcharging';
import { T0, at, installed, profile, steps, tx } from './fixtures';

function composite(
  version: ModelVersion,
  list: Installed[],
  txs: Transaction[],
  req: { evseId: number; duration: number; start?: number; unit?: RateUnit },
  evses = 2,
): CompositeResult {
  return compositeSchedule(
    { evseId: req.evseId, duration: req.duration, start: req.start ?? T0, ...(req.unit ? { unit: req.unit } : {}) },
    { version, installed: list, transactions: txs, evses, nominalVoltage: 230, rateUnits: ['A', 'W'] },
  );
}

/** Worked example A (rules §5.3): Max 10, TxDefault 6/10/8/15/8, TxProfile 8/11/16/6/12, all at `start`. */
function exampleA(startIso: string, durations: { max: number; txDefault: number; tx: number }): { list: Installed[]; txs: Transaction[] } {
  const txs = [tx(1, '42')];
  const list = [
    installed(0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 10]], duration: durations.max, startSchedule: startIso })),
    installed(
      1,
      profile({
        id: 2,
        purpose: 'TxDefaultProfile',
        periods: [[0, 6], [60, 10], [120, 8], [180, 15], [260, 8]],
        duration: durations.txDefault,
        startSchedule: startIso,
      }),
    ),
    installed(
      1,
      profile({
        id: 3,
        purpose: 'TxProfile',
        transactionId: '42',
        periods: [[0, 8], [50, 11], [140, 16], [200, 6], [240, 12]],
        duration: durations.tx,
        startSchedule: startIso,
      }),
    ),
  ];
  return { list, txs };
}

describe('rules §5.3 worked example A (combining purposes)', () => {
  for (const version of ['1.6', '2.0.1'] as const) {
    test(`${version}: rules §5.3 worked example A (${version === '1.6' ? 'TC_066_CS' : 'TC_K_41_CS'}): 8@0,10@50,6@200,10@240,8@260,10@300`, () => {
      const { list, txs } = exampleA(at(0), { max: 86400, txDefault: 300, tx: 260 });
      const r = composite(version, list, txs, { evseId: 1, duration: 400, unit: 'A' });
      expect(r.unit).toBe('A');
      expect(r.duration).toBe(400);
      expect(r.intervals).toEqual([
        { from: 0, to: 50, limit: 8 },
        { from: 50, to: 200, limit: 10 },
        { from: 200, to: 240, limit: 6 },
        { from: 240, to: 260, limit: 10 },
        { from: 260, to: 300, limit: 8 },
        { from: 300, to: 400, limit: 10 },
      ]);
    });

    test(`${version}: rules §5.3 worked example A shifted by x = 10 s: 8@0,10@40,6@190,10@230,8@250,10@290`, () => {
      const { list, txs } = exampleA(at(0), { max: 86400, txDefault: 300, tx: 260 });
      const r = composite(version, list, txs, { evseId: 1, duration: 400, unit: 'A', start: T0 + 10 });
      expect(steps(r)).toBe('8@0 10@40 6@190 10@230 8@250 10@290');
      expect(r.intervals[r.intervals.length - 1]!.to).toBe(400);
    });
  }

  test('rules §5.3 libocpp fixture OCCT_TC_K_41_CS (startSchedule 4 s earlier, durations +4): 8@0,10@46,6@196,10@236,8@260,10@300', () => {
    const { list, txs } = exampleA(at(-4), { max: 86404, txDefault: 304, tx: 264 });
    const r = composite('2.0.1', list, txs, { evseId: 1, duration: 400, unit: 'A' });
    expect(steps(r)).toBe('8@0 10@46 6@196 10@236 8@260 10@300');
  });

  test('rules §5.3: TxProfile of another transaction id does not apply (only TxDefault under Max)', () => {
    const { list } = exampleA(at(0), { max: 86400, txDefault: 300, tx: 260 });
    const r = composite('2.0.1', list, [tx(1, '43')], { evseId: 1, duration: 400 });
    // TxDefault 6/10/8/15/8 under Max 10; then Max alone.
    expect(steps(r)).toBe('6@0 10@60 8@120 10@180 8@260 10@300');
  });
});

describe('rules §5.4 worked example B (stacking)', () => {
  const list = [
    installed(1, profile({ id: 10, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6], [100, 8], [200, 10]], duration: 400 })),
    installed(1, profile({ id: 11, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 7], [100, 9]], duration: 150 })),
  ];
  for (const version of ['1.6', '2.0.1'] as const) {
    test(`${version}: rules §5.4 worked example B (${version === '1.6' ? 'TC_072_CS' : 'TC_K_40_CS'}): 7@0,9@100,8@150,10@200 over 350 s, no transaction`, () => {
      const r = composite(version, list, [], { evseId: 1, duration: 350 });
      expect(r.intervals).toEqual([
        { from: 0, to: 100, limit: 7 },
        { from: 100, to: 150, limit: 9 },
        { from: 150, to: 200, limit: 8 },
        { from: 200, to: 350, limit: 10 },
      ]);
    });
  }
  test('rules §5.4 worked example B shifted by x = 3 s: 7@0,9@97,8@147,10@197', () => {
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 350, start: T0 + 3 }))).toBe('7@0 9@97 8@147 10@197');
  });
  test('rules §5.4: after stackLevel 0 ends too, the window tail is unvalidated (null)', () => {
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 500 }))).toBe('7@0 9@100 8@150 10@200 -@400');
  });
});

describe('rules §5.1 / SC-16-02: TxProfile replaces TxDefault, never min-combined', () => {
  test('SC-16-02 (TC_057_CS): TxDefault 6 + TxProfile 10@0,4@100 (200 s) → 10@0, 4@100, 6@200', () => {
    const list = [
      installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6]], duration: 300 })),
      installed(1, profile({ id: 2, purpose: 'TxProfile', transactionId: '7', periods: [[0, 10], [100, 4]], duration: 200 })),
    ];
    expect(steps(composite('1.6', list, [tx(1, '7')], { evseId: 1, duration: 300 }))).toBe('10@0 4@100 6@200');
  });
  test('rules §4.1: a top-level profile without duration never falls back to lower stack levels', () => {
    const list = [
      installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 16], [100, 12]] })),
    ];
    expect(steps(composite('1.6', list, [], { evseId: 1, duration: 300 }))).toBe('16@0 12@100');
  });
  test('rules §5.2 step 3: a gap in a higher stack level (validity window) falls through to the lower level', () => {
    const list = [
      installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 3, periods: [[0, 20]], validFrom: at(100), validTo: at(200) })),
      installed(1, profile({ id: 3, purpose: 'TxDefaultProfile', stackLevel: 2, periods: [[0, 12]], validFrom: at(150), validTo: at(250) })),
    ];
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 300 }))).toBe('6@0 20@100 12@200 6@250');
  });
});

describe('rules §5.2 step 2: Recurring (errata 3.43)', () => {
  const base = installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 10]], startSchedule: '2024-03-01T00:00:00Z' }));
  test('SC-16-20 Daily across midnight: window opens inside an occurrence that began yesterday 23:00', () => {
    const rec = installed(
      1,
      profile({
        id: 2,
        purpose: 'TxDefaultProfile',
        stackLevel: 1,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2024-03-09T23:00:00Z',
        periods: [[0, 6], [3600, 16]],
        duration: 7200,
      }),
    );
    const start = toEpochSeconds('2024-03-10T00:30:00Z');
    const r = composite('1.6', [base, rec], [], { evseId: 1, duration: 172800, start });
    // Occurrence of 03-09 23:00 (offset -5400): 16 A until 01:00 (offset 1800); next ones at 81000 and 167400.
    expect(steps(r)).toBe('16@0 10@1800 6@81000 16@84600 10@88200 6@167400 16@171000');
    expect(r.intervals[r.intervals.length - 1]!.to).toBe(172800);
  });
  test('SC-16-20 Weekly: occurrences every 604800 s, fall back to stackLevel 0 in between', () => {
    const rec = installed(
      1,
      profile({
        id: 3,
        purpose: 'TxDefaultProfile',
        stackLevel: 1,
        kind: 'Recurring',
        recurrencyKind: 'Weekly',
        startSchedule: '2024-03-04T08:00:00Z',
        periods: [[0, 6]],
        duration: 3600,
      }),
    );
    const start = toEpochSeconds('2024-03-05T00:00:00Z');
    const r = composite('2.0.1', [base, rec], [], { evseId: 1, duration: 14 * 86400, start });
    expect(steps(r)).toBe('10@0 6@547200 10@550800 6@1152000 10@1155600');
  });
  test('errata 3.43: periods starting beyond the recurrence length are never executed; each occurrence is cut at the next', () => {
    const rec = installed(
      1,
      profile({
        id: 4,
        purpose: 'TxDefaultProfile',
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: at(-3600),
        periods: [[0, 16], [90000, 4]],
      }),
    );
    const r = composite('2.0.1', [rec], [], { evseId: 1, duration: 3 * 86400 });
    expect(steps(r)).toBe('16@0');
  });
  test('rules §5.2 step 2 (IMPL): no occurrence before startSchedule', () => {
    const rec = installed(
      1,
      profile({ id: 5, purpose: 'TxDefaultProfile', kind: 'Recurring', recurrencyKind: 'Daily', startSchedule: at(100), periods: [[0, 6]], duration: 50 }),
    );
    expect(steps(composite('2.0.1', [rec], [], { evseId: 1, duration: 86400 + 200 }))).toBe('-@0 6@100 -@150 6@86500 -@86550');
  });
});

describe('rules §5.2 step 2: Relative', () => {
  const rel = installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', kind: 'Relative', periods: [[0, 16], [50, 20]] }));
  test('SC-16-21: Relative anchored at the transaction start (T), composite at T + 20 → 16@0, 20@30', () => {
    const txs: Transaction[] = [{ evseId: 1, transactionId: '5', startedAt: at(-20) }];
    expect(steps(composite('1.6', [rel], txs, { evseId: 1, duration: 100 }))).toBe('16@0 20@30');
  });
  test('TC_K_21_CS (IMPL): without a transaction the anchor is the window start → 16@0, 20@50', () => {
    expect(steps(composite('2.0.1', [rel], [], { evseId: 1, duration: 100 }))).toBe('16@0 20@50');
  });
  test('Relative with duration ends at anchor + duration', () => {
    const relDur = installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', kind: 'Relative', periods: [[0, 16]], duration: 40 }));
    const txs: Transaction[] = [{ evseId: 1, transactionId: '5', startedAt: at(-10) }];
    expect(steps(composite('2.0.1', [relDur], txs, { evseId: 1, duration: 100 }))).toBe('16@0 -@30');
  });
  test('SC-201-14 (a): Relative TxDefault 6 A with validFrom now + 300 → unvalidated, then 6 from 300', () => {
    const p = installed(1, profile({ id: 3, purpose: 'TxDefaultProfile', kind: 'Relative', periods: [[0, 6]], validFrom: at(300) }));
    expect(steps(composite('2.0.1', [p], [], { evseId: 1, duration: 400 }))).toBe('-@0 6@300');
  });
});

describe('rules §5.2 step 2: validFrom / validTo', () => {
  test('SC-16-22: TxDefault sl0 10 A + sl1 16 A valid [now+120, now+240) → 10@0, 16@120, 10@240', () => {
    const list = [
      installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 10]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 16]], validFrom: at(120), validTo: at(240) })),
    ];
    expect(steps(composite('1.6', list, [], { evseId: 1, duration: 300 }))).toBe('10@0 16@120 10@240');
  });
  test('SC-201-14 (c): Absolute startSchedule now + 60 → unvalidated until 60, then 6', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6]], startSchedule: at(60) }))];
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 300 }))).toBe('-@0 6@60');
  });
});

describe('rules §5.5 units and phases', () => {
  test('SC-16-19: 6900 W numberPhases 3 → 10.0 A', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', unit: 'W', periods: [[0, 6900, 3]] }))];
    const r = composite('1.6', list, [], { evseId: 1, duration: 100, unit: 'A' });
    expect(r.intervals).toEqual([{ from: 0, to: 100, limit: 10, numberPhases: 3 }]);
  });
  test('SC-16-19: 6900 W numberPhases 1 → 30.0 A', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', unit: 'W', periods: [[0, 6900, 1]] }))];
    const r = composite('1.6', list, [], { evseId: 1, duration: 100, unit: 'A' });
    expect(r.intervals[0]!.limit).toBeCloseTo(30, 9);
    expect(r.intervals[0]!.numberPhases).toBe(1);
  });
  test('SC-16-19: 16 A (3 phases) → 11040 W', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', unit: 'A', periods: [[0, 16, 3]] }))];
    expect(composite('1.6', list, [], { evseId: 1, duration: 100, unit: 'W' }).intervals[0]!.limit).toBe(11040);
  });
  test('SC-201-15 (a) K01.FR.49: 11040 W without numberPhases → 3 phases assumed → 16 A', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', unit: 'W', periods: [[0, 11040]] }))];
    const r = composite('2.0.1', list, [], { evseId: 1, duration: 100, unit: 'A' });
    expect(r.intervals[0]!.limit).toBeCloseTo(16, 9);
    expect(r.intervals[0]!.numberPhases).toBeUndefined();
  });
  test('SC-201-15 (b) errata 2025-01 §2.28: Max numberPhases 1 + TxDefault numberPhases 3 → min limit, numberPhases 1', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 16, 1]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 10, 3]] })),
    ];
    expect(composite('2.0.1', list, [], { evseId: 1, duration: 60 }).intervals).toEqual([{ from: 0, to: 60, limit: 10, numberPhases: 1 }]);
  });
  test('mixed units: Max 6900 W (3 ph) vs TxDefault 16 A → min in A is 10', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', unit: 'W', periods: [[0, 6900]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 16]] })),
    ];
    expect(composite('2.0.1', list, [], { evseId: 1, duration: 60, unit: 'A' }).intervals[0]!.limit).toBeCloseTo(10, 9);
    expect(composite('2.0.1', list, [], { evseId: 1, duration: 60, unit: 'W' }).intervals[0]!.limit).toBeCloseTo(6900, 9);
  });
  test('rules §11: unit omitted → first RateUnit entry', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 16]] }))];
    const r = compositeSchedule(
      { evseId: 1, duration: 60, start: T0 },
      { version: '2.0.1', installed: list, transactions: [], evses: 1, nominalVoltage: 230, rateUnits: ['W', 'A'] },
    );
    expect(r.unit).toBe('W');
    expect(r.intervals[0]!.limit).toBe(11040);
  });
});

describe('rules §5.2 step 6: EVSE / connector 0', () => {
  test('TC_K_22_CS / SC-201-14 (b): 6 A TxDefault on evse 0 with validTo now+300, 2 EVSEs → evse 1 = 6, evse 0 = 12, then unvalidated', () => {
    const list = [installed(0, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6]], validTo: at(300) }))];
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 400 }))).toBe('6@0 -@300');
    expect(steps(composite('2.0.1', list, [], { evseId: 2, duration: 400 }))).toBe('6@0 -@300');
    expect(steps(composite('2.0.1', list, [], { evseId: 0, duration: 400 }))).toBe('12@0 -@300');
    expect(steps(composite('2.0.1', list, [], { evseId: 0, duration: 400 }, 3))).toBe('18@0 -@300');
  });
  test('evse 0: sum then min with station Max (Max 10, 2 × 6 A) → 10', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 10]] })),
      installed(0, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 6]] })),
    ];
    expect(steps(composite('2.0.1', list, [], { evseId: 0, duration: 100 }))).toBe('10@0');
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 100 }))).toBe('6@0');
  });
  test('evse 0: an EVSE without limit makes the sum undefined, leaving Max alone', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 32]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 6]] })),
    ];
    expect(steps(composite('2.0.1', list, [], { evseId: 0, duration: 100 }))).toBe('32@0');
    expect(steps(composite('2.0.1', list.slice(1), [], { evseId: 0, duration: 100 }))).toBe('-@0');
  });
  test('evse 0: per-EVSE TxProfile counts in the sum (evse 1 TxProfile 4 A + evse 2 TxDefault 6 A → 10 A)', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6]] })),
      installed(1, profile({ id: 2, purpose: 'TxProfile', transactionId: 'T1', periods: [[0, 4]], duration: 50 })),
    ];
    expect(steps(composite('2.0.1', list, [tx(1, 'T1')], { evseId: 0, duration: 100 }))).toBe('10@0 12@50');
  });
});

describe('rules §5.2 step 4: TxDefault placement', () => {
  test('SC-16-10 (1.6 §3.13.1): connector-0 TxDefault 16, connector-1 TxDefault 10 → connector 1 = 10, connector 2 = 16', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 2, periods: [[0, 16]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 2, periods: [[0, 10]] })),
    ];
    expect(steps(composite('1.6', list, [], { evseId: 1, duration: 100 }))).toBe('10@0');
    expect(steps(composite('1.6', list, [], { evseId: 2, duration: 100 }))).toBe('16@0');
  });
  test('1.6 §3.13.1: a connector-N TxDefault replaces connector 0 entirely, even outside its validity; 2.0.1 resolves both by stackLevel', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 16]] })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 2, periods: [[0, 10]], validFrom: at(100) })),
    ];
    expect(steps(composite('1.6', list, [], { evseId: 1, duration: 200 }))).toBe('-@0 10@100');
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 200 }))).toBe('16@0 10@100');
  });
  test('2.0.1 K01.FR.14/.15: higher-stackLevel evse-0 TxDefault wins over a lower evse-N one', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 3, periods: [[0, 16]], duration: 60 })),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 10]] })),
    ];
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 100 }))).toBe('16@0 10@60');
  });
  test('K02: ExternalConstraints (evse 0) joins the minimum', () => {
    const list = [
      installed(0, profile({ id: 1, purpose: 'ChargingStationExternalConstraints', periods: [[0, 7]], duration: 50 }), 'EMS'),
      installed(1, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 10]] })),
    ];
    expect(steps(composite('2.0.1', list, [], { evseId: 1, duration: 100 }))).toBe('7@0 10@50');
  });
  test('SC-16-01 (TC_056_CS): TxDefault counts without a transaction', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxDefaultProfile', periods: [[0, 6]], duration: 300 }))];
    expect(steps(composite('1.6', list, [], { evseId: 1, duration: 300 }))).toBe('6@0');
  });
  test('SC-16-29: a TxProfile left over from an ended transaction does not influence a new one', () => {
    const list = [installed(1, profile({ id: 1, purpose: 'TxProfile', transactionId: '1', periods: [[0, 4]] }))];
    expect(steps(composite('1.6', list, [tx(1, '2')], { evseId: 1, duration: 60 }))).toBe('-@0');
    expect(steps(composite('1.6', list, [tx(1, '1')], { evseId: 1, duration: 60 }))).toBe('4@0');
  });
  test('no profiles (TC_K_39_CS): one unvalidated interval over the whole window', () => {
    expect(composite('2.0.1', [], [], { evseId: 0, duration: 300 }).intervals).toEqual([{ from: 0, to: 300, limit: null }]);
  });
});

describe('K08.FR.05 / K08.FR.07: requests a station rejects', () => {
  test('K08.FR.05: unknown evse → CompositeRequestError', () => {
    expect(() => composite('2.0.1', [], [], { evseId: 3, duration: 10 })).toThrow(CompositeRequestError);
    try {
      composite('2.0.1', [], [], { evseId: 3, duration: 10 });
    } catch (e) {
      expect((e as CompositeRequestError).rule).toBe('K08.FR.05');
    }
  });
  test('K08.FR.07: unsupported unit → CompositeRequestError', () => {
    const call = (): unknown =>
      compositeSchedule(
        { evseId: 1, duration: 10, start: T0, unit: 'W' },
        { version: '2.0.1', installed: [], transactions: [], evses: 1, nominalVoltage: 230, rateUnits: ['A'] },
      );
    expect(call).toThrow(/K08\.FR\.07/);
  });
});
