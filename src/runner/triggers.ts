/**
 * Triggers (issue #6, catalogue §1.7): how the harness makes the peer under test act. A CSMS sends
 * SmartCharging requests when its operator or API asks it to, so a case that needs the CSMS to act first
 * runs the trigger configured for that action, then waits for the CALL.
 *
 * - `http`: a request template (method, URL, headers, JSON body) with placeholders; a URL without
 *   placeholders is a base URL and follows the default convention `POST {base}/trigger/{identity}/{Action}`
 *   with the JSON payload as the body (what the reference CSMS implements);
 * - `command`: a shell command with the same placeholders (values shell-quoted), bounded in time;
 * - `manual`: a prompt to the operator on a TTY with the time limit shown (the case's `manual()`);
 * - none configured: the case is skipped with that reason.
 *
 * Placeholders: {identity} {evseId} {Action} {action} {payload} (JSON) and any other var by name.
 * A trigger that fails gives ERROR, never FAIL (catalogue §1.7).
 */
import { spawn } from 'node:child_process';
import type { RunConfig, TriggerConfig } from './config';
import { ManualActionUnavailable } from './errors';

export type { TriggerConfig };

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
}

/** A trigger could not be run or reported failure: the case is ERROR (catalogue §1.7), never FAIL. */
export class TriggerFailed extends ManualActionUnavailable {
  constructor(message: string) {
    super(message);
    this.name = 'TriggerFailed';
  }
}

export interface TriggerRun {
  identity: string;
  action: string;
  vars: TriggerVars;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Ask the operator (the case's manual()); used by `manual` triggers. */
  manual?: (prompt: string, opts: { timeoutMs: number }) => Promise<void>;
}

/** The trigger configured for an action: per-action config, else the default; undefined when none. */
export function triggerFor(config: Pick<RunConfig, 'triggers'>, action: string): TriggerConfig | undefined {
  return config.triggers.actions?.[action] ?? config.triggers.default;
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
  return { ...rest, identity: run.identity, Action: run.action, action: run.action, evseId: run.vars.evseId, payload: payload ?? {} };
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Replace {name} in a string; values are passed through `enc` (URL or shell encoding). Unknown names stay. */
export function substitute(text: string, values: Record<string, unknown>, enc: (s: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(name in values) || values[name] === undefined) return whole;
    const v = values[name];
    return enc(typeof v === 'string' ? v : JSON.stringify(v));
  });
}

/** Deep placeholder substitution in a JSON body template; a string that is exactly "{name}" takes the value as is. */
export function substituteJson(template: unknown, values: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const m = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(template);
    if (m && m[1]! in values && values[m[1]!] !== undefined) return values[m[1]!];
    return substitute(template, values);
  }
  if (Array.isArray(template)) return template.map((t) => substituteJson(t, values));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, substituteJson(v, values)]));
  }
  return template;
}

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function parseMaybeJson(text: string): unknown {
  const s = text.trim();
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/** Run one trigger. Resolves with its outcome; rejects with TriggerFailed (or the manual prompt's error). */
export async function runTrigger(cfg: TriggerConfig, run: TriggerRun): Promise<TriggerOutcome> {
  if (cfg.type === 'http') return runHttp(cfg, run);
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

async function runHttp(cfg: Extract<TriggerConfig, { type: 'http' }>, run: TriggerRun): Promise<TriggerOutcome> {
  const values = placeholderValues(run);
  const templated = PLACEHOLDER.test(cfg.url);
  PLACEHOLDER.lastIndex = 0;
  const url = templated
    ? substitute(cfg.url, values, encodeURIComponent)
    : `${cfg.url.replace(/\/+$/, '')}/trigger/${encodeURIComponent(run.identity)}/${encodeURIComponent(run.action)}`;
  const method = (cfg.method ?? 'POST').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(cfg.body !== undefined ? substituteJson(cfg.body, values) : (run.vars.payload ?? {}));
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  for (const [k, v] of Object.entries(cfg.headers ?? {})) headers[k] = substitute(v, values);
  const signals = [AbortSignal.timeout(run.timeoutMs), ...(run.signal ? [run.signal] : [])];
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, signal: AbortSignal.any(signals) });
  } catch (e) {
    const err = e as Error & { cause?: Error };
    const why = err.name === 'TimeoutError' ? `no answer within ${run.timeoutMs} ms` : (err.cause?.message ?? err.message);
    throw new TriggerFailed(`trigger ${method} ${url} for ${run.action} failed: ${why}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new TriggerFailed(`trigger ${method} ${url} for ${run.action}: reading the answer failed: ${(e as Error).message}`);
  }
  if (res.status < 200 || res.status > 299) {
    throw new TriggerFailed(`trigger ${method} ${url} for ${run.action} answered HTTP ${res.status}: ${clip(text)}`);
  }
  return { type: 'http', status: res.status, body: parseMaybeJson(text) };
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
  return runTrigger(cfg, { identity: run.identity, action: 'readBack', vars: run.vars, timeoutMs: config.timing.callTimeoutMs, signal: run.signal });
}
