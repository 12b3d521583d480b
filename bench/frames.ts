/**
 * Realistic SmartCharging payloads for the benchmarks: deterministic (no randomness) so that every run
 * measures the same bytes.
 */
import type { Payload } from '../src/ocppj/messages';

// A fixed instant in the future: profiles stay valid whenever the bench runs; ISO strings keep their length.
const T0 = Date.UTC(2030, 0, 7, 0, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One-decimal limits (the 1.6 multipleOf 0.1 float trap, rules §8, is exercised on every frame). */
const limitOf = (i: number, unit: 'A' | 'W') => (unit === 'A' ? Math.round((6 + ((i * 7) % 26) + ((i % 10) / 10)) * 10) / 10 : 1380 + ((i * 230) % 20_000));

export function periods(n: number, unit: 'A' | 'W', seed = 0, stepS = 3600): Payload[] {
  return Array.from({ length: n }, (_, h) => ({
    startPeriod: h * stepS,
    limit: limitOf(seed + h, unit),
    ...(h % 3 === 0 ? { numberPhases: 3 } : {}),
  }));
}

/** A 2.0.1 ChargingProfileType (TxDefault, Absolute, one schedule of `n` periods). */
export function profile201(id: number, n: number, opts: { stackLevel?: number; unit?: 'A' | 'W'; purpose?: string } = {}): Payload {
  const unit = opts.unit ?? (id % 2 ? 'W' : 'A');
  return {
    id,
    stackLevel: opts.stackLevel ?? id % 9,
    chargingProfilePurpose: opts.purpose ?? 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    validFrom: iso(T0 - 86_400_000),
    validTo: iso(T0 + 30 * 86_400_000),
    chargingSchedule: [
      {
        id: 1,
        startSchedule: iso(T0),
        duration: n * 3600,
        chargingRateUnit: unit,
        minChargingRate: unit === 'A' ? 6 : 1380,
        chargingSchedulePeriod: periods(n, unit, id),
      },
    ],
  };
}

/** 2.0.1 SetChargingProfileRequest with a 24-period schedule. */
export function setChargingProfile201(id: number, evseId = 1, n = 24): Payload {
  return { evseId, chargingProfile: profile201(id, n) };
}

/** 1.6 SetChargingProfile.req with a 24-period schedule. */
export function setChargingProfile16(id: number, connectorId = 1, n = 24): Payload {
  const unit = id % 2 ? 'W' : 'A';
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId: id,
      stackLevel: id % 9,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      validFrom: iso(T0 - 86_400_000),
      chargingSchedule: {
        duration: n * 3600,
        startSchedule: iso(T0),
        chargingRateUnit: unit,
        minChargingRate: unit === 'A' ? 6 : 1380,
        chargingSchedulePeriod: periods(n, unit, id),
      },
    },
  };
}

/** 2.0.1 ReportChargingProfilesRequest with 10 profiles of 1..24 periods. */
export function reportChargingProfiles201(requestId: number, first: number, count = 10, tbc = true): Payload {
  return {
    requestId,
    chargingLimitSource: 'CSO',
    evseId: 1,
    chargingProfile: Array.from({ length: count }, (_, k) => profile201(first + k, 1 + ((first + k) * 5) % 24)),
    ...(tbc ? { tbc: true } : {}),
  };
}

/** 2.0.1 GetCompositeScheduleResponse over a day (`n` periods of 15 minutes' steps). */
export function compositeResponse201(seed: number, n = 24): Payload {
  const unit = seed % 2 ? 'W' : 'A';
  return {
    status: 'Accepted',
    schedule: { evseId: 1, duration: 86_400, scheduleStart: iso(T0 + seed * 1000), chargingRateUnit: unit, chargingSchedulePeriod: periods(n, unit, seed, 900) },
  };
}

/** 1.6 GetCompositeSchedule.conf. */
export function compositeResponse16(seed: number, n = 24): Payload {
  const unit = seed % 2 ? 'W' : 'A';
  return {
    status: 'Accepted',
    connectorId: 1,
    scheduleStart: iso(T0 + seed * 1000),
    chargingSchedule: { duration: 86_400, chargingRateUnit: unit, chargingSchedulePeriod: periods(n, unit, seed, 900) },
  };
}
