import { compareComposite, compositeDifferences, type CompositeResult } from '../../src/smartcharging';

/**
 * rules §5.2 comparison rule, §10 (ε = 1 s): every differing stretch is reported, so a WARN-level one (a
 * negative limit where no profile applies yet) never hides a FAIL after it. MicroOcpp 1.6 (session 5): a
 * leading -1 for 0.4 s, before a TxDefault profile's whole-second start, hid a whole window of -1 where the
 * profile applied — SC-16-01, SC-16-22 and SC-X-06 passed it.
 */
const expected: CompositeResult = { unit: 'A', duration: 300, intervals: [{ from: 0, to: 0.4, limit: null }, { from: 0.4, to: 300, limit: 6 }] };

describe('compositeDifferences (rules §5.2, §10)', () => {
  test('-1 over the whole window: the leading negative-unvalidated stretch AND the value difference after it', () => {
    const d = compositeDifferences(expected, [{ startPeriod: 0, limit: -1 }], 300);
    expect(d.map((x) => [x.kind, x.from, x.to])).toEqual([
      ['negative-unvalidated', 0, 0.4],
      ['value', 0.4, 300],
    ]);
    // compareComposite still names the first (its callers that only need a yes/no are unchanged).
    expect(compareComposite(expected, [{ startPeriod: 0, limit: -1 }], 300)).toMatchObject({ ok: false, kind: 'negative-unvalidated' });
  });

  test('-1 until the next whole second, then the limit: the 0.6 s sliver is the unvalidated boundary shifted (< ε), not a wrong value', () => {
    const d = compositeDifferences(expected, [{ startPeriod: 0, limit: -1 }, { startPeriod: 1, limit: 6 }], 300);
    expect(d.map((x) => x.kind)).toEqual(['negative-unvalidated', 'negative-unvalidated']);
    expect(d[1]!.message).toMatch(/next to a stretch where no profile applies \(its boundary shifted by less than ε\)/);
  });

  test('-1 for longer than ε where the limit applies: a value difference', () => {
    const d = compositeDifferences(expected, [{ startPeriod: 0, limit: -1 }, { startPeriod: 2, limit: 6 }], 300);
    expect(d.map((x) => [x.kind, x.from, x.to])).toEqual([
      ['negative-unvalidated', 0, 0.4],
      ['value', 0.4, 2],
    ]);
  });

  test('a negative run over several model stretches: only the part within ε of the unvalidated stretch is a shifted boundary', () => {
    const three: CompositeResult = { unit: 'A', duration: 300, intervals: [{ from: 0, to: 0.4, limit: null }, { from: 0.4, to: 1.2, limit: 16 }, { from: 1.2, to: 300, limit: 10 }] };
    const d = compositeDifferences(three, [{ startPeriod: 0, limit: -1 }, { startPeriod: 2, limit: 10 }], 300);
    expect(d.map((x) => [x.kind, x.from, x.to])).toEqual([
      ['negative-unvalidated', 0, 0.4],
      ['negative-unvalidated', 0.4, 1.2],
      ['value', 1.2, 2],
    ]);
  });

  test('a correct composite: no difference', () => {
    expect(compositeDifferences(expected, [{ startPeriod: 0, limit: 6 }], 300)).toEqual([]);
  });
});
