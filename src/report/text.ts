/**
 * Text helpers shared by the reporters: making untrusted text safe for a terminal or an XML file,
 * truncation, JSON rendering of expected/actual values, and the verdict labels of test-catalogue §2.
 */
import { stripVTControlCharacters } from 'node:util';
import type { CaseResult, TraceFrame } from './types';

/** Verdict label of test-catalogue §2, as written to the JUnit `verdict` property. */
export type VerdictLabel = 'PASS' | 'FAIL' | 'WARN' | 'INFO' | 'N/A' | 'ERROR';

/** passed with a warn note → WARN, else with an info note → INFO, else PASS; skipped → N/A. */
export function verdictLabel(c: Pick<CaseResult, 'verdict' | 'notes'>): VerdictLabel {
  switch (c.verdict) {
    case 'passed':
      if (c.notes.some((n) => n.level === 'warn')) return 'WARN';
      if (c.notes.some((n) => n.level === 'info')) return 'INFO';
      return 'PASS';
    case 'failed':
      return 'FAIL';
    case 'skipped':
      return 'N/A';
    default:
      return 'ERROR';
  }
}

function hex4(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Characters XML 1.0 cannot carry: C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF.
 * (A lone low surrogate is matched with a lookbehind so the preceding character is kept.)
 */
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Make text safe for junit-report-builder: strip ANSI/VT escape sequences, replace XML-invalid characters
 * with a visible `\uXXXX` escape (the builder would drop them silently), and neutralise EVERY `]]>`
 * (the builder escapes only the first one inside a CDATA section, leaving invalid XML).
 */
export function xmlSafe(text: string): string {
  return stripVTControlCharacters(text).replace(XML_INVALID, hex4).replaceAll(']]>', ']]&gt;');
}

/** Controls and line breaks a terminal must not receive raw from peer-controlled text. */
const TERMINAL_UNSAFE =
  /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * One line of plain, visible text: escape sequences stripped, line breaks shown as `\n`/`\r`, tabs as a
 * space, every other control character as `\uXXXX`. Used for anything peer-controlled on the console
 * and for frame lines in files.
 */
export function oneLine(text: string): string {
  return stripVTControlCharacters(text).replace(TERMINAL_UNSAFE, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return ' ';
    return hex4(ch);
  });
}

/** Cut `text` to at most `max` characters, saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const more = text.length - max;
  return `${text.slice(0, max)}… (+${more} chars)`;
}

/** JSON rendering of an expected/actual value that never throws. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}

/** Whether a failure carries an expected or an actual value (a key holding undefined counts as absent). */
export function hasExpectation(f: { expected?: unknown; actual?: unknown }): boolean {
  return f.expected !== undefined || f.actual !== undefined;
}

/** `1234` → `1.2s`, `340` → `340ms`. */
export function formatDuration(ms: number): string {
  const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (v < 1000) return `${Math.round(v)}ms`;
  return `${(v / 1000).toFixed(1)}s`;
}

/** Milliseconds → seconds for JUnit `time`, rounded to the millisecond, never negative or NaN. */
export function toSeconds(ms: number): number {
  const v = Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
  return v / 1000;
}

export function arrow(dir: TraceFrame['dir']): string {
  return dir === 'out' ? '→' : '←';
}

/** `CALL SetChargingProfile` / `CALLRESULT` / `?` — the frame's kind as far as it is known. */
export function frameKind(f: TraceFrame): string {
  return [f.type ?? '?', f.action].filter((x): x is string => !!x).join(' ');
}

/** Hide `user:password@` in a URL. */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s]*@/, '$1***@');
}
