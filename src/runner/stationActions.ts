/**
 * Station actions (issue #12 item 5/8): what an operator, an EV or a test bench does to the station under
 * test — plug in, unplug, present an idToken, reboot. Configured like the CSMS triggers
 * (`stationActions.<name>`: http / command / manual, same placeholders, see triggers.ts); an http action
 * whose URL has no placeholder follows the trigger convention `POST {base}/trigger/{identity}/{name}`.
 *
 * Without a configuration the action is not run (undefined): the case then relies on its `unmet` path
 * (ERROR naming the action to configure), never a failure. A configured action that fails is an ERROR
 * (StationActionFailed), never a FAIL: it says nothing about the station's conformance.
 */
import type { RunConfig, TriggerConfig } from './config';
import { ManualActionUnavailable } from './errors';
import { manualLimitMs, runTrigger, type TriggerOutcome, type TriggerRun, type TriggerVars } from './triggers';

export const STATION_ACTIONS = ['plugIn', 'unplug', 'presentIdToken', 'reboot'] as const;
export type StationActionName = (typeof STATION_ACTIONS)[number];

/** A configured station action could not be run or reported failure: ERROR, never FAIL. */
export class StationActionFailed extends ManualActionUnavailable {
  constructor(message: string) {
    super(message);
    this.name = 'StationActionFailed';
  }
}

export function stationActionFor(config: Pick<RunConfig, 'stationActions'>, name: StationActionName): TriggerConfig | undefined {
  return config.stationActions?.[name];
}

/** What to tell the user when a case needed an action that is not configured. */
export function noStationActionHint(name: StationActionName): string {
  return `configure stationActions.${name} (http / command / manual) in the config file so the harness can make the station ${DOING[name]}`;
}

const DOING: Record<StationActionName, string> = {
  plugIn: 'see an EV plugged in',
  unplug: 'see the EV unplugged',
  presentIdToken: 'see an idToken presented',
  reboot: 'reboot',
};

/** How long one station action may take: an operator gets the manual limit, a script the call timeout. */
export function stationActionTimeoutMs(config: Pick<RunConfig, 'stationActions' | 'timing'>, name: StationActionName): number {
  return stationActionFor(config, name)?.type === 'manual' ? manualLimitMs(config) : config.timing.callTimeoutMs;
}

function defaultPrompt(name: StationActionName, identity: string, vars: TriggerVars): string {
  const where = vars.evseId !== undefined ? ` at EVSE/connector ${vars.evseId}` : '';
  const token = vars.idToken !== undefined ? ` (${typeof vars.idToken === 'string' ? vars.idToken : JSON.stringify(vars.idToken)})` : '';
  const what: Record<StationActionName, string> = {
    plugIn: `plug an EV in${where} of station ${identity}`,
    unplug: `unplug the EV${where} of station ${identity}`,
    presentIdToken: `present the idToken${token}${where} to station ${identity}`,
    reboot: `reboot station ${identity} (power cycle); it must reconnect and boot again`,
  };
  return what[name];
}

/**
 * Run a station action; undefined when it is not configured. Rejects with StationActionFailed (or the
 * manual prompt's own error, e.g. the operator typed "skip").
 */
export async function runStationAction(
  config: Pick<RunConfig, 'stationActions' | 'timing'>,
  name: StationActionName,
  run: Omit<TriggerRun, 'action' | 'timeoutMs'> & { timeoutMs?: number },
): Promise<TriggerOutcome | undefined> {
  const cfg = stationActionFor(config, name);
  if (!cfg) return undefined;
  const effective: TriggerConfig = cfg.type === 'manual' && !cfg.prompt ? { ...cfg, prompt: defaultPrompt(name, run.identity, run.vars) } : cfg;
  try {
    return await runTrigger(effective, { ...run, action: name, timeoutMs: run.timeoutMs ?? stationActionTimeoutMs(config, name), statusRefusals: false });
  } catch (e) {
    if ((e as Error).name === 'TriggerFailed') throw new StationActionFailed(`station action ${(e as Error).message.replace(/^trigger /, '')}`);
    throw e;
  }
}
