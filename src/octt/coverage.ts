/**
 * Certification coverage (issue #15 §3): for the selected version and side, every OCTT SmartCharging test
 * case with its status for this device — covered by which case(s) and their verdict, not applicable (the
 * PICS / device-profile reason the case was skipped with), or not covered by this harness — so a vendor sees
 * what is left before a certification slot.
 */
import type { OcppVersion } from '../ocpp/version';
import type { CaseResult, HarnessRole, Verdict } from '../report/types';
import { isNotRun } from '../report/types';
import { octtSmartChargingIds } from './catalogue';

export type CoverageStatus = 'pass' | 'fail' | 'error' | 'not applicable' | 'not run' | 'not covered';

export interface CoverageEntry {
  octt: string;
  status: CoverageStatus;
  /** The harness cases that perform its checks, with their verdict in this run (absent: not selected). */
  cases: { id: string; verdict?: Verdict; reason?: string }[];
  /** Why: the skip reason (not applicable), not selected / not run, or not covered. */
  reason?: string;
}

/** What coverage needs of a case definition. */
export interface CoverageDef {
  id: string;
  octt?: string[];
  ocpp: OcppVersion[];
  as: HarnessRole;
}

/**
 * Status of every OCTT id of (ocpp, as). `results` are the cases of this run; without them (e.g. `--list`)
 * every covered id is "not run". A failed case wins over an errored one, which wins over a pass.
 */
export function certificationCoverage(
  ocpp: OcppVersion,
  as: HarnessRole,
  defs: readonly CoverageDef[],
  results: readonly Pick<CaseResult, 'id' | 'verdict' | 'reason'>[] = [],
  unselected = 'not selected in this run',
): CoverageEntry[] {
  const mine = defs.filter((d) => d.ocpp.includes(ocpp) && d.as === as);
  return octtSmartChargingIds(ocpp, as).map((octt): CoverageEntry => {
    const covering = mine.filter((d) => d.octt?.includes(octt));
    if (!covering.length) return { octt, status: 'not covered', cases: [], reason: 'no case of this harness performs its checks' };
    const cases = covering.map((d) => {
      const r = results.find((x) => x.id === d.id);
      return { id: d.id, ...(r ? { verdict: r.verdict, ...(r.reason ? { reason: r.reason } : {}) } : {}), notRun: r ? isNotRun(r) : true };
    });
    const ran = cases.filter((c) => !c.notRun);
    const strip = cases.map(({ notRun: _n, ...c }) => c);
    if (ran.some((c) => c.verdict === 'failed')) return { octt, status: 'fail', cases: strip };
    if (ran.some((c) => c.verdict === 'error')) return { octt, status: 'error', cases: strip };
    if (ran.some((c) => c.verdict === 'passed')) return { octt, status: 'pass', cases: strip };
    if (ran.length) return { octt, status: 'not applicable', cases: strip, reason: [...new Set(ran.map((c) => c.reason ?? 'skipped'))].join('; ') };
    const reason = cases.some((c) => c.verdict !== undefined) ? cases.find((c) => c.reason)?.reason ?? 'not run' : unselected;
    return { octt, status: 'not run', cases: strip, reason };
  });
}

/** Counts per status, in a fixed order. */
export function coverageCounts(entries: readonly CoverageEntry[]): Record<CoverageStatus, number> {
  const out: Record<CoverageStatus, number> = { pass: 0, fail: 0, error: 0, 'not applicable': 0, 'not run': 0, 'not covered': 0 };
  for (const e of entries) out[e.status]++;
  return out;
}

/** The console / text rendering: one line per OCTT id, then the counts. */
export function coverageText(ocpp: OcppVersion, as: HarnessRole, entries: readonly CoverageEntry[]): string[] {
  if (!entries.length) return [`OCTT SmartCharging coverage: no OCTT catalogue for OCPP ${ocpp}`];
  const dut = as === 'csms' ? 'Charging Station' : 'CSMS';
  const lines = [`OCTT SmartCharging coverage, OCPP ${ocpp}, ${dut} under test (${entries.length} OCTT test cases):`];
  const w = Math.max(...entries.map((e) => e.octt.length));
  for (const e of entries) {
    const by = e.cases.map((c) => `${c.id}${c.verdict ? ` ${c.verdict}` : ''}`).join(', ');
    const why = e.status === 'pass' || e.status === 'fail' || e.status === 'error' ? by : [by, e.reason].filter(Boolean).join(': ');
    lines.push(`  ${e.octt.padEnd(w)}  ${e.status.padEnd(14)}  ${why}`);
  }
  const n = coverageCounts(entries);
  lines.push(`  ${Object.entries(n).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return lines;
}
