/**
 * Faults of the reference CSMS for the OCPP 1.6 CSMS-side cases SC-CSMS-16-xx (issue #13). Each one is
 * a defect class seen in CSMSs (wrong target connector, stale transaction ids, float noise in limits,
 * a one-based stack level, a fixed unit, a naive `multipleOf` check on the station's answers) and is
 * caught by the case that names its rule (test/csms-suite/v16.test.ts). 2.0.1 sessions are left alone.
 */
import type { OcppVersion } from '../ocpp/version';
import type { Payload } from '../ocppj/messages';
import type { CsmsFault } from './faults';

type Faults = ReadonlySet<string>;

/** The faults of this file (their descriptions are in CSMS_FAULTS); the 1.6 self-test covers each one. */
export const CSMS_V16_FAULTS = [
  'txdefault-on-connector-0',
  'stale-transaction-id',
  'txprofile-without-validity',
  'remote-start-profile-transaction-id',
  'remote-start-without-connector',
  'composite-unit-fixed-amps',
  'composite-decimals-refused',
  'clear-wrong-id',
  'clear-criteria-dropped',
  'limit-float-noise',
  'limit-rounded',
  'stack-level-one-based',
  'schedule-in-amps',
  'composite-rejected-closes',
  'remote-start-connector-0',
  'clear-all-by-purpose',
] as const satisfies readonly CsmsFault[];

export type CsmsV16Fault = (typeof CSMS_V16_FAULTS)[number];

function schedulesOf(profile: Payload | undefined): Payload[] {
  const s = profile?.chargingSchedule as Payload | undefined;
  return s && typeof s === 'object' ? [s] : [];
}

function mapLimits(profile: Payload | undefined, fn: (v: number) => number): void {
  for (const s of schedulesOf(profile)) {
    for (const period of (s.chargingSchedulePeriod as Payload[] | undefined) ?? []) {
      if (typeof period.limit === 'number') period.limit = fn(period.limit);
    }
    if (typeof s.minChargingRate === 'number') s.minChargingRate = fn(s.minChargingRate);
  }
}

/** Change the request the CSMS is about to send (in place), as the faulty CSMS would build it. */
export function applyRequestFaults16(f: Faults, version: OcppVersion, action: string, payload: Payload): void {
  if (version !== '1.6') return;
  const profile = (action === 'SetChargingProfile' ? payload.csChargingProfiles : action === 'RemoteStartTransaction' ? payload.chargingProfile : undefined) as Payload | undefined;
  const purpose = profile?.chargingProfilePurpose;
  if (action === 'SetChargingProfile' && profile) {
    if (f.has('txdefault-on-connector-0') && purpose === 'TxDefaultProfile') payload.connectorId = 0;
    if (f.has('stale-transaction-id') && purpose === 'TxProfile' && typeof profile.transactionId === 'number') profile.transactionId -= 1;
    if (f.has('txprofile-without-validity') && purpose === 'TxProfile' && profile.chargingProfileKind === 'Absolute') {
      delete profile.validFrom;
      delete profile.validTo;
      for (const s of schedulesOf(profile)) delete s.duration;
    }
    if (f.has('stack-level-one-based') && typeof profile.stackLevel === 'number') profile.stackLevel += 1;
    if (f.has('schedule-in-amps')) {
      for (const s of schedulesOf(profile)) {
        if (s.chargingRateUnit !== 'W') continue;
        s.chargingRateUnit = 'A';
        // The CSMS's own conversion at 230 V, three phases, rounded to a legal one-decimal value.
        mapLimits({ chargingSchedule: s }, (w) => Math.round((w / 230 / 3) * 10) / 10);
      }
    }
  }
  if (action === 'RemoteStartTransaction' && profile) {
    if (f.has('remote-start-profile-transaction-id')) profile.transactionId = 1;
    if (f.has('remote-start-without-connector')) delete payload.connectorId;
    if (f.has('remote-start-connector-0')) payload.connectorId = 0;
  }
  if (f.has('limit-float-noise')) mapLimits(profile, (v) => Math.round(v * 10) * 0.1);
  if (f.has('limit-rounded')) mapLimits(profile, (v) => Math.round(v));
  if (action === 'GetCompositeSchedule' && f.has('composite-unit-fixed-amps')) payload.chargingRateUnit = 'A';
  if (action === 'ClearChargingProfile') {
    if (f.has('clear-wrong-id') && typeof payload.id === 'number') payload.id += 1;
    if (f.has('clear-criteria-dropped') && payload.id === undefined) delete payload.stackLevel;
    if (f.has('clear-all-by-purpose') && Object.keys(payload).length === 0) payload.chargingProfilePurpose = 'TxDefaultProfile';
  }
}

/**
 * What the faulty CSMS makes of a station's response: an error answer of the trigger endpoint when it
 * refuses the response, else undefined. The refusal copies the field-known division test (rules §8).
 */
export function responseFault16(f: Faults, version: OcppVersion, action: string, response: Payload): { status: number; body: unknown } | undefined {
  if (version !== '1.6' || action !== 'GetCompositeSchedule' || !f.has('composite-decimals-refused')) return undefined;
  const periods = ((response.chargingSchedule as Payload | undefined)?.chargingSchedulePeriod as Payload[] | undefined) ?? [];
  const bad = periods.map((p) => p.limit).find((v) => typeof v === 'number' && !Number.isInteger(v / 0.1));
  if (bad === undefined) return undefined;
  return { status: 502, body: { error: `GetCompositeSchedule.conf rejected: limit ${String(bad)} must be multiple of 0.1` } };
}

/** Whether the faulty CSMS drops the connection after this response (it cannot cope with a legal answer). */
export function closesAfter16(f: Faults, version: OcppVersion, action: string, response: Payload): boolean {
  return version === '1.6' && action === 'GetCompositeSchedule' && response.status === 'Rejected' && f.has('composite-rejected-closes');
}
