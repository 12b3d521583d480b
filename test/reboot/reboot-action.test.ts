import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import type { ReferenceStation } from '../../src/reference';
import { runWithListeningStation, type ListeningRun } from '../helpers/listeningStation';

/**
 * Issue #12 item 8 with the `reboot` station action (a device without Reset, rebooted by a bench): the
 * harness listens, a reference station connects, the action (a local HTTP endpoint) power-cycles it
 * (drops the connection; it reconnects and boots again keeping its profiles). K01.FR.27 / errata 3.37.
 */
function runWithRebootAction(ocpp: '1.6' | '2.0.1', partial: PartialConfig, onReboot: (station: ReferenceStation) => number): Promise<ListeningRun> {
  return runWithListeningStation({
    ocpp,
    config: (base) =>
      mergeConfig(
        {
          ocpp,
          listen: '127.0.0.1:0',
          grep: ocpp === '1.6' ? 'SC-16-25' : 'SC-201-32',
          reporters: [],
          timing: { callTimeoutMs: 4000, graceMs: 300, caseTimeoutMs: 30_000, connectTimeoutMs: 10_000, rebootTimeoutMs: 5000 },
          device: { features: { smartCharging: true, reset: false } },
          stationActions: { reboot: { type: 'http', url: base } },
        },
        partial,
      ),
    station: { identity: 'CS-REBOOT-1', callTimeoutMs: 4000 },
    answer: (_req, station) => onReboot(station!),
  });
}

const CASE = { '1.6': 'SC-16-25', '2.0.1': 'SC-201-32' } as const;

describe.each(['1.6', '2.0.1'] as const)('OCPP %s reboot via the station action', (ocpp) => {
  test(`${CASE[ocpp]}: reboot action (http, trigger convention) power-cycles the station; profiles kept → passed`, async () => {
    const { out, hits } = await runWithRebootAction(ocpp, {}, (s) => {
      s.dropConnection();
      return 200;
    });
    const c = out.result.cases.find((x) => x.id === CASE[ocpp])!;
    expect({ verdict: c.verdict, failures: c.failures }).toEqual({ verdict: 'passed', failures: [] });
    expect(hits).toEqual(['POST /trigger/CS-REBOOT-1/reboot']);
    // The reconnect inside the case is expected: SC-X-01 / SC-X-99 see nothing to judge.
    expect(out.result.cases.map((x) => [x.id, x.verdict])).toEqual([['SC-X-01', 'passed'], [CASE[ocpp], 'passed'], ['SC-X-99', 'passed']]);
  }, 60_000);

  test(`${CASE[ocpp]}: reboot action answers HTTP 500 → ERROR naming the action, never FAIL`, async () => {
    const { out } = await runWithRebootAction(ocpp, {}, () => 500);
    const c = out.result.cases.find((x) => x.id === CASE[ocpp])!;
    expect(c.verdict).toBe('error');
    expect(c.failures).toEqual([]);
    expect(c.reason).toMatch(/station action .*reboot.*HTTP 500/);
  }, 60_000);

  test(`${CASE[ocpp]}: reboot action runs but the station never boots again → ERROR PreconditionFailed (bounded wait), never FAIL`, async () => {
    const { out } = await runWithRebootAction(ocpp, { stationActions: { reboot: { type: 'command', command: 'true' } } }, () => 200);
    const c = out.result.cases.find((x) => x.id === CASE[ocpp])!;
    expect(c.verdict).toBe('error');
    expect(c.errorType).toBe('PreconditionFailed');
    expect(c.failures).toEqual([]);
    expect(c.reason).toMatch(/did not reconnect and send BootNotification within 5000 ms/);
  }, 60_000);
});
