/**
 * Station actions as the suites use them (issue #12 item 5): after an Accepted remote start a real station
 * waits for an EV; `plugIn` (when configured) plugs one in. Not configured → false, and the caller's
 * `unmet` hint (PLUG_IN_HINT) names the setting, so the case ends ERROR (precondition), never FAIL.
 */
import type { CaseContext } from '../../src/scenario';
import { noStationActionHint } from '../../src/runner/stationActions';

export const PLUG_IN_HINT = `no transaction started: plug in an EV, or ${noStationActionHint('plugIn')}`;

/** Run `plugIn` for this EVSE/connector when configured; resolves whether it ran. */
export async function plugInIfConfigured(t: CaseContext, evseId: number, idToken?: unknown): Promise<boolean> {
  const outcome = await t.stationAction('plugIn', { evseId, ...(idToken !== undefined ? { idToken } : {}) });
  return outcome !== undefined;
}

/** Run `unplug` for this EVSE/connector when configured; resolves whether it ran. */
export async function unplugIfConfigured(t: CaseContext, evseId: number): Promise<boolean> {
  return (await t.stationAction('unplug', { evseId })) !== undefined;
}
