import { isDeepStrictEqual } from 'node:util';
import type { Failure } from '../report/types';
import { AssertionFailed } from './errors';

export interface AssertOptions {
  /**
   * Requirement id or "rules §N.M" the check enforces, e.g. K09.FR.01. Required (issue #11 item 10):
   * TypeScript rejects a check that names no rule, and `emit` guards at run time as well.
   */
  rule: string;
  /** JSON pointer of the judged value inside its payload. */
  pointer?: string;
  frameSeq?: number;
}

/** First place where two JSON values differ, as a JSON pointer (relative to `base`). */
export function firstDifference(actual: unknown, expected: unknown, base = ''): { pointer: string; actual: unknown; expected: unknown } | undefined {
  if (isDeepStrictEqual(actual, expected)) return undefined;
  const bothObjects = actual && expected && typeof actual === 'object' && typeof expected === 'object' && Array.isArray(actual) === Array.isArray(expected);
  if (!bothObjects) return { pointer: base, actual, expected };
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = Array.isArray(actual)
    ? Array.from({ length: Math.max((actual as unknown[]).length, (expected as unknown[]).length) }, (_, i) => String(i))
    : [...new Set([...Object.keys(e), ...Object.keys(a)])];
  for (const k of keys) {
    const d = firstDifference(a[k], e[k], `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (d) return d;
  }
  return { pointer: base, actual, expected };
}

/**
 * A check was written without a rule (a JavaScript caller or a cast got past the type): a harness defect,
 * never a device finding (issue #11 item 10: no failure without a rule).
 */
export class MissingRuleError extends Error {
  override readonly name = 'MissingRuleError';
  constructor(readonly failureMessage: string) {
    super(`harness defect: a check recorded a failure without naming its rule: ${failureMessage}`);
  }
}

// An absent value is said in words: reports never print "undefined" (issue #11 item 10).
const show = (v: unknown) => {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/**
 * Assertion helpers whose failures say expected vs actual with a JSON pointer. `hard` throws
 * (the case stops), `soft` records and continues.
 */
export class Assertions {
  constructor(
    private readonly record: (f: Failure) => void,
    private readonly hard: boolean,
    private readonly currentStep: () => string | undefined,
  ) {}

  private emit(f: Omit<Failure, 'kind' | 'step'> & { kind?: Failure['kind'] }): false {
    if (typeof f.rule !== 'string' || f.rule.trim() === '') throw new MissingRuleError(f.message);
    // Keys left undefined are dropped so reports do not print "expected: undefined".
    const failure = Object.fromEntries(
      Object.entries({ step: this.currentStep(), ...f, kind: f.kind ?? 'AssertionFailure' }).filter(([, v]) => v !== undefined),
    ) as unknown as Failure;
    if (this.hard) throw new AssertionFailed(failure);
    this.record(failure);
    return false;
  }

  private prefix(o: AssertOptions | undefined): string {
    return o?.rule ? `${o.rule}: ` : '';
  }


  /** Strict deep equality; the failure names the first differing JSON pointer. */
  equal(actual: unknown, expected: unknown, what: string, o: AssertOptions): boolean {
    const d = firstDifference(actual, expected, o?.pointer ?? '');
    if (!d) return true;
    return this.emit({
      message: `${this.prefix(o)}${what}: expected ${show(d.expected)} at ${d.pointer || '/'}, got ${show(d.actual)}`,
      rule: o?.rule,
      pointer: d.pointer,
      expected: d.expected,
      actual: d.actual,
      frameSeq: o?.frameSeq,
    });
  }

  ok(condition: unknown, what: string, o: AssertOptions & { expected?: unknown; actual?: unknown }): boolean {
    if (condition) return true;
    return this.emit({ message: `${this.prefix(o)}${what}`, rule: o?.rule, pointer: o?.pointer, expected: o?.expected, actual: o?.actual, frameSeq: o?.frameSeq });
  }

  oneOf<T>(actual: T, allowed: readonly T[], what: string, o: AssertOptions): boolean {
    if (allowed.some((a) => isDeepStrictEqual(a, actual))) return true;
    return this.emit({
      message: `${this.prefix(o)}${what}: expected one of ${show(allowed)}${o?.pointer ? ` at ${o.pointer}` : ''}, got ${show(actual)}`,
      rule: o?.rule,
      pointer: o?.pointer,
      expected: allowed,
      actual,
      frameSeq: o?.frameSeq,
    });
  }

  /** Unconditional failure. */
  fail(message: string, o: AssertOptions & { expected?: unknown; actual?: unknown; kind?: Failure['kind'] }): false {
    return this.emit({ message: `${this.prefix(o)}${message}`, rule: o?.rule, pointer: o?.pointer, expected: o?.expected, actual: o?.actual, frameSeq: o?.frameSeq, kind: o?.kind });
  }
}
