import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../src/report';
import { runBuiltin } from './run';
import { NOT_IN_16, TARGETS, type Version } from './targets';

const observed = JSON.parse(readFileSync(join(__dirname, 'station-faults.observed.json'), 'utf8')) as Record<Version, Record<string, { failed: string[] }>>;

/** Rate units of every chargingRateUnit the harness sent (SetChargingProfile and GetCompositeSchedule CALLs). */
function unitsSent(result: RunResult): Set<string> {
  const out = new Set<string>();
  for (const c of result.cases) {
    for (const f of c.frames) {
      if (f.dir !== 'out' || f.type !== 'CALL' || (f.action !== 'SetChargingProfile' && f.action !== 'GetCompositeSchedule')) continue;
      for (const m of f.raw.matchAll(/"chargingRateUnit":"([AW])"/g)) out.add(m[1]!);
    }
  }
  return out;
}

/** Rate units the station answered with in Accepted composites. */
function unitsReceived(result: RunResult): Set<string> {
  const out = new Set<string>();
  for (const c of result.cases) for (const f of c.frames) if (f.dir === 'in' && f.type === 'CALLRESULT') for (const m of f.raw.matchAll(/"chargingRateUnit":"([AW])"/g)) out.add(m[1]!);
  return out;
}

/**
 * Issue #12 item 1 "Units from the device": a station that supports one rate unit only is conforming
 * (1.6 §9.4 ChargingScheduleAllowedChargingRateUnit, 2.0.1 SmartChargingCtrlr.RateUnit, K01.FR.26). The
 * whole station suite passes against it with every profile and composite in its unit, and the cross-unit
 * case is skipped with the reason.
 */
describe.each(['1.6', '2.0.1'] as const)('OCPP %s: rate-unit quirks (issue #12 item 1)', (ocpp) => {
  const crossUnitCase = ocpp === '1.6' ? 'SC-16-19' : undefined;
  test.concurrent.each([
    ['watt-only', 'W', 'A'],
    ['amp-only', 'A', 'W'],
  ] as const)(`${ocpp}: quirk %s → exit 0, no failure, no ERROR, only %s on the wire`, async (quirk, unit, other) => {
    const r = await runBuiltin({ ocpp, builtinQuirks: [quirk] });
    expect(r.failed).toEqual([]);
    expect(r.errored).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.result.cases.filter((c) => c.verdict === 'passed').length).toBeGreaterThan(25);
    // Profiles and composites in the device's unit, except the negative steps that send the other
    // unit on purpose (unsupported unit rejected: 1.6 §9.4 / K01.FR.26 / K08.FR.07).
    expect(unitsReceived(r.result)).toEqual(new Set([unit]));
    const neg = r.result.cases.filter((c) => c.frames.some((f) => f.dir === 'out' && f.raw.includes(`"chargingRateUnit":"${other}"`))).map((c) => c.id);
    expect(neg.length).toBeGreaterThan(0);
    for (const id of neg) {
      const c = r.result.cases.find((x) => x.id === id)!;
      expect([c.title, ...c.steps].join('\n')).toMatch(/unit/i);
    }
    expect(unitsSent(r.result).has(unit)).toBe(true);
    // The cross-unit steps are skipped with the reason, never passed silently.
    if (crossUnitCase) {
      const c = r.result.cases.find((x) => x.id === crossUnitCase)!;
      expect(c.verdict).toBe('skipped');
      expect(c.reason).toMatch(new RegExp(`needs rate unit ${other}; device supports ${unit}`));
    } else {
      const c = r.result.cases.find((x) => x.id === 'SC-201-15')!;
      expect(c.notes.some((n) => /\(a\) not run: .*needs both units/.test(n.message))).toBe(true);
    }
    // No case ended on a unit the device does not support (the four HarnessErrors).
    expect(r.result.cases.filter((c) => /not supported/.test(c.reason ?? ''))).toEqual([]);
  }, 300_000);
});

/** Faults still caught when every profile and composite is in W (issue #12 item 1, mutation self-test). */
const WATT_FAULTS = [
  'composite-ignores-max',
  'composite-txdefault-over-txprofile',
  'clear-or-instead-of-and',
  'accept-txprofile-without-transaction',
  'report-drops-profile',
  'composite-truncated',
  'decimal-accepted-not-applied',
];

describe.each(['1.6', '2.0.1'] as const)('OCPP %s: station faults caught in watt-only mode (issue #12 item 1)', (ocpp) => {
  test.concurrent.each(WATT_FAULTS)(`${ocpp} watt-only: fault %s is caught by the cases that target it`, async (fault) => {
    const r = await runBuiltin({ ocpp, builtinQuirks: ['watt-only'], builtinFaults: [fault] });
    expect(r.errored).toEqual([]);
    if (ocpp === '1.6' && NOT_IN_16.includes(fault)) {
      // GetChargingProfiles / ReportChargingProfiles do not exist in 1.6.
      expect(r.exitCode).toBe(0);
      return;
    }
    expect(r.exitCode).toBe(1);
    expect(r.failed).toEqual(expect.arrayContaining(TARGETS[ocpp][fault]!));
    // No collateral beyond what the fault explains in the A run (observed matrix).
    const allowed = new Set(observed[ocpp][fault]?.failed ?? []);
    expect(r.failed.filter((id) => !allowed.has(id))).toEqual([]);
    expect(unitsReceived(r.result).has('A')).toBe(false);
    // Findings name the unit on the wire (issue #12 item 1): W values, never amps, on a W-only device.
    const messages = r.result.cases.filter((c) => TARGETS[ocpp][fault]!.includes(c.id)).flatMap((c) => c.failures.map((f) => f.message));
    expect(messages.filter((m) => /\d A\b/.test(m))).toEqual([]);
    if (fault === 'composite-ignores-max' || fault === 'composite-txdefault-over-txprofile') expect(messages.some((m) => /\d W\b/.test(m))).toBe(true);
  }, 300_000);
});
