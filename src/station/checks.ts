/**
 * What the harness, playing a Charging Station, checks in every SmartCharging request a CSMS sends
 * (issue #6; catalogue SC-CSMS-01/02/04/05/08; rules §3 MUST-CSMS rows, §6.1 K09.FR.03, §7.2 K10.FR.02,
 * §8). Schema validation happens in the session; these are the semantic rules the schemas do not carry.
 * Pure functions: the caller supplies what the station advertised, its running transactions and the
 * profiles it holds (tracked over the session, for K01.FR.06/.39).
 */
import {
  atMostOneDecimal,
  conflicts201,
  LIMIT_OPTIONAL_MODES,
  profileFrom16,
  profileFrom201,
  type DeviceLimits,
  type Installed,
  type Profile,
  type Transaction,
} from '../smartcharging';
import type { EndedTransaction } from './ended';
import { check21Request, checkProfile21, NO_LIMIT_RULE, type ForgottenProfile } from './v21';

export type StationVersion = '1.6' | '2.0.1' | '2.1';

export interface Finding {
  severity: 'fail' | 'warn';
  rule: string;
  message: string;
  /** JSON pointer into the request payload. */
  pointer?: string;
  actual?: unknown;
}

export interface CheckContext {
  version: StationVersion;
  limits: DeviceLimits;
  transactions: readonly Transaction[];
  installed: readonly Installed[];
  /** Transactions the station ended and when the CSMS was told (issue #13: findings against a finished transaction). */
  ended?: readonly EndedTransaction[];
  /** 2.1: profiles the station dropped without the CSMS asking (UpdateDynamicSchedule for one is not judged). */
  forgotten?: ReadonlyMap<number, ForgottenProfile>;
}

type Payload = Record<string, unknown>;

export { atMostOneDecimal };

/** Findings for one CSMS request. Actions outside SmartCharging (and remote start) give none. */
export function checkCsmsRequest(action: string, p: Payload, ctx: CheckContext): Finding[] {
  const v16 = ctx.version === '1.6';
  switch (action) {
    case 'SetChargingProfile': {
      const evseId = (v16 ? p.connectorId : p.evseId) as number;
      const key = v16 ? 'csChargingProfiles' : 'chargingProfile';
      return checkProfile(p[key] as Payload, evseId, ctx, { base: `/${key}`, remoteStart: false });
    }
    case 'RemoteStartTransaction':
    case 'RequestStartTransaction': {
      const out: Finding[] = [];
      if (!v16 && p.remoteStartId === undefined) out.push(fail('K05 RequestStartTransaction', 'remoteStartId missing', '/remoteStartId'));
      if (p.chargingProfile) {
        const evseId = ((v16 ? p.connectorId : p.evseId) as number | undefined) ?? 1;
        out.push(...checkProfile(p.chargingProfile as Payload, evseId, ctx, { base: '/chargingProfile', remoteStart: true }));
      }
      return out;
    }
    case 'ClearChargingProfile':
      return v16 ? [] : checkClear201(p);
    case 'GetChargingProfiles':
      return v16 ? [] : checkGetProfiles(p, ctx);
    case 'GetCompositeSchedule':
      return checkComposite(p, ctx);
    case 'UpdateDynamicSchedule':
    case 'UsePriorityCharging':
      return ctx.version === '2.1' ? check21Request(action, p, ctx) : [];
    default:
      return [];
  }
}

const fail = (rule: string, message: string, pointer?: string, actual?: unknown): Finding => ({ severity: 'fail', rule, message, pointer, ...(actual !== undefined ? { actual } : {}) });
const warn = (rule: string, message: string, pointer?: string, actual?: unknown): Finding => ({ severity: 'warn', rule, message, pointer, ...(actual !== undefined ? { actual } : {}) });

/** The profile rules of SC-CSMS-01 (and SC-CSMS-02 conflicts, SC-CSMS-08 remote start). */
export function checkProfile(wire: Payload, evseId: number, ctx: CheckContext, opts: { base: string; remoteStart: boolean }): Finding[] {
  const v16 = ctx.version === '1.6';
  const { base } = opts;
  const out: Finding[] = [];
  // 2.1 (issue #16): limit by operationMode, six decimals, advertised purposes/kinds/modes.
  if (ctx.version === '2.1') out.push(...checkProfile21(wire, ctx.limits, base, LIMIT_OPTIONAL_MODES));
  let profile: Profile;
  try {
    profile = v16 ? profileFrom16(wire) : profileFrom201(wire, ctx.version as '2.0.1' | '2.1');
  } catch (e) {
    // 2.1: a period lacking a limit cannot be read by the model; checkProfile21 judged it (FAIL, or WARN under
    // Idle / CentralFrequency), and its findings are the whole verdict.
    if (out.some((f) => f.rule.startsWith(NO_LIMIT_RULE))) return out;
    return [fail(v16 ? '1.6 §7.13' : 'K01', `charging profile cannot be read: ${(e as Error).message}`, base)];
  }
  const R = (r16: string, r201: string) => (v16 ? r16 : r201);
  const lim = ctx.limits;
  const isMax = profile.purpose === 'ChargingStationMaxProfile';

  // Placement (rules §3: Max/External only on 0, Tx only on > 0) and the advertised EVSE range.
  if (!Number.isInteger(evseId) || evseId < 0 || evseId > lim.evses) {
    out.push(fail(R('1.6 §9.4 NumberOfConnectors', 'K01.FR.28'), `${v16 ? 'connectorId' : 'evseId'} ${evseId} is outside the advertised 0..${lim.evses}`, v16 ? '/connectorId' : '/evseId', evseId));
  }
  if ((isMax || profile.purpose === 'ChargingStationExternalConstraints') && evseId !== 0) {
    out.push(fail(R('1.6 §3.13.1', 'K04.FR.03'), `${wire.chargingProfilePurpose} on ${v16 ? 'connector' : 'EVSE'} ${evseId}; only 0 is allowed`, v16 ? '/connectorId' : '/evseId', evseId));
  }
  if (!v16 && profile.purpose === 'ChargingStationExternalConstraints') {
    out.push(fail('K01.FR.22', 'ChargingStationExternalConstraints cannot be set by the CSMS', `${base}/chargingProfilePurpose`));
  }
  // K01.FR.38: the station-max purpose is never Relative.
  if (isMax && profile.kind === 'Relative') {
    out.push(fail(R('K01.FR.38 (1.6: Max not Relative, catalogue SC-CSMS-01)', 'K01.FR.38'), `${wire.chargingProfilePurpose} with chargingProfileKind Relative`, `${base}/chargingProfileKind`, 'Relative'));
  }
  // Recurring needs recurrencyKind; recurrencyKind only with Recurring.
  if (profile.kind === 'Recurring' && profile.recurrencyKind === undefined) {
    out.push(fail(R('1.6 errata 3.56', 'ChargingProfile.recurrencyKind'), 'Recurring profile without recurrencyKind', `${base}/recurrencyKind`));
  }
  if (profile.kind !== 'Recurring' && profile.recurrencyKind !== undefined) {
    out.push(warn(R('1.6 errata 3.56', 'ChargingProfile.recurrencyKind'), `recurrencyKind on a ${profile.kind} profile`, `${base}/recurrencyKind`));
  }
  // Transactions (K01.FR.03, 1.6 §3.13.1 MUST-CSMS and TC_057_CSMS; remote start: errata 3.41, K05).
  if (profile.purpose === 'TxProfile') {
    if (evseId === 0) out.push(fail(R('1.6 §3.13.1', 'K01.FR.16'), `TxProfile on ${v16 ? 'connector' : 'EVSE'} 0`, v16 ? '/connectorId' : '/evseId', 0));
    if (opts.remoteStart) {
      if (profile.transactionId !== undefined) {
        out.push(fail(R('1.6 errata 3.41', 'K05.FR.03'), 'remote-start TxProfile carries a transactionId', `${base}/transactionId`, wire.transactionId));
      }
    } else if (profile.transactionId === undefined) {
      out.push(fail(R('1.6 §3.13.1 / TC_057_CSMS', 'K01.FR.03'), 'TxProfile without transactionId (the CSMS SHALL include the transaction it targets)', `${base}/transactionId`));
    } else {
      const tx = ctx.transactions.find((t) => t.evseId === evseId);
      const ended = tx ? undefined : endedBeforeTold(ctx, profile.transactionId);
      if (ended) {
        // Sent while our Ended was on its way or unanswered: the CSMS may not have known (issue #13 point 3).
        out.push(warn(R('1.6 §3.13.1 / TC_057_CSMS', 'K01.FR.03'), `TxProfile for transaction ${profile.transactionId}, which the station ended ${Date.now() - ended.sentAt} ms ago; it arrived before the CSMS answered that end, so it may have been sent before the CSMS knew (not judged)`, `${base}/transactionId`, wire.transactionId));
      } else if (!tx || tx.transactionId !== profile.transactionId) {
        out.push(
          fail(
            R('1.6 §3.13.1 / TC_057_CSMS', 'K01.FR.03'),
            `TxProfile transactionId ${String(wire.transactionId)} is not the active transaction on ${v16 ? 'connector' : 'EVSE'} ${evseId}${tx ? ` (${tx.transactionId})` : ' (none running)'}${toldAbout(ctx, profile.transactionId)}`,
            `${base}/transactionId`,
            wire.transactionId,
          ),
        );
      }
    }
  } else if (opts.remoteStart) {
    out.push(fail(R('1.6 §5.11', 'K05.FR.02'), `remote-start profile has purpose ${String(wire.chargingProfilePurpose)}, not TxProfile`, `${base}/chargingProfilePurpose`));
  }
  // Advertised bounds: stack level.
  if (profile.stackLevel < 0 || profile.stackLevel > lim.maxStackLevel) {
    out.push(fail(R('1.6 §9.4 ChargeProfileMaxStackLevel', 'SmartChargingCtrlr.ProfileStackLevel'), `stackLevel ${profile.stackLevel} outside the advertised 0..${lim.maxStackLevel}`, `${base}/stackLevel`, profile.stackLevel));
  }
  const schedules = (v16 ? [wire.chargingSchedule] : (wire.chargingSchedule as Payload[])) as Payload[];
  profile.schedules.forEach((s, si) => {
    const sp = v16 ? `${base}/chargingSchedule` : `${base}/chargingSchedule/${si}`;
    // startSchedule present / absent by kind (K01.FR.40/.41; 1.6 errata 3.56 and TC_057_CSMS).
    if (profile.kind === 'Relative' && s.startSchedule !== undefined) {
      out.push(fail(R('1.6 TC_057_CSMS', 'K01.FR.41'), 'Relative profile with startSchedule', `${sp}/startSchedule`));
    }
    if (profile.kind === 'Recurring' && s.startSchedule === undefined) {
      out.push(fail(R('1.6 errata 3.56', 'K01.FR.40'), 'Recurring profile without startSchedule', `${sp}/startSchedule`));
    }
    if (profile.kind === 'Absolute' && s.startSchedule === undefined) {
      // 1.6 §7.13 lets an Absolute schedule start "relative to start of charging"; OCTT still expects it.
      out.push(v16 ? warn('1.6 TC_057_CSMS', 'Absolute profile without startSchedule', `${sp}/startSchedule`) : fail('K01.FR.40', 'Absolute profile without startSchedule', `${sp}/startSchedule`));
    }
    // Periods: first startPeriod 0 (K01.FR.31; 1.6 §7.13) and increasing (K01.FR.35).
    const first = s.periods[0];
    if (first && first.startPeriod !== 0) {
      out.push(fail(R('1.6 §7.13', 'K01.FR.31'), `first startPeriod is ${first.startPeriod}, not 0`, `${sp}/chargingSchedulePeriod/0/startPeriod`, first.startPeriod));
    }
    for (let i = 1; i < s.periods.length; i++) {
      if (s.periods[i]!.startPeriod <= s.periods[i - 1]!.startPeriod) {
        out.push(fail(R('1.6 §7.13', 'K01.FR.35'), `startPeriod ${s.periods[i]!.startPeriod} at index ${i} does not exceed ${s.periods[i - 1]!.startPeriod}`, `${sp}/chargingSchedulePeriod/${i}/startPeriod`));
        break;
      }
    }
    if (s.periods.length > lim.maxPeriods) {
      out.push(fail(R('1.6 §9.4 ChargingScheduleMaxPeriods', 'SmartChargingCtrlr.PeriodsPerSchedule'), `${s.periods.length} periods, more than the advertised ${lim.maxPeriods}`, `${sp}/chargingSchedulePeriod`));
    }
    if (!lim.rateUnits.includes(s.chargingRateUnit)) {
      out.push(fail(R('1.6 §9.4 ChargingScheduleAllowedChargingRateUnit', 'K01.FR.26'), `chargingRateUnit ${s.chargingRateUnit} is not among the advertised ${lim.rateUnits.join(',')}`, `${sp}/chargingRateUnit`, s.chargingRateUnit));
    }
    s.periods.forEach((period, i) => {
      const pp = `${sp}/chargingSchedulePeriod/${i}`;
      // Part 6 §3.1: "The CSMS SHALL NOT set phaseToUse … when numberPhases is other than 1" (K01.FR.19).
      if (period.phaseToUse !== undefined && period.numberPhases !== 1) out.push(fail('K01.FR.19', 'phaseToUse without numberPhases 1', `${pp}/phaseToUse`));
      if (period.numberPhases !== undefined && (period.numberPhases < 1 || period.numberPhases > 3)) {
        out.push(fail(R('1.6 §7.14', 'K01.FR.45'), `numberPhases ${period.numberPhases} outside 1..3`, `${pp}/numberPhases`));
      }
      // Rules §8: at most one decimal; 1.6 is enforced by the schema's multipleOf, 2.0.1 is a MUST-CSMS rule
      // (2.1 drops it: six decimals, checkProfile21).
      if (ctx.version === '2.0.1' && !atMostOneDecimal(period.limit)) out.push(fail('rules §8 (2.0.1 ChargingSchedulePeriod.limit)', `limit ${period.limit} has more than one decimal`, `${pp}/limit`, period.limit));
      // 2.1 ChargingSchedulePeriodType.limit: "SHOULD be a non-negative value" (negative = legacy discharge limit).
      if (period.limit < 0) out.push(ctx.version === '2.1' ? warn('2.1 ChargingSchedulePeriodType.limit (SHOULD be non-negative)', `negative limit ${period.limit}`, `${pp}/limit`, period.limit) : fail(R('1.6 §7.14', 'K01'), `negative limit ${period.limit}`, `${pp}/limit`, period.limit));
    });
    const min = (schedules[si] as Payload | undefined)?.minChargingRate;
    if (ctx.version === '2.0.1' && typeof min === 'number' && !atMostOneDecimal(min)) {
      out.push(fail('rules §8 (2.0.1 ChargingSchedule.minChargingRate)', `minChargingRate ${min} has more than one decimal`, `${sp}/minChargingRate`, min));
    }
  });
  // K01.FR.06 / .39: no other id with the same stackLevel/purpose/EVSE and overlapping validity
  // (TxProfile: same stackLevel and transactionId), over what the station holds this session.
  if (!v16 && !opts.remoteStart) {
    for (const c of conflicts201(ctx.installed, evseId, profile)) {
      const tx = profile.purpose === 'TxProfile';
      out.push(
        fail(
          tx ? 'K01.FR.39' : 'K01.FR.06',
          tx
            ? `TxProfile id ${profile.id} has stackLevel ${profile.stackLevel} and transactionId ${profile.transactionId} like installed profile id ${c.profile.id}`
            : `${profile.purpose} id ${profile.id} has stackLevel ${profile.stackLevel} on EVSE ${evseId} like installed profile id ${c.profile.id} with an overlapping validity`,
          `${base}/id`,
          profile.id,
        ),
      );
    }
  }
  return out;
}

function lastEnd(ctx: CheckContext, transactionId: string): EndedTransaction | undefined {
  return [...(ctx.ended ?? [])].reverse().find((x) => x.transaction.transactionId === transactionId);
}

/** The end of `transactionId` if the station has sent it but the CSMS has not answered it yet. */
function endedBeforeTold(ctx: CheckContext, transactionId: string): EndedTransaction | undefined {
  const e = lastEnd(ctx, transactionId);
  return e && e.toldAt === undefined ? e : undefined;
}

function toldAbout(ctx: CheckContext, transactionId: string): string {
  const e = lastEnd(ctx, transactionId);
  return e?.toldAt !== undefined ? `; the CSMS had answered the end of that transaction ${Date.now() - e.toldAt} ms before sending this` : '';
}

/** K10.FR.02: an id or at least one of stackLevel, evseId, chargingProfilePurpose; never ExternalConstraints. */
function checkClear201(p: Payload): Finding[] {
  const c = (p.chargingProfileCriteria ?? {}) as Payload;
  const out: Finding[] = [];
  if (p.chargingProfileId === undefined && c.stackLevel === undefined && c.evseId === undefined && c.chargingProfilePurpose === undefined) {
    out.push(fail('K10.FR.02', 'ClearChargingProfile names neither a chargingProfileId nor any of stackLevel, evseId, chargingProfilePurpose', '/chargingProfileCriteria'));
  }
  if (c.chargingProfilePurpose === 'ChargingStationExternalConstraints') {
    out.push(fail('K10.FR.02 / catalogue SC-CSMS-04', 'ClearChargingProfile for ChargingStationExternalConstraints (not clearable by the CSMS)', '/chargingProfileCriteria/chargingProfilePurpose'));
  }
  return out;
}

/** K09.FR.03: a list of ids, or one or more of stackLevel, chargingLimitSource, chargingProfilePurpose. */
function checkGetProfiles(p: Payload, ctx: CheckContext): Finding[] {
  const c = (p.chargingProfile ?? {}) as Payload;
  const out: Finding[] = [];
  const ids = c.chargingProfileId as number[] | undefined;
  const other = c.stackLevel !== undefined || c.chargingLimitSource !== undefined || c.chargingProfilePurpose !== undefined;
  if (!ids?.length && !other) {
    out.push(fail('K09.FR.03', 'GetChargingProfiles criterion names neither chargingProfileId nor any of stackLevel, chargingLimitSource, chargingProfilePurpose', '/chargingProfile'));
  }
  if (ids && ids.length > ctx.limits.maxProfiles) {
    out.push(fail('K09 (ChargingProfileEntries.maxLimit)', `${ids.length} chargingProfileIds, more than the advertised ${ctx.limits.maxProfiles}`, '/chargingProfile/chargingProfileId'));
  }
  if (typeof p.evseId === 'number' && p.evseId > ctx.limits.evses) out.push(warn('K09.FR.04', `evseId ${p.evseId} is outside the advertised 0..${ctx.limits.evses}`, '/evseId', p.evseId));
  return out;
}

function checkComposite(p: Payload, ctx: CheckContext): Finding[] {
  const v16 = ctx.version === '1.6';
  const evse = (v16 ? p.connectorId : p.evseId) as number;
  const out: Finding[] = [];
  if (evse > ctx.limits.evses) out.push(warn(v16 ? '1.6 §5.7' : 'K08.FR.05', `${v16 ? 'connectorId' : 'evseId'} ${evse} is outside the advertised 0..${ctx.limits.evses}`, v16 ? '/connectorId' : '/evseId', evse));
  const unit = p.chargingRateUnit as 'A' | 'W' | undefined;
  if (unit && !ctx.limits.rateUnits.includes(unit)) out.push(warn(v16 ? '1.6 §9.4' : 'K08.FR.07', `chargingRateUnit ${unit} is not among the advertised ${ctx.limits.rateUnits.join(',')}`, '/chargingRateUnit', unit));
  if (typeof p.duration === 'number' && p.duration <= 0) out.push(warn(v16 ? '1.6 §6.33' : 'K08', `duration ${p.duration} is not positive`, '/duration', p.duration));
  return out;
}
