import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  JUnitReporter,
  JsonReporter,
  ReporterError,
  ReporterMultiplexer,
  UnknownReporterError,
  buildJUnitXml,
  buildResultsJson,
  createReporters,
  writeFileAtomic,
  xmlSafe,
  ConsoleReporter,
} from '../../src/report';
import type { CaseResult, Reporter, RunResult } from '../../src/report';
import { fixtureRun } from './fixture';
import { MemoryStream, tempDir, validateJUnit } from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('multiplexer', () => {
  function recorder(log: string[], name: string): Reporter {
    return {
      name,
      onRunBegin: () => log.push(`${name}:begin`),
      onCaseBegin: (c) => log.push(`${name}:caseBegin:${c.id}`),
      onCaseEnd: (r) => log.push(`${name}:caseEnd:${r.id}`),
      onRunEnd: async () => {
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name}:end`);
      },
    };
  }

  test('one throwing reporter does not stop the others; the first error is kept', async () => {
    const log: string[] = [];
    const seen: ReporterError[] = [];
    const boom: Reporter = {
      name: 'boom',
      onRunBegin: () => {
        throw new Error('begin failed');
      },
      onCaseEnd: () => {
        throw new Error('caseEnd failed');
      },
      onRunEnd: async () => {
        throw new Error('EACCES: cannot write');
      },
    };
    const m = new ReporterMultiplexer([recorder(log, 'a'), boom, recorder(log, 'b')], { onError: (e) => seen.push(e) });
    const run = fixtureRun();
    m.onRunBegin({ ocpp: run.ocpp, as: run.as, device: run.device, total: 1 });
    m.onCaseBegin({ id: 'X', title: 't' });
    m.onCaseEnd(run.cases[0]!);
    await expect(m.onRunEnd(run)).resolves.toBeUndefined();
    expect(log).toEqual(['a:begin', 'b:begin', 'a:caseBegin:X', 'b:caseBegin:X', `a:caseEnd:${run.cases[0]!.id}`, `b:caseEnd:${run.cases[0]!.id}`, 'a:end', 'b:end']);
    const first = m.lastError();
    expect(first).toBeInstanceOf(ReporterError);
    expect(first!.reporter).toBe('boom');
    expect(first!.hook).toBe('onRunBegin');
    expect((first!.cause as Error).message).toBe('begin failed');
    expect(m.errors().map((e) => e.hook)).toEqual(['onRunBegin', 'onCaseEnd', 'onRunEnd']);
    expect(seen).toHaveLength(3);
  });

  test('a failed file write surfaces through lastError (runner turns it into exit 2)', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    const m = createReporters(['json', 'junit', 'console'], { outDir: path.join(blocker, 'out'), stream: new MemoryStream(), env: {} });
    await m.onRunEnd(fixtureRun());
    expect(m.lastError()?.reporter).toBe('json');
    expect(m.errors().map((e) => e.reporter)).toEqual(['json', 'junit']);
  });

  test('no error → lastError undefined', async () => {
    const m = new ReporterMultiplexer([{ onRunEnd: () => undefined }]);
    await m.onRunEnd(fixtureRun());
    expect(m.lastError()).toBeUndefined();
  });
});

describe('createReporters', () => {
  test('resolves names (case-insensitive, comma lists, duplicates dropped)', () => {
    const m = createReporters(['Console', 'junit,json', 'json'], { outDir: dir, stream: new MemoryStream(), env: {} });
    expect(m.members.map((r) => r.name)).toEqual(['console', 'junit', 'json']);
    expect(m.members[0]).toBeInstanceOf(ConsoleReporter);
    expect(m.members[1]).toBeInstanceOf(JUnitReporter);
    expect(m.members[2]).toBeInstanceOf(JsonReporter);
  });

  test('unknown name → UnknownReporterError', () => {
    expect(() => createReporters(['console', 'xml'], { outDir: dir })).toThrow(UnknownReporterError);
    expect(() => createReporters(['xml'], { outDir: dir })).toThrow(
      expect.objectContaining({ constructor: UnknownReporterError, reporterName: 'xml', message: expect.stringContaining('console, junit, json, html') }),
    );
  });
});

describe('atomic writes', () => {
  test('reporters leave exactly their files, no temp files; the out dir is created', async () => {
    const out = path.join(dir, 'deep', 'out');
    const m = createReporters(['junit', 'json'], { outDir: out });
    await m.onRunEnd(fixtureRun());
    await m.onRunEnd(fixtureRun()); // overwrite works too
    expect(m.lastError()).toBeUndefined();
    expect(fs.readdirSync(out).sort()).toEqual(['junit.xml', 'results.json', 'traces']);
    expect(fs.readdirSync(path.join(out, 'traces')).filter((f) => !f.endsWith('.jsonl'))).toEqual([]);
  });

  test('issue #15 §2: trace files of an earlier run in the same directory are removed, never taken for this run\'s', async () => {
    const out = path.join(dir, 'again');
    await createReporters(['json'], { outDir: out }).onRunEnd(fixtureRun());
    const before = fs.readdirSync(path.join(out, 'traces')).sort();
    expect(before).toContain('SC-201-10.jsonl');
    const smaller = fixtureRun();
    smaller.cases = smaller.cases.filter((c) => c.id !== 'SC-201-10');
    await createReporters(['json', 'junit'], { outDir: out }).onRunEnd(smaller);
    const after = fs.readdirSync(path.join(out, 'traces')).sort();
    expect(after).toEqual(before.filter((f) => f !== 'SC-201-10.jsonl'));
  });

  test('a failing rename removes the temp file and keeps nothing half-written', async () => {
    const target = path.join(dir, 'junit.xml');
    fs.mkdirSync(target); // rename onto a non-empty directory fails
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['junit.xml']);
  });

  test('the previous file stays intact until the new one is complete', async () => {
    const file = path.join(dir, 'results.json');
    fs.writeFileSync(file, 'old');
    const p = writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    await p;
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['results.json']);
  });
});

describe('JUnit names and text', () => {
  function dup(c: CaseResult, over: Partial<CaseResult>): CaseResult {
    return { ...c, ...over };
  }

  test('names are unique per classname: (2), (3) appended on collisions only within a classname', async () => {
    const run: RunResult = fixtureRun();
    const pass = run.cases.find((c) => c.id === 'SC-201-07')!;
    run.cases = [
      pass,
      dup(pass, {}),
      dup(pass, {}),
      dup(pass, { block: 'Other' }),
      dup(pass, { title: 'Bulk install + tbc pagination', octtId: undefined, id: 'SC-201-07' }),
    ];
    const xml = buildJUnitXml(run);
    const names = [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => `${m[1]} | ${m[2]}`);
    expect(names).toEqual([
      'ocpp2.0.1.csms.SmartCharging | SC-201-07 Bulk install + tbc pagination [TC_K_29_CS]',
      'ocpp2.0.1.csms.SmartCharging | SC-201-07 Bulk install + tbc pagination [TC_K_29_CS] (2)',
      'ocpp2.0.1.csms.SmartCharging | SC-201-07 Bulk install + tbc pagination [TC_K_29_CS] (3)',
      'ocpp2.0.1.csms.SmartCharging | SC-201-07 Bulk install + tbc pagination',
      'ocpp2.0.1.csms.Other | SC-201-07 Bulk install + tbc pagination [TC_K_29_CS]',
    ]);
    expect((await validateJUnit(xml)).valid).toBe(true);
  });

  test('credentials in the endpoint URL are masked in both files', () => {
    const run = fixtureRun();
    run.device = { ...run.device, endpoint: 'wss://CP-001:s3cret@csms.example/ocpp/CP-001' };
    const xml = buildJUnitXml(run);
    const json = buildResultsJson(run);
    expect(xml).toContain('value="wss://***@csms.example/ocpp/CP-001"');
    expect(json).toContain('"endpoint": "wss://***@csms.example/ocpp/CP-001"');
    expect(xml + json).not.toContain('s3cret');
  });

  test('a fresh builder per report: nothing accumulates', () => {
    const a = buildJUnitXml(fixtureRun());
    const b = buildJUnitXml(fixtureRun());
    expect(b).toBe(a);
  });

  test('xmlSafe: ANSI stripped, invalid characters escaped visibly, every ]]> neutralised', () => {
    expect(xmlSafe('\u001b[31mred\u001b[0m')).toBe('red');
    expect(xmlSafe('a\u0000b\u0001c\u000bd\te\nf\rg')).toBe('a\\u0000b\\u0001c\\u000bd\te\nf\rg');
    expect(xmlSafe('x]]>y]]>z]]>')).toBe('x]]&gt;y]]&gt;z]]&gt;');
    expect(xmlSafe('lone \ud800 and \udc00 pair \ud83d\ude00 \ufffe')).toBe('lone \\ud800 and \\udc00 pair \ud83d\ude00 \\ufffe');
  });

  test('hostile failure message, reason and title still give valid XML', async () => {
    const run = fixtureRun();
    const bad = '\u001b[31m]]>\u0000\ud800"<&>]]>';
    run.cases = run.cases.map((c) => ({
      ...c,
      title: c.title + bad,
      reason: c.reason === undefined ? undefined : c.reason + bad,
      failures: c.failures.map((f) => ({ ...f, message: f.message + bad, rule: bad })),
      notes: c.notes.map((n) => ({ ...n, message: bad })),
      steps: [bad],
    }));
    const xml = buildJUnitXml(run);
    const r = await validateJUnit(xml);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  test('failed case without failures and error case without reason still carry a message', async () => {
    const run = fixtureRun();
    run.cases = [
      { ...run.cases[3]!, failures: [], reason: undefined },
      { ...run.cases[5]!, reason: undefined, errorType: undefined },
      { ...run.cases[1]!, durationMs: Number.NaN, startedAt: 'garbage' },
    ];
    const xml = buildJUnitXml(run);
    expect(xml).toContain('<failure message="failed" type="AssertionFailure">');
    expect(xml).toContain('<error message="HarnessError" type="HarnessError">');
    expect((await validateJUnit(xml)).valid).toBe(true);
  });
});
