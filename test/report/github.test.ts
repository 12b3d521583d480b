/**
 * Issue #15 §2: `--reporter github` — GitHub Actions workflow commands (annotations) and the Markdown job
 * summary appended to $GITHUB_STEP_SUMMARY.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitHubReporter, createReporters, escapeData, escapeProperty, workflowCommand, type RunResult } from '../../src/report';
import { fixtureRun } from './fixture';
import { MemoryStream, tempDir } from './helpers';

/** Undo the workflow-command escaping, as the Actions runner does. */
const unescape = (s: string) => s.replaceAll('%0A', '\n').replaceAll('%0D', '\r').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');

async function render(run: RunResult, env: Record<string, string | undefined> = {}) {
  const stream = new MemoryStream(false);
  await new GitHubReporter({ stream, env }).onRunEnd(run);
  return stream.text.trimEnd().split('\n');
}

describe('github reporter (issue #15 §2)', () => {
  test('escaping follows the workflow-command rules: data %, CR, LF; properties also : and ,', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('SC-1: a,b 5%')).toBe('SC-1%3A a%2Cb 5%25');
    // A peer-controlled escape sequence never reaches the log raw; a newline in a title cannot end the command.
    const line = workflowCommand('error', 'x\ny', 'bad \u001b[31mred\u001b[39m\nsecond line');
    expect(line).toBe('::error title=x\\ny::bad red%0Asecond line');
    expect(line.split('\n')).toHaveLength(1);
  });

  test('one ::error per failed or errored case, ::warning per WARN pass, one ::notice saying how much was tested', async () => {
    const lines = await render(fixtureRun());
    expect(lines.every((l) => /^::(error|warning|notice) title=[^:]*::/.test(l))).toBe(true);
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors.map((l) => unescape(l.slice('::error title='.length, l.indexOf('::', 2))))).toEqual([
      'FAIL SC-201-10 Clear precedence & <criteria> [TC_K_05_CS]',
      'ERROR SC-201-15 Composite schedule with two EVSEs',
    ]);
    const fail = unescape(errors[0]!.slice(errors[0]!.indexOf('::', 2) + 2));
    // Every failed check with its rule, pointer, frame and values; the counted repeat once.
    expect(fail).toContain('profile 1007 still installed after a matching clear\n  rule K10.FR.03 · at /chargingProfile/0/id');
    expect(fail).toContain('2 x: rules §5.2: first startPeriod is 0');
    expect(fail).toContain('expected: ["Accepted","Unknown"]');
    expect(fail).not.toContain('\u001b');
    const warnings = lines.filter((l) => l.startsWith('::warning'));
    expect(warnings).toEqual(['::warning title=WARN SC-201-08 Report criteria filtering [TC_K_30_CS]::profile for evse 0 reported for evseId 1 (K09.FR.02)']);
    const notices = lines.filter((l) => l.startsWith('::notice'));
    expect(notices).toHaveLength(1);
    expect(unescape(notices[0]!)).toContain('tested: 4 of 6 cases; 1 skipped');
  });

  test('a clean run has no ::error and no ::warning', async () => {
    const run = fixtureRun();
    run.cases = run.cases.filter((c) => c.verdict === 'passed' && !c.notes.some((n) => n.level === 'warn'));
    const lines = await render(run);
    expect(lines.filter((l) => /^::(error|warning)/.test(l))).toEqual([]);
  });

  test('the job summary is appended to $GITHUB_STEP_SUMMARY (earlier content kept); without it nothing is written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'step_summary.md');
    fs.writeFileSync(file, '# earlier step\n');
    await render(fixtureRun(), { GITHUB_STEP_SUMMARY: file });
    const md = fs.readFileSync(file, 'utf8');
    expect(md.startsWith('# earlier step\n## OCPP conformance: OCPP 2.0.1, harness as csms')).toBe(true);
    expect(md).toContain('| 3 | 1 | 1 | 1 | 1 | 0 |'); // passed, with warnings, failed, errors, skipped, not run
    expect(md).toContain('**tested: 4 of 6 cases');
    expect(md).toMatch(/\| SC-201-10 Clear precedence & <criteria> \[TC_K_05_CS\] \| FAIL \| ClearChargingProfileResponse: status must be equal[^|]*\| schema \|/);
    expect(md).toContain('- **SC-201-08** profile for evse 0 reported for evseId 1 (K09.FR.02)');
    expect(md).toContain('| SC-201-14 External constraints [TC_K_60_CS] | PICS');
    // Pipes in peer text cannot break the table.
    const run = fixtureRun();
    run.cases[3]!.failures[0]!.message = 'a | b';
    fs.rmSync(file);
    await render(run, { GITHUB_STEP_SUMMARY: file });
    expect(fs.readFileSync(file, 'utf8')).toContain('| FAIL | a \\| b |');
    // No variable: annotations only.
    await render(fixtureRun(), {});
    expect(fs.readdirSync(dir)).toEqual(['step_summary.md']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the job summary folds the OCTT coverage when the run carries it (issue #15 §3)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'summary.md');
    const run = fixtureRun();
    run.octtCoverage = [
      { octt: 'TC_K_29_CS', status: 'pass', cases: [{ id: 'SC-201-07', verdict: 'passed' }] },
      { octt: 'TC_K_15_CS', status: 'not covered', cases: [], reason: 'no case of this harness performs its checks' },
    ];
    await render(run, { GITHUB_STEP_SUMMARY: file });
    const md = fs.readFileSync(file, 'utf8');
    expect(md).toContain('<details><summary>OCTT SmartCharging coverage: 1 pass, 1 not covered</summary>');
    expect(md).toContain('| TC_K_29_CS | pass | SC-201-07 passed |');
    expect(md).toContain('| TC_K_15_CS | not covered | no case of this harness performs its checks |');
    fs.rmSync(file);
    await render(fixtureRun(), { GITHUB_STEP_SUMMARY: file });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('OCTT SmartCharging coverage');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('createReporters knows "github"', () => {
    const m = createReporters(['console,github'], { outDir: tempDir(), stream: new MemoryStream(), env: {} });
    expect(m.members.map((r) => r.name)).toEqual(['console', 'github']);
  });
});
