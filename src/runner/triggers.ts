/**
 * Triggers (issue #6, #13, catalogue §1.7): how the harness makes the peer under test act. A CSMS sends
 * SmartCharging requests when its operator or API asks it to, so a case that needs the CSMS to act first
 * runs the trigger configured for that action, then waits for the CALL.
 *
 * - `http`: a request template (method, URL, headers, JSON body) with placeholders; a URL without
 *   placeholders is a base URL and follows the default convention `POST {base}/trigger/{identity}/{Action}`
 *   with the JSON payload as the body (what the reference CSMS implements). A success rule tells an
 *   accepted command from a refused one; `callback` waits for an asynchronous result (trigger/http.ts);
 * - `command`: a shell command with the same placeholders (values shell-quoted), bounded in time;
 * - `manual`: a prompt to the operator on a TTY with the time limit shown (the case's `manual()`);
 * - none configured: the case is skipped with that reason.
 *
 * Placeholders: {identity} {evseId} {payload} (JSON) {requestId} {callbackUrl}, the action as {Action}
 * {action} (lowerCamel) {ACTION_SNAKE} {action_snake} {action-kebab}, and any other var by name.
 * A per-action entry without `type` overrides the http default (url, method, body, headers merged).
 * A trigger that fails gives ERROR, never FAIL (catalogue §1.7).
 */
import { spawn } from 'node:child_process';
import type { RunConfig, TriggerConfig, TriggerOverride } from './config';
import type { CallbackServer } from './trigger/callbacks';
import { TriggerFailed } from './trigger/errors';
import { clip, parseMaybeJson, runHttp } from './trigger/http';
import { actionCasings, shellQuote, substitute } from './trigger/placeholders';

export type { TriggerConfig };
export { TriggerFailed, CommandRefused } from './trigger/errors';
export { CallbackServer, CallbackTimeout } from './trigger/callbacks';
export { actionCasings, substitute, substituteJson, shellQuote } from './trigger/placeholders';
export { checkEnvRefs, MissingEnvVar, REDACTED } from './trigger/secrets';
export { jsonPointer, type SuccessRule } from './trigger/success';

/** What a case hands to a trigger: the payload it wants the CSMS to send, and its EVSE. */
export interface TriggerVars {
  evseId?: number;
  /** The request the harness asks the CSMS to send (the default http body). */
  payload?: Record<string, unknown>;
  /** Extra placeholders, e.g. requestId for the read-back hook. */
  [name: string]: unknown;
}

export interface TriggerOutcome {
  type: TriggerConfig['type'];
  /** http status. */
  status?: number;
  /** Parsed JSON response body (http) or stdout (command), when it parses; else the text. */
  body?: unknown;
  /** Set when the trigger ended with an error after the peer had already sent the expected CALL. */
  lateError?: string;
  /**
   * With `callback` (or {callbackUrl} in the template): the body the CSMS posts to the callback URL
   * (parsed JSON), e.g. the station's answer relayed by the CSMS. Rejects with CallbackTimeout after
   * `callback.timeoutMs`; awaiting it is the case's choice.
   */
  callback?: Promise<unknown>;
}

export interface TriggerRun {
  identity: string;
  action: string;
  vars: TriggerVars;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Ask the operator (the case's manual()); used by `manual` triggers. */
  manual?: (prompt: string, opts: { timeoutMs: number }) => Promise<void>;
  /** The run's callback endpoint (asynchronous results); needed by triggers with `callback`. */
  callbacks?: CallbackServer;
  /** Where `${ENV:NAME}` is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Whether an HTTP 4xx/5xx answer is the peer refusing the command (CommandRefused, default) or a failed
   * trigger; station actions (src/runner/stationActions.ts) keep it a failed action.
   */
  statusRefusals?: boolean;
}

/**
 * The trigger configured for an action: the per-action entry, else the default; undefined when none.
 * A per-action entry without `type` is an override of the http default: its url / method / body /
 * success / callback win, headers are merged (so one default carries the API's auth and success rule).
 */
export function triggerFor(config: Pick<RunConfig, 'triggers'>, action: string): TriggerConfig | undefined {
  const own: TriggerOverride | undefined = config.triggers.actions?.[action];
  const base = config.triggers.default;
  if (!own) return base;
  if (own.type) return own;
  if (base?.type === 'http') return { ...base, ...own, type: 'http', headers: { ...base.headers, ...own.headers } };
  return own.url ? { ...own, type: 'http', url: own.url } : base;
}

/**
 * Whether the trigger for `action` hands the harness's request to the CSMS verbatim: an http trigger with the
 * default body or a body/URL template holding {payload}, or a command naming {payload} / $OCPP_PAYLOAD. Only
 * then is "the CSMS sent something else than it was asked" the CSMS's doing; a manual trigger or a template
 * that builds its own request may legitimately ask for something else (issue #13: verdicts that hold).
 */
export function passesPayload(config: Pick<RunConfig, 'triggers'>, action: string): boolean {
  const t = triggerFor(config, action);
  if (!t) return false;
  // No body template: the request itself is the body (runHttp).
  if (t.type === 'http') return t.body === undefined || JSON.stringify(t.body).includes('{payload}') || t.url.includes('{payload}');
  if (t.type === 'command') return t.command.includes('{payload}') || t.command.includes('OCPP_PAYLOAD');
  return false;
}

export function noTriggerReason(action: string): string {
  return `no trigger configured for ${action}: set triggers.default / triggers.actions.${action} in the config file or pass --trigger-url`;
}

/** How long an operator gets for a manual trigger. */
export function manualLimitMs(config: Pick<RunConfig, 'timing'>): number {
  return Math.max(60_000, config.timing.callTimeoutMs);
}

/** How long a case should wait for the CALL a trigger asked for. */
export function triggerWaitMs(config: Pick<RunConfig, 'triggers' | 'timing'>, action: string): number {
  const t = triggerFor(config, action);
  return t?.type === 'manual' ? manualLimitMs(config) + config.timing.callTimeoutMs : config.timing.callTimeoutMs;
}

function placeholderValues(run: Pick<TriggerRun, 'identity' | 'action' | 'vars'>): Record<string, unknown> {
  const { payload, ...rest } = run.vars;
  return { ...rest, identity: run.identity, ...actionCasings(run.action), evseId: run.vars.evseId, payload: payload ?? {} };
}

/** Run one trigger. Resolves with its outcome; rejects with TriggerFailed (or the manual prompt's error). */
export async function runTrigger(cfg: TriggerConfig, run: TriggerRun): Promise<TriggerOutcome> {
  if (cfg.type === 'http') return runHttp(cfg, run, placeholderValues(run));
  if (cfg.type === 'command') return runCommand(cfg, run);
  if (!run.manual) throw new TriggerFailed(`manual trigger for ${run.action}: no operator prompt available`);
  const values = placeholderValues(run);
  const prompt = cfg.prompt ? substitute(cfg.prompt, values) : defaultPrompt(run);
  await run.manual(prompt, { timeoutMs: run.timeoutMs });
  return { type: 'manual' };
}

function defaultPrompt(run: TriggerRun): string {
  const where = run.vars.evseId !== undefined ? ` for EVSE/connector ${run.vars.evseId}` : '';
  const what = run.vars.payload ? ` — e.g. ${clip(JSON.stringify(run.vars.payload), 400)}` : '';
  return `make the CSMS send ${run.action} to station ${run.identity}${where}${what}`;
}

const MAX_OUTPUT = 64 * 1024;

function runCommand(cfg: Extract<TriggerConfig, { type: 'command' }>, run: TriggerRun): Promise<TriggerOutcome> {
  const values = placeholderValues(run);
  const command = substitute(cfg.command, values, shellQuote);
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        OCPP_IDENTITY: run.identity,
        OCPP_ACTION: run.action,
        OCPP_EVSE_ID: run.vars.evseId === undefined ? '' : String(run.vars.evseId),
        OCPP_PAYLOAD: JSON.stringify(run.vars.payload ?? {}),
      },
    });
    let out = '';
    let err = '';
    let settled = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const timer = setTimeout(() => {
      kill();
      finish(() => reject(new TriggerFailed(`trigger command for ${run.action} did not finish within ${run.timeoutMs} ms: ${clip(command, 200)}`)));
    }, run.timeoutMs);
    const onAbort = () => {
      kill();
      finish(() => reject(new TriggerFailed(`trigger command for ${run.action} interrupted`)));
    };
    run.signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString('utf8')).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.on('error', (e) => finish(() => reject(new TriggerFailed(`trigger command for ${run.action} could not start: ${e.message}`))));
    child.on('close', (code, sig) => {
      finish(() => {
        if (code === 0) resolve({ type: 'command', body: parseMaybeJson(out) });
        else reject(new TriggerFailed(`trigger command for ${run.action} exited with ${code ?? sig}: ${clip(err.trim() || out.trim() || command, 300)}`));
      });
    });
  });
}

/**
 * The read-back hook (`triggers.readBack`): ask the CSMS what it stored, e.g. the aggregated
 * ReportChargingProfiles of a requestId (built-in CSMS: GET {base}/stations/{identity}/reports/{requestId}).
 * Returns undefined when no hook is configured (the check becomes an info note).
 */
export async function runReadBack(
  config: Pick<RunConfig, 'triggers' | 'timing'>,
  run: { identity: string; vars: TriggerVars; signal?: AbortSignal },
): Promise<TriggerOutcome | undefined> {
  const cfg = config.triggers.readBack;
  if (!cfg) return undefined;
  if (cfg.type === 'manual') return undefined;
  // A read-back is a query, not a command: an HTTP error is a failed hook, not the CSMS refusing anything.
  return runTrigger(cfg, { identity: run.identity, action: 'readBack', vars: run.vars, timeoutMs: config.timing.callTimeoutMs, signal: run.signal, statusRefusals: false });
}
