import type { Payload } from '../ocppj/messages';
import { CallErrorResponse, CallTimeoutError } from '../ocppj/errors';
import { askInParts, type PartsOutcome } from './discovery-parts';
import { deviceFailureOf } from './verdict';
import type { RpcSession } from '../transport';
import type { DeviceCapabilities, RateUnit } from './config';

export interface DiscoveryResult {
  /** Raw values the device reported, by key. */
  reported: Record<string, string | undefined>;
  /** Capabilities refined by what the device reported. */
  effective: DeviceCapabilities;
  /** Declared ≠ discovered, one line each (reported as WARN, rules §9.3). */
  mismatches: string[];
  /** Keys the device did not know or refused. */
  unknown: string[];
  smartChargingAvailable: boolean | undefined;
  /** Capability field → the device key/variable whose value was taken (issue #12 item 7). */
  taken: Record<string, string>;
  /**
   * 1.6 keys §9.4 (SmartCharging) / §9.1 (Core) requires that the device did not report while SmartCharging
   * is supported: one FAIL in SC-X-01. 2.0.1: SmartChargingCtrlr variables not reported (WARN, rules §9.2).
   */
  missing: { key: string; rule: string; required: boolean }[];
  /** What asking in parts revealed (a request too long for the device, results left out), for SC-X-01. */
  findings: { level: 'warn' | 'fail'; message: string; rule: string }[];
  /** Device errors of discovery requests after the first answer (not answered, invalid): judged in SC-X-01. */
  failures: { error: unknown; step: string }[];
}

// 2.1 (issue #16): the 2.0.1 variables plus what 2.1 adds to SmartChargingCtrlr (rules §9.2; names as in
// EVerest libocpp lib/ocpp/v21/ctrlr_component_variables.cpp): SupportsFeature[<feature>] booleans and the
// SupportedAdditionalPurposes member list. The flags are what the 2.1-only cases read.
export const FEATURES_21: Record<string, string> = {
  dynamicProfiles: 'DynamicProfiles',
  useLocalTime: 'UseLocalTime',
  randomizedDelay: 'RandomizedDelay',
  limitAtSoC: 'LimitAtSoC',
  evseSleep: 'EvseSleep',
};
export const PURPOSES_21 = ['PriorityCharging', 'LocalGeneration'] as const;

const ASKED_201: Record<string, string> = {
  'features.smartCharging': 'SmartChargingCtrlr.Available',
  maxStackLevel: 'SmartChargingCtrlr.ProfileStackLevel',
  rateUnits: 'SmartChargingCtrlr.RateUnit',
  periodsPerSchedule: 'SmartChargingCtrlr.PeriodsPerSchedule',
  // The capacity is the maxLimit characteristic of Entries[ChargingProfiles] (rules §9.2), which
  // GetVariables cannot read: never discovered, so declared or not reported.
  maxProfiles: 'SmartChargingCtrlr.Entries[ChargingProfiles].maxLimit',
};

/** What discovery asks for, per version: capability field → device key / variable. */
export const ASKED: Record<'1.6' | '2.0.1' | '2.1', Record<string, string>> = {
  '1.6': {
    'features.smartCharging': 'SupportedFeatureProfiles',
    evses: 'NumberOfConnectors',
    maxStackLevel: 'ChargeProfileMaxStackLevel',
    rateUnits: 'ChargingScheduleAllowedChargingRateUnit',
    periodsPerSchedule: 'ChargingScheduleMaxPeriods',
    maxProfiles: 'MaxChargingProfilesInstalled',
  },
  '2.0.1': ASKED_201,
  '2.1': {
    ...ASKED_201,
    ...Object.fromEntries(Object.entries(FEATURES_21).map(([f, inst]) => [`features.${f}`, `SmartChargingCtrlr.SupportsFeature[${inst}]`])),
    ...Object.fromEntries(PURPOSES_21.map((p) => [`features.purpose:${p}`, 'SmartChargingCtrlr.SupportedAdditionalPurposes'])),
  },
};

/** A variable of SmartChargingCtrlr discovery asks for. */
type Var = { name: string; instance?: string };

/** The 2.1 variables asked in a second GetVariables, so a station that refuses them keeps its 2.0.1 answers. */
const VARS_21: Var[] = [
  ...Object.values(FEATURES_21).map((instance) => ({ name: 'SupportsFeature', instance })),
  { name: 'SupportedAdditionalPurposes' },
  // Read and kept in the raw discovered values only: no case uses it yet.
  { name: 'MaxExternalConstraintsId' },
];

/** The key a variable is reported under: `name`, or `name[instance]` for the 2.1 SupportsFeature flags. */
const keyOf = (v: Payload | Var) => (v.name === 'SupportsFeature' ? `SupportsFeature[${v.instance as string}]` : (v.name as string));

/** 1.6 §9.4: the SmartCharging keys a station supporting SmartCharging must have (§9.1 Core for the rest). */
const REQUIRED_16: Record<string, string> = {
  SupportedFeatureProfiles: '1.6 §9.1',
  NumberOfConnectors: '1.6 §9.1',
  ChargeProfileMaxStackLevel: '1.6 §9.4',
  ChargingScheduleAllowedChargingRateUnit: '1.6 §9.4',
  ChargingScheduleMaxPeriods: '1.6 §9.4',
  MaxChargingProfilesInstalled: '1.6 §9.4',
};

const KEYS_16 = [
  'SupportedFeatureProfiles',
  'NumberOfConnectors',
  'ChargeProfileMaxStackLevel',
  'ChargingScheduleAllowedChargingRateUnit',
  'ChargingScheduleMaxPeriods',
  'MaxChargingProfilesInstalled',
];

const VARS_201: Var[] = ['Available', 'Enabled', 'Entries', 'ProfileStackLevel', 'RateUnit', 'PeriodsPerSchedule'].map((name) => (name === 'Entries' ? { name, instance: 'ChargingProfiles' } : { name }));

/**
 * What asking in parts says about the device. A CALLERROR to the first, long request is allowed (2.x
 * B06.FR.16: a request over DeviceDataCtrlr.ItemsPerMessage[GetVariables] MAY be refused; 1.6 §9.1
 * GetConfigurationMaxKeys bounds the keys per request): a WARN naming it, never a FAIL. Results left out:
 * 2.x breaks B06.FR.01 (one GetVariableResult per GetVariableData), a FAIL; 1.6 does not say what a station
 * does with more keys than GetConfigurationMaxKeys, a WARN. Requests of the split not answered or answered
 * invalidly are device failures (OCPP-J CALL/CALLRESULT, schema), judged in SC-X-01.
 */
function judgeSplit<A>(o: PartsOutcome<A>, action: 'GetVariables' | 'GetConfiguration', n: number, version: string, findings: DiscoveryResult['findings'], failures: DiscoveryResult['failures']): void {
  const v16 = version === '1.6';
  const what = v16 ? 'keys' : 'variables';
  const limit = v16 ? 'GetConfigurationMaxKeys' : 'DeviceDataCtrlr.ItemsPerMessage[GetVariables]';
  for (const { error, key } of o.errors) failures.push({ error, step: `capability discovery: ${action} of ${key} alone` });
  if (!o.split) return;
  const lost = o.lost.size ? `; still no answer for ${[...o.lost].map(([k, why]) => `${k} (${why})`).join(', ')}` : '';
  const used = `asked again one per request and those answers used${lost}`;
  if ('callError' in o.split) {
    const code = o.split.callError.errorCode;
    findings.push({
      level: 'warn',
      rule: v16 ? '1.6 §9.1 GetConfigurationMaxKeys' : 'B06.FR.16',
      message: `${action} of ${n} ${what} was answered with CALLERROR ${code}: the device's ${limit} is presumably below ${n} (${v16 ? '1.6 §9.1' : 'B06.FR.16'} lets it refuse a longer request); ${used}`,
    });
    // A one-variable request answered without its result breaks B06.FR.01 as much as the long one would.
    const leftOut = [...o.lost].filter(([, why]) => why === 'left out of the answer').map(([k]) => k);
    if (!v16 && leftOut.length) findings.push({ level: 'fail', rule: 'B06.FR.01', message: `${action} of ${leftOut.join(', ')} alone was answered without a GetVariableResult for it (B06.FR.01: one result per GetVariableData)` });
  } else if (v16) {
    findings.push({ level: 'warn', rule: '1.6 §9.1 GetConfigurationMaxKeys', message: `${action} of ${n} ${what}: the answer left out ${o.split.leftOut.join(', ')} (neither configurationKey nor unknownKey; 1.6 does not say what a station does with more keys than its ${limit}); ${used}` });
  } else {
    findings.push({ level: 'fail', rule: 'B06.FR.01', message: `${action} of ${n} ${what} was answered without a GetVariableResult for ${o.split.leftOut.join(', ')} (B06.FR.01: one result per GetVariableData); ${used}` });
  }
}

/** 2.1: SupportsFeature[...] and SupportedAdditionalPurposes → features.* (what the device says wins; a difference is reported). */
function features21(reported: DiscoveryResult['reported'], declared: DeviceCapabilities, effective: DeviceCapabilities, taken: Record<string, string>, mismatches: string[]): void {
  const flags: Record<string, boolean> = {};
  for (const [feature, instance] of Object.entries(FEATURES_21)) {
    const v = bool(reported[`SupportsFeature[${instance}]`]);
    if (v !== undefined) flags[feature] = v;
  }
  // A MemberList is comma-separated; a station's spacing or casing of the enum names is not a reason to
  // believe it lacks a purpose it names (the flags only select cases, they judge nothing).
  const purposes = reported.SupportedAdditionalPurposes === undefined ? undefined : (list(reported.SupportedAdditionalPurposes) ?? []).map((p) => p.toLowerCase());
  if (purposes) for (const p of PURPOSES_21) flags[`purpose:${p}`] = purposes.includes(p.toLowerCase());
  for (const [feature, value] of Object.entries(flags)) {
    const field = `features.${feature}`;
    const was = declared.features[feature];
    if (was !== undefined && was !== value) mismatches.push(`${field}: declared ${was}, device reports ${value} (${ASKED['2.1'][field]})`);
    effective.features[feature] = value;
    taken[field] = ASKED['2.1'][field]!;
  }
}

// OCPP 2.x booleans are "true" / "false"; "True" and "1" / "0" are read alike (a device model spelling a
// flag differently still advertises it: skipping its cases as "not advertised" would misstate it).
const bool = (s: string | undefined) => (s === undefined ? undefined : /^\s*(true|1)\s*$/i.test(s) ? true : /^\s*(false|0)\s*$/i.test(s) ? false : undefined);
const int = (s: string | undefined) => (s !== undefined && /^\s*\d+\s*$/.test(s) ? Number(s) : undefined);
const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/**
 * Ask the station what it can tell about SmartCharging (rules §9): 1.6 GetConfiguration of the
 * SmartCharging keys, 2.0.1 GetVariables of SmartChargingCtrlr. Declared values stay where the device
 * is silent; where it speaks, its answer wins and a difference is reported. A request the device refuses
 * as too long is asked again in parts (askInParts); what was received is kept whatever a later request
 * comes to, and a later request not answered (or answered invalidly) is returned in `failures` to be judged.
 */
export async function discoverCapabilities(session: RpcSession, declared: DeviceCapabilities, timeoutMs: number): Promise<DiscoveryResult> {
  const reported: Record<string, string | undefined> = {};
  const unknown: string[] = [];
  const findings: DiscoveryResult['findings'] = [];
  const failures: DiscoveryResult['failures'] = [];
  const keep = (lost: ReadonlyMap<string, string>) => unknown.push(...[...lost].map(([k, why]) => `${k} (${why})`));
  if (session.version === '1.6') {
    const o = await askInParts(KEYS_16, async (keys) => {
      const res = await session.call<{ configurationKey?: { key: string; value?: string }[]; unknownKey?: string[] }>('GetConfiguration', { key: keys }, { timeoutMs });
      return new Map<string, { value?: string } | null>([...(res.unknownKey ?? []).map((k) => [k, null] as const), ...(res.configurationKey ?? []).map((k) => [k.key, { value: k.value }] as const)]);
    });
    for (const [k, a] of o.answers) (a ? (reported[k] = a.value) : unknown.push(k));
    keep(o.lost);
    judgeSplit(o, 'GetConfiguration', KEYS_16.length, '1.6', findings, failures);
  } else {
    const askVars = (vars: readonly Var[]) => async (keys: readonly string[]) => {
      const res = await session.call<{ getVariableResult: Payload[] }>(
        'GetVariables',
        { getVariableData: keys.map((k) => ({ component: { name: 'SmartChargingCtrlr' }, variable: vars.find((v) => keyOf(v) === k)! })) },
        { timeoutMs },
      );
      return new Map(res.getVariableResult.map((r) => [keyOf(r.variable as Payload), r]));
    };
    const record = (o: PartsOutcome<Payload>) => {
      for (const [name, r] of o.answers) {
        if (r.attributeStatus === 'Accepted') reported[name] = r.attributeValue as string | undefined;
        else unknown.push(`${name} (${r.attributeStatus as string})`);
      }
      keep(o.lost);
    };
    const o201 = await askInParts(VARS_201.map(keyOf), askVars(VARS_201));
    record(o201);
    judgeSplit(o201, 'GetVariables', VARS_201.length, session.version, findings, failures);
    if (session.version === '2.1') {
      const keys21 = VARS_21.map(keyOf);
      if (failures.some((f) => f.error instanceof CallTimeoutError)) {
        // A request not answered already: asking more would cost a timeout each; the declared profile stands in.
        unknown.push(...keys21.map((k) => `${k} (not asked after a request not answered)`));
      } else {
        // Unknown 2.1 variables are not an error (the declared profile stands in), nor is a CALLERROR to the
        // request whatever its size (a 2.0.1-minded device model): they are all unknown then. A request not
        // answered or answered invalidly is the device's failure (OCPP-J CALL/CALLRESULT), judged in SC-X-01;
        // the 2.0.1 answers already received are kept either way.
        try {
          const o21 = await askInParts(keys21, askVars(VARS_21));
          record(o21);
          judgeSplit(o21, 'GetVariables', VARS_21.length, '2.1', findings, failures);
        } catch (e) {
          if (e instanceof CallErrorResponse) unknown.push(...keys21.map((k) => `${k} (CALLERROR ${e.errorCode})`));
          else if (deviceFailureOf(e)) {
            failures.push({ error: e, step: `capability discovery: GetVariables of SmartChargingCtrlr ${keys21.join(', ')}` });
            unknown.push(...keys21.map((k) => `${k} (${e instanceof CallTimeoutError ? 'not answered' : 'invalid answer'})`));
          } else throw e;
        }
      }
    }
  }
  const effective: DeviceCapabilities = { ...declared, features: { ...declared.features } };
  const mismatches: string[] = [];
  const taken: Record<string, string> = {};
  const take = <K extends keyof DeviceCapabilities>(key: K, value: DeviceCapabilities[K] | undefined, source: string) => {
    if (value === undefined) return;
    taken[key] = source.includes('.') || session.version === '1.6' ? source : `SmartChargingCtrlr.${source}`;
    if (JSON.stringify(value) !== JSON.stringify(declared[key])) {
      mismatches.push(`${String(key)}: declared ${JSON.stringify(declared[key])}, device reports ${JSON.stringify(value)} (${source})`);
    }
    effective[key] = value;
  };
  let available: boolean | undefined;
  if (session.version === '1.6') {
    const profiles = list(reported.SupportedFeatureProfiles);
    available = profiles ? profiles.includes('SmartCharging') : undefined;
    take('evses', int(reported.NumberOfConnectors), 'NumberOfConnectors');
    take('maxStackLevel', int(reported.ChargeProfileMaxStackLevel), 'ChargeProfileMaxStackLevel');
    const units = list(reported.ChargingScheduleAllowedChargingRateUnit)?.map((u) => (u === 'Current' ? 'A' : u === 'Power' ? 'W' : u)) as RateUnit[] | undefined;
    take('rateUnits', units?.filter((u) => u === 'A' || u === 'W'), 'ChargingScheduleAllowedChargingRateUnit');
    take('periodsPerSchedule', int(reported.ChargingScheduleMaxPeriods), 'ChargingScheduleMaxPeriods');
    take('maxProfiles', int(reported.MaxChargingProfilesInstalled), 'MaxChargingProfilesInstalled');
  } else {
    available = reported.Available === undefined ? undefined : (bool(reported.Available) ?? false);
    take('maxStackLevel', int(reported.ProfileStackLevel), 'SmartChargingCtrlr.ProfileStackLevel');
    take('rateUnits', list(reported.RateUnit)?.filter((u): u is RateUnit => u === 'A' || u === 'W'), 'SmartChargingCtrlr.RateUnit');
    take('periodsPerSchedule', int(reported.PeriodsPerSchedule), 'SmartChargingCtrlr.PeriodsPerSchedule');
    if (session.version === '2.1') features21(reported, declared, effective, taken, mismatches);
  }
  if (available !== undefined && declared.features.smartCharging !== undefined && available !== declared.features.smartCharging) {
    mismatches.push(`features.smartCharging: declared ${declared.features.smartCharging}, device reports ${available}`);
  }
  if (available !== undefined) {
    effective.features.smartCharging = available;
    taken['features.smartCharging'] = ASKED[session.version === '1.6' ? '1.6' : '2.0.1']['features.smartCharging']!;
  }
  // A key answered without a value (VCP: GetVariables Accepted, no attributeValue) is not reported either.
  const missing: DiscoveryResult['missing'] = [];
  if (available !== false && (available === true || declared.features.smartCharging)) {
    if (session.version === '1.6') {
      for (const [key, rule] of Object.entries(REQUIRED_16)) if (reported[key] === undefined) missing.push({ key, rule, required: true });
    } else {
      for (const name of ['ProfileStackLevel', 'RateUnit', 'PeriodsPerSchedule']) {
        if (reported[name] === undefined) missing.push({ key: `SmartChargingCtrlr.${name}`, rule: 'rules §9.2', required: false });
      }
    }
  }
  return { reported, effective, mismatches, unknown, smartChargingAvailable: available, taken, missing, findings, failures };
}
