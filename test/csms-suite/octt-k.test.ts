/**
 * OCTT 2.0.1 CSMS coverage (issue #13): the new cases SC-CSMS-20..25 against the built-in CSMS, and the
 * timing artefact of point 3 — a late but legal reaction to NotifyEVChargingNeeds is no failure; a CSMS
 * that targets a transaction after it answered its end is a K01.FR.03 failure.
 */
import type { CaseResult } from '../../src/report/types';
import { ReferenceCsms } from '../../src/reference';
import { csmsConfig, runCsms } from './helpers';

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => f.message).join(' | ')}` : ''}`).join('\n');
const warns = (c: CaseResult | undefined) => (c?.notes ?? []).filter((n) => n.level === 'warn').map((n) => `${n.rule}: ${n.message}`);

test('TC_K_*_CSMS cases SC-CSMS-20..25: the correct built-in CSMS passes them without warnings', async () => {
  const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-2' }));
  const ours = result.cases.filter((c) => c.id.startsWith('SC-CSMS-2'));
  expect(ours.map((c) => c.id)).toEqual(['SC-CSMS-20', 'SC-CSMS-21', 'SC-CSMS-22', 'SC-CSMS-23', 'SC-CSMS-24', 'SC-CSMS-25']);
  expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
  expect(ours.flatMap(warns)).toEqual([]);
}, 60_000);

describe('issue #13 point 3: reactions judged by frame order, not by when the harness ended the transaction', () => {
  test('a CSMS that reacts to NotifyEVChargingNeeds 500 ms late (quirk late-reaction) passes SC-CSMS-09 and SC-CSMS-23/24', async () => {
    const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-(09|23|24)', builtinQuirks: ['late-reaction'] }));
    const c = result.cases.find((x) => x.id === 'SC-CSMS-09')!;
    expect(summary(result.cases.filter((x) => x.id.startsWith('SC-CSMS-')))).toBe('SC-CSMS-09 passed\nSC-CSMS-23 passed\nSC-CSMS-24 passed');
    expect(result.cases.flatMap(warns)).toEqual([]);
    expect(c.notes.some((n) => /reacted with a TxProfile/.test(n.message))).toBe(true);
  }, 60_000);

  test('a CSMS that sends the TxProfile after it answered the transaction\'s end fails SC-CSMS-09 (K01.FR.03)', async () => {
    const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-09', builtinFaults: ['needs-reaction-after-ended'] }));
    const c = result.cases.find((x) => x.id === 'SC-CSMS-09')!;
    expect(c.verdict).toBe('failed');
    expect(c.failures.map((f) => f.message).join('\n')).toMatch(/K01\.FR\.03|transactionId/);
    expect(c.failures.some((f) => /the CSMS had answered the end of that transaction/.test(f.message))).toBe(true);
  }, 60_000);
});

test('over a socket: a CSMS reached by --url and an http trigger (not the built-in) passes SC-CSMS-09 and SC-CSMS-20..25', async () => {
  const csms = new ReferenceCsms({ versions: ['2.0.1'], host: '127.0.0.1', port: 0, callTimeoutMs: 4000 });
  const url = await csms.start();
  try {
    const config = csmsConfig('2.0.1', {
      url: `${url}/ocpp`,
      grep: 'SC-CSMS-(09|2)',
      triggers: { default: { type: 'http', url: csms.httpUrl } },
    });
    const { result } = await runCsms(config);
    expect(result.cases.filter((c) => c.id.startsWith('SC-CSMS-')).map((c) => c.id)).toEqual(['SC-CSMS-09', 'SC-CSMS-20', 'SC-CSMS-21', 'SC-CSMS-22', 'SC-CSMS-23', 'SC-CSMS-24', 'SC-CSMS-25']);
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
  } finally {
    await csms.stop();
  }
}, 90_000);

test('"as asked" is judged only through a trigger that passes {payload}: an API template of its own makes a difference a WARN (TC_K_43/44)', async () => {
  const faulty = (triggers: Record<string, unknown>) => runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-25', builtinFaults: ['fixed-composite-duration'], triggers }));
  const judged = (await faulty({})).result.cases.find((c) => c.id === 'SC-CSMS-25')!;
  expect(judged.verdict).toBe('failed');
  expect(judged.failures.map((f) => f.message).join('\n')).toMatch(/TC_K_43_CSMS/);
  // The composite trigger builds its own request (no {payload}): the CSMS's 86400 s is not judged.
  const own = { actions: { GetCompositeSchedule: { body: { evseId: '{evseId}', duration: 300, chargingRateUnit: 'A' } } } };
  const notJudged = (await faulty(own)).result.cases.find((c) => c.id === 'SC-CSMS-25')!;
  expect(summary([notJudged])).toBe('SC-CSMS-25 passed');
  expect(warns(notJudged).filter((w) => /does not pass \{payload\}/.test(w)).length).toBe(2);
}, 60_000);
