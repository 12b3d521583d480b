/**
 * OCPP 2.1 on the CSMS side (issue #16): the harness as a 2.1 Charging Station against the built-in CSMS.
 * The correct CSMS passes every case (carried-over SC-CSMS-xx and the 2.1-only SC-CSMS-21-xx) in-process,
 * and each 2.1 fault of the reference CSMS (CSMS_FAULTS_21) fails the case that names its rule.
 */
import type { CaseResult } from '../../src/report/types';
import { csmsConfig, runCsms } from './helpers';

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => `[${f.rule}] ${f.message}`).join(' | ')}` : ''}`).join('\n');

describe('OCPP 2.1 CSMS-side suite against the built-in CSMS (issue #16)', () => {
  test('SC-CSMS-* and SC-CSMS-21-*: the correct CSMS passes every case on 2.1, exit 0', async () => {
    const { result, exitCode } = await runCsms(csmsConfig('2.1'));
    const ids = result.cases.map((c) => c.id);
    process.stdout.write(summary(result.cases) + '\n');
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    expect(ids.filter((id) => id.startsWith('SC-CSMS-21-')).length).toBeGreaterThanOrEqual(5);
    expect(exitCode).toBe(0);
  }, 120_000);
});
