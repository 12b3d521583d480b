/**
 * Issue #13, triggers for real APIs: the whole CSMS suite runs through the built-in CSMS's CitrineOS-like
 * rest API with the README's example config (success rule, refusal text, async callback, a bearer token
 * from the environment); a refusing CSMS gives ERROR with its own text at once; the resolved secret never
 * reaches the console, results.json or junit.xml.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ReferenceCsms, ReferenceStation } from '../../src/reference';
import { CallbackServer } from '../../src/runner/triggers';
import { validateConfig, type PartialConfig, type RunConfig } from '../../src/runner/config';
import { runConformance, type BuiltinPeers } from '../../src/runner/runner';
import { loadSuites } from '../../src/runner/loader';
import { createReporters } from '../../src/report';
import { builtinPeers, stationRole } from '../../src/reference';
import type { CaseResult } from '../../src/report/types';
import { csmsConfig, ROOT, runCsms } from './helpers';

const TOKEN = 'rest-api-T0ken+secret/1';
const CALL_TIMEOUT_MS = 4000;

/**
 * The JSON example of README "Testing a CSMS with a REST API", pointed at `csms`; with `auth` the README's
 * bearer-header snippet (its second JSON block) merged into the default, as the README says.
 */
function readmeExample(csms: ReferenceCsms, opts: { auth?: boolean } = { auth: true }): PartialConfig {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Testing a CSMS with a REST API'));
  const [json, header] = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  const text = json!.split('http://127.0.0.1:8080').join(csms.httpUrl).split('ws://127.0.0.1:8081').join(csms.url);
  const raw = JSON.parse(text);
  // citrine-run3: the main example has no header (a local CitrineOS needs none; an unset variable stops the run).
  expect(raw.triggers.default.headers).toBeUndefined();
  if (opts.auth) raw.triggers.default.headers = JSON.parse(header!).triggers.default.headers;
  const example = validateConfig(raw, 'README example');
  expect((example.triggers!.default as { callback: { timeoutMs: number } }).callback.timeoutMs).toBe(5000);
  // Short loopback timings.
  (example.triggers!.default as { callback: { timeoutMs: number } }).callback.timeoutMs = CALL_TIMEOUT_MS;
  return example;
}

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => f.message).join(' | ')}` : ''}`).join('\n');

async function withRestCsms<T>(faults: string[], fn: (csms: ReferenceCsms) => Promise<T>): Promise<T> {
  const csms = new ReferenceCsms({ versions: ['2.0.1'], host: '127.0.0.1', port: 0, api: 'rest', apiToken: TOKEN, faults, callTimeoutMs: CALL_TIMEOUT_MS });
  await csms.start();
  process.env.CSMS_API_TOKEN = TOKEN;
  try {
    return await fn(csms);
  } finally {
    delete process.env.CSMS_API_TOKEN;
    await csms.stop();
  }
}

test('issue #13: the whole 2.0.1 CSMS suite passes through the rest API with the README example config', async () => {
  const commands: string[] = [];
  // The built-in peer slot (in-process, short case windows) holds a rest-API CSMS with a bearer token; the
  // triggers are the README example pointed at it.
  const peers: BuiltinPeers = {
    ...builtinPeers(),
    async startCsms({ config }) {
      const csms = new ReferenceCsms({ versions: ['2.0.1'], api: 'rest', apiToken: TOKEN, callTimeoutMs: config.timing.callTimeoutMs });
      csms.server.on('request', (req: { url?: string }) => commands.push(req.url ?? ''));
      await csms.start();
      config.triggers = readmeExample(csms).triggers as RunConfig['triggers'];
      return { url: `${csms.url}/ocpp`, stop: () => csms.stop() };
    },
  };
  process.env.CSMS_API_TOKEN = TOKEN;
  try {
    const config = csmsConfig('2.0.1');
    const { result, exitCode } = await runConformance({ config, suites: loadSuites(['smartcharging-csms']), reporter: { onRunEnd: () => undefined }, builtinPeers: peers, stationRole, fixturesDir: join(ROOT, 'fixtures') });
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    expect(exitCode).toBe(0);
    // SC-CSMS-05 judged the composite the CSMS relayed through its callback: no "could not check" WARN.
    const sc05 = result.cases.find((c) => c.id === 'SC-CSMS-05')!;
    expect(sc05.notes.filter((n) => /could not check/.test(n.message)).map((n) => n.message)).toEqual([]);
  } finally {
    delete process.env.CSMS_API_TOKEN;
  }
  // The commands really went through the rest routes, with a callback URL each.
  const rest = commands.filter((u) => u.startsWith('/ocpp/2.0.1/'));
  expect(rest.some((u) => u.startsWith('/ocpp/2.0.1/smartcharging/setChargingProfile?identifier='))).toBe(true);
  expect(rest.every((u) => /callbackUrl=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback%2F/.test(u))).toBe(true);
}, 120_000);

test.each([
  ['refuse-command', 'HTTP 200, success:false', /^the CSMS refused the command: \w+ refused for CS-CONFORMANCE-1: command rejected by the operator policy \(\w+: POST .* answered HTTP 200; \/0\/success is false, not true\)/],
  // citrine-run3 E: CitrineOS refuses a body its schema rejects with HTTP 400; not a HarnessError.
  ['refuse-command-http-400', 'HTTP 400', /^the CSMS refused the command: HTTP 400: \{"statusCode":400,.*"message":".*limit must be multiple of 0.1"\} \(\w+: POST .*\)$/],
] as const)('issue #13: a CSMS refusing the command (fault %s: %s) gives ERROR PreconditionFailed with its text at once, never FAIL', async (fault, _how, reason) => {
  await withRestCsms([fault], async (csms) => {
    const { result, exitCode } = await runCsms(csmsConfig('2.0.1', { ...readmeExample(csms), grep: 'SC-CSMS-0[1-4]' }));
    const cases = result.cases.filter((c) => c.id.startsWith('SC-CSMS-'));
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(result.cases.filter((c) => c.verdict === 'failed')).toEqual([]);
    for (const c of cases) {
      expect({ id: c.id, verdict: c.verdict, errorType: c.errorType }).toEqual({ id: c.id, verdict: 'error', errorType: 'PreconditionFailed' });
      expect(c.reason).toMatch(reason);
      // Recorded at once, not after the CALL timeout.
      expect(c.durationMs).toBeLessThan(CALL_TIMEOUT_MS);
    }
    expect(exitCode).toBe(2);
  });
}, 60_000);

test('issue #13: the built-in CSMS with --builtin-quirk rest-api passes the 1.6 suite (triggers configured by the harness)', async () => {
  const { result, exitCode } = await runCsms(csmsConfig('1.6', { builtinQuirks: ['rest-api'] }));
  expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
  expect(exitCode).toBe(0);
}, 120_000);

test('issue #13: a resolved secret never appears in console, results.json, junit.xml or the verdict', async () => {
  // A careless API that echoes the credentials into its refusal and is given the token in the URL too.
  const api = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ success: false, payload: `not allowed: ${req.headers.authorization} at ${req.url}` }]));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const out = mkdtempSync(join(tmpdir(), 'oc-secret-'));
  const consoleText: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => consoleText.push(d.toString('utf8')));
  process.env.CSMS_API_TOKEN = TOKEN;
  try {
    const config = csmsConfig('2.0.1', {
      grep: 'SC-CSMS-01',
      reporters: ['console', 'json', 'junit'],
      out,
      triggers: {
        default: {
          type: 'http',
          url: `${base}/ocpp/2.0.1/smartcharging/{action}?identifier={identity}&key={env.CSMS_API_TOKEN}`,
          headers: { authorization: 'Bearer ${ENV:CSMS_API_TOKEN}' },
          success: { pointer: '/0/success' },
          refusalPointer: '/0/payload',
        },
      },
    });
    const reporter = createReporters(config.reporters, { outDir: out, stream: stream as unknown as NodeJS.WriteStream, color: false });
    const { result } = await runConformance({ config, suites: loadSuites(['smartcharging-csms']), reporter, builtinPeers: builtinPeers(), stationRole, fixturesDir: join(ROOT, 'fixtures') });
    const c = result.cases.find((x) => x.id === 'SC-CSMS-01')!;
    expect(c.verdict).toBe('error');
    expect(c.reason).toContain('the CSMS refused the command: not allowed: ***');
    const texts = { console: consoleText.join(''), json: readFileSync(join(out, 'results.json'), 'utf8'), junit: readFileSync(join(out, 'junit.xml'), 'utf8') };
    for (const [where, text] of Object.entries(texts)) {
      expect({ where, refusal: text.includes('the CSMS refused the command') }).toEqual({ where, refusal: true });
      expect({ where, leaks: [TOKEN, encodeURIComponent(TOKEN)].filter((s) => text.includes(s)) }).toEqual({ where, leaks: [] });
    }
  } finally {
    delete process.env.CSMS_API_TOKEN;
    rmSync(out, { recursive: true, force: true });
    await new Promise<void>((r) => api.close(() => r()));
  }
}, 60_000);

test('issue #13: reference CSMS rest API — token, routes per module, refusals, the station answer posted to callbackUrl', async () => {
  await withRestCsms([], async (csms) => {
    const station = new ReferenceStation({ version: '2.0.1', url: csms.url, identity: 'REST-1', evses: 2 });
    const booted = new Promise<void>((r) => station.once('booted', () => r()));
    await station.start();
    await booted;
    const callbacks = new CallbackServer();
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const post = async (route: string, body: unknown, headers: Record<string, string> = auth) => {
      const r = await fetch(`${csms.httpUrl}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as unknown };
    };
    try {
      const composite = { evseId: 1, duration: 60 };
      expect((await post('/ocpp/2.0.1/smartcharging/getCompositeSchedule?identifier=REST-1&tenantId=1', composite, { 'content-type': 'application/json' })).status).toBe(401);
      expect((await post('/ocpp/2.0.1/evdriver/getCompositeSchedule?identifier=REST-1&tenantId=1', composite)).status).toBe(404);
      expect((await post('/trigger/REST-1/GetCompositeSchedule', composite)).status).toBe(404);
      expect(await post('/ocpp/2.0.1/smartcharging/getCompositeSchedule?identifier=NOBODY&tenantId=1', composite)).toEqual({ status: 200, body: [{ success: false, payload: 'station NOBODY is not connected' }] });
      expect(await post('/ocpp/1.6/smartcharging/getCompositeSchedule?identifier=REST-1&tenantId=1', composite)).toEqual({ status: 200, body: [{ success: false, payload: 'station REST-1 speaks OCPP 2.0.1, not 1.6' }] });
      const slot = await callbacks.register('GetCompositeSchedule', 5000);
      const queued = await post(`/ocpp/2.0.1/smartcharging/getCompositeSchedule?identifier=REST-1&tenantId=1&callbackUrl=${encodeURIComponent(slot.url)}`, composite);
      expect(queued).toEqual({ status: 200, body: [{ success: true }] });
      // The station's GetCompositeScheduleResponse, relayed by the CSMS.
      await expect(slot.result).resolves.toMatchObject({ status: 'Accepted', schedule: { evseId: 1 } });
    } finally {
      await callbacks.close();
      await station.stop();
    }
  });
}, 30_000);

test('citrine-run3 (README): the example as written, without a header, against an API without authentication; the read-back snippet is a valid config', async () => {
  const csms = new ReferenceCsms({ versions: ['2.0.1'], host: '127.0.0.1', port: 0, api: 'rest', callTimeoutMs: CALL_TIMEOUT_MS });
  await csms.start();
  try {
    const { result, exitCode } = await runCsms(csmsConfig('2.0.1', { ...readmeExample(csms, { auth: false }), grep: 'SC-CSMS-01' }));
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    expect(exitCode).toBe(0);
  } finally {
    await csms.stop();
  }
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Testing a CSMS with a REST API'));
  const readBack = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!)).find((j) => j.triggers?.readBack);
  expect(validateConfig(readBack, 'README read-back example').triggers?.readBack).toMatchObject({ type: 'command', command: expect.stringContaining('{what} {key} {identity}') });
}, 60_000);
