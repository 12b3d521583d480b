/**
 * OCPP 1.6 CSMS-side cases SC-CSMS-16-xx (issue #13), in-process against the built-in reference CSMS:
 * the correct CSMS passes every case whatever units the station advertises; each 1.6 CSMS fault of
 * src/reference/csms-v16-faults.ts fails (or, where 1.6 leaves the point open, WARNs in) the case that
 * names its rule.
 */
import { CSMS_V16_FAULTS, type CsmsFault } from '../../src/reference';
import type { CaseResult } from '../../src/report/types';
import { csmsConfig, runCsms } from './helpers';

type Unit = 'A' | 'W';

const IDS = Array.from({ length: 11 }, (_, i) => `SC-CSMS-16-${String(i + 1).padStart(2, '0')}`);

const summary = (cases: CaseResult[]) =>
  cases
    .map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => f.message).join(' | ')}` : ''}`)
    .join('\n');

const run = (opts: { faults?: CsmsFault[]; grep?: string; units?: Unit[] } = {}) =>
  runCsms(
    csmsConfig('1.6', {
      grep: opts.grep ?? 'SC-CSMS-16',
      ...(opts.faults ? { builtinFaults: opts.faults } : {}),
      ...(opts.units ? { device: { rateUnits: opts.units } } : {}),
    }),
  );

test.concurrent.each([[undefined], [['A'] as Unit[]], [['W'] as Unit[]]])('1.6 SC-CSMS-16-xx: the correct built-in CSMS passes every case (units %p)', async (units) => {
  const { result, exitCode } = await run({ units });
  const mine = result.cases.filter((c) => c.id.startsWith('SC-CSMS-16'));
  expect(mine.map((c) => c.id)).toEqual(IDS);
  expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
  expect(exitCode).toBe(0);
  // The unit check is only possible with one advertised unit: a WARN says so otherwise (never a silent pass).
  const unitWarn = mine.find((c) => c.id === 'SC-CSMS-16-11')!.notes.some((n) => n.level === 'warn' && /could not check/.test(n.message));
  expect(unitWarn).toBe(!units);
}, 120_000);

interface Caught {
  fault: CsmsFault;
  case: string;
  /** Text every recorded failure list must contain (the rule), or a WARN's rule for open points. */
  rule: string;
  warn?: boolean;
  units?: Unit[];
}

const CAUGHT: Caught[] = [
  { fault: 'txdefault-on-connector-0', case: 'SC-CSMS-16-02', rule: 'TC_056_CSMS; 1.6 §3.13.1' },
  { fault: 'stale-transaction-id', case: 'SC-CSMS-16-03', rule: '1.6 §3.13.1 / TC_057_CSMS' },
  { fault: 'stale-transaction-id', case: 'SC-CSMS-16-04', rule: '1.6 §3.13.1 / TC_057_CSMS' },
  { fault: 'txprofile-without-validity', case: 'SC-CSMS-16-03', rule: '1.6 §7.8 (TC_057_CSMS shape)', warn: true },
  { fault: 'remote-start-profile-transaction-id', case: 'SC-CSMS-16-05', rule: 'errata 3.41' },
  { fault: 'remote-start-without-connector', case: 'SC-CSMS-16-05', rule: '1.6 §6.33', warn: true },
  { fault: 'remote-start-connector-0', case: 'SC-CSMS-16-05', rule: '1.6 §6.33 (connectorId SHALL be > 0)' },
  { fault: 'composite-unit-fixed-amps', case: 'SC-CSMS-16-06', rule: 'TC_066_CSMS', units: ['W'] },
  { fault: 'composite-decimals-refused', case: 'SC-CSMS-16-07', rule: '1.6 §7.14' },
  { fault: 'composite-rejected-closes', case: 'SC-CSMS-16-07', rule: '1.6 §6.22 (Rejected is a legal answer)' },
  { fault: 'clear-wrong-id', case: 'SC-CSMS-16-08', rule: 'TC_067_CSMS; 1.6 §5.5' },
  { fault: 'clear-criteria-dropped', case: 'SC-CSMS-16-09', rule: 'errata 3.25 (fields ANDed)' },
  { fault: 'clear-all-by-purpose', case: 'SC-CSMS-16-09', rule: 'errata 3.25 (no field: clear all)' },
  { fault: 'limit-float-noise', case: 'SC-CSMS-16-10', rule: '1.6 §7.14 (at most one digit fraction)' },
  { fault: 'limit-float-noise', case: 'SC-CSMS-16-10', rule: '1.6 §7.13 (at most one digit fraction)' },
  { fault: 'limit-rounded', case: 'SC-CSMS-16-10', rule: '1.6 §7.14 (one fractional digit is legal)' },
  { fault: 'stack-level-one-based', case: 'SC-CSMS-16-11', rule: '1.6 §9.4 ChargeProfileMaxStackLevel' },
  { fault: 'schedule-in-amps', case: 'SC-CSMS-16-11', rule: '1.6 §9.4 ChargingScheduleAllowedChargingRateUnit', units: ['W'] },
];

test.concurrent.each(CAUGHT.map((c) => [`${c.fault} → ${c.case}${c.warn ? ' (WARN)' : ''}`, c] as const))('1.6 CSMS fault %s', async (_name, c) => {
  const { result, exitCode } = await run({ faults: [c.fault], grep: c.case, units: c.units });
  const got = result.cases.find((x) => x.id === c.case)!;
  const context = `${c.fault}:\n${summary(result.cases)}`;
  expect({ context, errors: result.cases.filter((x) => x.verdict === 'error').length }).toEqual({ context, errors: 0 });
  if (c.warn) {
    // An open point of 1.6: WARN naming the rule, the case still passes.
    expect({ context, verdict: got.verdict, exitCode }).toEqual({ context, verdict: 'passed', exitCode: 0 });
    expect({ context, warned: got.notes.some((n) => n.level === 'warn' && n.rule === c.rule) }).toEqual({ context, warned: true });
  } else {
    expect({ context, verdict: got.verdict, exitCode }).toEqual({ context, verdict: 'failed', exitCode: 1 });
    expect({ context, namesRule: got.failures.some((f) => f.message.includes(c.rule)) }).toEqual({ context, namesRule: true });
  }
}, 60_000);

test('every 1.6 CSMS fault is caught by some SC-CSMS-16 case above', () => {
  expect([...new Set(CAUGHT.map((c) => c.fault))].sort()).toEqual([...CSMS_V16_FAULTS].sort());
});
