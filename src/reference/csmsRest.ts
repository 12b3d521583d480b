/**
 * The `rest` command API of the reference CSMS (issue #13), modelled on CitrineOS 1.8
 * (/work/shared/real-peers.md): `POST {base}/ocpp/{version}/{module}/{action}?identifier=<id>&tenantId=1
 * [&callbackUrl=…]` with the OCPP payload as body. It answers at once — `[{"success":true}]` when the
 * command is queued, `[{"success":false,"payload":"<reason>"}]` when it refuses (HTTP 200 either way, as
 * CitrineOS does) — and posts the station's answer to `callbackUrl` when the station has answered. So
 * CI exercises the harness's success rule, refusal text and callback endpoint against a real server.
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { OcppVersion } from '../ocpp/version';
import type { Payload } from '../ocppj/messages';
import { CSMS_QUIRKS_21 } from './csms-v21';

/** Faults of the command API, not of OCPP: the cases they meet end ERROR (refused command), never FAIL. */
export const CSMS_API_FAULTS = {
  'refuse-command': 'the rest API refuses every command: HTTP 200 [{"success":false,"payload":"<reason>"}]',
  'refuse-command-http-400': 'the rest API refuses every command with HTTP 400 and a schema error, as CitrineOS does for a body it rejects (citrine-run3: "limit must be multiple of 0.1")',
  'composite-callback-dropped': 'the rest API never calls back the result of GetCompositeSchedule, as CitrineOS drops a composite answer it finds invalid (citrine-run3 D)',
} as const;
export type CsmsApiFault = keyof typeof CSMS_API_FAULTS;

/** Legitimate variations of the built-in CSMS (`builtinQuirks` in `run --as station`). */
export const CSMS_QUIRKS = {
  'rest-api': 'commands through the CitrineOS-like rest API (success rule, refusal text, async callback) instead of POST /trigger',
  'refresh-profiles':
    'CitrineOS-like refresh (2.0.1): its own GetChargingProfiles (own requestId, chargingLimitSource CSO) after each Accepted SetChargingProfile and before each GetChargingProfiles / GetCompositeSchedule it is asked to send; it answers the reports',
  'late-reaction': 'reacts to NotifyEVChargingNeeds 500 ms after answering it (issue #13 point 3: a legal late reaction must not become a K01.FR.03 failure)',
  'unknown-tokens':
    'answers every idTag / idToken it was not given with Invalid (1.6) / Unknown (2.x), as CitrineOS without seeded tokens: the harness station keeps its transaction and says so in a WARN (E05 / E06.FR.04)',
  ...CSMS_QUIRKS_21,
} as const;
export type CsmsQuirk = keyof typeof CSMS_QUIRKS;

export type CsmsApiStyle = 'trigger' | 'rest';

/** The CitrineOS module each command lives in; a route with another module is unknown (404). */
export const REST_MODULES: Record<'1.6' | '2.0.1', Record<string, string>> = {
  '2.0.1': {
    SetChargingProfile: 'smartcharging',
    ClearChargingProfile: 'smartcharging',
    GetChargingProfiles: 'smartcharging',
    GetCompositeSchedule: 'smartcharging',
    RequestStartTransaction: 'evdriver',
    RequestStopTransaction: 'evdriver',
    TriggerMessage: 'configuration',
    Reset: 'configuration',
    GetVariables: 'monitoring',
    SetVariables: 'monitoring',
    GetBaseReport: 'reporting',
    GetReport: 'reporting',
  },
  '1.6': {
    SetChargingProfile: 'smartcharging',
    ClearChargingProfile: 'smartcharging',
    GetCompositeSchedule: 'smartcharging',
    RemoteStartTransaction: 'evdriver',
    RemoteStopTransaction: 'evdriver',
    TriggerMessage: 'configuration',
    Reset: 'configuration',
    GetConfiguration: 'configuration',
    ChangeConfiguration: 'configuration',
  },
};

/** What the reference CSMS does with a parsed rest command. */
export interface RestCommandTarget {
  faults: ReadonlySet<string>;
  versionOf(identity: string): OcppVersion | undefined;
  /** Send the CALL; resolves with the trigger convention's answer (status + body.response or error). */
  trigger(identity: string, action: string, payload: Payload): Promise<{ status: number; body: unknown }>;
  log(line: string): void;
}

export interface RestAnswer {
  status: number;
  body: unknown;
  /** Runs after the answer is sent: the CALL and the callback. */
  after?: () => Promise<void>;
}

const refuse = (reason: string): RestAnswer => ({ status: 200, body: [{ success: false, payload: reason }] });

/** Whether the request carries the API token (when one is configured): `authorization: Bearer <token>`. */
function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(String(req.headers.authorization ?? ''));
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Handle `POST /ocpp/{version}/{module}/{action}`; undefined when the path is not a rest route. */
export function restCommand(req: IncomingMessage, url: URL, parts: string[], text: string, target: RestCommandTarget, apiToken?: string): RestAnswer | undefined {
  if (req.method !== 'POST' || parts[0] !== 'ocpp' || parts.length !== 4) return undefined;
  const [, version, module, action] = parts as [string, string, string, string];
  if (!authorized(req, apiToken)) return { status: 401, body: { error: 'missing or wrong API token' } };
  const Action = action.charAt(0).toUpperCase() + action.slice(1);
  const modules = REST_MODULES[version as '1.6' | '2.0.1'];
  if (!modules || modules[Action] !== module) return { status: 404, body: { error: `no route /ocpp/${version}/${module}/${action}` } };
  const identity = url.searchParams.get('identifier');
  if (!identity) return { status: 400, body: { error: 'query parameter identifier is required' } };
  let payload: Payload;
  try {
    payload = text.trim() ? JSON.parse(text) : {};
  } catch {
    return { status: 400, body: { error: 'body is not valid JSON' } };
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { status: 400, body: { error: 'body must be a JSON object' } };
  if (target.faults.has('refuse-command')) return refuse(`${Action} refused for ${identity}: command rejected by the operator policy`);
  if (target.faults.has('refuse-command-http-400')) {
    return { status: 400, body: { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'body/chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit must be multiple of 0.1' } };
  }
  const spoken = target.versionOf(identity);
  if (!spoken) return refuse(`station ${identity} is not connected`);
  if (spoken !== version) return refuse(`station ${identity} speaks OCPP ${spoken}, not ${version}`);
  const callbackUrl = url.searchParams.get('callbackUrl') ?? undefined;
  return {
    status: 200,
    body: [{ success: true }],
    after: async () => {
      const r = await target.trigger(identity, Action, payload);
      if (!callbackUrl) return;
      if (Action === 'GetCompositeSchedule' && target.faults.has('composite-callback-dropped')) return target.log(`${identity}: composite answer dropped, no callback`);
      // The station's answer (CALLRESULT payload), or what went wrong, as CitrineOS relays it.
      const result = r.status === 200 ? (r.body as { response: unknown }).response : r.body;
      try {
        await fetch(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(result), signal: AbortSignal.timeout(10_000) });
      } catch (e) {
        target.log(`callback to ${callbackUrl} failed: ${(e as Error).message}`);
      }
    },
  };
}

/**
 * The trigger configuration for this API (what README "Testing a CSMS with a REST API" documents): the
 * smartcharging route as default, the other modules per action, the success rule, the refusal text and
 * the callback. Used by `run --as station --builtin-quirk rest-api`.
 */
export function restTriggers(httpBase: string, version: '1.6' | '2.0.1', callbackTimeoutMs: number) {
  const route = (module: string) => `${httpBase}/ocpp/${version}/${module}/{action}?identifier={identity}&tenantId=1&callbackUrl={callbackUrl}`;
  const actions: Record<string, { url: string }> = {};
  for (const [action, module] of Object.entries(REST_MODULES[version])) if (module !== 'smartcharging') actions[action] = { url: route(module) };
  return {
    default: {
      type: 'http' as const,
      url: route('smartcharging'),
      success: { status: [200, 201], pointer: '/0/success', equals: true },
      refusalPointer: '/0/payload',
      callback: { timeoutMs: callbackTimeoutMs },
    },
    actions,
  };
}
