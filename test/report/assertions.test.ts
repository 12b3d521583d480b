/**
 * Issue #11 item 10 at the source: a check names its rule (TypeScript makes `rule` required; this is
 * the run-time guard for JavaScript callers and casts), and messages never say "undefined".
 */
import { Assertions, MissingRuleError } from '../../src/runner/assertions';
import type { Failure } from '../../src/report/types';

function soft() {
  const recorded: Failure[] = [];
  return { a: new Assertions((f) => recorded.push(f), false, () => 'step 1'), recorded };
}

test('rules §0: a failure without a rule is refused as a harness defect, not recorded', () => {
  const { a, recorded } = soft();
  expect(() => a.ok(false, 'something', {} as never)).toThrow(MissingRuleError);
  expect(() => a.equal(1, 2, 'value', { rule: ' ' })).toThrow(MissingRuleError);
  expect(recorded).toEqual([]);
  // A passing check needs no further work.
  expect(a.ok(true, 'fine', {} as never)).toBe(true);
});

test('a failure keeps its rule and says "(absent)" instead of "undefined"', () => {
  const { a, recorded } = soft();
  a.equal(undefined, 6, 'composite limit', { rule: 'rules §5.2', pointer: '/limit' });
  expect(recorded).toHaveLength(1);
  expect(recorded[0]!.rule).toBe('rules §5.2');
  expect(recorded[0]!.message).toBe('rules §5.2: composite limit: expected 6 at /limit, got (absent)');
  expect(JSON.stringify(recorded)).not.toMatch(/undefined/);
  expect(recorded[0]).not.toHaveProperty('actual');
});
