/**
 * Issue #13 item 7 (bounded observation): work that waits for the CSMS's own call timeout is opt-in.
 * A case tagged `slow` is skipped ("slow: run with --include-slow") unless includeSlow; SC-CSMS-07's
 * timeout step (tag `slow-step`) is skipped by default and runs with it; --list shows both tags.
 */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import { slowMarker, slowReason } from '../../src/runner/select';
import { defineCase, type SuiteDefinition } from '../../src/scenario';
import { ReferenceCsms } from '../../src/reference';
import { csmsConfig, runCsms } from './helpers';

test('slowReason / slowMarker: slow cases are skipped unless includeSlow; a slow step does not skip its case', () => {
  expect(slowReason({ tags: ['csms', 'slow'] }, {})).toBe('slow: run with --include-slow');
  expect(slowReason({ tags: ['csms', 'slow'] }, { includeSlow: true })).toBeUndefined();
  expect(slowReason({ tags: ['csms', 'slow-step'] }, {})).toBeUndefined();
  expect(slowReason({}, {})).toBeUndefined();
  expect([slowMarker({ tags: ['slow'] }), slowMarker({ tags: ['slow-step'] }), slowMarker({ tags: ['csms'] })]).toEqual([' (slow)', ' (slow step)', '']);
});

test('a case tagged slow: SKIPPED by default with the reason, run with includeSlow', async () => {
  const suite: SuiteDefinition = {
    name: 'slow-test',
    block: 'Test',
    cases: [defineCase({ id: 'T-SLOW', title: 'slow case', ocpp: ['2.0.1'], as: 'station', tags: ['slow'], run: async (t) => void t.note.info('ran') })],
  };
  const [dflt, incl] = await Promise.all([runCsms(csmsConfig('2.0.1'), [suite]), runCsms(csmsConfig('2.0.1', { includeSlow: true }), [suite])]);
  const d = dflt.result.cases.find((c) => c.id === 'T-SLOW')!;
  expect({ verdict: d.verdict, reason: d.reason }).toEqual({ verdict: 'skipped', reason: 'slow: run with --include-slow' });
  expect(incl.result.cases.find((c) => c.id === 'T-SLOW')!.verdict).toBe('passed');
}, 60_000);

test('SC-CSMS-07: the timeout step is skipped by default and runs with --include-slow', async () => {
  const [dflt, incl] = await Promise.all([
    runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-07' })),
    runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-07', includeSlow: true, timing: { callTimeoutMs: 2000, caseTimeoutMs: 30_000, graceMs: 200, connectTimeoutMs: 5000, toleranceS: 4 } })),
  ]);
  const d = dflt.result.cases.find((c) => c.id === 'SC-CSMS-07')!;
  expect(d.verdict).toBe('passed');
  expect(d.steps).toContain('let one request time out (skipped: slow: run with --include-slow)');
  // The default run waits for no CSMS timeout: well below the 4 s call timeout of csmsConfig.
  expect(d.durationMs).toBeLessThan(4000);
  const i = incl.result.cases.find((c) => c.id === 'SC-CSMS-07')!;
  expect(i.verdict).toBe('passed');
  expect(i.steps).toContain('let one request time out');
  expect(i.notes.some((n) => n.message.startsWith('after no answer'))).toBe(true);
}, 60_000);

test('run --as station --list marks SC-CSMS-07 "(slow step)"; --include-slow is accepted', async () => {
  let out = '';
  const sink = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
  const err = new Writable({ write: (_c, _e, cb) => cb() });
  expect(await main(['node', 'ocpp-conformance', 'run', '--as', 'station', '--suite', 'smartcharging-csms', '--include-slow', '--list'], { out: sink, err })).toBe(0);
  const line = out.split('\n').find((l) => l.startsWith('SC-CSMS-07'))!;
  expect(line).toContain('(slow step)');
  expect(out.split('\n').filter((l) => l.includes('(slow')).map((l) => l.split('\t')[0])).toEqual(['SC-CSMS-07']);
});

/**
 * CitrineOS run 4: a CSMS whose own call timeout (30 s) outlasts the "no answer" observation kept holding
 * that CALL, and the next case's CALL waited behind it. The station now answers late after the
 * observation, which releases such a CSMS; the next case starts unblocked.
 */
test('SC-CSMS-07 --include-slow: a CSMS with a call timeout longer than the observation is released; SC-CSMS-08 passes after it', async () => {
  const csms = new ReferenceCsms({ versions: ['2.0.1'], host: '127.0.0.1', port: 0, callTimeoutMs: 20_000 });
  const url = await csms.start();
  try {
    const config = csmsConfig('2.0.1', {
      url: `${url}/ocpp`,
      grep: 'SC-CSMS-0[78]',
      includeSlow: true,
      triggers: { default: { type: 'http', url: csms.httpUrl } },
      // --include-slow also widens the retry-storm window to the catalogue's 10 s (three observations).
      timing: { callTimeoutMs: 2000, caseTimeoutMs: 60_000, graceMs: 200, connectTimeoutMs: 5000, toleranceS: 4 },
    });
    const { result } = await runCsms(config);
    const verdicts = Object.fromEntries(result.cases.map((c) => [c.id, `${c.verdict}${c.reason ? ` (${c.reason})` : ''}`]));
    expect({ sc07: verdicts['SC-CSMS-07'], sc08: verdicts['SC-CSMS-08'] }).toEqual({ sc07: 'passed', sc08: 'passed' });
  } finally {
    await csms.stop();
  }
}, 120_000);
