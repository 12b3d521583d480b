import { ConsoleReporter, decideColorLevel } from '../../src/report';
import type { CaseResult, RunResult } from '../../src/report';
import { fixtureRun } from './fixture';
import { MemoryStream } from './helpers';

const ESC = /\u001b\[/;

function render(opts: { env: Record<string, string>; tty?: boolean; color?: boolean }): string {
  const stream = new MemoryStream(opts.tty);
  const r = new ConsoleReporter({ stream, env: opts.env, color: opts.color });
  const run = fixtureRun();
  for (const c of run.cases) r.onCaseEnd(c);
  r.onRunEnd(run);
  return stream.text;
}

describe('colour decision', () => {
  test.each([
    ['NO_COLOR on a TTY', { NO_COLOR: '1' }, true, undefined, false],
    ['NO_COLOR beats FORCE_COLOR', { NO_COLOR: '1', FORCE_COLOR: '1' }, true, undefined, false],
    ['empty NO_COLOR is ignored', { NO_COLOR: '' }, true, undefined, true],
    ['FORCE_COLOR=0 on a TTY', { FORCE_COLOR: '0' }, true, undefined, false],
    ['FORCE_COLOR=false on a TTY', { FORCE_COLOR: 'false' }, true, undefined, false],
    ['non-TTY without env', {}, false, undefined, false],
    ['TTY without env', {}, true, undefined, true],
    ['FORCE_COLOR=1 on a pipe', { FORCE_COLOR: '1' }, false, undefined, true],
    ['explicit color:true beats NO_COLOR', { NO_COLOR: '1' }, false, true, true],
    ['explicit color:false beats FORCE_COLOR', { FORCE_COLOR: '3' }, true, false, false],
  ] as const)('%s', (_label, env, tty, color, expectColour) => {
    const text = render({ env: { ...env }, tty, color });
    expect(ESC.test(text)).toBe(expectColour);
  });

  test('levels', () => {
    expect(decideColorLevel({ env: { FORCE_COLOR: '3' } })).toBe(3);
    expect(decideColorLevel({ env: { FORCE_COLOR: '' } })).toBe(1);
    expect(decideColorLevel({ env: {}, isTTY: undefined })).toBe(0);
  });

  test('the decision is taken once, at construction', () => {
    const env: Record<string, string> = {};
    const stream = new MemoryStream(false);
    const r = new ConsoleReporter({ stream, env });
    env['FORCE_COLOR'] = '1';
    r.onCaseEnd(fixtureRun().cases[0]!);
    expect(ESC.test(stream.text)).toBe(false);
  });

  test('does not touch the global chalk', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chalk = require('chalk') as typeof import('chalk');
    const before = chalk.level;
    render({ env: { FORCE_COLOR: '3' } });
    expect(chalk.level).toBe(before);
  });
});

describe('closing line', () => {
  const last = (text: string) => text.trimEnd().split('\n').pop();

  test('with errors and interrupted', () => {
    expect(last(render({ env: {} }))).toBe('3 passed (1 with warnings), 1 failed, 1 skipped, 1 errors (interrupted)');
  });

  test('without errors, not interrupted', () => {
    const run: RunResult = { ...fixtureRun(), interrupted: false };
    run.cases = run.cases.filter((c) => c.verdict !== 'error');
    const stream = new MemoryStream(false);
    new ConsoleReporter({ stream, env: {} }).onRunEnd(run);
    expect(last(stream.text)).toBe('3 passed (1 with warnings), 1 failed, 1 skipped');
  });

  test('empty run', () => {
    const stream = new MemoryStream(false);
    new ConsoleReporter({ stream, env: {} }).onRunEnd({ ...fixtureRun(), cases: [], interrupted: false });
    expect(last(stream.text)).toBe('0 passed, 0 failed, 0 skipped');
  });

  test('coloured closing line reads the same once escapes are stripped', () => {
    const { stripVTControlCharacters } = require('node:util') as typeof import('node:util');
    expect(last(stripVTControlCharacters(render({ env: {}, color: true })))).toBe(
      '3 passed (1 with warnings), 1 failed, 1 skipped, 1 errors (interrupted)',
    );
  });
});

describe('case lines', () => {
  test('cases never announced through onCaseEnd are printed at run end (e.g. interrupted ones)', () => {
    const run = fixtureRun();
    const stream = new MemoryStream(false);
    const r = new ConsoleReporter({ stream, env: {} });
    for (const c of run.cases.slice(0, 4)) r.onCaseEnd(c);
    r.onRunEnd(run);
    const lines = stream.text.split('\n');
    expect(lines.filter((l) => l.includes('SC-201-07 ')).length).toBe(1);
    expect(lines.filter((l) => l.includes('SC-201-15 ')).length).toBe(1);
    expect(lines.filter((l) => l.includes('SC-201-14 ')).length).toBe(1);
  });

  test('raw frames are cut to ~200 chars and peer escape sequences never reach the terminal', () => {
    const base = fixtureRun().cases.find((c) => c.verdict === 'failed')!;
    const raw = '[2,"x","DataTransfer",{"data":"\u001b]0;pwned\u0007' + 'y'.repeat(500) + '"}]';
    const c: CaseResult = { ...base, frames: [{ ...base.frames[0]!, raw, rawLength: raw.length }], framesOmitted: 0 };
    const stream = new MemoryStream(false);
    new ConsoleReporter({ stream, env: {} }).onCaseEnd(c);
    const frameLine = stream.text.split('\n').find((l) => l.includes('DataTransfer'))!;
    expect(frameLine).toMatch(/… \(\+\d+ chars\)$/);
    expect(frameLine.length).toBeLessThan(280);
    expect(stream.text).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
  });

  test('line format', () => {
    const text = render({ env: {} });
    expect(text).toContain('  ✓ passed  SC-201-07 Bulk install + tbc pagination (1.2s)\n');
    expect(text).toContain('  - skipped SC-201-14 External constraints (0ms)\n');
    expect(text).toContain('      skipped: PICS: SmartChargingCtrlr.ExternalControlSignalsEnabled not supported\n');
    expect(text).toContain('      Interrupted: interrupted (SIGINT)');
  });
});
