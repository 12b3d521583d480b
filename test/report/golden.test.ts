import * as fs from 'node:fs';
import * as path from 'node:path';
import builder from 'junit-report-builder';
import { buildJUnitXml, buildResultsJson, createReporters, traceFileNames, type RunResult } from '../../src/report';
import { fixtureRun } from './fixture';
import { MemoryStream, expectGolden, tempDir, validateJUnit } from './helpers';

describe('golden files (UPDATE_GOLDEN=1 regenerates)', () => {
  let dir: string;
  let consoleText: string;
  let xml: string;
  let json: string;
  let run: RunResult;

  beforeAll(async () => {
    dir = tempDir();
    const stream = new MemoryStream(false);
    run = fixtureRun();
    const rep = createReporters(['console', 'junit', 'json'], { outDir: path.join(dir, 'out'), stream, env: {} });
    rep.onRunBegin({ ocpp: run.ocpp, as: run.as, device: run.device, total: run.cases.length });
    for (const c of run.cases) {
      rep.onCaseBegin({ id: c.id, title: c.title });
      rep.onCaseEnd(c);
    }
    await rep.onRunEnd(run);
    expect(rep.lastError()).toBeUndefined();
    consoleText = stream.text;
    xml = fs.readFileSync(path.join(dir, 'out', 'junit.xml'), 'utf8');
    json = fs.readFileSync(path.join(dir, 'out', 'results.json'), 'utf8');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('console.txt', () => expectGolden('console.txt', consoleText));
  // The builder writes no hostname attribute and the fixture has fixed times: nothing to normalise.
  // The attachment paths name the temporary directory: normalised to <out>.
  test('junit.xml', () => expectGolden('junit.xml', xml.replaceAll(path.join(dir, 'out'), '<out>')));
  test('results.json', () => expectGolden('results.json', json));

  test('files equal the pure builders', () => {
    const traceFiles = traceFileNames(run);
    expect(xml).toBe(buildJUnitXml(run, { traceFiles, outDir: path.join(dir, 'out') }) + '\n');
    expect(json).toBe(buildResultsJson(run, { traceFiles }));
  });

  test('issue #15 §2: the full traces are in traces/<case>.jsonl, referenced from junit.xml and results.json, never inline', () => {
    const doc = JSON.parse(json);
    const withFrames = run.cases.filter((c) => c.frames.length > 0);
    expect(withFrames.length).toBeGreaterThan(1);
    for (const c of withFrames) {
      const entry = doc.cases.find((x: { id: string }) => x.id === c.id);
      expect(entry.frames).toBeUndefined();
      expect(entry.frameCount).toBe(c.frames.length);
      expect(entry.trace).toBe(`traces/${c.id}.jsonl`);
      const lines = fs.readFileSync(path.join(dir, 'out', entry.trace), 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(c.frames)));
      expect(xml).toContain(`[[ATTACHMENT|${path.join(dir, 'out', entry.trace)}]]`);
    }
    // The inline trace (pure builder without trace files) is what the files replace.
    expect(buildJUnitXml(run).length).toBeGreaterThan(xml.length);
    expect(xml).not.toContain('#1 2025-03-04T10:00:00.250Z out');
  });

  test('issue #15 §2: suite time is the wall time of the run; a WARN pass shows in system-out and a property', () => {
    // Two suites (Core, SmartCharging): each spans from its first case start to its last case end.
    const sc = run.cases.filter((c) => c.block === 'SmartCharging');
    const from = Math.min(...sc.map((c) => Date.parse(c.startedAt)));
    const to = Math.max(...sc.map((c) => Date.parse(c.startedAt) + c.durationMs));
    const sum = sc.reduce((n, c) => n + c.durationMs, 0);
    expect(to - from).not.toBe(sum);
    expect(xml).toMatch(new RegExp(`<testsuite name="ocpp2\\.0\\.1\\.csms\\.SmartCharging"[^>]*time="${(to - from) / 1000}"`));
    // One suite: the run's wall time.
    const one = { ...run, cases: sc };
    expect(buildJUnitXml(one)).toMatch(new RegExp(`<testsuite name="ocpp2\\.0\\.1\\.csms\\.SmartCharging"[^>]*time="${run.durationMs / 1000}"`));
    const start = xml.indexOf('name="SC-201-08 Report criteria filtering [TC_K_30_CS]"');
    const tc = xml.slice(start, xml.indexOf('</testcase>', start));
    expect(tc).toContain('<property name="warnings" value="1"/>');
    expect(tc).toMatch(/<system-out><!\[CDATA\[WARN: passed with 1 warning/);
  });

  test('junit.xml validates against test/report/junit.xsd', async () => {
    const r = await validateJUnit(xml);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  test('junit.xml: hostile text is neutralised, nothing vanishes', () => {
    expect(xml).not.toMatch(/\u001b/);
    expect(xml).not.toMatch(/\[31m|\[1m/); // no ANSI debris
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // Both ]]> of the DataTransfer frame survive visibly, in the failure body and in system-out.
    const cdataTerminators = xml.match(/]]>/g)?.length ?? 0;
    const cdataOpeners = xml.match(/<!\[CDATA\[/g)?.length ?? 0;
    expect(cdataTerminators).toBe(cdataOpeners); // every ]]> is a real CDATA end
    // In the failure body (the system-out trace is a file now; inline it is the second occurrence).
    expect(xml.match(/a]]&gt;b]]&gt;c/g)?.length).toBe(1);
    expect(buildJUnitXml(run).match(/a]]&gt;b]]&gt;c/g)?.length).toBe(2);
    expect(xml).toContain('\\u0001 ctl');
    expect(xml).toContain('bold and \\u0001 ctl');
  });

  test('junit.xml: verdict mapping per test-catalogue §4', () => {
    const props = (name: string) => {
      const start = xml.indexOf(`name="${name}"`);
      expect(start).toBeGreaterThan(-1);
      return xml.slice(start, xml.indexOf('</testcase>', start));
    };
    expect(props('SC-201-07 Bulk install + tbc pagination [TC_K_29_CS]')).toContain('<property name="verdict" value="PASS"/>');
    expect(props('SC-201-08 Report criteria filtering [TC_K_30_CS]')).toContain('<property name="verdict" value="WARN"/>');
    expect(props('SC-X-02 Validator self-test: one-decimal values')).toContain('<property name="verdict" value="INFO"/>');
    const failed = props('SC-201-10 Clear precedence &amp; &lt;criteria> [TC_K_05_CS]');
    expect(failed).toContain('<property name="verdict" value="FAIL"/>');
    expect(failed.match(/<failure /g)?.length).toBe(1);
    expect(failed).toContain('type="SchemaViolation"');
    expect(failed.match(/<system-out>/g)?.length).toBe(1);
    expect(failed).toContain('3 more frames summarised away');
    const skipped = props('SC-201-14 External constraints [TC_K_60_CS]');
    expect(skipped).toContain('<property name="verdict" value="N/A"/>');
    expect(skipped).toContain('name="verdict.reason"');
    expect(skipped).toContain('<skipped/>');
    const error = props('SC-201-15 Composite schedule with two EVSEs');
    expect(error).toContain('<property name="verdict" value="ERROR"/>');
    expect(error).toMatch(/<error message="interrupted \(SIGINT\)[^"]*" type="Interrupted">/);
    expect(xml).not.toContain('<system-err');
    expect(xml).toMatch(/<testsuite name="ocpp2\.0\.1\.csms\.Core"[^>]*timestamp="2025-03-04T10:00:00"/);
    expect(xml).toMatch(/<testsuite name="ocpp2\.0\.1\.csms\.SmartCharging"[^>]*timestamp="2025-03-04T10:00:01"/);
    expect(xml).toContain('<property name="timestamp.timezone" value="UTC"/>');
  });

  test('results.json shape', () => {
    const doc = JSON.parse(json);
    expect(Object.keys(doc)).toEqual(['summary', 'tested', 'run', 'device', 'cases', 'rulesDoc']);
    // Issue #15 §2: warnings (passes with a warn note) and not-run cases are counted on their own.
    expect(doc.summary).toEqual({ passed: 3, failed: 1, skipped: 1, errors: 1, warnings: 1, notRun: 0 });
    expect(doc.run.interrupted).toBe(true);
    expect(doc.cases[3].frameCount).toBe(12);
    expect(doc.cases[3].framesOmitted).toBe(3);
    // Frames are evidence: kept byte-for-byte (JSON escapes the control characters).
    const trace = fs.readFileSync(path.join(dir, 'out', doc.cases[3].trace), 'utf8').trim().split('\n');
    expect(JSON.parse(trace[6]!).raw).toContain('\u001b[1mbold');
    expect(doc.cases[3].failures[0].message).not.toContain('\u001b');
    expect(json).toMatch(/^ {2}"summary"/m);
  });
});

describe('the XSD really validates', () => {
  test('rejects a testcase without classname and with two failures', async () => {
    const bad = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="s" tests="1" failures="2" errors="0" time="0" timestamp="2025-03-04T10:00:00">
    <testcase name="x" time="0"><failure message="a"/><failure message="b"/></testcase>
  </testsuite>
</testsuites>`;
    const r = await validateJUnit(bad);
    expect(r.valid).toBe(false);
    expect(r.errors.length).toBeGreaterThan(0);
  });

  test('rejects a timestamp with an offset and a negative time', async () => {
    const bad = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="s" tests="0" failures="0" errors="0" time="-1" timestamp="2025-03-04T10:00:00+02:00"/></testsuites>`;
    const r = await validateJUnit(bad);
    expect(r.valid).toBe(false);
  });

  test('rejects the naive builder output with two ]]> in one body (pitfall §6.1)', async () => {
    const b = builder.newBuilder();
    b.testSuite().name('s').timestamp('2025-03-04T10:00:00').time(0).testCase().className('a.b').name('c').time(0).failure('m').stacktrace('x]]>y]]>z');
    const r = await validateJUnit(b.build());
    expect(r.valid).toBe(false);
  });
});

describe('issue #11 item 10: rule links, counted repeats, no "undefined"', () => {
  const run = fixtureRun();
  const failedCase = (doc: { cases: Array<{ id: string; failures: Array<Record<string, unknown>>; notes: Array<Record<string, unknown>> }> }) =>
    doc.cases.find((c) => c.id === 'SC-201-10')!;

  test('results.json: a "rules §" citation carries ruleUrl; repeats are counted once', () => {
    const doc = JSON.parse(buildResultsJson(run));
    expect(doc.rulesDoc.path).toBe('docs/rules.md');
    const c = failedCase(doc);
    const repeated = c.failures.filter((f) => f.rule === 'rules §5.2 step 8');
    expect(repeated).toEqual([expect.objectContaining({ count: 2, ruleUrl: 'docs/rules.md#rules-5-2' })]);
    expect(c.notes.filter((n) => n.rule === 'rules §11')).toEqual([expect.objectContaining({ count: 36, ruleUrl: 'docs/rules.md#rules-11' })]);
    // A rule that is a requirement id gets no rules-document link.
    expect(c.failures.find((f) => f.rule === 'K10.FR.03')).not.toHaveProperty('ruleUrl');
  });

  test('JUnit: the failure body links the rule and counts repeats; the testcase has a rules property', () => {
    const xml = buildJUnitXml(run);
    expect(xml).toContain('2 x: rules §5.2: first startPeriod is 0');
    expect(xml).toContain('see: docs/rules.md#rules-5-2');
    expect(xml).toContain('<property name="rules" value="docs/rules.md#rules-5-2,docs/rules.md#rules-11"/>');
    expect(xml).toContain('36 x: unvalidated interval');
    expect(xml.match(/unvalidated interval/g)?.length).toBe(1);
  });

  test('no reporter prints "undefined" for absent expected/actual', () => {
    const withUndefinedKeys = fixtureRun();
    const f = withUndefinedKeys.cases.find((c) => c.id === 'SC-201-10')!;
    f.failures.push({ kind: 'AssertionFailure', message: 'absent values', rule: 'K10.FR.03', expected: undefined, actual: undefined });
    const stream = new MemoryStream(false);
    const rep = createReporters(['console'], { outDir: tempDir(), stream, env: {} });
    rep.onCaseEnd(f);
    expect(stream.text).toContain('absent values');
    expect(stream.text).not.toMatch(/undefined/);
    expect(buildJUnitXml(withUndefinedKeys)).not.toMatch(/undefined/);
    expect(buildResultsJson(withUndefinedKeys)).not.toMatch(/undefined/);
  });
});
