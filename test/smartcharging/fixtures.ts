/** Builders for the SmartCharging model tests (not a test file itself). */
import { ProfileStore, fromEpochSeconds, toEpochSeconds } from '../../src/smartcharging';
import type {
  CompositeResult,
  DeviceLimits,
  Installed,
  ModelVersion,
  Period,
  Profile,
  Purpose,
  RateUnit,
  Transaction,
} from '../../src/smartcharging';

/** T0 of the worked examples: a whole-second instant. */
export const T0_ISO = '2024-03-10T12:00:00Z';
export const T0 = toEpochSeconds(T0_ISO);
export const at = (offsetS: number): string => fromEpochSeconds(T0 + offsetS);

export function limits(over: Partial<DeviceLimits> = {}): DeviceLimits {
  return { evses: 2, maxStackLevel: 10, maxProfiles: 20, maxPeriods: 10, rateUnits: ['A', 'W'], nominalVoltage: 230, ...over };
}

export interface ProfileSpec {
  id: number;
  purpose: Purpose;
  stackLevel?: number;
  kind?: Profile['kind'];
  recurrencyKind?: 'Daily' | 'Weekly';
  /** [startPeriod, limit] or [startPeriod, limit, numberPhases] */
  periods: ([number, number] | [number, number, number])[];
  duration?: number;
  startSchedule?: string | null;
  unit?: RateUnit;
  validFrom?: string;
  validTo?: string;
  transactionId?: string;
}

/** A normalised profile; Absolute at T0 unless told otherwise (startSchedule null = omit). */
export function profile(s: ProfileSpec): Profile {
  const kind = s.kind ?? 'Absolute';
  const periods: Period[] = s.periods.map(([startPeriod, limit, numberPhases]) =>
    numberPhases === undefined ? { startPeriod, limit } : { startPeriod, limit, numberPhases },
  );
  const schedule: Profile['schedules'][number] = { id: 1, chargingRateUnit: s.unit ?? 'A', periods };
  const start = s.startSchedule === undefined ? (kind === 'Relative' ? undefined : T0_ISO) : (s.startSchedule ?? undefined);
  if (start !== undefined) schedule.startSchedule = start;
  if (s.duration !== undefined) schedule.duration = s.duration;
  const p: Profile = { id: s.id, stackLevel: s.stackLevel ?? 0, purpose: s.purpose, kind, schedules: [schedule] };
  if (s.recurrencyKind) p.recurrencyKind = s.recurrencyKind;
  if (s.validFrom) p.validFrom = s.validFrom;
  if (s.validTo) p.validTo = s.validTo;
  if (s.transactionId !== undefined) p.transactionId = s.transactionId;
  return p;
}

export function installed(evseId: number, p: Profile, source: Installed['source'] = 'CSO'): Installed {
  return { evseId, source, profile: p, raw: { id: p.id } };
}

export function tx(evseId: number, transactionId: string, startedAtOffset = -600): Transaction {
  return { evseId, transactionId, startedAt: at(startedAtOffset) };
}

/** Compact rendering of a result as "limit@from" steps, e.g. "8@0 10@50"; null → "-". */
export function steps(r: CompositeResult): string {
  return r.intervals.map((i) => `${i.limit === null ? '-' : +i.limit.toFixed(6)}@${i.from}`).join(' ');
}

/** Install or fail the test with the rejection message. */
export function mustInstall(store: ProfileStore, evseId: number, p: Profile, txs: Transaction[] = []): void {
  const o = store.install(evseId, p, { id: p.id }, txs);
  if (o.status !== 'Accepted') throw new Error(`install of ${p.id} rejected: ${o.rule} ${o.message}`);
}

export function newStore(version: ModelVersion, over: Partial<DeviceLimits> = {}): ProfileStore {
  return new ProfileStore(version, limits(over));
}
