import { Writable } from 'node:stream';
import { loadSuites } from '../../src/runner/loader';
import { octtCoverageLine, octtIdsCovered } from '../../src/cli/octtCoverage';
import { main } from '../../src/cli/main';

/** Issue #13 "coverage toward OCTT's CSMS cases": the harness-as-station suite names the TC_K_*_CSMS ids it checks. */
const csmsCases = (ocpp: '1.6' | '2.0.1') =>
  loadSuites(['smartcharging-csms'])
    .flatMap((s) => s.cases)
    .filter((c) => c.as === 'station' && c.ocpp.includes(ocpp));

const OCTT_201_CSMS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 19, 29, 30, 31, 32, 33, 34, 35, 36, 37, 43, 44, 48, 50, 51, 52, 53, 55, 57, 58, 59, 60, 70].map((n) => `TC_K_${String(n).padStart(2, '0')}_CSMS`);

describe('OCTT CSMS coverage (issue #13)', () => {
  test('2.0.1: at least 28 of the 32 TC_K_*_CSMS cases covered, and no id outside them', () => {
    const ids = octtIdsCovered(csmsCases('2.0.1'), '2.0.1', 'station');
    expect(ids.filter((id) => OCTT_201_CSMS.includes(id)).length).toBeGreaterThanOrEqual(28);
    expect(ids.filter((id) => !OCTT_201_CSMS.includes(id))).toEqual([]);
    for (const n of ['04', '15', '29', '48', '52', '53', '55', '57', '58', '59']) expect(ids).toContain(`TC_K_${n}_CSMS`);
  });

  test('every CSMS case that names OCTT ids has a display string, and the station-side ids are not counted', () => {
    const all = loadSuites(['smartcharging-csms']).flatMap((s) => s.cases);
    for (const c of all.filter((x) => x.octt?.length)) expect(c.octtId).toBeTruthy();
    expect(all.find((c) => c.id === 'SC-CSMS-21')!.octtId).toBe('TC_K_04_CSMS/TC_K_15_CSMS');
    const defs = [{ octt: ['TC_K_04_CSMS', 'TC_K_04_CS', 'TC_056_CSMS'] }];
    expect(octtCoverageLine(defs, '2.0.1', 'station')).toBe('OCTT TC_K_*_CSMS covered: 1 (TC_K_04_CSMS)');
    expect(octtCoverageLine(defs, '1.6', 'station')).toBe('OCTT TC_0xx_CSMS covered: 1 (TC_056_CSMS)');
    expect(octtCoverageLine(defs, '2.0.1', 'csms')).toBe('OCTT TC_K_*_CS covered: 1 (TC_K_04_CS)');
  });

  test('run --as station --list ends with the TC_K_*_CSMS coverage line', async () => {
    let text = '';
    const out = new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) });
    const code = await main(['node', 'ocpp-conformance', 'run', '--as', 'station', '--ocpp', '2.0.1', '--list'], { out, err: out });
    expect({ code, text: code ? text : "" }).toEqual({ code: 0, text: "" }); // the output when it fails
    const last = text.trim().split('\n').pop()!;
    expect(last).toMatch(/^OCTT TC_K_\*_CSMS covered: (\d+) \(TC_K_01_CSMS, .*TC_K_59_CSMS, .*\)$/);
    expect(Number(/covered: (\d+)/.exec(last)![1])).toBeGreaterThanOrEqual(28);
    expect(text).toMatch(/^SC-CSMS-23\t.*\[TC_K_53_CSMS\/TC_K_55_CSMS\]/m);
  });
});
