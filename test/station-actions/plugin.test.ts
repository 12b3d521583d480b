import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import { runWithListeningStation, type ListeningRun } from '../helpers/listeningStation';

/**
 * Issue #12 item 5: a real station accepts a remote start and then waits for an EV. With the `plugIn`
 * station action configured (here a local HTTP endpoint, MicroOcpp-style `/plugin?evse=N`) the harness plugs
 * one in after the Accepted start and the transaction cases run; without it they end ERROR
 * (PreconditionFailed) naming the setting — never FAIL. Reference station quirk 'needs-plugin'.
 */
function runNeedsPlugin(ocpp: '1.6' | '2.0.1', grep: string | undefined, partial: PartialConfig): Promise<ListeningRun> {
  return runWithListeningStation({
    ocpp,
    config: (base) => {
      const config = mergeConfig(
        {
          ocpp,
          listen: '127.0.0.1:0',
          ...(grep ? { grep } : {}),
          reporters: [],
          timing: { callTimeoutMs: 3000, graceMs: 300, caseTimeoutMs: 60_000, connectTimeoutMs: 10_000 },
          device: { features: { smartCharging: true, remoteStart: true } },
        },
        partial,
      );
      if (config.stationActions?.plugIn && 'url' in config.stationActions.plugIn) config.stationActions.plugIn.url = config.stationActions.plugIn.url.replace('BASE', base);
      return config;
    },
    station: { identity: 'CS-PLUGIN-1', callTimeoutMs: partial.timing?.callTimeoutMs ?? 3000, quirks: ['needs-plugin'] },
    answer: (req, station) => (station?.plugIn(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('evse'))) ? 200 : 409),
  });
}

const CASES = { '1.6': 'SC-16-02', '2.0.1': 'SC-201-16' } as const;

describe.each(['1.6', '2.0.1'] as const)('OCPP %s: a transaction that starts only after plugIn (issue #12 item 5)', (ocpp) => {
  test(`${CASES[ocpp]}: stationActions.plugIn (http) plugs the EV in after the Accepted remote start → passed`, async () => {
    const { out, hits } = await runNeedsPlugin(ocpp, CASES[ocpp], { stationActions: { plugIn: { type: 'http', url: 'BASE/plugin?evse={evseId}' } } } as PartialConfig);
    const c = out.result.cases.find((x) => x.id === CASES[ocpp])!;
    expect({ verdict: c.verdict, reason: c.reason, failures: c.failures }).toEqual(expect.objectContaining({ verdict: 'passed' }));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatch(/^POST \/plugin\?evse=\d$/);
    expect(out.exitCode).toBe(0);
  }, 90_000);

  // A listening run (not the in-process built-in peer) gives SC-X-07's "slow CSMS" its catalogue delay of
  // 5 s per report: both ends need a CALL timeout above it.
  test(`full ${ocpp} station suite against quirk needs-plugin with stationActions.plugIn: exit 0, no failure, no ERROR`, async () => {
    const { out, hits } = await runNeedsPlugin(ocpp, undefined, { timing: { callTimeoutMs: 8000 }, stationActions: { plugIn: { type: 'http', url: 'BASE/plugin?evse={evseId}' } } } as PartialConfig);
    const bad = out.result.cases.filter((c) => c.verdict === 'failed' || c.verdict === 'error').map((c) => `${c.id}: ${c.reason ?? c.failures[0]?.message}`);
    expect(bad).toEqual([]);
    expect(out.exitCode).toBe(0);
    expect(hits.length).toBeGreaterThan(3);
  }, 300_000);

  test(`${CASES[ocpp]}: without a plugIn action → ERROR PreconditionFailed naming stationActions.plugIn, never FAIL`, async () => {
    const { out, hits } = await runNeedsPlugin(ocpp, CASES[ocpp], {});
    const c = out.result.cases.find((x) => x.id === CASES[ocpp])!;
    expect(c.verdict).toBe('error');
    expect(c.errorType).toBe('PreconditionFailed');
    expect(c.reason).toMatch(/plug in an EV, or configure stationActions\.plugIn/);
    expect(c.failures).toEqual([]);
    expect(hits).toEqual([]);
    expect(out.exitCode).toBe(2);
  }, 90_000);
});


/**
 * A station that stays Finishing (2.0.1 Occupied) after a transaction until the EV is unplugged (MicroOcpp;
 * reference quirk 'finishing-until-unplug'): with stationActions.unplug configured the harness unplugs before
 * the next start instead of waiting the whole window and meeting a refusal (ERROR "unplug the cable").
 */
function runFinishing(ocpp: '1.6' | '2.0.1', grep: string, partial: PartialConfig): Promise<ListeningRun> {
  return runWithListeningStation({
    ocpp,
    config: (base) => {
      const config = mergeConfig(
        { ocpp, listen: '127.0.0.1:0', grep, reporters: [], timing: { callTimeoutMs: 3000, graceMs: 300, caseTimeoutMs: 60_000, connectTimeoutMs: 10_000 }, device: { features: { smartCharging: true, remoteStart: true } } },
        partial,
      );
      if (config.stationActions?.unplug && 'url' in config.stationActions.unplug) config.stationActions.unplug.url = config.stationActions.unplug.url.replace('BASE', base);
      return config;
    },
    station: { identity: 'CS-UNPLUG-1', callTimeoutMs: 3000, quirks: ['finishing-until-unplug'] },
    answer: (req, station) => (station?.unplug(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('evse'))) ? 200 : 409),
  });
}

// Cases that end a transaction and start another on the same connector / EVSE.
const TWO_TX = { '1.6': 'SC-16-29', '2.0.1': 'SC-201-16|SC-201-17|SC-201-18' } as const;

describe.each(['1.6', '2.0.1'] as const)('OCPP %s: a connector Finishing until unplug (MicroOcpp)', (ocpp) => {
  test(`${TWO_TX[ocpp]}: stationActions.unplug (http) frees the connector before the next start → no failure, no ERROR`, async () => {
    const { out, hits } = await runFinishing(ocpp, TWO_TX[ocpp], { stationActions: { unplug: { type: 'http', url: 'BASE/unplug?evse={evseId}' } } } as PartialConfig);
    const bad = out.result.cases.filter((c) => c.verdict === 'failed' || c.verdict === 'error').map((c) => `${c.id}: ${c.reason ?? c.failures[0]?.message}`);
    expect(bad).toEqual([]);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatch(/^POST \/unplug\?evse=\d$/);
    // 1.6: unplugged as soon as the connector reported Finishing, before the next start — no start refused
    // (MicroOcpp run: the unplug came only after a whole window). 2.0.1 Occupied is also "EV plugged in, ready",
    // so there the harness tries the start first and unplugs after one refusal.
    const refused = out.result.cases.flatMap((c) => c.frames.filter((f) => f.dir === 'in' && f.type === 'CALLRESULT' && /"status":"Rejected"/.test(f.raw) && /(RemoteStart|RequestStart)/.test(f.action ?? '')));
    if (ocpp === '1.6') expect(refused.map((f) => f.seq)).toEqual([]);
    expect(out.result.cases.some((c) => c.notes.some((n) => /unplugged the EV at .* \(stationActions\.unplug\)/.test(n.message)))).toBe(true);
  }, 120_000);
});
