import type { Payload } from '../ocppj/messages';
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

/** What discovery asks for, per version: capability field → device key / variable. */
export const ASKED: Record<'1.6' | '2.0.1', Record<string, string>> = {
  '1.6': {
    'features.smartCharging': 'SupportedFeatureProfiles',
    evses: 'NumberOfConnectors',
    maxStackLevel: 'ChargeProfileMaxStackLevel',
    rateUnits: 'ChargingScheduleAllowedChargingRateUnit',
    periodsPerSchedule: 'ChargingScheduleMaxPeriods',
    maxProfiles: 'MaxChargingProfilesInstalled',
  },
  '2.0.1': {
    'features.smartCharging': 'SmartChargingCtrlr.Available',
    maxStackLevel: 'SmartChargingCtrlr.ProfileStackLevel',
    rateUnits: 'SmartChargingCtrlr.RateUnit',
    periodsPerSchedule: 'SmartChargingCtrlr.PeriodsPerSchedule',
    // The capacity is the maxLimit characteristic of Entries[ChargingProfiles] (rules §9.2), which
    // GetVariables cannot read: never discovered, so declared or not reported.
    maxProfiles: 'SmartChargingCtrlr.Entries[ChargingProfiles].maxLimit',
  },
};

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
    for (const r of res.getVariableResult) {
      const name = (r.variable as Payload).name as string;
      if (r.attributeStatus === 'Accepted') reported[name] = r.attributeValue as string | undefined;
      else unknown.push(`${name} (${r.attributeStatus as string})`);
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
    available = reported.Available === undefined ? undefined : reported.Available.toLowerCase() === 'true';
    take('maxStackLevel', int(reported.ProfileStackLevel), 'SmartChargingCtrlr.ProfileStackLevel');
    take('rateUnits', list(reported.RateUnit)?.filter((u): u is RateUnit => u === 'A' || u === 'W'), 'SmartChargingCtrlr.RateUnit');
    take('periodsPerSchedule', int(reported.PeriodsPerSchedule), 'SmartChargingCtrlr.PeriodsPerSchedule');
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
