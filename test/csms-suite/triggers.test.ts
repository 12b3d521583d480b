import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionCasings, CallbackServer, CallbackTimeout, CommandRefused, jsonPointer, passesPayload, REDACTED, runTrigger, substituteJson, triggerFor, TriggerFailed } from '../../src/runner/triggers';
import { judgeAnswer } from '../../src/runner/trigger/success';
import { ConfigError, loadConfigFile } from '../../src/runner/config';

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

// --- issue #13: triggers for real APIs ---------------------------------------------------------------

/** A loopback HTTP "CSMS API" that records requests and answers with `answer(req, body)`. */
async function apiServer(answer: (url: string, headers: Record<string, string | string[] | undefined>, body: string) => { status: number; body: unknown }) {
  const seen: { method?: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url ?? '', headers: req.headers, body });
      const a = answer(req.url ?? '', req.headers, body);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('issue #13: every action casing placeholder ({Action} {action} {ACTION_SNAKE} {action_snake} {action-kebab})', async () => {
  expect(actionCasings('SetChargingProfile')).toEqual({
    Action: 'SetChargingProfile',
    action: 'setChargingProfile',
    ACTION_SNAKE: 'SET_CHARGING_PROFILE',
    action_snake: 'set_charging_profile',
    'action-kebab': 'set-charging-profile',
  });
  expect(actionCasings('Get15118EVCertificate')).toMatchObject({ action: 'get15118EVCertificate', action_snake: 'get15118_ev_certificate', 'action-kebab': 'get15118-ev-certificate' });
  expect(actionCasings('plugIn')).toMatchObject({ Action: 'PlugIn', action: 'plugIn', ACTION_SNAKE: 'PLUG_IN' });
  const api = await apiServer(() => ({ status: 200, body: [] }));
  try {
    const url = `${api.base}/{Action}/{action}/{ACTION_SNAKE}/{action_snake}/{action-kebab}?id={identity}&evse={evseId}&req={requestId}`;
    await runTrigger({ type: 'http', url, body: { op: '{action-kebab}', p: '{payload}' } }, { ...run, vars: { ...run.vars, requestId: 42 } });
    expect(api.seen[0]!.url).toBe('/SetChargingProfile/setChargingProfile/SET_CHARGING_PROFILE/set_charging_profile/set-charging-profile?id=CS%201&evse=2&req=42');
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ op: 'set-charging-profile', p: run.vars.payload });
  } finally {
    await api.close();
  }
});

test('issue #13: a per-action entry without type overrides the http default (url wins, headers merged)', () => {
  const triggers = {
    default: { type: 'http' as const, url: 'http://c/ocpp/2.0.1/smartcharging/{action}', headers: { authorization: 'a', x: '1' }, success: { pointer: '/0/success' } },
    actions: { RequestStartTransaction: { url: 'http://c/ocpp/2.0.1/evdriver/{action}', headers: { x: '2' } } },
  };
  expect(triggerFor({ triggers }, 'RequestStartTransaction')).toEqual({ ...triggers.default, url: 'http://c/ocpp/2.0.1/evdriver/{action}', headers: { authorization: 'a', x: '2' } });
  expect(triggerFor({ triggers }, 'SetChargingProfile')).toBe(triggers.default);
});

test('issue #13: success rule — status list, JSON pointer, refusal text at refusalPointer', async () => {
  expect(judgeAnswer(undefined, 204, undefined)).toEqual({ ok: true });
  // citrine-run3 E: a 4xx/5xx is the CSMS refusing the command; only other statuses (3xx) are plain failures.
  expect(judgeAnswer(undefined, 500, undefined)).toMatchObject({ ok: false, refused: true });
  expect(judgeAnswer({ status: [200, 201] }, 400, {})).toMatchObject({ ok: false, refused: true });
  expect(judgeAnswer(undefined, 302, undefined)).toMatchObject({ ok: false, refused: false });
  expect(judgeAnswer({ status: [201] }, 200, {})).toMatchObject({ ok: false, refused: true });
  expect(judgeAnswer({ pointer: '/0/success' }, 200, [{ success: true }])).toEqual({ ok: true });
  expect(judgeAnswer({ pointer: '/0/success', equals: true }, 200, [{ success: false }])).toMatchObject({ ok: false, refused: true, why: '/0/success is false, not true' });
  expect(jsonPointer({ 'a/b': [{ '~': 1 }] }, '/a~1b/0/~0')).toBe(1);
  expect(jsonPointer([1], '/x')).toBeUndefined();

  const api = await apiServer((url) =>
    url.includes('ok')
      ? { status: 200, body: [{ success: true }] }
      : url.includes('boom')
        ? { status: 503, body: 'down' }
        : url.includes('invalid')
          ? { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'body/chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit must be multiple of 0.1' } }
          : { status: 200, body: [{ success: false, payload: 'Charging station CS 1 not found' }] },
  );
  const cfg = { type: 'http' as const, success: { status: [200, 201], pointer: '/0/success', equals: true }, refusalPointer: '/0/payload' };
  try {
    await expect(runTrigger({ ...cfg, url: `${api.base}/ok/{action}` }, run)).resolves.toMatchObject({ status: 200, body: [{ success: true }] });
    const refused = runTrigger({ ...cfg, url: `${api.base}/no/{action}` }, run);
    await expect(refused).rejects.toBeInstanceOf(CommandRefused);
    await expect(refused).rejects.toThrow(/^the CSMS refused the command: Charging station CS 1 not found \(SetChargingProfile: POST .*\/no\/setChargingProfile answered HTTP 200; \/0\/success is false, not true\)$/);
    // Without refusalPointer the body (clipped) is the text.
    await expect(runTrigger({ ...cfg, refusalPointer: undefined, url: `${api.base}/no/{action}` }, run)).rejects.toThrow(/refused the command: \[\{"success":false,"payload":"Charging station CS 1 not found"\}\]/);
    // citrine-run3 E: an HTTP 4xx/5xx answer is the CSMS refusing the command (PreconditionFailed), with its text.
    const down = runTrigger({ ...cfg, url: `${api.base}/boom/{action}` }, run);
    await expect(down).rejects.toThrow(/^the CSMS refused the command: HTTP 503: down \(SetChargingProfile: POST .*\/boom\/setChargingProfile\)$/);
    await expect(down).rejects.toMatchObject({ errorType: 'PreconditionFailed' });
    const invalid = runTrigger({ ...cfg, url: `${api.base}/invalid/{action}` }, run);
    await expect(invalid).rejects.toThrow(/^the CSMS refused the command: HTTP 400: \{"statusCode":400,"error":"Bad Request","message":"body\/chargingProfile\/chargingSchedule\/0\/chargingSchedulePeriod\/0\/limit must be multiple of 0.1"\}/);
    await expect(invalid).rejects.toBeInstanceOf(CommandRefused);
    // A network error stays a harness-side TriggerFailed (HarnessError).
    const unreachable = runTrigger({ ...cfg, url: 'http://127.0.0.1:1/{action}' }, run);
    await expect(unreachable).rejects.toThrow(/failed: /);
    await expect(unreachable).rejects.not.toBeInstanceOf(CommandRefused);
    await expect(unreachable).rejects.toMatchObject({ errorType: 'HarnessError' });
  } finally {
    await api.close();
  }
});

test('issue #13: ${ENV:NAME} / {env.NAME} secrets are sent, redacted from every message and outcome; a missing variable is named', async () => {
  const secret = 's3cr3t-T0ken/+=';
  const env = { CSMS_TOKEN: secret, CSMS_TENANT: 'tenant-9' };
  // A careless API that echoes the credentials in its answers.
  const api = await apiServer((url, headers) => {
    const said = `${headers.authorization} ${url}`;
    return url.includes('/refuse') ? { status: 200, body: [{ success: false, payload: `token ${said} not allowed` }] } : url.includes('/fail') ? { status: 500, body: said } : { status: 200, body: [{ success: true, echo: said }] };
  });
  const cfg = { type: 'http' as const, headers: { authorization: 'Bearer ${ENV:CSMS_TOKEN}', 'x-tenant': '{env.CSMS_TENANT}' }, success: { pointer: '/0/success' }, refusalPointer: '/0/payload' };
  try {
    const ok = await runTrigger({ ...cfg, url: `${api.base}/ok/{identity}?key={env.CSMS_TOKEN}` }, { ...run, env });
    expect(api.seen[0]!.headers.authorization).toBe(`Bearer ${secret}`);
    expect(api.seen[0]!.headers['x-tenant']).toBe('tenant-9');
    expect(api.seen[0]!.url).toContain(`key=${secret}`);
    expect(JSON.stringify(ok)).not.toContain(secret);
    expect(JSON.stringify(ok)).not.toContain('tenant-9');
    expect(JSON.stringify(ok)).toContain(REDACTED);
    for (const path of ['refuse', 'fail']) {
      const e = await runTrigger({ ...cfg, url: `${api.base}/${path}?key=\${ENV:CSMS_TOKEN}` }, { ...run, env }).catch((x: Error) => x);
      expect(e).toBeInstanceOf(TriggerFailed);
      expect((e as Error).message).not.toContain(secret);
      expect((e as Error).message).not.toContain(encodeURIComponent(secret));
      expect((e as Error).message).toContain(REDACTED);
    }
    // Unreachable: the URL in the message is redacted too.
    const down = await runTrigger({ ...cfg, url: `http://127.0.0.1:1/x?key={env.CSMS_TOKEN}` }, { ...run, env }).catch((x: Error) => x);
    expect((down as Error).message).toMatch(/failed/);
    expect((down as Error).message).not.toContain(secret);
  } finally {
    await api.close();
  }
  await expect(runTrigger({ ...cfg, url: 'http://127.0.0.1:1/x' }, { ...run, env: {} })).rejects.toThrow(/headers\.authorization: environment variable CSMS_TOKEN is not set/);
  // At load time: a ConfigError (exit 2) naming the variable and the setting.
  const dir = mkdtempSync(join(tmpdir(), 'oc-env-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ triggers: { default: { type: 'http', url: 'http://x', headers: { authorization: 'Bearer ${ENV:OCPP_CONFORMANCE_UNSET_TOKEN}' } } } }));
  try {
    expect(() => loadConfigFile(file)).toThrow(ConfigError);
    expect(() => loadConfigFile(file)).toThrow(/\/triggers\/default\/headers\/authorization: environment variable OCPP_CONFORMANCE_UNSET_TOKEN is not set/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issue #13: async callback — {callbackUrl} is a fresh loopback path, the body resolves outcome.callback, bounded', async () => {
  const callbacks = new CallbackServer();
  // A CSMS API that queues the command and posts the result to the callbackUrl it was given.
  const api = await apiServer((url) => {
    const cb = new URL(url, 'http://x').searchParams.get('callbackUrl');
    if (cb && !url.includes('silent')) setTimeout(() => void fetch(cb, { method: 'POST', body: JSON.stringify({ status: 'Accepted', url }) }), 20);
    return { status: 200, body: [{ success: true }] };
  });
  const cfg = { type: 'http' as const, success: { pointer: '/0/success' }, callback: { timeoutMs: 300 } };
  try {
    const a = await runTrigger({ ...cfg, url: `${api.base}/ok/{action}?callbackUrl={callbackUrl}` }, { ...run, callbacks });
    const b = await runTrigger({ ...cfg, url: `${api.base}/ok/{action}?callbackUrl={callbackUrl}` }, { ...run, callbacks });
    const urls = api.seen.map((s) => new URL(s.url, 'http://x').searchParams.get('callbackUrl'));
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\/[0-9a-f-]{36}$/);
    expect(urls[0]).not.toBe(urls[1]);
    await expect(a.callback).resolves.toMatchObject({ status: 'Accepted' });
    await expect(b.callback).resolves.toMatchObject({ status: 'Accepted' });
    // A callback that never comes: CallbackTimeout after callback.timeoutMs.
    const started = Date.now();
    const c = await runTrigger({ ...cfg, url: `${api.base}/silent/{action}?callbackUrl={callbackUrl}` }, { ...run, callbacks });
    await expect(c.callback).rejects.toBeInstanceOf(CallbackTimeout);
    expect(Date.now() - started).toBeLessThan(2000);
    // An unknown callback path is refused.
    const stray = await fetch(urls[0]!.replace(/[0-9a-f-]{36}$/, '00000000-0000-0000-0000-000000000000'), { method: 'POST', body: '{}' });
    expect(stray.status).toBe(404);
    // Without a callback endpoint a callback trigger cannot run.
    await expect(runTrigger({ ...cfg, url: `${api.base}/ok` }, run)).rejects.toThrow(/no callback endpoint/);
  } finally {
    await api.close();
    await callbacks.close();
  }
});

/**
 * Issue #13 (verdicts that hold): "the CSMS sent something else than it was asked" is the CSMS's doing only
 * when the trigger hands it the harness's request verbatim; otherwise the 1.6 "as asked" checks WARN.
 */
describe('passesPayload: which triggers hand the CSMS the harness request (SC-CSMS-16 "as asked")', () => {
  const cfg = (triggers: Record<string, unknown>) => ({ triggers }) as unknown as Parameters<typeof passesPayload>[0];
  test.each([
    ['http, default body', { default: { type: 'http', url: 'http://127.0.0.1:1/x' } }, true],
    ['http, body template with {payload}', { default: { type: 'http', url: 'http://127.0.0.1:1/x', body: { cmd: '{payload}' } } }, true],
    ['http, body template of its own', { default: { type: 'http', url: 'http://127.0.0.1:1/x', body: { limit: 16 } } }, false],
    ['command naming $OCPP_PAYLOAD', { default: { type: 'command', command: 'send "$OCPP_PAYLOAD"' } }, true],
    ['command without the payload', { default: { type: 'command', command: 'press-button' } }, false],
    ['manual', { default: { type: 'manual' } }, false],
    ['none', {}, false],
  ])('%s → %s', (_name, triggers, expected) => {
    expect(passesPayload(cfg(triggers), 'SetChargingProfile')).toBe(expected);
  });
});
