/**
 * Issue #7 §3: passwords, Authorization headers and TLS private keys never appear in console output,
 * reports, traces or error messages; TLS is 1.2 or later only.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { AuthenticationError, CsmsServer, connectStation, type RpcSession } from '../../src/transport';
import { makeCerts, type CertFiles } from '../helpers/certs';
import { nextEvent } from '../helpers/wait';
import { tempDir } from './run-helpers';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ocpp-conformance.js');
const SUITE = path.join(__dirname, 'fixtures', 'tiny-suite.ts');
const SECRET = 'Zq7-distinctive-S3CRET-pw-4711';

/** Every form of the secret that could leak: as is, in a Basic header for any identity, base64 alone. */
function forms(identity: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [SECRET, b64(`${identity}:${SECRET}`), b64(SECRET), encodeURIComponent(SECRET), `Basic ${b64(`${identity}:${SECRET}`)}`];
}

function expectNoSecret(where: string, text: string, identity: string): void {
  for (const f of forms(identity)) {
    if (text.includes(f)) throw new Error(`${where} contains the secret (${f === SECRET ? 'plain' : 'encoded'})`);
  }
}

function cli(args: string[]): Promise<{ code: number | null; out: string; dir: string }> {
  const dir = tempDir('ocpp-secret-');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.JEST_WORKER_ID;
  const child = spawn(process.execPath, [BIN, 'run', '--suite', SUITE, '--out', dir, '--reporter', 'console,junit,json,html', '--timeout', '10000', ...args], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit: ${out}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, out, dir });
    });
  });
}

/** Console output plus every file the run wrote. */
/** The console and every file written, the per-case traces (traces/<case>.jsonl, issue #15) included. */
function everything(r: { out: string; dir: string }): [string, string][] {
  const files = fs.readdirSync(r.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return [['console', r.out], ...files.map((e): [string, string] => [path.relative(r.dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')])];
}

describe('secrets never leak', () => {
  test('security profile 1 with --password against the built-in station: the password appears in no output, report or trace', async () => {
    const r = await cli(['--password', SECRET, '--grep', 'R-1|R-2']);
    expect(r.code).toBe(0);
    const outputs = everything(r);
    expect(outputs.map(([n]) => n).sort()).toEqual(['console', 'junit.xml', 'report.html', 'results.json', 'traces/R-1.jsonl', 'traces/R-2.jsonl', 'traces/SC-X-01.jsonl']);
    for (const [name, text] of outputs) expectNoSecret(name, text, 'CS-BUILTIN-1');
    // The trace is in the reports: it was checked above, and it is really there.
    const first = JSON.parse(fs.readFileSync(path.join(r.dir, 'results.json'), 'utf8')).cases[0];
    expect(first.frameCount).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(r.dir, first.trace), 'utf8').trim().split('\n')).toHaveLength(first.frameCount);
  }, 40_000);

  test('failed authentication (HTTP 401): the error, the notices and the reports name the failure, never the password', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'], password: 'the-right-one-0000' });
    await server.listen();
    const refused: unknown[] = [];
    server.on('refused', (x) => refused.push(x));
    try {
      const r = await cli(['--as', 'station', '--url', `${server.url}/ocpp`, '--identity', 'CS-SECRET-1', '--password', SECRET, '--grep', 'R-ST-1']);
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/401/);
      for (const [name, text] of everything(r)) expectNoSecret(name, text, 'CS-SECRET-1');
      expect(JSON.stringify(refused)).not.toContain(SECRET);
      expect(refused).toEqual([expect.objectContaining({ status: 401 })]);
      // In-process too: the typed error carries no secret, in message or any property.
      const e = await connectStation({ url: `${server.url}/ocpp`, identity: 'CS-SECRET-1', versions: ['2.0.1'], password: SECRET }).catch((x) => x);
      // The 401 path itself must have been exercised, not some other refusal.
      expect(e).toBeInstanceOf(AuthenticationError);
      expect(e.message).toMatch(/401/);
      expectNoSecret('AuthenticationError', `${e.message} ${JSON.stringify(e)} ${e.stack}`, 'CS-SECRET-1');
    } finally {
      await server.close();
    }
  }, 40_000);
});

describe('TLS', () => {
  let certs: CertFiles;
  const servers: CsmsServer[] = [];
  beforeAll(() => {
    certs = makeCerts();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  const keyLines = (file: string) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 40 && !l.startsWith('-----'));

  test('a client key that does not match its certificate fails in one line without key material', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'], tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert, requestClientCert: true } });
    servers.push(server);
    await server.listen();
    const e = await Promise.resolve()
      .then(() => connectStation({ url: server.url, identity: 'CS-1', versions: ['2.0.1'], tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.serverKey } }))
      .catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).not.toMatch(/\n/);
    const text = `${(e as Error).message} ${JSON.stringify(e)}`;
    for (const l of [...keyLines(certs.serverKey), ...keyLines(certs.clientKey)]) expect(text).not.toContain(l);
  });

  test('the harness CSMS refuses a TLS 1.1 client and accepts TLS 1.2 and 1.3', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'], tls: { cert: certs.serverCert, key: certs.serverKey } });
    servers.push(server);
    const { port } = await server.listen();
    const hello = (opts: tls.ConnectionOptions) =>
      new Promise<string>((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca: fs.readFileSync(certs.caCert), servername: 'localhost', ...opts }, () => {
          const v = s.getProtocol() ?? '?';
          s.destroy();
          resolve(v);
        });
        s.on('error', (e) => resolve(`refused: ${e.message}`));
      });
    expect(await hello({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).toMatch(/^refused.*(protocol|version)/i);
    expect(await hello({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
    expect(await hello({ minVersion: 'TLSv1.3' })).toBe('TLSv1.3');
  });

  test('the harness station refuses a TLS 1.1-only CSMS with a one-line error', async () => {
    const srv = https.createServer({
      cert: fs.readFileSync(certs.serverCert),
      key: fs.readFileSync(certs.serverKey),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const tlsErrors = nextEvent(srv, 'tlsClientError', 5000).catch(() => undefined);
    try {
      const port = (srv.address() as { port: number }).port;
      const e = await connectStation({ url: `wss://127.0.0.1:${port}`, identity: 'CS-1', versions: ['2.0.1'], tls: { ca: certs.caCert } }).then(
        (s: RpcSession) => s,
        (x: Error) => x,
      );
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(/cannot connect.*(protocol|version)/i);
      expect((e as Error).message).not.toMatch(/\n/);
      await tlsErrors;
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});
