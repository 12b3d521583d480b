/**
 * Issue #15 §1: the SVG chart builder of the HTML report — expected and reported step functions on one
 * axis, unvalidated intervals (rules §5.2 step 7) shaded, the first differing interval (rules §5.2
 * "Comparison rule") marked. Geometry with the default size 720×240, margins l 56 / r 16 / t 30 / b 40:
 * x(s) = 56 + s / D × 648, plot from y 30 to y 200.
 */
import { compositeChartSvg, esc, niceTicks, orderedStack, profileStackSvg, reportedSteps } from '../../src/report/html-chart';
import type { CompositeComparison } from '../../src/report/types';

function comparison(over: Partial<CompositeComparison> = {}): CompositeComparison {
  return {
    evseId: 1,
    requestedDuration: 100,
    unit: 'A',
    reportedUnit: 'A',
    scheduleStart: '2025-03-04T10:00:00.000Z',
    expectedDuration: 100,
    expected: [
      { from: 0, to: 50, limit: null },
      { from: 50, to: 100, limit: 10 },
    ],
    reportedDuration: 100,
    reported: [
      { startPeriod: 0, limit: 5 },
      { startPeriod: 50, limit: 12 },
    ],
    differences: [{ from: 50, to: 100, expected: 10, actual: 12, kind: 'value', message: 'composite differs over [50, 100) s: expected 10 A, reported 12 A', level: 'fail' }],
    ...over,
  };
}

/** Attributes of every element `<tag ... data-role="role" ...>` in the SVG. */
function elements(svg: string, role: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<(\\w+) data-role="${role}"([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[2] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

/** Path commands as [letter, numbers]. */
function commands(d: string): [string, number[]][] {
  return [...d.matchAll(/([MHV])([^MHV]*)/g)].map((m) => [m[1]!, m[2]!.trim().split(/\s+/).map(Number)]);
}

describe('reportedSteps (periods → intervals)', () => {
  test('each period holds until the next startPeriod; the last until the duration', () => {
    expect(reportedSteps([{ startPeriod: 0, limit: 8 }, { startPeriod: 50, limit: 10 }], 100)).toEqual([
      { from: 0, to: 50, limit: 8 },
      { from: 50, to: 100, limit: 10 },
    ]);
  });
  test('periods beyond the duration are dropped; out-of-order periods are drawn where they claim to start', () => {
    expect(reportedSteps([{ startPeriod: 60, limit: 3 }, { startPeriod: 0, limit: 8 }, { startPeriod: 120, limit: 1 }], 100)).toEqual([
      { from: 0, to: 60, limit: 8 },
      { from: 60, to: 100, limit: 3 },
    ]);
  });
});

describe('compositeChartSvg (rules §5.2)', () => {
  test('the expected step function skips the unvalidated interval; the reported one is continuous', () => {
    const svg = compositeChartSvg(comparison());
    const [expected] = elements(svg, 'expected');
    const [reported] = elements(svg, 'reported');
    // expected: only [50, 100) at 10 A — one move, one horizontal run, starting at x(50) = 380.
    const e = commands(expected!.d!);
    expect(e.map(([c]) => c)).toEqual(['M', 'H']);
    expect(e[0]![1][0]).toBe(380);
    expect(e[1]![1][0]).toBe(704);
    // reported: 5 A over [0, 50), a vertical step at 50 s to 12 A, then to the end.
    const r = commands(reported!.d!);
    expect(r.map(([c]) => c)).toEqual(['M', 'H', 'V', 'H']);
    expect(r[0]![1][0]).toBe(56);
    expect(r[1]![1][0]).toBe(380);
    // 12 A is higher on the page than 5 A (smaller y).
    expect(r[2]![1][0]).toBeLessThan(r[0]![1][1]!);
  });

  test('unvalidated intervals are shaded over the whole plot height', () => {
    const shaded = elements(compositeChartSvg(comparison()), 'unvalidated');
    expect(shaded).toHaveLength(1);
    expect(shaded[0]).toMatchObject({ 'data-from': '0', 'data-to': '50', x: '56', width: '324', y: '30', height: '170' });
    expect(elements(compositeChartSvg(comparison({ expected: [{ from: 0, to: 100, limit: 10 }] })), 'unvalidated')).toEqual([]);
  });

  test('the first FAIL-level difference is marked (a leading WARN never hides it), a WARN only when nothing fails; no mark when the composite matches', () => {
    const [mark] = elements(compositeChartSvg(comparison()), 'first-difference');
    expect(mark).toMatchObject({ 'data-from': '50', 'data-to': '100', 'data-level': 'fail', x: '380', width: '324', fill: '#d93025' });
    const warnFirst = comparison({
      differences: [
        { from: 10, to: 20, expected: 10, actual: 11, kind: 'value', message: 'w', level: 'warn' },
        { from: 50, to: 100, expected: 10, actual: 12, kind: 'value', message: 'f', level: 'fail' },
      ],
    });
    const marks = elements(compositeChartSvg(warnFirst), 'first-difference');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ 'data-from': '50', 'data-level': 'fail', fill: '#d93025' });
    const warnOnly = comparison({ differences: [{ from: 10, to: 20, expected: 10, actual: 11, kind: 'value', message: 'w', level: 'warn' }] });
    expect(elements(compositeChartSvg(warnOnly), 'first-difference')[0]).toMatchObject({ 'data-from': '10', 'data-level': 'warn', fill: '#f9ab00' });
    expect(elements(compositeChartSvg(comparison({ differences: [] })), 'first-difference')).toEqual([]);
  });

  test('a shorter reported duration ends the reported line there and is marked (rules §5.6)', () => {
    const svg = compositeChartSvg(comparison({ reportedDuration: 50, reported: [{ startPeriod: 0, limit: 5 }] }));
    expect(elements(svg, 'reported-end')[0]).toMatchObject({ x1: '380' });
    const r = commands(elements(svg, 'reported')[0]!.d!);
    expect(r[r.length - 1]![1][0]).toBe(380);
  });

  test('axis labels carry the unit and the time base; text is escaped', () => {
    const svg = compositeChartSvg(comparison({ unit: 'W', reportedUnit: 'A', differences: [{ from: 0, to: 1, expected: 1, actual: 2, kind: 'value', message: '<script>alert(1)</script>', level: 'fail' }] }));
    expect(svg).toContain('limit (W)');
    expect(svg).toContain('s from scheduleStart');
    expect(svg).toContain('reported (A)');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(esc(`a&b"'`)).toBe('a&amp;b&quot;&#39;');
  });

  test('niceTicks: 1-2-5 steps', () => {
    expect(niceTicks(0, 300, 6)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(niceTicks(0, 11, 4)).toEqual([0, 5, 10]);
  });
});

describe('profileStackSvg (the installed profiles under the chart, rules §5.2 steps 4–6)', () => {
  const profiles = [
    { id: 3, purpose: 'TxDefaultProfile', stackLevel: 0, evseId: 1, unit: 'A' as const, steps: [{ from: 0, to: 100, limit: 6 }] },
    { id: 4, purpose: 'TxDefaultProfile', stackLevel: 2, evseId: 0, unit: 'A' as const, steps: [{ from: 0, to: 40, limit: 8 }] },
    { id: 1, purpose: 'ChargingStationMaxProfile', stackLevel: 0, evseId: 0, unit: 'W' as const, steps: [{ from: 0, to: 100, limit: 11000 }] },
    { id: 2, purpose: 'TxProfile', stackLevel: 1, evseId: 1, unit: 'A' as const, steps: [] },
  ];
  test('rows by purpose (max, external, Tx, TxDefault), highest stackLevel first', () => {
    expect(orderedStack(profiles).map((p) => p.id)).toEqual([1, 2, 4, 3]);
  });
  test('one row per profile on the composite time axis, limits labelled, inactive profiles said so', () => {
    const svg = profileStackSvg(comparison({ profiles }));
    expect([...svg.matchAll(/data-role="profile" data-id="(\d+)"/g)].map((m) => m[1])).toEqual(['1', '2', '4', '3']);
    expect(svg).toContain('ChargingStationMaxProfile #1 · stackLevel 0 · station (0) · W');
    expect(svg).toContain('TxProfile #2 · stackLevel 1 · EVSE/connector 1 · A — not in effect in this window');
    // Profile 4 ends at 40 s of 100: its run ends at x(40) = 56 + 0.4 × 648.
    const row4 = svg.slice(svg.indexOf('data-id="4"'));
    expect(row4).toMatch(/<path d="M56 [\d.]+ H315\.2"/);
    expect(row4).toContain('>8</text>');
    expect(profileStackSvg(comparison())).toBe('');
  });
});
