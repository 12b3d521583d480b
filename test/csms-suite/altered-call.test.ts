/**
 * request()'s fallback (issue #13, CALL matching): a CSMS that alters the identifying fields of a command it
 * was asked to send is still judged on what it sent, but its CALL was answered as a conforming station, not
 * with the case's own answer — so the checks of the CSMS's reaction to that answer must not run (a WARN
 * says so). Before the fix SC-CSMS-05 compared the CSMS's relayed composite with values the station never
 * sent and FAILED a CSMS that had relayed its answer faithfully.
 */
import { csmsConfig, runCsms } from './helpers';

const warnings = (c: { notes: { level: string; message: string }[] }) => c.notes.filter((n) => n.level === 'warn').map((n) => n.message);

test.each([
  ['2.0.1', 'SC-CSMS-05'],
  ['1.6', 'SC-CSMS-16-07'],
] as const)('%s %s: a composite request with an altered duration (fault fixed-composite-duration) is not judged against the case\'s answer', async (ocpp, id) => {
  const { result } = await runCsms(csmsConfig(ocpp, { grep: id, builtinFaults: ['fixed-composite-duration'] }));
  const c = result.cases.find((x) => x.id === id)!;
  expect(c.failures.map((f) => f.message)).toEqual([]);
  expect(c.verdict).toBe('passed');
  expect(warnings(c).some((w) => /could not check the CSMS's reaction to the case's answer: no GetCompositeSchedule carried the identifying fields asked for \(duration 86400 instead of 300\)/.test(w))).toBe(true);
}, 60_000);

test('SC-CSMS-05 against a correct CSMS: the case\'s own composite answer is judged (no fallback WARN)', async () => {
  const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-05' }));
  const c = result.cases.find((x) => x.id === 'SC-CSMS-05')!;
  expect(c.verdict).toBe('passed');
  expect(warnings(c).filter((w) => /could not check the CSMS's reaction/.test(w))).toEqual([]);
}, 60_000);
