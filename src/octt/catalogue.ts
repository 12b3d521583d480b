/**
 * The OCTT SmartCharging test cases per version and device under test (issue #15 §3), as data. Source: the
 * OCTT ids of the project's test catalogue (docs: test-catalogue §3, OCTT column) — OCPP 2.0.1 Part 6
 * functional block K (TC_K_nn_CS with the station under test, TC_K_nn_CSMS with the CSMS under test) and the
 * OCPP 1.6 SmartCharging cases (TC_0nn[_n]_CS / _CSMS). A case of this harness covers an id when its `octt`
 * list names it (only ids whose checks its steps really perform).
 */
import type { OcppVersion } from '../ocpp/version';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const k = (nums: number[], suffix: 'CS' | 'CSMS') => nums.map((n) => `TC_K_${String(n).padStart(2, '0')}_${suffix}`);

/** 2.0.1, station under test: TC_K_01…16, 19, 21–24, 28–42, 47, 60. */
const K_CS = k([...range(1, 16), 19, ...range(21, 24), ...range(28, 42), 47, 60], 'CS');
/** 2.0.1, CSMS under test. */
// The 32 SmartCharging TC_K_*_CSMS ids of OCTT 2.0.1 (issue #13's list, cross-checked with the tzi-OCTT
// transcription): set/replace/clear, get-profiles criteria, remote start, composites, external limits (K12/K13)
// and ISO 15118 charging needs / renegotiation (K15–K17).
const K_CSMS = k([1, 2, 3, 4, 5, 6, 8, 10, 15, 19, ...range(29, 36), 37, 43, 44, 48, 50, 51, 52, 53, 55, 57, 58, 59, 60, 70], 'CSMS');
/** 1.6 SmartCharging, Charge Point under test. */
const V16_CS = ['TC_056_CS', 'TC_057_CS', 'TC_058_1_CS', 'TC_058_2_CS', 'TC_059_CS', 'TC_060_CS', 'TC_066_CS', 'TC_067_CS', 'TC_072_CS', 'TC_082_CS'];
/** 1.6 SmartCharging, Central System under test. */
const V16_CSMS = ['TC_056_CSMS', 'TC_057_CSMS', 'TC_059_CSMS', 'TC_066_CSMS', 'TC_067_CSMS'];

/** Side the harness plays → the OCTT ids of the device under test (the other side). */
const IDS: Partial<Record<OcppVersion, { csms: readonly string[]; station: readonly string[] }>> = {
  '2.0.1': { csms: K_CS, station: K_CSMS },
  '1.6': { csms: V16_CS, station: V16_CSMS },
};

/** The OCTT SmartCharging ids for a version and the side the harness plays ([] for a version without a catalogue, e.g. 2.1). */
export function octtSmartChargingIds(ocpp: OcppVersion, as: 'csms' | 'station'): readonly string[] {
  return IDS[ocpp]?.[as] ?? [];
}
