/**
 * JUnit reporter (test-catalogue §4, engineering-notes §6) built with junit-report-builder 5.
 * Every string passes through `xmlSafe` before it reaches the builder.
 */
import type JUnitBuilder from 'junit-report-builder';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic';
import type { Reporter } from './reporter';
import { collapseFailures, collapseNotes, countedMessage } from './collapse';
import { ruleUrl } from './rules';
import { arrow, frameKind, oneLine, redactUrl, renderValue, toSeconds, truncate, verdictLabel, xmlSafe } from './text';
import type { CaseResult, RunResult, TraceFrame } from './types';
import { isWarnPass } from './types';
import { writeTraces, type TraceFiles } from './traces';

export interface JUnitReporterOptions {
  outDir: string;
  /** File name inside outDir (default junit.xml). */
  fileName?: string;
  /** Frames in the failure/error body excerpt (default 10). */
  excerptFrames?: number;
  /** Full traces in `<outDir>/traces/<case>.jsonl`, attached (default true); false keeps them inline. */
  traceFiles?: boolean;
}

/** `ocpp<version>.<as>.<block>`, e.g. `ocpp2.0.1.csms.SmartCharging` (`as` = side the harness plays). */
export function classNameOf(c: Pick<CaseResult, 'ocpp' | 'as' | 'block'>): string {
  return `ocpp${c.ocpp}.${c.as}.${c.block || 'default'}`;
}

/** `<id> <title>` plus ` [<octtId>]` when present. */
export function baseTestName(c: Pick<CaseResult, 'id' | 'title' | 'octtId'>): string {
  const name = [c.id, c.title].filter((s) => s && s.trim() !== '').join(' ');
  return (name || '(unnamed)') + (c.octtId ? ` [${c.octtId}]` : '');
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC, or undefined if the input is not a date. */
export function utcTimestamp(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return new Date(t).toISOString().slice(0, 19);
}

const RAW_EXCERPT_CHARS = 500;
const VALUE_CHARS = 2000;

function frameLine(f: TraceFrame, raw: string): string {
  const flags = [
    f.valid === false ? 'INVALID' : '',
    f.intentional ? 'intentional' : '',
    f.framingError ? `framing: ${oneLine(f.framingError)}` : '',
  ].filter(Boolean);
  return `#${f.seq} ${f.time} ${f.dir} ${arrow(f.dir)} ${frameKind(f)}${flags.length ? ` (${flags.join('; ')})` : ''} ${oneLine(raw)}`;
}

function truncatedNote(f: TraceFrame): string {
  return f.rawLength > f.raw.length ? ` [raw truncated: ${f.raw.length} of ${f.rawLength} chars kept]` : '';
}

function excerpt(c: CaseResult, n: number): string[] {
  if (c.frames.length === 0) return [];
  const shown = c.frames.slice(-n);
  const total = c.frames.length + (c.framesOmitted ?? 0);
  return [`Last ${shown.length} of ${total} frames:`, ...shown.map((f) => '  ' + frameLine(f, truncate(f.raw, RAW_EXCERPT_CHARS)))];
}

/** Body of the single <failure>: every failed check, then the frame excerpt. */
export function failureBody(c: CaseResult, frames = 10): string {
  const out: string[] = [`${c.failures.length} failed check${c.failures.length === 1 ? '' : 's'}:`];
  collapseFailures(c.failures).forEach((f, i) => {
    out.push(`${i + 1}) [${f.kind}] ${oneLine(countedMessage(f))}`);
    if (f.rule) out.push(`   rule: ${oneLine(f.rule)}`);
    const link = ruleUrl(f.rule);
    if (link) out.push(`   see: ${link}`);
    if (f.step) out.push(`   step: ${oneLine(f.step)}`);
    if (f.pointer !== undefined) out.push(`   pointer: ${oneLine(f.pointer === '' ? '(root)' : f.pointer)}`);
    if (f.frameSeq !== undefined) out.push(`   frame: #${f.frameSeq}`);
    // Only the values that exist: no "expected: undefined" lines (issue #11 item 10).
    if (f.expected !== undefined) out.push(`   expected: ${oneLine(truncate(renderValue(f.expected), VALUE_CHARS))}`);
    if (f.actual !== undefined) out.push(`   actual:   ${oneLine(truncate(renderValue(f.actual), VALUE_CHARS))}`);
  });
  if (c.failures.length === 0 && c.reason) out.push(oneLine(c.reason));
  const ex = excerpt(c, frames);
  if (ex.length) out.push('', ...ex);
  return out.join('\n');
}

/** Where a case's trace was written: relative to the report directory, and absolute for the attachment. */
export interface TraceRef {
  rel: string;
  abs: string;
}

/**
 * The single <system-out>: WARN line, verdict findings, skip/error reason, steps and the frame trace —
 * inline, or (with `trace`) a reference to the case's trace file as a JUnit attachment (issue #15 §2).
 */
export function systemOut(c: CaseResult, trace?: TraceRef): string {
  const out: string[] = [];
  // JUnit has no "passed with warnings": viewers show system-out, so the WARN goes first (issue #15 §2).
  if (isWarnPass(c)) {
    const n = c.notes.filter((x) => x.level === 'warn').length;
    out.push(`WARN: passed with ${n} warning${n === 1 ? '' : 's'} (behaviour the specification leaves open, or a check that could not be made)`);
  }
  if (c.notes.length) {
    out.push('Notes:');
    for (const n of collapseNotes(c.notes)) {
      const link = ruleUrl(n.rule);
      out.push(`  [${n.level}] ${oneLine(countedMessage(n))}${n.rule ? ` (${oneLine(n.rule)}${link ? `, ${link}` : ''})` : ''}`);
    }
  }
  if (c.verdict === 'skipped') out.push(`Skipped: ${oneLine(c.reason ?? 'no reason given')}`);
  if (c.verdict === 'error') out.push(`Error (${c.errorType ?? 'HarnessError'}): ${oneLine(c.reason ?? 'no reason given')}`);
  if (c.steps.length) {
    out.push('Steps:');
    c.steps.forEach((s, i) => out.push(`  ${i + 1}. ${oneLine(s)}`));
  }
  if (c.frames.length || c.framesOmitted) {
    const omitted = c.framesOmitted ?? 0;
    out.push(
      `Trace: ${c.frames.length} frame${c.frames.length === 1 ? '' : 's'}` +
        (omitted > 0 ? ` (${omitted} more frame${omitted === 1 ? '' : 's'} summarised away by the per-case trace limit)` : ''),
    );
    if (trace) out.push(`  in ${trace.rel} (one JSON frame per line)`, `[[ATTACHMENT|${trace.abs}]]`);
    else for (const f of c.frames) out.push('  ' + frameLine(f, f.raw) + truncatedNote(f));
  }
  return out.join('\n');
}

/**
 * The path in `[[ATTACHMENT|…]]`: relative to the working directory when the report is under it (GitLab
 * reads it relative to the project directory, Jenkins' junit-attachments relative to the workspace),
 * else absolute.
 */
function attachmentPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

/** From the first case start to the last case end, in ms (0 when no case has a start time). */
function wallSpan(cases: readonly CaseResult[]): number {
  let from = Infinity;
  let to = -Infinity;
  for (const c of cases) {
    const t = Date.parse(c.startedAt);
    if (Number.isNaN(t)) continue;
    from = Math.min(from, t);
    to = Math.max(to, t + (Number.isFinite(c.durationMs) && c.durationMs > 0 ? c.durationMs : 0));
  }
  return to > from ? to - from : 0;
}

/** junit-report-builder, loaded on first use: `run --list` and runs without junit do not pay for it (bench part 4). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadBuilder = (): typeof JUnitBuilder => require('junit-report-builder') as typeof JUnitBuilder;

/** Build the JUnit XML document for a run (pure; no I/O). */
export function buildJUnitXml(run: RunResult, opts: { excerptFrames?: number; traceFiles?: TraceFiles; outDir?: string } = {}): string {
  const frames = opts.excerptFrames ?? 10;
  const b = loadBuilder().newBuilder();
  b.name(xmlSafe(`${run.harness.name} ${run.harness.version}`));

  // One suite per (ocpp version, side, block), in first-seen order.
  const groups = new Map<string, CaseResult[]>();
  for (const c of run.cases) {
    const key = classNameOf(c);
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }

  const runStamp = utcTimestamp(run.startedAt) ?? '1970-01-01T00:00:00';
  const d = run.device;
  const suiteProps: Array<[string, string | undefined]> = [
    ['device.vendor', d.vendor],
    ['device.model', d.model],
    ['device.firmware', d.firmware],
    ['device.serial', d.serial],
    ['device.identity', d.identity],
    ['device.endpoint', d.endpoint === undefined ? undefined : redactUrl(d.endpoint)],
    ['device.subprotocol', d.subprotocol],
    ['device.builtin', d.builtin ? 'true' : undefined],
    ['harness.name', run.harness.name],
    ['harness.version', run.harness.version],
    ['schemas.source', run.schemas.source],
    ['schemas.sha256', run.schemas.sha256],
    ['capabilities', run.capabilities === undefined ? undefined : renderValue(run.capabilities)],
    // Issue #12 item 7: the effective device profile, one property per field with its source.
    ...((run.capabilities?.profile as { field: string; value: unknown; source: string; key?: string; note?: string }[] | undefined) ?? []).map(
      (e): [string, string | undefined] => [`device.profile.${e.field}`, `${renderValue(e.value)} (${e.source === 'discovered' ? `discovered from ${e.key}` : e.note ? `${e.source}: ${e.note}` : e.source})`],
    ),
    ['run.interrupted', run.interrupted ? 'true' : undefined],
    ['timestamp.timezone', 'UTC'],
  ];

  for (const [className, cases] of groups) {
    const suite = b.testSuite();
    const safeClass = xmlSafe(className);
    suite.name(safeClass);
    const stamps = cases.map((c) => Date.parse(c.startedAt)).filter((t) => !Number.isNaN(t));
    suite.timestamp(stamps.length ? new Date(Math.min(...stamps)).toISOString().slice(0, 19) : runStamp);
    // The wall time (issue #15 §2), not the sum of the cases: connect, discovery and set-up count too.
    suite.time(toSeconds(groups.size === 1 ? run.durationMs : wallSpan(cases)));
    for (const [k, v] of suiteProps) if (v !== undefined) suite.property(k, xmlSafe(v));

    const used = new Set<string>();
    for (const c of cases) {
      const base = xmlSafe(baseTestName(c));
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
      used.add(name);

      const tc = suite.testCase().className(safeClass).name(name).time(toSeconds(c.durationMs));
      tc.property('verdict', verdictLabel(c));
      if (isWarnPass(c)) tc.property('warnings', String(c.notes.filter((n) => n.level === 'warn').length));
      if (c.reason) tc.property('verdict.reason', xmlSafe(oneLine(c.reason)));
      if (c.blockedBy) tc.property('blockedBy', xmlSafe(c.blockedBy));
      if (c.octtId) tc.property('octt', xmlSafe(c.octtId));
      if (c.requirements.length) tc.property('requirements', xmlSafe(c.requirements.join(',')));
      if (c.tags.length) tc.property('tags', xmlSafe(c.tags.join(',')));
      // Links into the shipped rules document (relative to the package root) for every rule cited.
      const links = [...new Set([...c.failures, ...c.notes].map((f) => ruleUrl(f.rule)).filter((u): u is string => !!u))];
      if (links.length) tc.property('rules', xmlSafe(links.join(',')));

      if (c.verdict === 'failed') {
        const first = c.failures[0];
        const message = oneLine(first?.message ?? c.reason ?? '') || 'failed';
        tc.failure(xmlSafe(message), first?.kind ?? 'AssertionFailure');
        tc.stacktrace(xmlSafe(failureBody(c, frames)));
      } else if (c.verdict === 'error') {
        const type = c.errorType ?? 'HarnessError';
        const message = oneLine(c.reason ?? '') || type;
        const body = [`${type}: ${oneLine(c.reason ?? 'no reason given')}`, ...(excerpt(c, frames).length ? ['', ...excerpt(c, frames)] : [])];
        tc.error(xmlSafe(message), type, xmlSafe(body.join('\n')));
      } else if (c.verdict === 'skipped') {
        tc.skipped();
      }
      const rel = opts.traceFiles?.get(c);
      const so = systemOut(c, rel === undefined ? undefined : { rel, abs: attachmentPath(path.resolve(opts.outDir ?? '.', rel)) });
      if (so) tc.standardOutput(xmlSafe(so));
    }
  }
  return b.build();
}

export class JUnitReporter implements Reporter {
  readonly name = 'junit';
  readonly file: string;
  private readonly excerptFrames: number;

  constructor(private readonly options: JUnitReporterOptions) {
    this.file = path.join(options.outDir, options.fileName ?? 'junit.xml');
    this.excerptFrames = options.excerptFrames ?? 10;
  }

  async onRunEnd(run: RunResult): Promise<void> {
    const traceFiles = this.options.traceFiles === false ? undefined : await writeTraces(this.options.outDir, run);
    await writeFileAtomic(this.file, buildJUnitXml(run, { excerptFrames: this.excerptFrames, traceFiles, outDir: this.options.outDir }) + '\n');
  }
}
