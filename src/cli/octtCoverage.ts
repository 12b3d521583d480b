/**
 * OCTT coverage of a selection of cases (issue #12: "`run --list` shows the OCTT coverage"). Counts the
 * exact ids of `CaseDefinition.octt` — only ids a case's steps really check — for the station-side OCTT
 * cases of one version: TC_K_nn_CS (2.0.1 Part 6) and TC_0nn[_n]_CS (1.6 SmartCharging).
 */
import type { OcppVersion } from '../ocpp/version';

const PATTERNS: Record<string, { label: string; re: RegExp }> = {
  '2.0.1': { label: 'TC_K_*_CS', re: /^TC_K_\d{2}_CS$/ },
  '1.6': { label: 'TC_0xx_CS', re: /^TC_0\d{2}(_\d+)?_CS$/ },
};

/** The distinct OCTT ids of this version named by the cases, sorted. */
export function octtIdsCovered(defs: readonly { octt?: string[] }[], ocpp: OcppVersion): string[] {
  const p = PATTERNS[ocpp];
  if (!p) return [];
  const ids = new Set(defs.flatMap((d) => d.octt ?? []).filter((id) => p.re.test(id)));
  return [...ids].sort();
}

/** "OCTT TC_K_*_CS covered: N (ids…)", or undefined for a version without a station-side OCTT pattern. */
export function octtCoverageLine(defs: readonly { octt?: string[] }[], ocpp: OcppVersion): string | undefined {
  const p = PATTERNS[ocpp];
  if (!p) return undefined;
  const ids = octtIdsCovered(defs, ocpp);
  return `OCTT ${p.label} covered: ${ids.length}${ids.length ? ` (${ids.join(', ')})` : ''}`;
}
