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
export function variable21(a: Advertised21, name: string, instance: string | undefined): string | undefined {
  if (name === 'SupportsFeature') return instance !== undefined && (FEATURES as readonly string[]).includes(instance) ? String(a.features.has(instance)) : undefined;
  if (name === 'SupportedAdditionalPurposes') return a.purposes.join(',');
  return undefined;
}
