/**
 * GitHub Actions reporter (issue #15 §2): workflow-command annotations on stdout and, when
 * GITHUB_STEP_SUMMARY names a file, a Markdown job summary appended to it.
 *
 * Annotations: `::error` for every failed case (the device does not conform) and every errored case
 * (no verdict: the job fails with exit 2 either way, so it is an error too), `::warning` for every
 * passed case with a warn note, and one `::notice` saying how much was actually tested.
 * Escaping follows the runner's workflow-command rules (actions/toolkit command.ts): data `%`, CR, LF
 * → %25, %0D, %0A; property values additionally `:` and `,` → %3A, %2C.
 */
import { promises as fs } from 'node:fs';
import type { Reporter } from './reporter';
import { collapseFailures, collapseNotes, countedMessage } from './collapse';
import { ruleUrl } from './rules';
import { repeatedNotes, testedLine } from './summary';
import { oneLine, redactUrl, renderValue, truncate, verdictLabel } from './text';
import type { CaseResult, RunResult } from './types';
import { isNotRun, isWarnPass, summarise } from './types';
import type { OutputStream } from './console';

/** Escape the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escape a property value (title=…) of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** One workflow command line. Peer text is made visible (no escape sequences) before it is escaped. */
export function workflowCommand(kind: 'error' | 'warning' | 'notice', title: string, message: string): string {
  const visible = (t: string) => t.split('\n').map(oneLine).join('\n');
  return `::${kind} title=${escapeProperty(oneLine(title))}::${escapeData(visible(message))}`;
}

const VALUE_CHARS = 300;
/** GitHub shows at most a few KiB of an annotation; the full findings are in the other reports. */
const MESSAGE_CHARS = 4000;

function caseTitle(c: CaseResult): string {
  return `${c.id} ${c.title}${c.octtId ? ` [${c.octtId}]` : ''}`;
}

function failureText(c: CaseResult): string {
  const lines: string[] = [];
  for (const f of collapseFailures(c.failures)) {
    lines.push(countedMessage(f));
    const where = [f.rule ? `rule ${f.rule}` : '', f.pointer !== undefined ? `at ${f.pointer || '(root)'}` : '', f.frameSeq !== undefined ? `frame #${f.frameSeq}` : '']
      .filter(Boolean)
      .join(' · ');
    if (where) lines.push(`  ${where}`);
    if (f.expected !== undefined) lines.push(`  expected: ${truncate(renderValue(f.expected), VALUE_CHARS)}`);
    if (f.actual !== undefined) lines.push(`  actual:   ${truncate(renderValue(f.actual), VALUE_CHARS)}`);
  }
  return truncate(lines.join('\n'), MESSAGE_CHARS);
}

/** The annotation lines for a run, failures first (GitHub shows a limited number per step). */
export function annotations(run: RunResult): string[] {
  const out: string[] = [];
  for (const c of run.cases) if (c.verdict === 'failed') out.push(workflowCommand('error', `FAIL ${caseTitle(c)}`, failureText(c)));
  for (const c of run.cases) {
    if (c.verdict === 'error' && !isNotRun(c)) out.push(workflowCommand('error', `ERROR ${caseTitle(c)}`, `no verdict (${c.errorType ?? 'HarnessError'}): ${c.reason ?? 'no reason given'}`));
  }
  for (const c of run.cases) {
    if (!isWarnPass(c)) continue;
    const warns = collapseNotes(c.notes).filter((n) => n.level === 'warn');
    out.push(workflowCommand('warning', `WARN ${caseTitle(c)}`, warns.map((n) => `${countedMessage(n)}${n.rule ? ` (${n.rule})` : ''}`).join('\n')));
  }
  const s = summarise(run.cases);
  const notRun = s.notRun ? `; ${s.notRun} not run${run.interrupted ? ' (interrupted)' : ''}` : '';
  out.push(workflowCommand('notice', `ocpp-conformance OCPP ${run.ocpp} as ${run.as}`, `${testedLine(run.cases)}${notRun}`));
  return out;
}

/** Markdown table cell: one line, pipes escaped. */
function cell(s: string): string {
  return oneLine(s).replaceAll('|', '\\|');
}

/** The Markdown job summary for a run. */
export function jobSummary(run: RunResult): string {
  const s = summarise(run.cases);
  const d = run.device;
  const device = d.builtin ? 'built-in reference peer' : [d.vendor, d.model, d.firmware && `firmware ${d.firmware}`].filter(Boolean).join(' ') || d.identity || 'device';
  const md: string[] = [];
  md.push(`## OCPP conformance: OCPP ${run.ocpp}, harness as ${run.as}`, '');
  md.push(`Device: ${cell(device)}${d.endpoint ? ` (${cell(redactUrl(d.endpoint))})` : ''} · ${run.harness.name} ${run.harness.version} · ${(run.durationMs / 1000).toFixed(1)} s${run.interrupted ? ' · **interrupted**' : ''}`, '');
  md.push('| passed | with warnings | failed | errors | skipped | not run |', '|---:|---:|---:|---:|---:|---:|');
  md.push(`| ${s.passed} | ${s.warnings} | ${s.failed} | ${s.errors} | ${s.skipped} | ${s.notRun} |`, '');
  md.push(`**${cell(testedLine(run.cases))}**`, '');
  const bad = run.cases.filter((c) => c.verdict === 'failed' || (c.verdict === 'error' && !isNotRun(c)));
  if (bad.length) {
    md.push('### Failed and errored cases', '', '| case | verdict | first finding | rule |', '|---|---|---|---|');
    for (const c of bad) {
      const f = c.failures[0];
      const rule = f?.rule ? (ruleUrl(f.rule) ? `${f.rule} (${ruleUrl(f.rule)})` : f.rule) : '';
      md.push(`| ${cell(caseTitle(c))} | ${verdictLabel(c)} | ${cell(truncate(f ? f.message : (c.reason ?? ''), 300))} | ${cell(rule)} |`);
    }
    md.push('');
  }
  const warned = run.cases.filter(isWarnPass);
  if (warned.length) {
    md.push('### Passed with warnings', '');
    for (const c of warned) {
      for (const n of collapseNotes(c.notes).filter((x) => x.level === 'warn')) md.push(`- **${cell(c.id)}** ${cell(countedMessage(n))}${n.rule ? ` (${cell(n.rule)})` : ''}`);
    }
    md.push('');
  }
  const repeated = repeatedNotes(run.cases);
  if (repeated.length) {
    md.push('### Notes repeated across cases', '');
    for (const r of repeated) md.push(`- ${r.note.level}: ${cell(r.note.message)} — ${r.cases.length} cases: ${cell(r.cases.join(', '))}`);
    md.push('');
  }
  // Issue #15 §3: the certification question, folded (the full list is `run --coverage` / results.json).
  const cov = run.octtCoverage ?? [];
  if (cov.length) {
    const counts = new Map<string, number>();
    for (const e of cov) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
    md.push(`<details><summary>OCTT SmartCharging coverage: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}</summary>`, '', '| OCTT | status | cases |', '|---|---|---|');
    for (const e of cov) md.push(`| ${cell(e.octt)} | ${cell(e.status)} | ${cell([e.cases.map((c) => `${c.id}${c.verdict ? ` ${c.verdict}` : ''}`).join(', '), e.reason].filter(Boolean).join(': '))} |`);
    md.push('', '</details>', '');
  }
  const skipped = run.cases.filter((c) => c.verdict === 'skipped' || isNotRun(c));
  if (skipped.length) {
    md.push('<details><summary>Skipped and not run</summary>', '', '| case | reason |', '|---|---|');
    for (const c of skipped) md.push(`| ${cell(caseTitle(c))} | ${cell(c.reason ?? '')} |`);
    md.push('', '</details>', '');
  }
  return md.join('\n') + '\n';
}

export interface GitHubReporterOptions {
  /** Where annotations go (default process.stdout: the runner reads workflow commands from the step's output). */
  stream?: OutputStream;
  /** Environment read for GITHUB_STEP_SUMMARY (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export class GitHubReporter implements Reporter {
  readonly name = 'github';
  private readonly stream: OutputStream;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(options: GitHubReporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.env = options.env ?? process.env;
  }

  async onRunEnd(run: RunResult): Promise<void> {
    for (const l of annotations(run)) this.stream.write(l + '\n');
    const file = this.env['GITHUB_STEP_SUMMARY'];
    // Appended, never overwritten: other steps of the job write to the same file.
    if (file) await fs.appendFile(file, jobSummary(run), 'utf8');
  }
}
