/**
 * A CSMS that does not accept the harness's token (CitrineOS without seeded tokens answers Unknown): the harness
 * station keeps its transaction, as a station with StopTxOnInvalidId false and no Authorized TxStopPoint may
 * (2.0.1 E05, E06.FR.04; 1.6 StopTransactionOnInvalidId), and the case carries a WARN saying so: what the
 * CSMS then sends may follow from the refusal. Never a failure of the CSMS, never silent.
 */
import { csmsConfig, runCsms } from './helpers';

const tokenWarnings = (c: { notes: { level: string; message: string }[] }) => c.notes.filter((n) => n.level === 'warn' && /the CSMS answered the harness's id(Tag|Token)/.test(n.message)).map((n) => n.message);

test.each([
  ['2.0.1', 'SC-CSMS-01', /idToken CONFORMANCE \(type Central\) with status Unknown/],
  ['1.6', 'SC-CSMS-16-03', /idTag CONFORMANCE with status Invalid/],
] as const)('%s %s: token refused (quirk unknown-tokens) → the case passes with a WARN naming the status (E05 / E06.FR.04)', async (ocpp, id, re) => {
  const { result } = await runCsms(csmsConfig(ocpp, { grep: id, builtinQuirks: ['unknown-tokens'] }));
  const c = result.cases.find((x) => x.id === id)!;
  expect(c.failures).toEqual([]);
  expect(c.verdict).toBe('passed');
  expect(tokenWarnings(c).some((w) => re.test(w))).toBe(true);
}, 60_000);

test('2.0.1 SC-CSMS-01 against a CSMS that accepts the token: no such WARN', async () => {
  const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-01' }));
  const c = result.cases.find((x) => x.id === 'SC-CSMS-01')!;
  expect(c.verdict).toBe('passed');
  expect(tokenWarnings(c)).toEqual([]);
}, 60_000);
