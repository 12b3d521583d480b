/**
 * Console reporter: one line per case as it ends, failure details, notes, and a closing summary line.
 * Colour is decided once at construction (engineering-notes §2) and applied through a dedicated chalk
 * instance; everything peer-controlled is printed as one visible line (no raw escape sequences reach the
 * terminal).
 */
import chalk from 'chalk';
import type { DeviceProfileInfo, Reporter, RunBeginInfo } from './reporter';
import { collapseFailures, collapseNotes, countedMessage } from './collapse';
import { ruleUrl } from './rules';
import { arrow, formatDuration, frameKind, oneLine, renderValue, truncate } from './text';
import type { CaseResult, RunResult, Summary } from './types';
import { summarise } from './types';
import { repeatedNotes, testedLine } from './summary';

/** Anything with `write(string)`; `isTTY` is read for the colour decision. process.stdout fits. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ColorDecisionInput {
  /** Explicit choice (CLI --color / --no-color); wins over everything. */
  color?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  isTTY?: boolean;
}

/**
 * Colour level, decided in this order: explicit option → NO_COLOR non-empty (off) → FORCE_COLOR
 * (`0`/`false` off; `2`/`3` that level; anything else, including empty, on) → the stream is a TTY.
 * Returns a chalk level 0..3.
 */
export function decideColorLevel(input: ColorDecisionInput): 0 | 1 | 2 | 3 {
  if (input.color !== undefined) return input.color ? 1 : 0;
  const env = input.env ?? process.env;
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    const f = force.trim().toLowerCase();
    if (f === '0' || f === 'false') return 0;
    if (f === '2') return 2;
    if (f === '3') return 3;
    return 1;
  }
  return input.isTTY === true ? 1 : 0;
}

export interface ConsoleReporterOptions {
  stream?: OutputStream;
  color?: boolean;
  /** Environment read for NO_COLOR / FORCE_COLOR; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Frames shown for a failed case (default 5). */
  frames?: number;
  /** Characters of a raw frame shown (default 200). */
  rawChars?: number;
  /** Characters of an expected/actual JSON value shown (default 300). */
  valueChars?: number;
}

const WORD = { passed: 'passed', failed: 'failed', skipped: 'skipped', error: 'error' } as const;
const SYMBOL = { passed: '✓', failed: '✗', skipped: '-', error: '!' } as const;

export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  readonly colorLevel: 0 | 1 | 2 | 3;
  private readonly c: chalk.Chalk;
  private readonly stream: OutputStream;
  private readonly frames: number;
  private readonly rawChars: number;
  private readonly valueChars: number;
  /** How many results per id were already printed by onCaseEnd (for onRunEnd catch-up). */
  private readonly printed = new Map<string, number>();

  constructor(options: ConsoleReporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.colorLevel = decideColorLevel({ color: options.color, env: options.env, isTTY: this.stream.isTTY });
    this.c = new chalk.Instance({ level: this.colorLevel });
    this.frames = options.frames ?? 5;
    this.rawChars = options.rawChars ?? 200;
    this.valueChars = options.valueChars ?? 300;
  }

  onRunBegin(info: RunBeginInfo): void {
    const d = info.device;
    const target = d.builtin ? 'built-in reference peer' : (d.identity ?? d.endpoint ?? 'device');
    const n = `${info.total} case${info.total === 1 ? '' : 's'}`;
    this.line(this.c.bold(`Running ${n} · OCPP ${info.ocpp} · harness as ${info.as} · ${oneLine(target)}`));
    this.line('');
  }

  /** Issue #12 item 7: what the harness assumes about the device, and from where, before any verdict. */
  onDeviceProfile(info: DeviceProfileInfo): void {
    const c = this.c;
    this.line(c.bold('Device profile (effective):'));
    for (const e of info.entries) {
      const from = e.source === 'discovered' ? `discovered from ${e.key ?? '?'}` : e.note ? `${e.source}: ${e.note}` : e.source;
      const tint = e.source === 'not reported' ? c.yellow : e.source === 'discovered' ? c.green : c.dim;
      this.line(`  ${oneLine(e.field)} = ${oneLine(truncate(renderValue(e.value), this.valueChars))} ${tint(`(${oneLine(from)})`)}`);
    }
    for (const m of info.mismatches) this.line(`  ${c.yellow('declared ≠ device:')} ${oneLine(m)}`);
    this.line('');
  }

  onCaseEnd(result: CaseResult): void {
    this.printed.set(result.id, (this.printed.get(result.id) ?? 0) + 1);
    for (const l of this.formatCase(result)) this.line(l);
  }

  onRunEnd(run: RunResult): void {
    // Cases the runner never announced (e.g. marked ERROR "interrupted" after SIGINT) are printed now.
    const seen = new Map(this.printed);
    for (const c of run.cases) {
      const n = seen.get(c.id) ?? 0;
      if (n > 0) seen.set(c.id, n - 1);
      else for (const l of this.formatCase(c)) this.line(l);
    }
    this.line('');
    // Declared values the device contradicts belong in the summary, not only on stderr (issue #12 item 7).
    const mismatches = (run.capabilities?.mismatches as string[] | undefined) ?? [];
    if (mismatches.length) {
      this.line(this.c.yellow('Device profile: declared values the device contradicts (the device\'s answer was used, rules §9.3):'));
      for (const m of mismatches) this.line(`  - ${oneLine(m)}`);
    }
    const unreported = ((run.capabilities?.profile as { field: string; source: string; key?: string }[] | undefined) ?? []).filter((e) => e.source === 'not reported');
    if (unreported.length) {
      this.line(this.c.yellow(`Device profile: not reported by the device (limit checks not judged): ${unreported.map((e) => `${e.field} (${e.key ?? '?'})`).join(', ')}`));
    }
    // Issue #15 §4: a note many cases carry (e.g. "no EV connected") is listed once with the cases.
    const repeated = repeatedNotes(run.cases);
    if (repeated.length) {
      this.line(this.c.bold('Notes repeated across cases:'));
      for (const r of repeated) {
        const tag = r.note.level === 'warn' ? this.c.yellow('warn:') : this.c.cyan('info:');
        const ids = r.cases.length > 8 ? `${r.cases.slice(0, 8).join(', ')}, …` : r.cases.join(', ');
        this.line(`  ${tag} ${oneLine(r.note.message)}${r.note.rule ? this.c.dim(` (${oneLine(r.note.rule)})`) : ''} ${this.c.dim(`— ${r.cases.length} cases: ${ids}`)}`);
      }
    }
    // Issue #15 §2: how much of the selection really exercised the device.
    this.line(oneLine(testedLine(run.cases)));
    this.line(this.closingLine(summarise(run.cases), run.interrupted));
  }

  /** `N passed[ (N with warnings)], N failed, N skipped[, N errors][, N not run][ (interrupted)]`, coloured when colour is on. */
  closingLine(s: Summary, interrupted: boolean): string {
    const c = this.c;
    const part = (n: number, word: string, color: chalk.Chalk) => (n > 0 ? color(`${n} ${word}`) : `${n} ${word}`);
    const passed = part(s.passed, 'passed', c.green) + (s.warnings > 0 ? ` (${c.yellow(`${s.warnings} with warnings`)})` : '');
    let out = [passed, part(s.failed, 'failed', c.red), part(s.skipped, 'skipped', c.yellow)].join(', ');
    if (s.errors > 0) out += ', ' + c.magenta(`${s.errors} errors`);
    if (s.notRun > 0) out += ', ' + c.yellow(`${s.notRun} not run`);
    if (interrupted) out += ' ' + c.yellow('(interrupted)');
    return out;
  }

  /** Lines printed for one case (without trailing newlines). */
  formatCase(r: CaseResult): string[] {
    const c = this.c;
    const color = { passed: c.green, failed: c.red, skipped: c.yellow, error: c.magenta }[r.verdict] ?? c.reset;
    const hasWarn = r.verdict === 'passed' && r.notes.some((n) => n.level === 'warn');
    const symColor = hasWarn ? c.yellow : color;
    const word = WORD[r.verdict] ?? String(r.verdict);
    const lines: string[] = [];
    lines.push(
      `  ${symColor(SYMBOL[r.verdict] ?? '?')} ${color(word.padEnd(7))} ${c.bold(oneLine(r.id))} ${oneLine(r.title)} ` +
        c.dim(`(${formatDuration(r.durationMs)})`),
    );
    const pad = '      ';
    if (r.verdict === 'skipped') {
      lines.push(`${pad}${c.yellow('skipped:')} ${oneLine(r.reason ?? 'no reason given')}`);
    }
    if (r.verdict === 'error') {
      lines.push(`${pad}${c.magenta(`${r.errorType ?? 'error'}:`)} ${oneLine(r.reason ?? 'no reason given')}`);
    }
    if (r.verdict === 'failed') {
      collapseFailures(r.failures).forEach((f, i) => {
        lines.push(`${pad}${c.red(`${i + 1}) [${f.kind}]`)} ${oneLine(countedMessage(f))}`);
        const link = ruleUrl(f.rule);
        const where = [
          f.rule ? `rule ${oneLine(f.rule)}${link ? ` (${link})` : ''}` : '',
          f.pointer !== undefined ? `at ${oneLine(f.pointer === '' ? '(root)' : f.pointer)}` : '',
          f.step ? `step "${oneLine(f.step)}"` : '',
          f.frameSeq !== undefined ? `frame #${f.frameSeq}` : '',
        ].filter(Boolean);
        if (where.length) lines.push(`${pad}   ${c.dim(where.join(' · '))}`);
        // Only the values that exist: no "expected: undefined" lines (issue #11 item 10).
        if (f.expected !== undefined) lines.push(`${pad}   expected: ${c.green(oneLine(truncate(renderValue(f.expected), this.valueChars)))}`);
        if (f.actual !== undefined) lines.push(`${pad}   actual:   ${c.red(oneLine(truncate(renderValue(f.actual), this.valueChars)))}`);
      });
    }
    for (const n of collapseNotes(r.notes)) {
      const tag = n.level === 'warn' ? c.yellow('warn:') : c.cyan('info:');
      const link = ruleUrl(n.rule);
      lines.push(`${pad}${tag} ${oneLine(countedMessage(n))}${n.rule ? c.dim(` (${oneLine(n.rule)}${link ? `, ${link}` : ''})`) : ''}`);
    }
    if (r.verdict === 'failed' && r.frames.length > 0) {
      const shown = r.frames.slice(-this.frames);
      const total = r.frames.length + (r.framesOmitted ?? 0);
      lines.push(`${pad}${c.dim(`last ${shown.length} of ${total} frames:`)}`);
      for (const f of shown) {
        lines.push(`${pad}  ${c.dim(`#${f.seq}`)} ${arrow(f.dir)} ${frameKind(f)} ${c.dim(oneLine(truncate(f.raw, this.rawChars)))}`);
      }
    }
    return lines;
  }

  private line(text: string): void {
    this.stream.write(text + '\n');
  }
}
