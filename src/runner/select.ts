import type { CaseDefinition, Requirements, SuiteDefinition } from '../scenario/types';
import { requirementsOf } from '../scenario/types';
import type { DeviceCapabilities, RunConfig } from './config';

export interface SelectedCase {
  suite: SuiteDefinition;
  def: CaseDefinition;
  /** The version this run tests the case in. */
  ocpp: RunConfig['ocpp'];
}

/** Cases of the suites for this version and side, filtered by --grep over id, title, OCTT id, requirement ids and tags. */
export function selectCases(suites: readonly SuiteDefinition[], config: Pick<RunConfig, 'ocpp' | 'as' | 'grep'>): SelectedCase[] {
  const re = config.grep ? new RegExp(config.grep, 'i') : undefined;
  const out: SelectedCase[] = [];
  const seen = new Set<string>();
  for (const suite of suites) {
    for (const def of suite.cases) {
      if (!def.ocpp.includes(config.ocpp) || def.as !== config.as) continue;
      const hay = [def.id, def.title, def.octtId ?? '', ...requirementsOf(def, config.ocpp), ...(def.tags ?? [])].join('\n');
      if (re && !re.test(hay)) continue;
      if (seen.has(def.id)) throw new Error(`duplicate case id ${def.id} in suite ${suite.name}`);
      seen.add(def.id);
      out.push({ suite, def, ocpp: config.ocpp });
    }
  }
  return out;
}

/** Tags of opt-in slow work (issue #13 item 7): a whole case, or a case with a step that waits for the peer's own timeout. */
export const SLOW_TAG = 'slow';
export const SLOW_STEP_TAG = 'slow-step';

/**
 * Why a slow case is not run (it waits for something the peer decides the timing of, e.g. its own call
 * timeout): skipped with this reason unless `includeSlow` (--include-slow). Cases with only a slow step
 * run; the step itself is skipped (suites/csms/steps.ts).
 */
export function slowReason(def: Pick<CaseDefinition, 'tags'>, config: Pick<RunConfig, 'includeSlow'>): string | undefined {
  return def.tags?.includes(SLOW_TAG) && !config.includeSlow ? 'slow: run with --include-slow' : undefined;
}

/** The --list marker of a case's slow tags, e.g. " (slow)" or " (slow step)". */
export function slowMarker(def: Pick<CaseDefinition, 'tags'>): string {
  if (def.tags?.includes(SLOW_TAG)) return ' (slow)';
  return def.tags?.includes(SLOW_STEP_TAG) ? ' (slow step)' : '';
}

/** Why a case does not apply to this device, or undefined when it does. */
export function notApplicable(def: CaseDefinition, caps: DeviceCapabilities, ocpp: RunConfig['ocpp'], builtin: boolean): string | undefined {
  const n: Requirements = def.needs ?? {};
  if (n.builtin && !builtin) return 'needs the built-in reference peer (drives it through its test hooks)';
  if (n.evses !== undefined && caps.evses < n.evses) return `needs at least ${n.evses} EVSEs/connectors; device has ${caps.evses}`;
  for (const u of n.rateUnits ?? []) if (!caps.rateUnits.includes(u)) return `needs rate unit ${u}; device supports ${caps.rateUnits.join(', ')}`;
  if (n.maxStackLevel !== undefined && caps.maxStackLevel < n.maxStackLevel) return `needs stack level ${n.maxStackLevel}; device allows ${caps.maxStackLevel}`;
  if (n.maxProfiles !== undefined && caps.maxProfiles < n.maxProfiles) return `needs room for ${n.maxProfiles} profiles; device allows ${caps.maxProfiles}`;
  if (n.periodsPerSchedule !== undefined && caps.periodsPerSchedule < n.periodsPerSchedule) {
    return `needs ${n.periodsPerSchedule} periods per schedule; device allows ${caps.periodsPerSchedule}`;
  }
  for (const f of n.features ?? []) if (!caps.features[f]) return `needs feature "${f}" (not enabled in the device profile)`;
  return def.applies?.(caps, ocpp);
}
