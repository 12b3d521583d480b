/**
 * OCTT coverage of a selection of cases (issues #12 and #13: "`run --list` shows the OCTT coverage").
 * Counts the exact ids of `CaseDefinition.octt` — only ids a case's steps really check — for the OCTT
 * cases of one version and one side: with the harness as CSMS the device is a station (TC_K_nn_CS,
 * TC_0nn[_n]_CS); with the harness as station the device is a CSMS (TC_K_nn_CSMS, TC_0nn[_n]_CSMS).
 */
import type { OcppVersion } from '../ocpp/version';
import type { HarnessRole } from '../report/types';

type Pattern = { label: string; re: RegExp };

const PATTERNS: Record<HarnessRole, Partial<Record<OcppVersion, Pattern>>> = {
  csms: {
    '2.0.1': { label: 'TC_K_*_CS', re: /^TC_K_\d{2}_CS$/ },
    '1.6': { label: 'TC_0xx_CS', re: /^TC_0\d{2}(_\d+)?_CS$/ },
  },
  station: {
    '2.0.1': { label: 'TC_K_*_CSMS', re: /^TC_K_\d{2}_CSMS$/ },
    '1.6': { label: 'TC_0xx_CSMS', re: /^TC_0\d{2}(_\d+)?_CSMS$/ },
  },
};

/** The distinct OCTT ids of this version and side named by the cases, sorted. */
export function octtIdsCovered(defs: readonly { octt?: string[] }[], ocpp: OcppVersion, as: HarnessRole = 'csms'): string[] {
  const p = PATTERNS[as][ocpp];
  if (!p) return [];
  const ids = new Set(defs.flatMap((d) => d.octt ?? []).filter((id) => p.re.test(id)));
  return [...ids].sort();
}

/** "OCTT TC_K_*_CS covered: N (ids…)", or undefined for a version/side without an OCTT pattern. */
export function octtCoverageLine(defs: readonly { octt?: string[] }[], ocpp: OcppVersion, as: HarnessRole = 'csms'): string | undefined {
  const p = PATTERNS[as][ocpp];
  if (!p) return undefined;
  const ids = octtIdsCovered(defs, ocpp, as);
  return `OCTT ${p.label} covered: ${ids.length}${ids.length ? ` (${ids.join(', ')})` : ''}`;
}
