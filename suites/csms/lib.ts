/**
 * Helpers for the CSMS-under-test cases (harness as Charging Station, catalogue section D): trigger the
 * CSMS and wait for its CALL, profile payloads with stable ids, station-side transactions, and the
 * station-initiated CALLs with the MUST-CSMS answer checks.
 */
import { CallErrorResponse, CallTimeoutError } from '../../src/ocppj/errors';
import type { CaseContext, ExpectCallOptions, ReceivedCall } from '../../src/scenario';
import { harnessStationFor, type HarnessStation } from '../../src/station';
import { CallbackTimeout, passesPayload, runReadBack, triggerWaitMs, type TriggerOutcome } from '../../src/runner/triggers';
import { isDeepStrictEqual } from 'node:util';
import { SmartCharging, type ProfileSpec, type Purpose } from '../lib/smartcharging';

export type Payload = Record<string, unknown>;

/**
 * Versions of a CSMS-side case whose rule is the same in every version (issue #16: 2.1 keeps the 2.0.1
 * SmartCharging rules these cases check; the wire differences go through isV16 / the station role).
 */
export { ALL_VERSIONS, V2X } from '../lib/version';

export function station(t: CaseContext): HarnessStation {
  return harnessStationFor(t.config);
}

export const isV16 = (t: CaseContext): boolean => t.ocpp === '1.6';

/**
 * Stable profile id per (purpose, EVSE, stackLevel): a repeated limit change of the same kind is a
 * replacement by id, never a second profile that would conflict (K01.FR.06/.39).
 */
export function pid(purpose: Purpose, evseId: number, stackLevel: number): number {
  const code = { Max: 1, TxDefault: 2, Tx: 3, External: 4 }[purpose];
  return 7000 + code * 100 + evseId * 10 + stackLevel;
}

/** A wire ChargingProfile for the run's version (reuses the station-suite builder). */
export function profile(t: CaseContext, spec: Omit<ProfileSpec, 'id'> & { id?: number }, evseId: number): Payload {
  const id = spec.id ?? pid(spec.purpose, evseId, spec.stackLevel ?? 0);
  // 2.0.1 chargingSchedule.id: a fresh one each time, never a fixed 1 (issue #13 item 5).
  const scheduleId = spec.scheduleId ?? (isV16(t) ? undefined : station(t).nextScheduleId());
  return new SmartCharging(t).profile({ ...spec, id, scheduleId });
}

export function setPayload(t: CaseContext, evseId: number, p: Payload): Payload {
  return isV16(t) ? { connectorId: evseId, csChargingProfiles: p } : { evseId, chargingProfile: p };
}

export interface Requested {
  call: ReceivedCall;
  /**
   * The trigger's outcome (for the built-in CSMS: HTTP answer with the station's response). With an
   * asynchronous API (`callback` in the trigger config) `outcome.callback` resolves with the body the
   * CSMS posts back, e.g. the station's answer as the CSMS relays it (issue #13).
   */
  done: Promise<TriggerOutcome>;
  /**
   * The CALL got the answer the case asked for (`reply`, or the conforming station's when none was given).
   * false when only a CALL with altered identifying fields came (the fallback of request()): it was
   * answered as a conforming station, so a check of the CSMS's reaction to the case's answer would judge
   * the CSMS on an answer it never received — such checks are skipped (request() said so in a WARN).
   */
  replied: boolean;
}

/**
 * Whether a CALL is the one the harness asked for, by the fields that identify the command (issue #13 C):
 * a CSMS may send a request of the same action on its own meanwhile (CitrineOS re-reads the profiles with
 * its own GetChargingProfiles after every SetChargingProfile), which must not take the case's place.
 * undefined when the action has no such fields here (any CALL of the action is the one).
 */
export function askedCall(v16: boolean, action: string, asked: Payload): ((p: Payload) => boolean) | undefined {
  const same = (a: unknown, b: unknown) => isDeepStrictEqual(a ?? null, b ?? null);
  const target = (p: Payload) => (v16 ? p.connectorId : p.evseId);
  switch (action) {
    case 'GetChargingProfiles':
      // K09.FR.01: the requestId names the request; the reports carry it.
      return (p) => p.requestId === asked.requestId;
    case 'GetCompositeSchedule':
      return (p) => target(p) === target(asked) && p.duration === asked.duration;
    case 'SetChargingProfile': {
      const prof = (p: Payload) => ((v16 ? p.csChargingProfiles : p.chargingProfile) ?? {}) as Payload;
      return (p) => target(p) === target(asked) && prof(p).chargingProfilePurpose === prof(asked).chargingProfilePurpose && prof(p).stackLevel === prof(asked).stackLevel;
    }
    case 'ClearChargingProfile': {
      const id = v16 ? 'id' : 'chargingProfileId';
      if (asked[id] !== undefined) return (p) => same(p[id], asked[id]);
      if (v16) return (p) => p[id] === undefined && ['connectorId', 'chargingProfilePurpose', 'stackLevel'].every((k) => same(p[k], asked[k]));
      return (p) => p[id] === undefined && same(p.chargingProfileCriteria, asked.chargingProfileCriteria);
    }
    // 2.1 (issue #16): a CSMS may push its own UpdateDynamicSchedule for the same profile (its current
    // values) or send its own UsePriorityCharging; the asked one is the profile + the values asked (equal to
    // six decimals, Part 2 §2.1.4, so float noise is still this CALL and is judged by the station role).
    case 'UpdateDynamicSchedule':
      return (p) => p.chargingProfileId === asked.chargingProfileId && sameUpdate(p.scheduleUpdate, asked.scheduleUpdate);
    case 'UsePriorityCharging':
      return (p) => p.transactionId === asked.transactionId && p.activate === asked.activate;
    default:
      return undefined;
  }
}

/** Two ChargingScheduleUpdateType values with the same fields, numbers equal to six decimals. */
function sameUpdate(a: unknown, b: unknown): boolean {
  const x = (a ?? {}) as Payload;
  const y = (b ?? {}) as Payload;
  const keys = Object.keys(y).filter((k) => k !== 'customData');
  if (Object.keys(x).filter((k) => k !== 'customData').length !== keys.length) return false;
  return keys.every((k) => (typeof x[k] === 'number' && typeof y[k] === 'number' ? Math.abs((x[k] as number) - (y[k] as number)) < 5e-7 : isDeepStrictEqual(x[k], y[k])));
}

/**
 * Trigger the CSMS to send `action` (the payload is what the harness asks for: the default http body),
 * and wait for the CALL. It is answered by `reply` when given, else by the case's handle() override or
 * the conforming station (the model). The station role checks the request as it arrives.
 *
 * When the trigger hands the payload to the CSMS (`passesPayload`), the CALL must carry the asked
 * identifying fields (askedCall); other CALLs of the action are the CSMS's own, answered as a conforming
 * station, and do not end the wait. Only when none carries them within the wait is the first other CALL
 * after the trigger taken (noted), so a CSMS that alters what it was asked is still judged on it — except
 * GetChargingProfiles, whose requestId alone names the request (K09.FR.01).
 */
export async function request(
  t: CaseContext,
  action: string,
  payload: Payload,
  opts: { evseId?: number; reply?: ExpectCallOptions['reply']; timeoutMs?: number } = {},
): Promise<Requested> {
  // Only a CALL that arrives after this trigger counts: a duplicate of an earlier request is not the answer.
  let since = Infinity;
  const asked = passesPayload(t.config, action) ? askedCall(isV16(t), action, payload) : undefined;
  // A CALL that never comes after the trigger breaks no OCPP rule the harness can name (the CSMS's API may
  // have queued, refused or lost the command): the case cannot reach its subject (ERROR, issue #11).
  const expected = t.expectCall(action, {
    reply: opts.reply,
    match: (p) => since !== Infinity && (!asked || asked(p)),
    timeoutMs: opts.timeoutMs ?? triggerWaitMs(t.config, action),
    // What the trigger answered goes into the reason (CitrineOS: a queued command that never reaches the
    // station looks like success at the API), so the user sees both sides at once.
    unmet: () =>
      `the CSMS did not send ${action} after the trigger (${answered ?? 'the trigger had not finished'}): check the trigger configuration for ${action} and that the CSMS accepts the command for this station`,
  });
  let answered: string | undefined;
  expected.catch(() => undefined);
  since = Date.now();
  // A trigger that fails (the CSMS's API refused the command, issue #13) closes the case, which ends
  // this wait at once with the trigger's error: the case is ERROR with the CSMS's text, not a timeout.
  const done = t.trigger(action, { evseId: opts.evseId, payload });
  done.then((o) => (answered = describeOutcome(o)), () => undefined);
  try {
    return { call: await expected, done, replied: true };
  } catch (e) {
    const other = asked && action !== 'GetChargingProfiles' && !t.signal.aborted ? t.received(action).find((c) => c.at >= since) : undefined;
    if (!other) throw e;
    const altered = alteredFields(payload, other.payload);
    if (opts.reply === undefined) {
      t.note.info(`no ${action} carried the identifying fields asked for (${altered}); judging the one the CSMS sent after the trigger (answered as a conforming station)`);
      return { call: other, done, replied: true };
    }
    // The case wanted to answer with its own payload (a Rejected, an Unknown, chosen decimals), but the CALL
    // that came was answered before anything could tell it was the case's: what it carries is still judged,
    // the CSMS's reaction to the case's answer cannot be (it never received that answer).
    t.note.warn(
      `could not check the CSMS's reaction to the case's answer: no ${action} carried the identifying fields asked for (${altered}), so the one it sent after the trigger was answered as a conforming station instead`,
      'issue #13 (the CALL the harness asked for)',
    );
    return { call: other, done, replied: false };
  }
}

/** Which asked top-level fields the CALL carries differently, e.g. `duration 86400 instead of 300`. */
function alteredFields(asked: Payload, sent: Payload): string {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 60));
  const diff = Object.keys(asked)
    .filter((k) => !isDeepStrictEqual(asked[k], sent[k]))
    .map((k) => `${k} ${show(sent[k])} instead of ${show(asked[k])}`);
  return diff.length ? diff.join(', ') : `asked ${JSON.stringify(asked).slice(0, 160)}`;
}

function bounded<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), Math.max(0, ms))))]).finally(() => clearTimeout(timer));
}

/**
 * Wait for a trigger to finish, bounded; undefined when it is still running after `ms`. With an
 * asynchronous API the command has finished when the CSMS calls back: that wait shares the same bound
 * (a missing callback is not an error here; a case that needs the result awaits `outcome.callback`).
 */
export async function settled(t: CaseContext, done: Promise<TriggerOutcome>, ms: number): Promise<TriggerOutcome | undefined> {
  const until = Date.now() + ms;
  const outcome = await bounded(done, ms);
  if (outcome?.callback) await bounded(outcome.callback.catch(() => undefined), until - Date.now());
  return outcome;
}

/** What the CSMS relayed of the station's answer, or why nothing is seen (for the "could not check" WARN). */
export type Relayed = { answer: unknown; unseen?: undefined } | { answer?: undefined; unseen: string };

/**
 * The station's answer as the CSMS relays it: `{response}` in the trigger's answer (the built-in trigger
 * convention), else the body an asynchronous API posted to {callbackUrl} (CitrineOS posts the station's
 * answer payload; issue #13). When neither shows it, `unseen` says why: the configured callback never came
 * (citrine-run3 D: CitrineOS drops a response it finds invalid) or the trigger answer does not carry it.
 */
export async function relayedAnswer(outcome: TriggerOutcome | undefined): Promise<Relayed> {
  const body = outcome?.body;
  const direct = body && typeof body === 'object' && !Array.isArray(body) ? (body as Payload).response : undefined;
  if (direct !== undefined) return { answer: direct };
  if (!outcome?.callback) return { unseen: 'its trigger answer does not show them' };
  // Bounded by the trigger's callback.timeoutMs (the callback promise rejects then).
  try {
    return { answer: await outcome.callback };
  } catch (e) {
    if (e instanceof CallbackTimeout) return { unseen: `the CSMS did not call back within ${e.timeoutMs} ms` };
    return { unseen: `its callback failed: ${(e as Error).message}` };
  }
}

/**
 * The window in which more than one retry counts as a retry storm (catalogue SC-CSMS-04/07: 10 s; a WARN,
 * never a failure). The default run observes 2 s, which catches the rapid storms that matter and keeps a
 * CSMS suite fast (issue #14); --include-slow observes the catalogue's full 10 s. The built-in CSMS never
 * retries: a short window keeps the self-test quick.
 */
export function stormWindowMs(t: CaseContext): number {
  if (t.builtin) return Math.max(Math.min(t.config.timing.graceMs, 1000), 500);
  return t.config.includeSlow ? 10_000 : 2_000;
}

/**
 * How long the harness station holds an answer to see whether the CSMS sends another CALL meanwhile
 * (Part 4 §4.1.1). It must stay below the CSMS's own call timeout, which the harness cannot read: after
 * that timeout a next CALL is legal. 3 s is below any timeout seen in practice (timing.slowAnswerMs lowers it).
 */
export function holdAnswerMs(t: CaseContext): number {
  if (t.builtin) return 1500;
  return Math.min(t.config.timing.slowAnswerMs ?? 3000, 3000);
}

export function sleep(t: CaseContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      t.signal.removeEventListener('abort', done);
      resolve();
    }
    t.signal.addEventListener('abort', done);
  });
}

/** The station's own CALL as a case step (`t.call`), for StationCall users. */
export function caller(t: CaseContext) {
  return <T = Payload>(action: string, payload: Payload) => t.call<T>(action, payload);
}

/** Start a transaction on `evseId` from the station side. */
export async function startTransaction(t: CaseContext, evseId: number) {
  return t.step(`station starts a transaction on ${isV16(t) ? 'connector' : 'EVSE'} ${evseId}`, () => station(t).startTransaction(caller(t), evseId));
}

/**
 * A station-initiated CALL the CSMS must answer validly and in time (schema is checked by the session).
 * Records a failure naming `rule` for a CALLERROR or a timeout, and returns the response (or undefined).
 */
export async function mustAnswer<T = Payload>(
  t: CaseContext,
  action: string,
  payload: Payload,
  rule: string,
  opts: { optional?: string } = {},
): Promise<T | undefined> {
  try {
    return await t.call<T>(action, payload);
  } catch (e) {
    // `optional`: why no text makes the CSMS implement this action (2.1 features it may lack): Part 4's
    // answer for an action the receiver does not implement is CALLERROR NotImplemented / NotSupported.
    if (e instanceof CallErrorResponse && opts.optional && (e.errorCode === 'NotImplemented' || e.errorCode === 'NotSupported')) {
      t.note.warn(`the CSMS answered ${action} with CALLERROR ${e.errorCode}: it does not implement it; ${opts.optional} (not judged)`, rule);
      return undefined;
    }
    if (e instanceof CallErrorResponse) {
      t.check.fail(`the CSMS answered ${action} with CALLERROR ${e.errorCode}${e.errorDescription ? ` (${e.errorDescription})` : ''}`, { rule, actual: e.errorCode, kind: 'AssertionFailure' });
      return undefined;
    }
    if (e instanceof CallTimeoutError) {
      t.check.fail(`the CSMS did not answer ${action} within ${e.timeoutMs} ms`, { rule, kind: 'Timeout' });
      return undefined;
    }
    throw e;
  }
}

/** Read back what the CSMS stored (triggers.readBack); undefined without a hook. */
export async function readBack(t: CaseContext, vars: Record<string, unknown>): Promise<TriggerOutcome | undefined> {
  return runReadBack(t.config, { identity: t.session.identity, vars, signal: t.signal });
}

let requestIds = 1;
export function nextRequestId(): number {
  return (Date.now() % 100000) * 100 + (requestIds++ % 100);
}

/** "trigger answered HTTP 200: [{"success":true}]" — clipped; secrets are already redacted by the trigger. */
function describeOutcome(o: TriggerOutcome): string {
  const body = o.body === undefined ? '' : `: ${typeof o.body === 'string' ? o.body : JSON.stringify(o.body)}`;
  const text = `trigger answered${o.status !== undefined ? ` HTTP ${o.status}` : ` (${o.type})`}${body}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
