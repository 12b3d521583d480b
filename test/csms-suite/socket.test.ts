/**
 * Issue #13 "done when": the correct reference CSMS passes every CSMS-side case in every version over a
 * real socket — reached by --url with an http trigger, as a user's CSMS is, not through the built-in slot
 * (where a few windows are shortened because that CSMS never retries). Issue #14: the default run stays
 * short because it never waits for a CSMS timeout; the wall time is reported, not asserted (bench).
 */
import type { CaseResult } from '../../src/report/types';
import { ReferenceCsms } from '../../src/reference';
import { csmsConfig, runCsms } from './helpers';

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => f.message).join(' | ')}` : ''}`).join('\n');

// Issue #16: 2.1 too (the carried-over cases and SC-CSMS-21-xx; the 2.1-only messages go over the socket).
describe.each(['1.6', '2.0.1', '2.1'] as const)('OCPP %s: the whole CSMS-side suite over a socket', (ocpp) => {
  test(`${ocpp}: the correct reference CSMS passes every case (SC-CSMS-*), exit 0`, async () => {
    const csms = new ReferenceCsms({ versions: [ocpp], host: '127.0.0.1', port: 0, callTimeoutMs: 4000 });
    const url = await csms.start();
    try {
      const config = csmsConfig(ocpp, { url: `${url}/ocpp`, triggers: { default: { type: 'http', url: csms.httpUrl } } });
      const started = Date.now();
      const { result, exitCode } = await runCsms(config);
      const ids = result.cases.map((c) => c.id);
      expect(ids.filter((id) => id.startsWith('SC-CSMS-')).length).toBeGreaterThanOrEqual({ '1.6': 16, '2.0.1': 15, '2.1': 20 }[ocpp]);
      if (ocpp === '2.1') expect(ids.filter((id) => id.startsWith('SC-CSMS-21-'))).toHaveLength(5);
      expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
      expect(exitCode).toBe(0);
      // SC-CSMS-07's timeout step is opt-in: skipped in a default run, never waited for.
      const sc07 = result.cases.find((c) => c.id === 'SC-CSMS-07')!;
      expect(sc07.steps.some((s) => /skipped: slow/.test(s))).toBe(true);
      process.stdout.write(`CSMS suite ${ocpp} over a socket: ${ids.length} cases, ${Date.now() - started} ms\n`);
    } finally {
      await csms.stop();
    }
  }, 120_000);
});
