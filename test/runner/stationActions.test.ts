import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, validateConfig, type RunConfig } from '../../src/runner/config';
import { runStationAction, StationActionFailed, noStationActionHint } from '../../src/runner/stationActions';

/** Issue #12: station actions (plugIn, unplug, presentIdToken, reboot) configured like the CSMS triggers. */
const cfg = (stationActions: RunConfig['stationActions']): RunConfig => ({ ...DEFAULT_CONFIG, stationActions, timing: { ...DEFAULT_CONFIG.timing, callTimeoutMs: 3000 } });

describe('station actions (issue #12)', () => {
  let http: Server;
  let base: string;
  const seen: { method?: string; url?: string; body: string }[] = [];
  let status = 200;
  beforeAll(async () => {
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body });
        res.statusCode = status;
        res.end(JSON.stringify({ ok: status === 200 }));
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => http.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    status = 200;
  });

  test('not configured → undefined (the case takes its unmet path), hint names the setting', async () => {
    await expect(runStationAction(cfg(undefined), 'plugIn', { identity: 'CS1', vars: {} })).resolves.toBeUndefined();
    expect(noStationActionHint('plugIn')).toMatch(/stationActions\.plugIn/);
  });

  test('http with a base URL: POST {base}/trigger/{identity}/{name} with the vars payload', async () => {
    const out = await runStationAction(cfg({ plugIn: { type: 'http', url: base } }), 'plugIn', { identity: 'CS 1', vars: { evseId: 2, payload: { connector: 2 } } });
    expect(out).toEqual({ type: 'http', status: 200, body: { ok: true } });
    expect(seen).toEqual([{ method: 'POST', url: '/trigger/CS%201/plugIn', body: '{"connector":2}' }]);
  });

  test('http template: placeholders in URL and body (MicroOcpp-style REST)', async () => {
    const c = cfg({ presentIdToken: { type: 'http', method: 'PUT', url: `${base}/api/connectors/{evseId}/token`, body: { token: '{idToken}', who: '{identity}' } } });
    await runStationAction(c, 'presentIdToken', { identity: 'CS1', vars: { evseId: 1, idToken: 'AABB' } });
    expect(seen).toEqual([{ method: 'PUT', url: '/api/connectors/1/token', body: '{"token":"AABB","who":"CS1"}' }]);
  });

  test('http non-2xx → StationActionFailed (ERROR, never FAIL) naming the action and status', async () => {
    status = 503;
    const p = runStationAction(cfg({ unplug: { type: 'http', url: base } }), 'unplug', { identity: 'CS1', vars: {} });
    await expect(p).rejects.toBeInstanceOf(StationActionFailed);
    await expect(p).rejects.toThrow(/station action .*unplug answered HTTP 503/);
  });

  test('command: placeholders shell-quoted, OCPP_* env, exit 0 → outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-'));
    const file = join(dir, 'out');
    const c = cfg({ plugIn: { type: 'command', command: `printf '%s|%s|%s' {evseId} "$OCPP_ACTION" "$OCPP_IDENTITY" > ${file}` } });
    await expect(runStationAction(c, 'plugIn', { identity: "CS'1", vars: { evseId: 1 } })).resolves.toEqual({ type: 'command', body: undefined });
    expect(readFileSync(file, 'utf8')).toBe("1|plugIn|CS'1");
  });

  test('command exits non-zero → StationActionFailed', async () => {
    const c = cfg({ reboot: { type: 'command', command: 'echo relay stuck >&2; exit 3' } });
    await expect(runStationAction(c, 'reboot', { identity: 'CS1', vars: {} })).rejects.toThrow(/station action command for reboot exited with 3: relay stuck/);
  });

  test('command bounded in time', async () => {
    const c = cfg({ reboot: { type: 'command', command: 'sleep 30' } });
    await expect(runStationAction(c, 'reboot', { identity: 'CS1', vars: {}, timeoutMs: 300 })).rejects.toThrow(/did not finish within 300 ms/);
  });

  test('manual: the operator is prompted with what to do and the time limit', async () => {
    const prompts: { prompt: string; timeoutMs: number }[] = [];
    const manual = async (prompt: string, o: { timeoutMs: number }) => void prompts.push({ prompt, timeoutMs: o.timeoutMs });
    await runStationAction(cfg({ plugIn: { type: 'manual' } }), 'plugIn', { identity: 'CS1', vars: { evseId: 1 }, manual });
    expect(prompts).toEqual([{ prompt: 'plug an EV in at EVSE/connector 1 of station CS1', timeoutMs: 60_000 }]);
  });

  test('config schema: stationActions accepts the four actions only; timing.rebootTimeoutMs', () => {
    expect(() => validateConfig({ stationActions: { plugIn: { type: 'command', command: 'x' } }, timing: { rebootTimeoutMs: 1000 } }, 'f')).not.toThrow();
    expect(() => validateConfig({ stationActions: { dance: { type: 'manual' } } }, 'f')).toThrow(/\/stationActions\/dance is not a known setting/);
  });
});
