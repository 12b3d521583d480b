import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runTrigger, substituteJson, triggerFor, TriggerFailed } from '../../src/runner/triggers';

const run = { identity: 'CS 1', action: 'SetChargingProfile', vars: { evseId: 2, payload: { evseId: 2, x: "it's" } }, timeoutMs: 5000 };

test('per-action trigger wins over the default', () => {
  const cfg = { triggers: { default: { type: 'http' as const, url: 'http://a' }, actions: { X: { type: 'command' as const, command: 'true' } } } };
  expect(triggerFor(cfg, 'X')!.type).toBe('command');
  expect(triggerFor(cfg, 'Y')!.type).toBe('http');
  expect(triggerFor({ triggers: {} }, 'Y')).toBeUndefined();
});

test('command trigger: placeholders shell-quoted, stdout parsed, exit code ≠ 0 is a TriggerFailed', async () => {
  const ok = await runTrigger({ type: 'command', command: 'printf "%s|%s|%s|%s" {identity} {evseId} {Action} {payload}' }, run);
  expect(ok.body).toBe(`CS 1|2|SetChargingProfile|{"evseId":2,"x":"it's"}`);
  await expect(runTrigger({ type: 'command', command: 'echo broken >&2; exit 3' }, run)).rejects.toThrow(/exited with 3: broken/);
  await expect(runTrigger({ type: 'command', command: 'sleep 5' }, { ...run, timeoutMs: 200 })).rejects.toBeInstanceOf(TriggerFailed);
});

test('http trigger: default convention and request templates', async () => {
  const seen: { method?: string; url?: string; body: string; auth?: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body, auth: req.headers.authorization });
      res.writeHead(req.url?.includes('fail') ? 500 : 200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const a = await runTrigger({ type: 'http', url: base }, run);
    expect(a).toEqual({ type: 'http', status: 200, body: { ok: true } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/trigger/CS%201/SetChargingProfile', body: JSON.stringify(run.vars.payload) });
    await runTrigger({ type: 'http', method: 'PUT', url: `${base}/api/{identity}/evse/{evseId}`, headers: { authorization: 'Bearer {identity}' }, body: { op: '{Action}', profile: '{payload}' } }, run);
    expect(seen[1]).toMatchObject({ method: 'PUT', url: '/api/CS%201/evse/2', auth: 'Bearer CS 1' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ op: 'SetChargingProfile', profile: run.vars.payload });
    await expect(runTrigger({ type: 'http', url: `${base}/fail/{identity}` }, run)).rejects.toThrow(/HTTP 500/);
  } finally {
    await new Promise((r) => server.close(r));
  }
  expect(substituteJson({ n: '{evseId}', s: 'e{evseId}' }, { evseId: 2 })).toEqual({ n: 2, s: 'e2' });
});
