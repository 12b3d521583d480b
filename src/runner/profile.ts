/**
 * The effective device profile and where each value came from (issue #12 item 7, rules §9.3 "declared
 * PICS first, then discovery"): announced before the first case and carried by every report, so no
 * verdict rests on a silent default.
 */
import { ASKED } from './discovery';
import { DEFAULT_CONFIG, type DeviceCapabilities } from './config';

export type ProfileSource = 'discovered' | 'declared' | 'default' | 'not reported';

export interface ProfileEntry {
  /** Capability field, e.g. maxProfiles, features.reset. */
  field: string;
  value: unknown;
  source: ProfileSource;
  /** Device key / variable the value was (or would have been) read from. */
  key?: string;
  /** Why, when the value is not what the device said. */
  note?: string;
}

const FIELDS = ['evses', 'connectorsPerEvse', 'rateUnits', 'maxStackLevel', 'maxProfiles', 'periodsPerSchedule', 'nominalVoltage'] as const;

function valueOf(caps: DeviceCapabilities, field: string): unknown {
  if (field.startsWith('features.')) return caps.features[field.slice('features.'.length)];
  return (caps as unknown as Record<string, unknown>)[field];
}

/**
 * Build the profile. `taken`: fields whose value the device reported (field → key); undefined when
 * discovery did not run or failed (every asked field is then not reported). Fields asked and not
 * reported, and not declared, are listed in `unreported`: their value is only the harness default.
 */
export function effectiveProfile(opts: {
  version: string;
  caps: DeviceCapabilities;
  declared: readonly string[];
  taken: Record<string, string> | undefined;
  /** Values set by the harness itself, e.g. features.reset of the built-in station. */
  harness?: Record<string, string>;
}): { entries: ProfileEntry[]; unreported: string[] } {
  const asked = opts.version === '1.6' ? ASKED['1.6'] : opts.version === '2.1' ? ASKED['2.1'] : ASKED['2.0.1'];
  const declared = new Set(opts.declared);
  const features = [...new Set([...Object.keys(DEFAULT_CONFIG.device.features), ...Object.keys(opts.caps.features)])].map((f) => `features.${f}`);
  const entries: ProfileEntry[] = [];
  const unreported: string[] = [];
  for (const field of [...FIELDS, ...features]) {
    const value = valueOf(opts.caps, field);
    const key = asked[field];
    const taken = opts.taken?.[field];
    if (taken) entries.push({ field, value, source: 'discovered', key: taken });
    else if (opts.harness?.[field]) entries.push({ field, value, source: 'default', note: opts.harness[field] });
    else if (declared.has(field)) entries.push({ field, value, source: 'declared', ...(key ? { key, note: `the device did not report ${key}` } : {}) });
    else if (key && field !== 'features.smartCharging') {
      unreported.push(field);
      entries.push({ field, value, source: 'not reported', key, note: `the device did not report ${key}; ${JSON.stringify(value)} is only the harness default, checks against it are not judged` });
    } else entries.push({ field, value, source: 'default' });
  }
  return { entries, unreported };
}

/** One line per field, for the console and notices: `maxProfiles = 40 (not reported: …)`. */
export function profileLines(entries: readonly ProfileEntry[]): string[] {
  return entries.map((e) => {
    const from = e.source === 'discovered' ? `discovered from ${e.key}` : e.note ? `${e.source}: ${e.note}` : e.source;
    return `${e.field} = ${JSON.stringify(e.value)} (${from})`;
  });
}
