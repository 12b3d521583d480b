/**
 * Asking a device for several items in one request, and again in smaller ones when the device's per-request
 * limit is lower than the harness's request (issue J, session 5): 2.x GetVariables against
 * DeviceDataCtrlr.ItemsPerMessage[GetVariables] (B06.FR.16 lets the station answer an over-long request with a
 * CALLERROR), 1.6 GetConfiguration against GetConfigurationMaxKeys (1.6 §9.1: "maximum number of requested
 * configuration keys in a GetConfiguration.req PDU"; what a station does with more is not written down).
 */
import { CallErrorResponse, CallTimeoutError } from '../ocppj/errors';
import { deviceFailureOf } from './verdict';

/** One request for `keys`; resolves with what the device answered, by key (a key left out is absent). */
export type AskPart<A> = (keys: readonly string[]) => Promise<ReadonlyMap<string, A>>;

export interface PartsOutcome<A> {
  answers: Map<string, A>;
  /** Keys no request got an answer for: key → why (CALLERROR code, left out, not answered, not asked). */
  lost: Map<string, string>;
  /** What the first, whole request came to when it was asked again: 'callerror' or the keys it left out. */
  split?: { callError: CallErrorResponse } | { leftOut: string[] };
  /** Device failures of the requests asked one by one (not answered, invalid answer), with the key asked: to be judged. */
  errors: { error: unknown; key: string }[];
}

/**
 * Ask `keys` in one request. When the device refuses a request of several keys with a CALLERROR, or leaves
 * keys out of its answer, ask those again one per request (the simplest split that fits any limit ≥ 1) and
 * use those answers. A CALLERROR to a single-key request, or to every one-key request of a split, is the
 * device refusing the request itself: thrown as it came, as any error of the first request other than a
 * CALLERROR. After a request not answered the rest of the split is not asked (each would cost a timeout).
 */
export async function askInParts<A>(keys: readonly string[], ask: AskPart<A>): Promise<PartsOutcome<A>> {
  const answers = new Map<string, A>();
  const lost = new Map<string, string>();
  const errors: PartsOutcome<A>['errors'] = [];
  let again: string[];
  let split: PartsOutcome<A>['split'];
  try {
    for (const [k, a] of await ask(keys)) answers.set(k, a);
    again = keys.filter((k) => !answers.has(k));
    if (!again.length) return { answers, lost, errors };
    if (keys.length === 1) {
      lost.set(keys[0]!, 'left out of the answer');
      return { answers, lost, errors, split: { leftOut: again } };
    }
    split = { leftOut: again };
  } catch (e) {
    if (!(e instanceof CallErrorResponse) || keys.length === 1) throw e;
    again = [...keys];
    split = { callError: e };
  }
  for (let i = 0; i < again.length; i++) {
    const k = again[i]!;
    try {
      const a = (await ask([k])).get(k);
      if (a === undefined) lost.set(k, 'left out of the answer');
      else answers.set(k, a);
    } catch (e) {
      if (e instanceof CallErrorResponse) {
        lost.set(k, `CALLERROR ${e.errorCode}`);
        continue;
      }
      if (!deviceFailureOf(e)) throw e; // the connection closed, a harness error: not the device's answer
      errors.push({ error: e, key: k });
      lost.set(k, e instanceof CallTimeoutError ? 'not answered' : 'invalid answer');
      if (e instanceof CallTimeoutError) {
        for (const rest of again.slice(i + 1)) lost.set(rest, 'not asked after a request not answered');
        break;
      }
    }
  }
  if ('callError' in split && answers.size === 0 && [...lost.values()].every((why) => why.startsWith('CALLERROR'))) throw split.callError;
  return { answers, lost, errors, split };
}
