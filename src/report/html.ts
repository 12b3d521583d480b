/**
 * HTML reporter (issue #15 §1): `<outDir>/report.html`, ONE self-contained file — inline CSS, inline SVG
 * charts rendered here, a few lines of optional inline script — so it opens from a CI artifact, from
 * disk, offline, with JavaScript off. No external resource is referenced.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { writeFileAtomic } from './atomic';
import { collapseFailures, collapseNotes, countedMessage } from './collapse';
import { compositeChartSvg, decidingDifference, esc, profileStackSvg } from './html-chart';
import type { Reporter } from './reporter';
import { RULES_DOC, citedSections, ruleAnchor } from './rules';
import { formatDuration, redactUrl, renderValue, truncate, verdictLabel, type VerdictLabel } from './text';
import type { CaseResult, CompositeComparison, Failure, RunResult, TraceFrame } from './types';

export interface HtmlReporterOptions {
  outDir: string;
  /** File name inside outDir (default report.html). */
  fileName?: string;
  /** Text of the rules document to embed (default: the shipped docs/rules.md, when found). */
  rulesText?: string;
}

/** Pretty JSON of one frame kept in the report; longer frames are cut (the JSON/JUnit reports keep them). */
const FRAME_CHARS = 20_000;
const VALUE_CHARS = 4_000;

const plain = (s: string): string => stripVTControlCharacters(s);
/** Evidence (frames, values) keeps every character: controls other than TAB/LF become a visible \\uXXXX. */
const visible = (s: string): string => s.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const text = (s: string | undefined): string => esc(plain(s ?? ''));

/** The shipped rules document (docs/rules.md of the package), from src/report or dist/src/report. */
export function loadRulesText(): string | undefined {
  for (const up of ['../..', '../../..']) {
    const file = path.resolve(__dirname, up, RULES_DOC);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  return undefined;
}

interface RulesSection {
  anchor: string;
  title: string;
  body: string;
}

/** Split docs/rules.md at its `<a id="rules-…">` anchors. */
export function rulesSections(doc: string): RulesSection[] {
  const out: RulesSection[] = [];
  const parts = doc.split(/<a id="(rules-[0-9-]+)"><\/a>\n/);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const body = parts[i + 1]!;
    const nl = body.indexOf('\n');
    out.push({ anchor: parts[i]!, title: body.slice(0, nl).replace(/^#+\s*/, ''), body: body.slice(nl + 1).trim() });
  }
  return out;
}

/**
 * Where a requirement or rule is explained in the rules document: its "rules §N.M" citation, else the
 * first section that mentions the id (e.g. K08.FR.02, TC_K_42_CS); undefined when none does.
 */
export function rulesAnchorFor(id: string | undefined, sections: readonly RulesSection[]): string | undefined {
  if (!id) return undefined;
  const cited = citedSections(id)[0];
  if (cited !== undefined) {
    const a = ruleAnchor(cited);
    return sections.some((s) => s.anchor === a) || sections.length === 0 ? a : undefined;
  }
  const needle = id.trim();
  if (needle.length < 4) return undefined;
  return sections.find((s) => s.body.includes(needle) || s.title.includes(needle))?.anchor;
}

const VERDICT_CLASS: Record<VerdictLabel, string> = { PASS: 'pass', INFO: 'pass', WARN: 'warn', FAIL: 'fail', ERROR: 'error', 'N/A': 'na' };

const CSS = `
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#202124;background:#f8f9fa}
header,main,footer{max-width:1100px;margin:0 auto;padding:12px 20px}h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:18px 0 8px}
table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #e0e0e0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}.box{background:#fff;border:1px solid #dadce0;border-radius:6px;padding:10px 14px}
.counts span{display:inline-block;margin:0 10px 4px 0;padding:2px 10px;border-radius:12px;font-weight:600}
.b{display:inline-block;min-width:52px;text-align:center;border-radius:4px;padding:0 6px;font-weight:700;font-size:12px}
.pass{background:#e6f4ea;color:#137333}.warn{background:#fef7e0;color:#a05a00}.fail{background:#fce8e6;color:#c5221f}.error{background:#f3e8fd;color:#8430ce}.na{background:#e8eaed;color:#5f6368}
.case{background:#fff;border:1px solid #dadce0;border-radius:6px;margin:10px 0;padding:8px 14px}.case>h3{font-size:15px;margin:4px 0}
.muted{color:#5f6368}.mono,pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{background:#f1f3f4;padding:6px 8px;overflow:auto;max-height:360px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.failure{border-left:4px solid #d93025;padding:2px 10px;margin:6px 0}.note{border-left:4px solid #f9ab00;padding:2px 10px;margin:4px 0}.note.info{border-color:#9aa0a6}
.ev{display:grid;grid-template-columns:1fr 1fr;gap:8px}.steps li.bad{color:#c5221f}.steps li.ok::marker{color:#137333}
.frames td{padding:1px 6px;font-size:12px}.frames tr.hit{background:#fce8e6}.frames tr:target{outline:2px solid #1a73e8}.frames details>summary{cursor:pointer}
figure{margin:8px 0}figcaption{font-size:12px}svg.chart{max-width:100%;height:auto;background:#fff}
.filters{position:sticky;top:0;background:#f8f9fa;padding:6px 0;z-index:1;border-bottom:1px solid #dadce0}.filters label{margin-right:12px;cursor:pointer}
input.fr{position:absolute;opacity:0;pointer-events:none}.filters label{padding:1px 8px;border-radius:10px;border:1px solid #dadce0;background:#fff}
#f-all:checked~.filters label[for=f-all],#f-fail:checked~.filters label[for=f-fail],#f-warn:checked~.filters label[for=f-warn],#f-error:checked~.filters label[for=f-error],#f-pass:checked~.filters label[for=f-pass],#f-na:checked~.filters label[for=f-na]{background:#1a73e8;color:#fff;border-color:#1a73e8}
#f-fail:checked~main .case:not(.v-fail),#f-warn:checked~main .case:not(.v-warn),#f-error:checked~main .case:not(.v-error),#f-pass:checked~main .case:not(.v-pass),#f-na:checked~main .run-sec,#f-fail:checked~main .notrun-sec,#f-warn:checked~main .notrun-sec,#f-error:checked~main .notrun-sec,#f-pass:checked~main .notrun-sec{display:none}.rules pre{max-height:none;background:#fff}.rules h3{font-size:14px;margin:14px 0 2px}
`;

/** Tiny optional script: a link to a frame opens the <details> around it (Chrome does that natively). */
const SCRIPT = `(function(){function o(){var h=location.hash.slice(1);if(!h)return;var e=document.getElementById(h);for(;e;e=e.parentElement)if(e.tagName==='DETAILS')e.open=true;}window.addEventListener('hashchange',o);o();})();`;

function prettyRaw(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/** expected/actual for reading: a list of records one per line (period lists), anything else indented. */
export function prettyValue(v: unknown): string {
  try {
    const big = (_k: string, x: unknown) => (typeof x === 'bigint' ? x.toString() : x);
    if (Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
      return `[\n${v.map((x) => `  ${JSON.stringify(x, big)}`).join(',\n')}\n]`;
    }
    return JSON.stringify(v, big, 2) ?? renderValue(v);
  } catch {
    return renderValue(v);
  }
}

function frameId(caseIndex: number, seq: number): string {
  return `c${caseIndex}-f${seq}`;
}

function framesTable(c: CaseResult, ci: number): string {
  if (c.frames.length === 0) return '';
  const hit = new Set(c.failures.map((f) => f.frameSeq).filter((s): s is number => s !== undefined));
  const t0 = c.frames[0]!.mono;
  const rows = c.frames.map((f: TraceFrame) => {
    const flags = [f.valid === false ? 'INVALID' : '', f.intentional ? 'intentional' : '', f.framingError ? `framing: ${f.framingError}` : ''].filter(Boolean).join('; ');
    const pretty = prettyRaw(f.raw);
    const cut = f.rawLength > f.raw.length ? `\n… (${f.rawLength - f.raw.length} more chars not kept in the trace)` : '';
    return (
      `<tr id="${frameId(ci, f.seq)}"${hit.has(f.seq) ? ' class="hit"' : ''}>` +
      `<td>#${f.seq}</td><td class="mono">${esc(f.time.slice(11, 23))}</td><td class="mono">+${Math.round(f.mono - t0)}ms</td>` +
      `<td>${f.dir === 'out' ? 'harness → device' : 'device → harness'}</td><td>${esc(f.type ?? '?')}</td><td>${text(f.action)}</td><td>${f.rawLength} B</td>` +
      `<td><details${hit.has(f.seq) ? ' open' : ''}><summary>${flags ? `<span class="b fail">${text(flags)}</span> ` : ''}JSON</summary><pre>${esc(visible(truncate(pretty, FRAME_CHARS)))}${esc(cut)}</pre></details></td></tr>`
    );
  });
  const omitted = c.framesOmitted ? `<p class="muted">${c.framesOmitted} frames summarised away by the per-case trace limit.</p>` : '';
  return (
    `<details class="frames"${c.verdict === 'failed' ? ' open' : ''}><summary>Frames (${c.frames.length})</summary>${omitted}` +
    `<table class="frames"><tr><th>seq</th><th>time (UTC)</th><th>since first</th><th>direction</th><th>type</th><th>action</th><th>size</th><th></th></tr>${rows.join('')}</table></details>`
  );
}

function ruleLink(rule: string | undefined, sections: readonly RulesSection[]): string {
  if (!rule) return '';
  const a = rulesAnchorFor(rule, sections);
  return a ? `<a href="#${a}">${text(rule)}</a>` : text(rule);
}

function failureHtml(f: Failure & { count: number }, c: CaseResult, ci: number, sections: readonly RulesSection[]): string {
  const rows: string[] = [];
  if (f.rule) rows.push(`<tr><th>rule</th><td>${ruleLink(f.rule, sections)}</td></tr>`);
  if (f.step) rows.push(`<tr><th>step</th><td>${text(f.step)}</td></tr>`);
  if (f.pointer !== undefined) rows.push(`<tr><th>pointer</th><td class="mono">${text(f.pointer === '' ? '(root)' : f.pointer)}</td></tr>`);
  if (f.frameSeq !== undefined) {
    const present = c.frames.some((fr) => fr.seq === f.frameSeq);
    rows.push(`<tr><th>frame</th><td>${present ? `<a href="#${frameId(ci, f.frameSeq)}">#${f.frameSeq}</a>` : `#${f.frameSeq} (not in this case's trace)`}</td></tr>`);
  }
  const ev =
    f.expected !== undefined || f.actual !== undefined
      ? `<div class="ev"><div><b>expected</b><pre>${f.expected === undefined ? '(none recorded)' : esc(visible(truncate(prettyValue(f.expected), VALUE_CHARS)))}</pre></div><div><b>actual</b><pre>${f.actual === undefined ? '(none recorded)' : esc(visible(truncate(prettyValue(f.actual), VALUE_CHARS)))}</pre></div></div>`
      : '';
  return `<div class="failure"><div><b>${esc(f.kind)}</b> <span class="msg">${text(countedMessage(f))}</span></div>${rows.length ? `<table>${rows.join('')}</table>` : ''}${ev}</div>`;
}

function chartHtml(cc: CompositeComparison, c: CaseResult, ci: number): string {
  const first = decidingDifference(cc);
  const others = cc.differences.filter((d) => d !== first);
  const frame = cc.frameSeq !== undefined && c.frames.some((f) => f.seq === cc.frameSeq) ? ` — <a href="#${frameId(ci, cc.frameSeq)}">frame #${cc.frameSeq}</a>` : '';
  const what = first ? `<span class="b ${first.level === 'fail' ? 'fail' : 'warn'}">${first.level === 'fail' ? 'DIFFERS' : 'WARN'}</span> ${text(first.message)}` : '<span class="b pass">MATCH</span> reported composite equals the reference model';
  const unitNote = cc.reportedUnit && cc.reportedUnit !== cc.unit ? `, reported in ${esc(cc.reportedUnit)}` : '';
  return (
    `<figure class="composite" data-first-from="${first?.from ?? ''}">${compositeChartSvg(cc)}` +
    `<figcaption>${cc.step ? `${text(cc.step)}: ` : ''}composite of ${cc.evseId === 0 ? 'the station (0)' : `#${cc.evseId}`}, ${cc.requestedDuration} s asked, ` +
    `${cc.reportedDuration ?? '?'} s reported, unit ${esc(cc.unit)}${unitNote}, scheduleStart ${esc(cc.scheduleStart)}${frame}<br>${what}` +
    `${others.length ? `<br>also: ${others.map((d) => text(`${d.level === 'fail' ? 'FAIL' : 'WARN'} ${d.message}`)).join('; ')}` : ''}` +
    `${cc.expected.some((s) => s.limit === null) ? '<br><span class="muted">shaded grey: no profile applies (unvalidated, rules §5.2 step 7): any non-negative limit is accepted</span>' : ''}</figcaption>` +
    (cc.profiles?.length
      ? `<details class="stack"${first?.level === 'fail' ? ' open' : ''}><summary>Installed profiles (${cc.profiles.length}) by purpose, same time axis</summary>${profileStackSvg(cc)}</details>`
      : '') +
    '</figure>'
  );
}

function caseHtml(c: CaseResult, ci: number, sections: readonly RulesSection[]): string {
  const label = verdictLabel(c);
  const cls = VERDICT_CLASS[label];
  const failedSteps = new Set(c.failures.map((f) => f.step).filter((s): s is string => !!s));
  const reqs = c.requirements.map((r) => {
    const a = rulesAnchorFor(r, sections);
    return a ? `<a href="#${a}">${text(r)}</a>` : `<span title="not explained in the rules document: see the OCPP text">${text(r)}</span>`;
  });
  const parts = [
    `<section class="case v-${cls}" id="case-${esc(c.id)}" data-case="${esc(c.id)}" data-verdict="${esc(label)}">`,
    `<h3><span class="b ${cls}">${esc(label)}</span> <span class="cid">${text(c.id)}</span> ${text(c.title)}${c.octtId ? ` <span class="muted">[${text(c.octtId)}]</span>` : ''} <span class="muted">${formatDuration(c.durationMs)}</span></h3>`,
    reqs.length ? `<div>requirements: ${reqs.join(', ')}</div>` : '',
    c.reason ? `<div class="reason">${c.errorType ? `<b>${esc(c.errorType)}</b>: ` : ''}${text(c.reason)}</div>` : '',
    c.blockedBy ? `<div>blocked by ${text(c.blockedBy)}</div>` : '',
    ...collapseFailures(c.failures).map((f) => failureHtml(f, c, ci, sections)),
    ...collapseNotes(c.notes).map((n) => `<div class="note ${n.level}"><b>${n.level === 'warn' ? 'WARN' : 'INFO'}</b> ${text(countedMessage(n))}${n.rule ? ` <span class="muted">(${ruleLink(n.rule, sections)})</span>` : ''}</div>`),
    c.steps.length ? `<details${c.verdict === 'failed' ? ' open' : ''}><summary>Steps (${c.steps.length})</summary><ol class="steps">${c.steps.map((s) => (failedSteps.has(s) ? `<li class="bad">✗ ${text(s)}</li>` : `<li class="ok">${text(s)}</li>`)).join('')}</ol></details>` : '',
    ...(c.composites ?? []).map((cc) => chartHtml(cc, c, ci)),
    framesTable(c, ci),
    '</section>',
  ];
  return parts.filter(Boolean).join('\n');
}

function kv(rows: [string, string | undefined][]): string {
  return `<table>${rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function profileHtml(caps: Record<string, unknown> | undefined): string {
  if (!caps) return '<p class="muted">no device profile recorded</p>';
  const entries = (caps.profile as { field: string; value: unknown; source: string; key?: string; note?: string }[] | undefined) ?? [];
  const mismatches = (caps.mismatches as string[] | undefined) ?? [];
  const discovered = caps.discovered as Record<string, unknown> | undefined;
  const out: string[] = [];
  if (entries.length) {
    out.push(
      `<table class="profile"><tr><th>field</th><th>value</th><th>source</th><th>note</th></tr>${entries
        .map((e) => `<tr><td>${text(e.field)}</td><td class="mono">${esc(JSON.stringify(e.value) ?? '')}</td><td>${text(e.source)}${e.key ? ` <span class="muted mono">${text(e.key)}</span>` : ''}</td><td>${text(e.note)}</td></tr>`)
        .join('')}</table>`,
    );
  }
  if (mismatches.length) out.push(`<p><b>Declared values the device contradicts:</b></p><ul>${mismatches.map((m) => `<li>${text(m)}</li>`).join('')}</ul>`);
  if (discovered && Object.keys(discovered).length) out.push(`<details><summary>What discovery read from the device</summary><pre>${esc(JSON.stringify(discovered, null, 2))}</pre></details>`);
  if (typeof caps.discoveryError === 'string') out.push(`<p class="warn">discovery failed: ${text(caps.discoveryError)}</p>`);
  return out.join('') || '<p class="muted">no device profile recorded</p>';
}

/** The report document for a run (pure; no I/O besides what `rulesText` was given). */
export function buildHtmlReport(run: RunResult, opts: { rulesText?: string } = {}): string {
  const sections = opts.rulesText ? rulesSections(opts.rulesText) : [];
  const labels = run.cases.map(verdictLabel);
  const count = (l: VerdictLabel[]) => labels.filter((x) => l.includes(x)).length;
  const counts = { pass: count(['PASS', 'INFO']), warn: count(['WARN']), fail: count(['FAIL']), error: count(['ERROR']), na: count(['N/A']) };
  const warnings = run.cases.reduce((n, c) => n + c.notes.filter((x) => x.level === 'warn').length, 0);
  const d = run.device;
  const sut = run.as === 'csms' ? 'Charging Station' : 'CSMS';
  const title = `OCPP ${run.ocpp} conformance — ${[d.vendor, d.model].filter(Boolean).join(' ') || d.identity || sut}`;
  const run_ = run.cases.filter((c) => c.verdict !== 'skipped');
  const notRun = run.cases.filter((c) => c.verdict === 'skipped');
  const filterDefs = (
    [
      ['all', 'all', run.cases.length],
      ['fail', 'FAIL', counts.fail],
      ['error', 'ERROR', counts.error],
      ['warn', 'WARN', counts.warn],
      ['pass', 'PASS', counts.pass],
      ['na', 'not run', counts.na],
    ] as const
  )
  // Pure CSS filter (works with JavaScript off): the radios are siblings of <main>, the labels are the buttons.
  const radios = filterDefs.map(([k]) => `<input type="radio" class="fr" name="verdict" id="f-${k}"${k === 'all' ? ' checked' : ''} aria-label="show ${k}">`).join('');
  const filters = filterDefs.map(([k, l, n]) => `<label for="f-${k}">${l} (${n})</label>`).join(' ');
  const body = [
    `<header><h1>${text(title)}</h1>`,
    `<div class="counts"><span class="pass">${counts.pass} passed</span><span class="warn">${counts.warn} passed with warnings</span><span class="fail">${counts.fail} failed</span><span class="error">${counts.error} errors</span><span class="na">${counts.na} not run</span><span class="muted">${warnings} warnings in all</span>${run.interrupted ? '<span class="error">run interrupted</span>' : ''}</div>`,
    `<div class="grid"><div class="box"><h2>Device under test (${esc(sut)})</h2>${kv([
      ['vendor', text(d.vendor)],
      ['model', text(d.model)],
      ['firmware', text(d.firmware)],
      ['serial', text(d.serial)],
      ['identity', text(d.identity)],
      ['endpoint', d.endpoint ? text(redactUrl(d.endpoint)) : undefined],
      ['subprotocol', text(d.subprotocol)],
      ['peer', d.builtin ? 'built-in reference peer' : undefined],
    ])}</div>`,
    `<div class="box"><h2>Run</h2>${kv([
      ['OCPP version', esc(run.ocpp)],
      ['harness plays', esc(run.as === 'csms' ? 'CSMS' : 'Charging Station')],
      ['started', esc(run.startedAt)],
      ['finished', esc(run.finishedAt)],
      ['run time', esc(formatDuration(run.durationMs))],
      ['harness', text(`${run.harness.name} ${run.harness.version}`)],
      ['schemas', text(`${run.schemas.source} (sha256 ${run.schemas.sha256.slice(0, 12)}…)`)],
    ])}</div></div>`,
    `<details class="box"><summary><b>Effective device profile</b> (declared, discovered, defaults)</summary>${profileHtml(run.capabilities)}</details></header>`,
    radios,
    `<div class="filters" role="group" aria-label="filter by verdict">Show: ${filters}</div>`,
  ];
  const main = [
    '<main>',
    `<h2 class="run-sec">Cases run (${run_.length})</h2>`,
    ...run.cases.map((c, i) => (c.verdict === 'skipped' ? '' : caseHtml(c, i, sections))),
    '<div class="notrun-sec">',
    `<h2 id="not-run">Cases not run (${notRun.length})</h2>`,
    notRun.length
      ? `<table class="notrun"><tr><th>case</th><th>title</th><th>reason</th></tr>${notRun.map((c) => `<tr id="case-${esc(c.id)}" data-case="${esc(c.id)}"><td class="cid">${text(c.id)}${c.octtId ? ` <span class="muted">[${text(c.octtId)}]</span>` : ''}</td><td>${text(c.title)}</td><td>${text(c.reason ?? 'no reason recorded')}${c.blockedBy ? ` (blocked by ${text(c.blockedBy)})` : ''}</td></tr>`).join('')}</table>`
      : '<p class="muted">none</p>',
    '</div></main>',
  ];
  const rules = sections.length
    ? `<footer class="rules"><h2>Rules cited (${esc(RULES_DOC)} of the package, embedded)</h2>${sections.map((s) => `<h3 id="${esc(s.anchor)}">${text(s.title)}</h3><pre>${esc(s.body)}</pre>`).join('')}</footer>`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: nothing but inline style, inline SVG and one inline script (CSP forbids anything else).
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${text(title)}</title><style>${CSS}</style></head><body>`,
    ...body.filter((s) => s !== ''),
    ...main.filter((s) => s !== ''),
    rules,
    `<script>${SCRIPT}</script></body></html>`,
    '',
  ].join('\n');
}

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly file: string;
  private readonly rulesText: string | undefined;

  constructor(options: HtmlReporterOptions) {
    this.file = path.join(options.outDir, options.fileName ?? 'report.html');
    this.rulesText = options.rulesText ?? loadRulesText();
  }

  async onRunEnd(run: RunResult): Promise<void> {
    await writeFileAtomic(this.file, buildHtmlReport(run, { rulesText: this.rulesText }));
  }
}
