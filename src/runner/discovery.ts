import type { Payload } from '../ocppj/messages';
import { CallErrorResponse } from '../ocppj/errors';
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

/** The 2.1 variables asked in a second GetVariables, so a station that refuses them keeps its 2.0.1 answers. */
const VARS_21: { name: string; instance?: string }[] = [
  ...Object.values(FEATURES_21).map((instance) => ({ name: 'SupportsFeature', instance })),
  { name: 'SupportedAdditionalPurposes' },
  // Read and kept in the raw discovered values only: no case uses it yet.
  { name: 'MaxExternalConstraintsId' },
];

/** The key a variable is reported under: `name`, or `name[instance]` for the 2.1 SupportsFeature flags. */
const keyOf = (v: Payload) => (v.name === 'SupportsFeature' ? `SupportsFeature[${v.instance as string}]` : (v.name as string));

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

const VARS_201 = ['Available', 'Enabled', 'Entries', 'ProfileStackLevel', 'RateUnit', 'PeriodsPerSchedule'];

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
 * is silent; where it speaks, its answer wins and a difference is reported.
 */
export async function discoverCapabilities(session: RpcSession, declared: DeviceCapabilities, timeoutMs: number): Promise<DiscoveryResult> {
  const reported: Record<string, string | undefined> = {};
  const unknown: string[] = [];
  if (session.version === '1.6') {
    const res = await session.call<{ configurationKey?: { key: string; value?: string }[]; unknownKey?: string[] }>('GetConfiguration', { key: KEYS_16 }, { timeoutMs });
    for (const k of res.configurationKey ?? []) reported[k.key] = k.value;
    unknown.push(...(res.unknownKey ?? []));
  } else {
    const res = await session.call<{ getVariableResult: Payload[] }>(
      'GetVariables',
      {
        getVariableData: VARS_201.map((name) => ({
          component: { name: 'SmartChargingCtrlr' },
          variable: name === 'Entries' ? { name, instance: 'ChargingProfiles' } : { name },
        })),
      },
      { timeoutMs },
    );
    const record = (results: Payload[]) => {
      for (const r of results) {
        const name = keyOf(r.variable as Payload);
        if (r.attributeStatus === 'Accepted') reported[name] = r.attributeValue as string | undefined;
        else unknown.push(`${name} (${r.attributeStatus as string})`);
      }
    };
    record(res.getVariableResult);
    if (session.version === '2.1') {
      // Unknown 2.1 variables are not an error (the declared profile stands in); a CALLERROR to the whole
      // request is not either (ItemsPerMessage, a 2.0.1-minded device model): they are all unknown then.
      try {
        const res21 = await session.call<{ getVariableResult: Payload[] }>('GetVariables', { getVariableData: VARS_21.map((variable) => ({ component: { name: 'SmartChargingCtrlr' }, variable })) }, { timeoutMs });
        record(res21.getVariableResult);
      } catch (e) {
        if (!(e instanceof CallErrorResponse)) throw e;
        unknown.push(...VARS_21.map((v) => `${keyOf(v)} (CALLERROR ${e.errorCode})`));
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
  return { reported, effective, mismatches, unknown, smartChargingAvailable: available, taken, missing };
}
