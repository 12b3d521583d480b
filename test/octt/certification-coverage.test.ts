/** Issue #15 §3: OCTT SmartCharging certification coverage — every id of the version and side with its status. */
import { certificationCoverage, coverageText, octtSmartChargingIds, type CoverageDef } from '../../src/octt';
import type { CaseResult, Verdict } from '../../src/report';

const result = (id: string, verdict: Verdict, reason?: string): CaseResult => ({
  id,
  title: id,
  ocpp: '2.0.1',
  as: 'csms',
  block: 'SmartCharging',
  requirements: [],
  tags: [],
  verdict,
  ...(reason ? { reason } : {}),
  startedAt: '2025-03-04T10:00:00.000Z',
  durationMs: 1,
  failures: [],
  notes: [],
  steps: [],
  frames: [],
});

const defs: CoverageDef[] = [
  { id: 'A', octt: ['TC_K_01_CS', 'TC_K_03_CS'], ocpp: ['2.0.1'], as: 'csms' },
  { id: 'B', octt: ['TC_K_03_CS'], ocpp: ['2.0.1'], as: 'csms' },
  { id: 'C', octt: ['TC_K_15_CS'], ocpp: ['2.0.1'], as: 'csms' },
  { id: 'D', octt: ['TC_K_02_CS'], ocpp: ['2.0.1'], as: 'csms' },
  { id: 'E', octt: ['TC_K_04_CS'], ocpp: ['2.0.1'], as: 'csms' },
  { id: 'F', octt: ['TC_K_05_CS'], ocpp: ['2.0.1'], as: 'csms' },
  // Other version / side: never counted for 2.0.1 as csms.
  { id: 'G', octt: ['TC_K_38_CS'], ocpp: ['1.6'], as: 'csms' },
  { id: 'H', octt: ['TC_K_38_CS'], ocpp: ['2.0.1'], as: 'station' },
];

describe('certification coverage (issue #15 §3)', () => {
  test('the catalogue: 2.0.1 TC_K_*_CS (38) and _CSMS (32), 1.6 TC_0nn_CS (10) and _CSMS (5); none for 2.1', () => {
    expect(octtSmartChargingIds('2.0.1', 'csms')).toHaveLength(38);
    expect(octtSmartChargingIds('2.0.1', 'csms')).toEqual(expect.arrayContaining(['TC_K_01_CS', 'TC_K_15_CS', 'TC_K_38_CS', 'TC_K_47_CS', 'TC_K_60_CS']));
    expect(octtSmartChargingIds('2.0.1', 'station').every((id) => /^TC_K_\d{2}_CSMS$/.test(id))).toBe(true);
    // Issue #13's 32 TC_K_*_CSMS ids, incl. the external-limit and ISO 15118 flows.
    expect(octtSmartChargingIds('2.0.1', 'station')).toHaveLength(32);
    expect(octtSmartChargingIds('2.0.1', 'station')).toEqual(expect.arrayContaining(['TC_K_02_CSMS', 'TC_K_48_CSMS', 'TC_K_59_CSMS']));
    expect(octtSmartChargingIds('1.6', 'csms')).toHaveLength(10);
    expect(octtSmartChargingIds('1.6', 'station')).toEqual(['TC_056_CSMS', 'TC_057_CSMS', 'TC_059_CSMS', 'TC_066_CSMS', 'TC_067_CSMS']);
    expect(octtSmartChargingIds('2.1', 'csms')).toEqual([]);
  });

  test('pass / fail (a failure of any covering case wins) / error / not applicable with the reason / not run / not covered', () => {
    const results = [
      result('A', 'passed'),
      result('B', 'failed'),
      result('C', 'skipped', 'needs SmartChargingCtrlr.Available false (PICS)'),
      result('D', 'error', 'connection closed (1006)'),
      result('E', 'error', 'not run: run interrupted'),
    ];
    const byId = Object.fromEntries(certificationCoverage('2.0.1', 'csms', defs, results).map((e) => [e.octt, e]));
    expect(byId['TC_K_01_CS']).toEqual({ octt: 'TC_K_01_CS', status: 'pass', cases: [{ id: 'A', verdict: 'passed' }] });
    expect(byId['TC_K_03_CS']!.status).toBe('fail');
    expect(byId['TC_K_03_CS']!.cases.map((c) => c.id)).toEqual(['A', 'B']);
    expect(byId['TC_K_15_CS']).toMatchObject({ status: 'not applicable', reason: 'needs SmartChargingCtrlr.Available false (PICS)' });
    expect(byId['TC_K_02_CS']!.status).toBe('error');
    expect(byId['TC_K_04_CS']).toMatchObject({ status: 'not run', reason: 'not run: run interrupted' });
    expect(byId['TC_K_05_CS']).toMatchObject({ status: 'not run', reason: 'not selected in this run' });
    expect(byId['TC_K_38_CS']).toMatchObject({ status: 'not covered', cases: [] });
    const text = coverageText('2.0.1', 'csms', Object.values(byId));
    expect(text[0]).toBe('OCTT SmartCharging coverage, OCPP 2.0.1, Charging Station under test (38 OCTT test cases):');
    expect(text).toContain('  TC_K_15_CS  not applicable  C skipped: needs SmartChargingCtrlr.Available false (PICS)');
    expect(text.at(-1)).toBe('  1 pass, 1 fail, 1 error, 1 not applicable, 2 not run, 32 not covered');
  });
});
