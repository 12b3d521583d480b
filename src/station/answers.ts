/**
 * Station-side answers shared by the two Charging Stations of the project: the built-in reference
 * station (src/reference/station.ts, which also injects faults for the mutation self-test) and the
 * harness playing a station against a CSMS (src/station/role.ts). Pure functions over the SmartCharging
 * model and wire payloads; no connection handling beyond sending prepared report frames in order.
 * Faults stay in the reference station: these functions return what it needs to apply them.
 */
import type { Payload } from '../ocppj/messages';
import { CallErrorReply } from '../ocppj/errors';
import type { RpcSession } from '../transport';
import {
  compositeRequestProblem,
  compositeSchedule,
  fromEpochSeconds,
  profileFrom16,
  profileFrom201,
  reportPages,
  toPeriods,
  type CompositeContext,
  type DeviceLimits,
  type InstallOutcome,
  type Installed,
  type ModelVersion,
  type Profile,
  type ProfileStore,
  type RateUnit,
  type Transaction,
} from '../smartcharging';

// --- SetChargingProfile -----------------------------------------------------------------------------

/** A wire charging profile as the model's Profile; a malformed one is a CALLERROR. */
export function parseProfile(version: ModelVersion, wire: Payload): Profile {
  try {
    return version === '1.6' ? profileFrom16(wire) : profileFrom201(wire, version);
  } catch (e) {
    // errata 3.38: invalid values in a profile are a PropertyConstraintViolation.
    throw new CallErrorReply('PropertyConstraintViolation', (e as Error).message);
  }
}

/** Target and wire profile of a SetChargingProfile request (1.6 connectorId/csChargingProfiles, 2.0.1 evseId/chargingProfile). */
export function setChargingProfileRequest(version: ModelVersion, p: Payload): { evseId: number; wire: Payload } {
  return version === '1.6'
    ? { evseId: p.connectorId as number, wire: p.csChargingProfiles as Payload }
    : { evseId: p.evseId as number, wire: p.chargingProfile as Payload };
}

/** SetChargingProfile response for an install outcome; 2.0.1 explains a rejection in statusInfo. */
export function setChargingProfilePayload(version: ModelVersion, outcome: InstallOutcome): Payload {
  if (outcome.status === 'Accepted' || version === '1.6') return { status: outcome.status };
  return { status: outcome.status, statusInfo: { reasonCode: outcome.reasonCode, additionalInfo: outcome.message.slice(0, 512) } };
}

/**
 * Parse and install the profile of a SetChargingProfile request, as a conforming station does. The
 * parsed profile comes back with the outcome, so that a caller may still install it by force.
 */
export function answerSetChargingProfile(
  version: ModelVersion,
  store: ProfileStore,
  evseId: number,
  wire: Payload,
  transactions: readonly Transaction[],
): { payload: Payload; outcome: InstallOutcome; profile: Profile } {
  const profile = parseProfile(version, wire);
  const outcome = store.install(evseId, profile, wire, transactions);
  return { payload: setChargingProfilePayload(version, outcome), outcome, profile };
}

// --- GetCompositeSchedule ---------------------------------------------------------------------------

/**
 * GetCompositeSchedule response over `ctx`, for the window starting at `nowS` (epoch seconds).
 * `computeStart` computes the schedule for another instant while still reporting `nowS` as its start.
 */
export function answerCompositeSchedule(ctx: CompositeContext, request: Payload, nowS: number, opts: { computeStart?: number } = {}): Payload {
  const v16 = ctx.version === '1.6';
  const evseId = (v16 ? request.connectorId : request.evseId) as number;
  const req = { evseId, duration: request.duration as number, unit: request.chargingRateUnit as RateUnit | undefined, start: nowS };
  // K08.FR.05/.07: unknown EVSE or unsupported unit → Rejected, without a schedule.
  if (compositeRequestProblem(req, ctx)) return { status: 'Rejected' };
  const result = compositeSchedule(opts.computeStart === undefined ? req : { ...req, start: opts.computeStart }, ctx);
  const periods = toPeriods(result);
  const scheduleStart = fromEpochSeconds(nowS);
  if (v16) {
    // errata 3.57: the composite carries no chargingSchedule.startSchedule; scheduleStart has the time.
    return {
      status: 'Accepted',
      connectorId: evseId,
      scheduleStart,
      chargingSchedule: { duration: result.duration, chargingRateUnit: result.unit, chargingSchedulePeriod: periods },
    };
  }
  return { status: 'Accepted', schedule: { evseId, duration: result.duration, scheduleStart, chargingRateUnit: result.unit, chargingSchedulePeriod: periods } };
}

// --- GetChargingProfiles → ReportChargingProfiles ----------------------------------------------------

/** A RequestStart-created profile is reported with the transactionId it was bound to (rules §6.2). */
function reportedProfile(raw: Payload, selected: readonly Installed[]): Payload {
  const inst = selected.find((s) => s.raw === raw || s.profile.id === raw.id);
  if (inst?.profile.transactionId !== undefined && raw.transactionId === undefined) return { ...raw, transactionId: inst.profile.transactionId };
  return raw;
}

/** The ReportChargingProfiles requests reporting `selected`, `pageSize` profiles a frame. */
export function reportFrames(selected: readonly Installed[], pageSize: number, requestId: number): Payload[] {
  return reportPages(selected, pageSize).map((page, i, all) => ({
    requestId,
    chargingLimitSource: page.chargingLimitSource,
    evseId: page.evseId,
    chargingProfile: page.chargingProfile.map((raw) => reportedProfile(raw, selected)),
    // tbc on all but the last frame; the last omits it (default false).
    ...(i < all.length - 1 ? { tbc: true } : {}),
  }));
}

/**
 * Send the reports one at a time, each after the CSMS answered the previous one (rules §1.2); stop at
 * the first that fails (closed connection, CALLERROR, timeout), telling `log` why.
 */
export async function sendReportsSequentially(session: Pick<RpcSession, 'call'>, frames: readonly Payload[], log?: (line: string) => void): Promise<void> {
  return sendSequentially(session, 'ReportChargingProfiles', frames, (e) => log?.(`ReportChargingProfiles failed: ${(e as Error).message}`));
}

/**
 * `action` requests one at a time, each after the previous was answered (Part 4 §4.1.1: one CALL in flight);
 * stops at the first failure and hands it to `onFailure` with the frame's index.
 */
export async function sendSequentially(session: Pick<RpcSession, 'call'>, action: string, frames: readonly Payload[], onFailure?: (e: unknown, index: number) => void): Promise<void> {
  for (const [i, f] of frames.entries()) {
    try {
      await session.call(action, f);
    } catch (e) {
      onFailure?.(e, i);
      return;
    }
  }
}

// --- 1.6 configuration --------------------------------------------------------------------------------

export interface ConfigurationKey {
  key: string;
  readonly: boolean;
  value: string;
}

/** The 1.6 configuration keys advertising the SmartCharging capabilities in `limits`, then `extra`. */
export function configurationKeys(limits: DeviceLimits, extra: readonly ConfigurationKey[] = []): ConfigurationKey[] {
  return [
    { key: 'SupportedFeatureProfiles', readonly: true, value: 'Core,SmartCharging,RemoteTrigger' },
    { key: 'NumberOfConnectors', readonly: true, value: String(limits.evses) },
    { key: 'ChargeProfileMaxStackLevel', readonly: true, value: String(limits.maxStackLevel) },
    { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: limits.rateUnits.map((u) => (u === 'A' ? 'Current' : 'Power')).join(',') },
    { key: 'ChargingScheduleMaxPeriods', readonly: true, value: String(limits.maxPeriods) },
    { key: 'MaxChargingProfilesInstalled', readonly: true, value: String(limits.maxProfiles) },
    ...extra,
  ];
}

/** GetConfiguration response: every key when none is asked for, else the known ones plus unknownKey. */
export function getConfigurationAnswer(keys: readonly ConfigurationKey[], wanted: readonly string[] | undefined): Payload {
  if (!wanted?.length) return { configurationKey: [...keys] };
  return {
    configurationKey: keys.filter((k) => wanted.includes(k.key)),
    unknownKey: wanted.filter((w) => !keys.some((k) => k.key === w)),
  };
}

// --- 2.0.1 device model -------------------------------------------------------------------------------

export const SMART_CHARGING_CTRLR = 'SmartChargingCtrlr';

/** Value of a SmartChargingCtrlr variable (rules §9.2), or undefined when the station does not have it. */
export function smartChargingVariable(limits: DeviceLimits, storeCount: number, name: string, instance?: string, attributeType = 'Actual'): string | undefined {
  if (name === 'Entries' && instance === 'ChargingProfiles') {
    if (attributeType === 'MaxSet') return String(limits.maxProfiles);
    return attributeType === 'Actual' ? String(storeCount) : undefined;
  }
  if (attributeType !== 'Actual') return undefined;
  switch (name) {
    case 'Available':
    case 'Enabled':
      return 'true';
    case 'ProfileStackLevel':
      return String(limits.maxStackLevel);
    case 'RateUnit':
      return limits.rateUnits.join(',');
    case 'PeriodsPerSchedule':
      return String(limits.maxPeriods);
    default:
      return undefined;
  }
}

/** Looks a variable up: its value, or undefined when the component or variable is unknown. */
export type VariableLookup = (component: string, name: string, instance: string | undefined, attributeType: string) => string | undefined;

/**
 * GetVariables response. With `attributeTypes: false` every variable is looked up and reported as
 * 'Actual', whatever attributeType the request names.
 */
export function getVariablesAnswer(request: Payload, lookup: VariableLookup, opts: { attributeTypes?: boolean } = {}): Payload {
  return {
    getVariableResult: (request.getVariableData as Payload[]).map((d) => {
      const component = d.component as Payload;
      const variable = d.variable as Payload;
      const type = opts.attributeTypes === false ? 'Actual' : ((d.attributeType as string | undefined) ?? 'Actual');
      const value = lookup(component.name as string, variable.name as string, variable.instance as string | undefined, type);
      if (value === undefined) return { attributeStatus: component.name === SMART_CHARGING_CTRLR ? 'UnknownVariable' : 'UnknownComponent', component, variable };
      return { attributeStatus: 'Accepted', attributeType: type, attributeValue: value, component, variable };
    }),
  };
}
