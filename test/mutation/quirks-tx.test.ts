import { runBuiltin } from './run';

/**
 * Issue #12 items 1-4: legitimate transaction and identifier variations of a conforming station. The full
 * station suite passes (exit 0, no failure, no error) against each, in both versions:
 * - uuid-transaction-ids: 36-character ids (SC-201-02 built an unknown id by appending "-X": 38 characters,
 *   refused by the schema, ERROR on every such station);
 * - large-transaction-ids: 1.6 ids near 2^31−1 (T + 1000 left the schema's integer range);
 * - finishing-after-stop: a remote start right after a stop is rightly Rejected while the connector is
 *   Finishing (SC-16-29 sent it 0 ms after the StopTransaction);
 * - own-transactions: the station's own sessions (another idTag) are ignored, not taken for the case's.
 */
const QUIRKS = ['uuid-transaction-ids', 'large-transaction-ids', 'finishing-after-stop', 'own-transactions'] as const;

describe.each(QUIRKS)('quirk %s (issue #12)', (quirk) => {
  test.each(['1.6', '2.0.1'] as const)(`%s: the full station suite passes (exit 0)`, async (ocpp) => {
    const r = await runBuiltin({ ocpp, builtinQuirks: [quirk] });
    const bad = r.result.cases.filter((c) => c.verdict === 'failed' || c.verdict === 'error').map((c) => `${c.id} ${c.verdict}: ${c.reason ?? ''} ${c.failures.slice(0, 2).map((f) => f.message).join(' | ')}`);
    expect(bad).toEqual([]);
    expect(r.exitCode).toBe(0);
    if (quirk === 'large-transaction-ids' && ocpp === '1.6') {
      // 1.6 field types: an integer is 32-bit (31-bit resolution); the JSON schema has no maximum, so check the wire:
      // ids near the limit were used, and no transactionId the harness sent passed 2^31−1.
      const sent = r.result.cases.flatMap((c) => c.frames.filter((f) => f.dir === 'out').flatMap((f) => [...f.raw.matchAll(/"transactionId":(-?\d+)/g)].map((m) => Number(m[1]))));
      expect(sent.some((n) => n > 2 ** 31 - 1000)).toBe(true);
      expect(sent.filter((n) => n > 2 ** 31 - 1)).toEqual([]);
    }
    if (quirk === 'own-transactions') {
      // The station's own sessions were seen and noted, never taken as the case's (issue #12 item 2).
      const notes = r.result.cases.flatMap((c) => c.notes.map((n) => n.message));
      expect(notes.some((n) => /ignored a transaction the harness did not ask for/.test(n))).toBe(true);
      // ... and only those: the station's own idTag, never the harness's own earlier start in the same case
      // (MicroOcpp run, session 5: SC-16-23 / SC-16-29 noted their first transaction as foreign).
      expect(notes.filter((n) => /did not ask for/.test(n) && /(idTag|idToken) (SCTEST0001|SCHARNESS01)\b/.test(n))).toEqual([]);
    }
  }, 240_000);
});

/**
 * SAP simulator (session 5): right after the CSMS answered its Available StatusNotification, the station still
 * refuses a remote start for a moment. The harness retries once after a quiet period instead of ending the
 * case ERROR (flaky on SAP: SC-16-16 and SC-16-29 errored in one run of two).
 */
test.each(['1.6', '2.0.1'] as const)('%s: quirks finishing-after-stop + settles-after-available — the transaction cases pass (one retry after Available)', async (ocpp) => {
  const grep = ocpp === '1.6' ? 'SC-16-29|SC-16-16' : 'SC-201-16|SC-201-17|SC-201-18';
  const r = await runBuiltin({ ocpp, grep, builtinQuirks: ['finishing-after-stop', 'settles-after-available'] });
  const bad = r.result.cases.filter((c) => c.verdict === 'failed' || c.verdict === 'error').map((c) => `${c.id} ${c.verdict}: ${c.reason ?? ''} ${c.failures[0]?.message ?? ''}`);
  expect(bad).toEqual([]);
  // The retry is visible in the results, not only in the trace.
  expect(r.result.cases.some((c) => c.notes.some((n) => /right after the connector reported Available: asked once more/.test(n.message)))).toBe(true);
}, 120_000);

