/**
 * The success rule of an http trigger (issue #13): a CSMS API may answer a command it refuses with
 * HTTP 200 and a body such as CitrineOS's `[{"success":false,"payload":"<reason>"}]`. The rule says
 * which answers mean "the command was accepted": a status list (default any 2xx) and, optionally, a
 * JSON pointer into the body and the value it must equal. A 2xx that breaks the rule is the CSMS
 * refusing the command; its text (at `refusalPointer`, else the body) goes into the case's verdict.
 */
import { isDeepStrictEqual } from 'node:util';

export interface SuccessRule {
  /** HTTP statuses that mean accepted (default: 200–299). */
  status?: number[];
  /** RFC 6901 pointer into the JSON answer, e.g. "/0/success". */
  pointer?: string;
  /** The value at `pointer` that means accepted (default: true). */
  equals?: unknown;
}

/** The value at an RFC 6901 JSON pointer; undefined when the path does not exist. */
export function jsonPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else if (cur && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, key)) {
      cur = (cur as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return cur;
}

export type Judgement = { ok: true } | { ok: false; refused: boolean; why: string };

/**
 * Judge an answer: ok; a refusal (a 2xx that breaks the rule, or a 4xx/5xx: the CSMS understood and said
 * no); or a plain failure (any other status outside the rule, e.g. a 3xx).
 */
export function judgeAnswer(rule: SuccessRule | undefined, status: number, body: unknown, opts: { statusRefusals?: boolean } = {}): Judgement {
  const is2xx = status >= 200 && status <= 299;
  const statusOk = rule?.status ? rule.status.includes(status) : is2xx;
  // A 4xx/5xx answer is the CSMS refusing the command too (CitrineOS: HTTP 400 for a body its schema
  // rejects, 500 for a command it fails on; citrine-run3 E): the API understood the request and said no.
  if (!statusOk) return { ok: false, refused: is2xx || (opts.statusRefusals !== false && status >= 400 && status <= 599), why: `HTTP ${status} is not one of ${rule?.status ? rule.status.join(', ') : '2xx'}` };
  if (rule?.pointer === undefined) return { ok: true };
  const expected = rule.equals === undefined ? true : rule.equals;
  const actual = jsonPointer(body, rule.pointer);
  if (isDeepStrictEqual(actual, expected)) return { ok: true };
  return { ok: false, refused: true, why: `${rule.pointer} is ${actual === undefined ? 'absent' : JSON.stringify(actual)}, not ${JSON.stringify(expected)}` };
}

/** The CSMS's own words for a refusal: the value at `refusalPointer` when present, else the body. */
export function refusalText(body: unknown, text: string, refusalPointer: string | undefined, clip: (s: string) => string): string {
  if (refusalPointer !== undefined) {
    const v = jsonPointer(body, refusalPointer);
    if (v !== undefined && v !== null && v !== '') return clip(typeof v === 'string' ? v : JSON.stringify(v));
  }
  return clip(text.trim() || '(empty answer)');
}
