/** JSON reporter: `<outDir>/results.json`, 2-space indent, written atomically. */
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { writeFileAtomic } from './atomic';
import { redactUrl } from './text';
import { collapseFailures, collapseNotes } from './collapse';
import { RULES_DOC, RULES_DOC_BASE, ruleUrl } from './rules';
import type { Reporter } from './reporter';
import type { CaseResult, RunResult } from './types';
import type { TraceFiles } from './traces';
import { writeTraces } from './traces';
import { summarise } from './types';
import { testedCount } from './summary';

export interface JsonReporterOptions {
  outDir: string;
  /** File name inside outDir (default results.json). */
  fileName?: string;
  /** Full traces in `<outDir>/traces/<case>.jsonl`, referenced by `trace` (default true); false keeps `frames` inline. */
  traceFiles?: boolean;
}

/**
 * Human text fields (messages, reasons, titles, steps) lose escape sequences that console formatting
 * may have left in them; frames, expected and actual are evidence and stay byte-for-byte (JSON escapes
 * control characters losslessly).
 */
const plain = (s: string): string => stripVTControlCharacters(s);
const plainOpt = (s: string | undefined): string | null => (s === undefined ? null : plain(s));

function withLink<T extends { rule?: string }>(f: T): T & { ruleUrl?: string } {
  const url = ruleUrl(f.rule);
  return url === undefined ? f : { ...f, ruleUrl: url };
}

function caseJson(c: CaseResult, trace: string | undefined) {
  return {
    id: c.id,
    octtId: c.octtId ?? null,
    title: plain(c.title),
    ocpp: c.ocpp,
    as: c.as,
    block: c.block,
    verdict: c.verdict,
    reason: plainOpt(c.reason),
    errorType: c.errorType ?? null,
    startedAt: c.startedAt,
    durationMs: c.durationMs,
    requirements: c.requirements,
    tags: c.tags,
    // Identical findings once, with `count`; `ruleUrl` links "rules §" citations into docs/rules.md.
    failures: collapseFailures(c.failures).map((f) => withLink({ ...f, message: plain(f.message) })),
    notes: collapseNotes(c.notes).map((n) => withLink({ ...n, message: plain(n.message) })),
    steps: c.steps.map(plain),
    // With trace files (the reporter's default) the frames are in `trace`, relative to this file (issue #15 §2).
    ...(trace === undefined ? { frames: c.frames } : { trace }),
    frameCount: c.frames.length,
    framesOmitted: c.framesOmitted ?? 0,
    ...(c.blockedBy ? { blockedBy: c.blockedBy } : {}),
    ...(c.errorStack ? { errorStack: c.errorStack } : {}),
  };
}

/** The results.json document for a run (pure; no I/O). */
export function buildResultsJson(run: RunResult, opts: { traceFiles?: TraceFiles } = {}): string {
  const doc = {
    summary: summarise(run.cases),
    // How much of the selection reached a verdict of its own (issue #15 §2; SC-X-01/SC-X-99 not counted).
    tested: testedCount(run.cases),
    run: {
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.durationMs,
      harness: run.harness,
      schemas: run.schemas,
      ocpp: run.ocpp,
      as: run.as,
      interrupted: run.interrupted,
      capabilities: run.capabilities ?? null,
      // Quiet periods used (issue #14); absent from runs that did not record them.
      ...(run.timing ? { timing: run.timing } : {}),
    },
    device: run.device.endpoint === undefined ? run.device : { ...run.device, endpoint: redactUrl(run.device.endpoint) },
    cases: run.cases.map((c) => caseJson(c, opts.traceFiles?.get(c))),
    ...(run.octtCoverage ? { octtCoverage: run.octtCoverage } : {}),
    // Where the `ruleUrl` links point: a file of the installed package.
    rulesDoc: { path: RULES_DOC, relativeTo: RULES_DOC_BASE },
  };
  const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  return JSON.stringify(doc, bigintSafe, 2) + '\n';
}

export class JsonReporter implements Reporter {
  readonly name = 'json';
  readonly file: string;

  constructor(private readonly options: JsonReporterOptions) {
    this.file = path.join(options.outDir, options.fileName ?? 'results.json');
  }

  async onRunEnd(run: RunResult): Promise<void> {
    const traceFiles = this.options.traceFiles === false ? undefined : await writeTraces(this.options.outDir, run);
    await writeFileAtomic(this.file, buildResultsJson(run, { traceFiles }));
  }
}
