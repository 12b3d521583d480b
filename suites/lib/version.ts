/**
 * Which OCPP versions a station-suite case runs on. 2.1 keeps the 2.0.1 SmartCharging rules the carried-over
 * cases check (K01–K10 unchanged where a case runs on both; issue #16), so a case written for 2.0.1 runs on
 * 2.1 with the wire adjusted through these helpers rather than being copied.
 */
import type { OcppVersion } from '../../src/ocpp/version';
import { model } from '../../src/scenario';

/** The 2.x versions: 2.0.1 and 2.1 (same message names and shapes for everything the cases send). */
export const V2X = ['2.0.1', '2.1'] as const;
/** Every version the station suite speaks. */
export const ALL_VERSIONS = ['1.6', '2.0.1', '2.1'] as const;

/** True on 2.0.1 and 2.1. */
export function isV2x(t: { ocpp: OcppVersion }): boolean {
  return t.ocpp === '2.0.1' || t.ocpp === '2.1';
}

/** True on 2.1 only: where 2.1 changes the wire or drops a 2.0.1 rule (decimals, rules §8). */
export function isV21(t: { ocpp: OcppVersion }): boolean {
  return t.ocpp === '2.1';
}

/** The model version for a run (the model reads 2.1 profiles with `profileFrom21`). */
export function modelVersion(t: { ocpp: OcppVersion }): '1.6' | '2.0.1' | '2.1' {
  return t.ocpp;
}

/** A wire charging profile the harness sends, as the model reads it for the run's version. */
export function readProfile(t: { ocpp: OcppVersion }, wire: Record<string, unknown>): model.Profile {
  if (t.ocpp === '1.6') return model.profileFrom16(wire);
  return t.ocpp === '2.1' ? model.profileFrom21(wire) : model.profileFrom201(wire);
}
