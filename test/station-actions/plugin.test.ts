import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import { runConformance, type RunOutput } from '../../src/runner/runner';
import { loadSuites } from '../../src/runner/loader';
import { ReferenceStation } from '../../src/reference';

/**
 * Issue #12 item 5: a real station accepts a remote start and then waits for an EV. With the `plugIn`
 * station action configured (here a local HTTP endpoint, MicroOcpp-style `/plugin?evse=N`) the harness plugs
 * one in after the Accepted start and the transaction cases run; without it they end ERROR
 * (PreconditionFailed) naming the setting — never FAIL. Reference station quirk 'needs-plugin'.
 */
async function runNeedsPlugin(ocpp: '1.6' | '2.0.1', grep: string | undefined, partial: PartialConfig): Promise<{ out: RunOutput; hits: string[] }> {
  let station: ReferenceStation | undefined;
  const hits: string[] = [];
  const http: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const evse = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('evse'));
    res.statusCode = station?.plugIn(evse) ? 200 : 409;
    res.end('{}');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
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
    const out = await runConformance({
      config,
      suites: loadSuites(['smartcharging']),
      reporter: { onRunEnd: () => undefined },
      fixturesDir: join(__dirname, '..', '..', 'fixtures'),
      notice: (line) => {
        const m = /waiting for a Charging Station on (ws:\/\/\S+)\/<identity>/.exec(line);
        if (!m) return;
        station = new ReferenceStation({ version: ocpp, url: m[1]!, identity: 'CS-PLUGIN-1', callTimeoutMs: config.timing.callTimeoutMs, quirks: ['needs-plugin'] });
        void station.start().catch(() => undefined);
      },
    });
    return { out, hits };
  } finally {
    await station?.stop();
    await new Promise<void>((r) => http.close(() => r()));
  }
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

