/**
 * What the reference station advertises of the 2.1 SmartChargingCtrlr additions (issue #16, rules §9.2):
 * `SupportsFeature[<feature>]` and `SupportedAdditionalPurposes` (variable names as in EVerest libocpp
 * lib/ocpp/v21/ctrlr_component_variables.cpp). By default every feature and purpose; quirk
 * `no-21-features` advertises none (a 2.1 station without them: the 2.1-only cases skip with the reason).
 * What it advertises it also takes: the store's limits follow (install-rules check21Features).
 */
import type { DeviceLimits, Purpose } from '../smartcharging';

const FEATURES = ['DynamicProfiles', 'UseLocalTime', 'RandomizedDelay', 'LimitAtSoC', 'EvseSleep'] as const;
const PURPOSES: readonly Purpose[] = ['PriorityCharging', 'LocalGeneration'];

export interface Advertised21 {
  features: ReadonlySet<string>;
  purposes: readonly Purpose[];
}

export function advertised21(quirks: ReadonlySet<string>): Advertised21 {
  if (quirks.has('no-21-features')) return { features: new Set(), purposes: [] };
  return { features: new Set(FEATURES), purposes: PURPOSES };
}

/** The store limits that match what is advertised. */
export function limits21(a: Advertised21): Pick<DeviceLimits, 'additionalPurposes' | 'dynamicProfiles'> {
  return { additionalPurposes: a.purposes, dynamicProfiles: a.features.has('DynamicProfiles') };
}

/** SmartChargingCtrlr 2.1 variables (Actual); undefined = unknown variable. MaxExternalConstraintsId is left unknown. */
export function variable21(a: Advertised21, name: string, instance: string | undefined, quirks: ReadonlySet<string> = new Set()): string | undefined {
  // Quirk 'variables-21-loose': the same values spelled loosely ("1" / "True", spaced and cased purposes).
  const loose = quirks.has('variables-21-loose');
  if (name === 'SupportsFeature') {
    if (instance === undefined || !(FEATURES as readonly string[]).includes(instance)) return undefined;
    const on = a.features.has(instance);
    return loose ? (instance === 'DynamicProfiles' ? (on ? '1' : '0') : on ? 'True' : 'False') : String(on);
  }
  if (name === 'SupportedAdditionalPurposes') return purposesValue(a.purposes, quirks);
  return undefined;
}

/** SupportedAdditionalPurposes as a MemberList; quirk 'variables-21-loose' spaces and re-cases the names. */
function purposesValue(purposes: readonly string[], quirks: ReadonlySet<string>): string {
  if (!quirks.has('variables-21-loose')) return purposes.join(',');
  return purposes.map((p, i) => (i % 2 ? p.toUpperCase() : ` ${p[0]!.toLowerCase()}${p.slice(1)} `)).join(',');
}
