import { loadSuites } from '../../src/runner/loader';
import { octtCoverageLine, octtIdsCovered } from '../../src/cli/octtCoverage';
import type { CaseDefinition } from '../../src/scenario';

/** Issue #12 "coverage toward OCTT": the station suites name the OCTT CS cases they really check. */
const stationCases = (ocpp: '1.6' | '2.0.1'): CaseDefinition[] =>
  loadSuites(['smartcharging'])
    .flatMap((s) => s.cases)
    .filter((c) => c.as === 'csms' && c.ocpp.includes(ocpp));

describe('OCTT coverage (issue #12)', () => {
  test('2.0.1: at least 33 of TC_K_01..47_CS covered, TC_K_13_CS among them', () => {
    const ids = octtIdsCovered(stationCases('2.0.1'), '2.0.1');
    const inRange = ids.filter((id) => Number(/^TC_K_(\d+)_CS$/.exec(id)![1]) <= 47);
    expect(inRange.length).toBeGreaterThanOrEqual(33);
    expect(ids).toContain('TC_K_13_CS');
    for (const id of ['TC_K_01_CS', 'TC_K_03_CS', 'TC_K_04_CS', 'TC_K_10_CS', 'TC_K_60_CS']) expect(ids).toContain(id);
  });

  test('1.6: TC_056…TC_060, TC_066, TC_067, TC_072 covered', () => {
    const ids = octtIdsCovered(stationCases('1.6'), '1.6');
    for (const n of ['056', '057', '058', '059', '060', '066', '067', '072']) {
      expect(ids.some((id) => new RegExp(`^TC_${n}(_\\d+)?_CS$`).test(id))).toBe(true);
    }
  });

  test('octtId (display) is derived from octt when a case gives no string of its own', () => {
    const all = loadSuites(['smartcharging']).flatMap((s) => s.cases);
    expect(all.find((c) => c.id === 'SC-201-01')!.octtId).toBe('TC_K_01_CS/TC_K_03_CS/TC_K_10_CS/TC_K_60_CS');
    // Every case that names OCTT ids has a display string (JUnit "[<OCTT id>]").
    for (const c of all.filter((x) => x.octt?.length)) expect(c.octtId).toBeTruthy();
  });

  test('the coverage line counts distinct ids of its version only', () => {
    const defs = [{ octt: ['TC_K_02_CS', 'TC_K_11_CS'] }, { octt: ['TC_K_02_CS', 'TC_056_CS'] }, {}];
    expect(octtCoverageLine(defs, '2.0.1')).toBe('OCTT TC_K_*_CS covered: 2 (TC_K_02_CS, TC_K_11_CS)');
    expect(octtCoverageLine(defs, '1.6')).toBe('OCTT TC_0xx_CS covered: 1 (TC_056_CS)');
    expect(octtCoverageLine([], '1.6')).toBe('OCTT TC_0xx_CS covered: 0');
  });
});
