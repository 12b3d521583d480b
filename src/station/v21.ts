/**
 * What the harness, playing an OCPP 2.1 Charging Station, adds to its 2.0.1 behaviour (issue #16):
 * - advertises Dynamic profiles, the 2.1 purposes (PriorityCharging, LocalGeneration) and operationModes
 *   (SmartChargingCtrlr.SupportsFeature[DynamicProfiles], SupportedAdditionalPurposes; rules §9), unless
 *   the device profile declares a feature false (`device.features`);
 * - answers UpdateDynamicSchedule and UsePriorityCharging as a conforming station;
 * - checks those two CSMS requests (the field definitions of the OCA 2.1 schemas, schemas/ocpp2.1).
 * Pure functions over the model's installed profiles and the station's transactions.
 */
import { OPERATION_MODES, PURPOSES_21_ONLY, type DeviceLimits, type Installed, type OperationMode, type Purpose, type Transaction } from '../smartcharging';
import type { Finding } from './checks';
import type { EndedTransaction } from './ended';

type Payload = Record<string, unknown>;

/** CSMS-initiated 2.1 SmartCharging CALLs the harness station answers (beyond the 2.0.1 set). */
export const V21_ACTIONS: readonly string[] = ['UpdateDynamicSchedule', 'UsePriorityCharging'];

/** An UpdateDynamicSchedule the station accepted. */
export interface DynamicUpdate {
  chargingProfileId: number;
  scheduleUpdate: Payload;
  at: number;
}

/**
 * 2.1 capabilities of the harness station from the device profile's features: `dynamicProfiles`,
 * `purpose:<Purpose>`, `operationMode:<Mode>`. Absent means supported (the harness station is a full 2.1
 * station unless told otherwise), so every 2.1-only case has something to drive.
 */
export function advertised21(features: Record<string, boolean>): Pick<DeviceLimits, 'dynamicProfiles' | 'additionalPurposes' | 'operationModes'> {
  return {
    dynamicProfiles: features.dynamicProfiles !== false,
    additionalPurposes: PURPOSES_21_ONLY.filter((p) => features[`purpose:${p}`] !== false),
    operationModes: OPERATION_MODES.filter((m) => m === 'ChargingOnly' || features[`operationMode:${m}`] !== false),
  };
}

/** 2.1 SmartChargingCtrlr variables (rules §9: SupportsFeature[…], SupportedAdditionalPurposes); undefined for the rest. */
export function smartChargingVariable21(limits: DeviceLimits, name: string, instance: string | undefined, attributeType: string): string | undefined {
  if (attributeType !== 'Actual') return undefined;
  if (name === 'SupportedAdditionalPurposes') return (limits.additionalPurposes ?? []).join(',');
  if (name === 'SupportsFeature' && instance === 'DynamicProfiles') return String(limits.dynamicProfiles === true);
  return undefined;
}

/**
 * A profile the station dropped without the CSMS asking: at the harness's reset between cases (no message
 * tells the CSMS) or with its transaction (K02.FR.05; `transactionId` set, the CSMS learns it from Ended).
 */
export interface ForgottenProfile {
  transactionId?: string;
}

export interface Station21State {
  installed: readonly Installed[];
  transactions: readonly Transaction[];
  updates: DynamicUpdate[];
}

const dynamicProfile = (installed: readonly Installed[], id: unknown) => installed.find((i) => i.profile.id === id && i.profile.kind === 'Dynamic');

/** The answer of a conforming 2.1 station to UpdateDynamicSchedule / UsePriorityCharging. */
export function answer21(action: string, p: Payload, s: Station21State): Payload {
  if (action === 'UpdateDynamicSchedule') {
    // UpdateDynamicScheduleRequest.chargingProfileId: "Id of dynamic charging profile to update".
    if (!dynamicProfile(s.installed, p.chargingProfileId)) {
      return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownProfile', additionalInfo: `no Dynamic profile with id ${String(p.chargingProfileId)} is installed` } };
    }
    s.updates.push({ chargingProfileId: p.chargingProfileId as number, scheduleUpdate: p.scheduleUpdate as Payload, at: Date.now() });
    return { status: 'Accepted' };
  }
  // UsePriorityCharging: NoProfile when the station holds no PriorityCharging profile (PriorityChargingStatusEnumType).
  const tx = s.transactions.find((t) => t.transactionId === p.transactionId);
  if (!tx) return { status: 'Rejected', statusInfo: { reasonCode: 'TxNotFound', additionalInfo: `no transaction ${String(p.transactionId)} is running` } };
  const priority = s.installed.some((i) => i.profile.purpose === 'PriorityCharging' && (i.evseId === 0 || i.evseId === tx.evseId));
  return { status: priority ? 'Accepted' : 'NoProfile' };
}

const fail = (rule: string, message: string, pointer?: string, actual?: unknown): Finding => ({ severity: 'fail', rule, message, pointer, ...(actual !== undefined ? { actual } : {}) });
const warn = (rule: string, message: string, pointer?: string, actual?: unknown): Finding => ({ severity: 'warn', rule, message, pointer, ...(actual !== undefined ? { actual } : {}) });

/** Rules of the 2.1 CSMS requests the 2.0.1 checks do not know. */
export function check21Request(
  action: string,
  p: Payload,
  ctx: { installed: readonly Installed[]; transactions: readonly Transaction[]; limits: DeviceLimits; ended?: readonly EndedTransaction[]; forgotten?: ReadonlyMap<number, ForgottenProfile> },
): Finding[] {
  if (action === 'UpdateDynamicSchedule') {
    // The schema text is "Id of charging profile to update." (not "dynamic"): an id the station never held
    // names nothing to update (FAIL); a profile that is not Dynamic is for the station to reject, with no
    // text found forbidding the CSMS to send it (WARN).
    const rule = '2.1 UpdateDynamicScheduleRequest.chargingProfileId ("Id of charging profile to update")';
    const id = p.chargingProfileId;
    const held = ctx.installed.find((i) => i.profile.id === id);
    if (!held) {
      const gone = ctx.forgotten?.get(id as number);
      if (gone) {
        const ended = gone.transactionId === undefined ? undefined : [...(ctx.ended ?? [])].reverse().find((e) => e.transaction.transactionId === gone.transactionId);
        // Dropped by the harness between cases without a message to the CSMS: the CSMS cannot know.
        if (gone.transactionId === undefined) return [warn(rule, `chargingProfileId ${String(id)} names a profile the harness station forgot between cases without telling the CSMS (not judged)`, '/chargingProfileId', id)];
        // A TxProfile goes with its transaction (K02.FR.05): only a CSMS that knew of the end is at fault.
        if (ended && ended.toldAt === undefined) return [warn(rule, `chargingProfileId ${String(id)} names the TxProfile of transaction ${gone.transactionId}, which the station ended ${Date.now() - ended.sentAt} ms ago; the CSMS had not answered that end yet (not judged)`, '/chargingProfileId', id)];
      }
      return [fail(rule, `chargingProfileId ${String(id)} names no profile the station holds${gone?.transactionId ? ` (the TxProfile of transaction ${gone.transactionId}, ended and answered by the CSMS: K02.FR.05)` : ''}`, '/chargingProfileId', id)];
    }
    const out = checkDecimals21(p.scheduleUpdate as Payload | undefined, '/scheduleUpdate');
    if (held.profile.kind !== 'Dynamic') out.unshift(warn(rule, `chargingProfileId ${String(id)} names a ${held.profile.kind} profile, not a Dynamic one; the station rejects it, no text found forbidding the CSMS to send it (not judged)`, '/chargingProfileId', id));
    return out;
  }
  if (action === 'UsePriorityCharging') {
    const rule = '2.1 UsePriorityChargingRequest.transactionId ("The transaction for which priority charging is requested")';
    if (!ctx.transactions.some((t) => t.transactionId === p.transactionId)) {
      // Frames cross (issue #13 point 3): sent before the CSMS had answered the transaction's end → not judged.
      const ended = [...(ctx.ended ?? [])].reverse().find((e) => e.transaction.transactionId === p.transactionId);
      if (ended && ended.toldAt === undefined) return [warn(rule, `transactionId ${String(p.transactionId)} was ended by the station ${Date.now() - ended.sentAt} ms ago and the CSMS had not answered that end yet (not judged)`, '/transactionId', p.transactionId)];
      return [fail(rule, `transactionId ${String(p.transactionId)} is not a transaction running on the station (${ctx.transactions.map((t) => t.transactionId).join(', ') || 'none'})`, '/transactionId', p.transactionId)];
    }
    if (p.activate === true && !(ctx.limits.additionalPurposes ?? []).includes('PriorityCharging')) {
      return [warn('2.1 SmartChargingCtrlr.SupportedAdditionalPurposes', 'priority charging requested from a station that does not list PriorityCharging in SupportedAdditionalPurposes (no normative text found: not judged)', '/activate')];
    }
  }
  return [];
}

/** Part 2 §2.1.4 (2.1): numbers sent towards the Charging Station have at most six decimal places. */
export const DECIMALS_RULE_21 = '2.1 Part 2 §2.1.4 (at most six decimal places towards the station)';

/**
 * Numbers with more than six decimals anywhere in `o` (nested objects and arrays included: §2.1.4 is about
 * every decimal sent towards the station, e.g. v2xFreqWattCurve points, limitAtSoC, a sales tariff).
 */
export function checkDecimals21(o: unknown, base: string): Finding[] {
  if (typeof o === 'number') return sixDecimals(o) ? [] : [fail(DECIMALS_RULE_21, `${base.split('/').pop()} ${o} has more than six decimal places (${o.toFixed(6).replace(/\.?0+$/, '')} to six)`, base, o)];
  if (Array.isArray(o)) return o.flatMap((v, i) => checkDecimals21(v, `${base}/${i}`));
  // customData is vendor data, not an OCPP decimal field.
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => (k === 'customData' ? [] : checkDecimals21(v, `${base}/${k}`)));
  return [];
}

/**
 * Decimal places of the number the CSMS sent. JSON numbers arrive parsed; String() gives the shortest text
 * that reads back as the same double, which is what a serializer writes for it: float noise such as
 * 0.1 + 0.2 = 0.30000000000000004 is 17 places on the wire, and §2.1.4 ("The decimal sent towards the
 * Charging Station SHALL NOT have more than six decimal places") is about what is sent, so it is a FAIL
 * (CitrineOS truncates at serialisation for this reason, citrineos-core PR #960). Trailing zeros
 * (8.1000000) do not count: the value has one decimal place.
 */
export function decimalPlaces(v: number): number {
  const [mantissa, exp] = String(v).toLowerCase().split('e');
  const frac = mantissa!.split('.')[1]?.length ?? 0;
  return Math.max(0, frac - Number(exp ?? 0));
}

function sixDecimals(v: number): boolean {
  return decimalPlaces(v) <= 6;
}

/**
 * operationModes the schema's "Optional only when not required by the operationMode, as in CentralSetpoint,
 * ExternalSetpoint, ExternalLimits, LocalFrequency, LocalLoadBalancing" does not list, but whose need of a
 * limit is doubtful: Idle (no power at all; libocpp's table of limits per mode allows none) and
 * CentralFrequency (setpoint-driven; libocpp: limit optional). "as in" reads as examples: WARN, not FAIL.
 */
const LIMIT_UNCLEAR_MODES: readonly OperationMode[] = ['Idle', 'CentralFrequency'];

/**
 * operationModes per purpose other than TxProfile / TxDefaultProfile (which allow all): the 2.1 Part 2 table
 * of operationModes per ChargingProfilePurpose as libocpp encodes it ("Table 95"); PriorityCharging only
 * ChargingOnly is K01.FR.71. One implementation's reading of a table not in the schemas: WARN.
 */
const MODES_BY_PURPOSE: Partial<Record<Purpose, readonly OperationMode[]>> = {
  PriorityCharging: ['ChargingOnly'],
  ChargingStationMaxProfile: ['ChargingOnly'],
  ChargingStationExternalConstraints: ['ChargingOnly', 'ExternalLimits', 'ExternalSetpoint'],
  LocalGeneration: ['ChargingOnly', 'ExternalLimits'],
};

/**
 * The 2.1-only parts of a profile a CSMS sends: `limit` present where the operationMode needs it (2.1
 * ChargingSchedulePeriodType.limit: "Optional only when not required by the operationMode, as in
 * CentralSetpoint, ExternalSetpoint, ExternalLimits, LocalFrequency, LocalLoadBalancing"), and purpose,
 * kind and operationModes the station advertised (no normative "SHALL NOT" found for the CSMS: WARN).
 */
/** The rule both "period without limit" findings of checkProfile21 cite (FAIL, or WARN under Idle / CentralFrequency). */
export const NO_LIMIT_RULE = '2.1 ChargingSchedulePeriodType.limit';

export function checkProfile21(wire: Payload, limits: DeviceLimits, base: string, limitOptional: readonly OperationMode[]): Finding[] {
  const out: Finding[] = [];
  const purpose = wire.chargingProfilePurpose as Purpose;
  if (PURPOSES_21_ONLY.includes(purpose) && !(limits.additionalPurposes ?? []).includes(purpose)) {
    out.push(warn('2.1 SmartChargingCtrlr.SupportedAdditionalPurposes', `purpose ${purpose} is not among the advertised SupportedAdditionalPurposes (${(limits.additionalPurposes ?? []).join(',') || 'none'}); no normative text found: not judged`, `${base}/chargingProfilePurpose`));
  }
  if (wire.chargingProfileKind === 'Dynamic' && !limits.dynamicProfiles) {
    out.push(warn('2.1 SmartChargingCtrlr.SupportsFeature[DynamicProfiles]', 'a Dynamic profile for a station that does not advertise DynamicProfiles; no normative text found: not judged', `${base}/chargingProfileKind`));
  }
  const schedules = Array.isArray(wire.chargingSchedule) ? (wire.chargingSchedule as Payload[]) : [];
  schedules.forEach((s, si) => {
    const sp = `${base}/chargingSchedule/${si}`;
    const periods = Array.isArray(s.chargingSchedulePeriod) ? (s.chargingSchedulePeriod as Payload[]) : [];
    periods.forEach((period, i) => {
      const pp = `${sp}/chargingSchedulePeriod/${i}`;
      const mode = (period.operationMode as OperationMode | undefined) ?? 'ChargingOnly';
      if (period.limit === undefined && LIMIT_UNCLEAR_MODES.includes(mode) && !limitOptional.includes(mode)) {
        out.push(warn(`${NO_LIMIT_RULE} ("Optional only when not required by the operationMode, as in …")`, `period ${i} has no limit under operationMode ${mode}: the schema's list does not name ${mode}, the 2.1 table of limits per operationMode (as libocpp encodes it) does not require one (not judged)`, `${pp}/limit`));
      } else if (period.limit === undefined && !limitOptional.includes(mode)) {
        out.push(fail(`${NO_LIMIT_RULE} (optional only under CentralSetpoint, ExternalSetpoint, ExternalLimits, LocalFrequency, LocalLoadBalancing)`, `period ${i} has no limit under operationMode ${mode}, which requires one`, `${pp}/limit`));
      }
      const allowed = MODES_BY_PURPOSE[purpose];
      if (allowed && !allowed.includes(mode)) {
        out.push(warn('2.1 Part 2 operationMode per ChargingProfilePurpose (table as libocpp encodes it; K01.FR.71 for PriorityCharging)', `operationMode ${mode} in a ${purpose} profile, which allows ${allowed.join(', ')}; the station may reject it (not judged)`, `${pp}/operationMode`, mode));
      }
      if (mode !== 'ChargingOnly' && !(limits.operationModes ?? ['ChargingOnly']).includes(mode)) {
        out.push(warn('2.1 ChargingSchedulePeriodType.operationMode', `operationMode ${mode} is not among the modes the station advertised; no normative text found: not judged`, `${pp}/operationMode`, mode));
      }
    });
  });
  out.push(...checkDecimals21(wire, base));
  return out;
}
