import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';

/**
 * Issue #14: `--grace MS` (upper bound of the quiet periods, timing.graceMs) and `--connect-timeout MS`
 * (timing.connectTimeoutMs) on the command line; the quiet periods used land in results.json (run.timing).
 */
const MINI = path.join(__dirname, '..', 'runner', 'fixtures', 'mini-suite.ts');

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (d) => (stderr += String(d)));
  out.resume();
  const code = await main(['node', 'ocpp-conformance', ...args], { out, err });
  return { code, stderr };
}

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'i14-flags-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
const results = () => JSON.parse(fs.readFileSync(path.join(tmp, 'results.json'), 'utf8'));

describe('timing flags (issue #14)', () => {
  test('--connect-timeout MS bounds the wait for a station; --grace MS is the quiet-period upper bound in results.json', async () => {
    const r = await cli(['run', '--listen', '127.0.0.1:0', '--connect-timeout', '300', '--grace', '400', '--suite', MINI, '--grep', 'MINI-01', '--reporter', 'json', '--out', tmp]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Charging Station connected to ws:\/\/127\.0\.0\.1:\d+\/ocpp within 300 ms/);
    expect(results().run.timing.quietMs).toEqual(expect.objectContaining({ upperMs: 400, lowerMs: 250, uses: 0, minMs: null }));
  }, 30_000);

  test('--grace MS against the built-in peer: quiet periods follow its latency within [250, MS], printed once', async () => {
    const r = await cli(['run', '--grace', '320', '--suite', MINI, '--grep', 'MINI-01', '--reporter', 'json', '--out', tmp]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/quiet periods follow the device: \d+ ms now/g)).toHaveLength(1);
    const q = results().run.timing.quietMs;
    expect(q.upperMs).toBe(320);
    expect(q.samples).toBeGreaterThan(0);
    expect(q.minMs).toBeGreaterThanOrEqual(250);
    expect(q.maxMs).toBeLessThanOrEqual(320);
  }, 30_000);

  test('bad values are usage errors (exit 2) naming the flag', async () => {
    const g = await cli(['run', '--grace', '-1', '--list']);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain('--grace -1: expected a non-negative integer (ms)');
    const c = await cli(['run', '--connect-timeout', '0', '--list']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--connect-timeout 0: expected a positive integer (ms)');
  });
});
