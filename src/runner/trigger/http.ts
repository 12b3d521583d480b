/**
 * The `http` trigger (issue #6, #13): one request to the CSMS's command API, built from a template
 * (URL, method, headers, JSON body with placeholders and `${ENV:NAME}` secrets), judged by the success
 * rule, with an optional callback slot for APIs that report the station's answer asynchronously.
 */
import type { HttpTriggerConfig } from '../config';
import type { TriggerOutcome, TriggerRun } from '../triggers';
import { CommandRefused, TriggerFailed } from './errors';
import { hasPlaceholder, substitute, substituteJson } from './placeholders';
import { Secrets } from './secrets';
import { judgeAnswer, refusalText } from './success';
import type { CallbackSlot } from './callbacks';

export const clip = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

export function parseMaybeJson(text: string): unknown {
  const s = text.trim();
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Whether a template asks for the callback URL: then a slot is opened even without `callback`. */
function mentionsCallback(cfg: HttpTriggerConfig): boolean {
  const texts = [cfg.url, ...Object.values(cfg.headers ?? {}), JSON.stringify(cfg.body ?? null)];
  return texts.some((t) => t.includes('{callbackUrl}'));
}

export async function runHttp(cfg: HttpTriggerConfig, run: TriggerRun, values: Record<string, unknown>): Promise<TriggerOutcome> {
  const secrets = new Secrets(run.env);
  const where = `trigger for ${run.action}`;
  let slot: CallbackSlot | undefined;
  try {
    if (cfg.callback || mentionsCallback(cfg)) {
      if (!run.callbacks) throw new TriggerFailed(`${where}: a callback is configured but this run has no callback endpoint`);
      slot = await run.callbacks.register(run.action, cfg.callback?.timeoutMs ?? run.timeoutMs);
      values = { ...values, callbackUrl: slot.url };
    }
    const request = build(cfg, run, values, secrets, where);
    const outcome = await send(cfg, run, request, secrets);
    if (slot) outcome.callback = slot.result.then((b) => secrets.redactJson(b));
    outcome.callback?.catch(() => undefined);
    return outcome;
  } catch (e) {
    // A missing variable at run time (the file was checked at load; a case may build its own config).
    const err = e instanceof TriggerFailed ? e : new TriggerFailed(`${where}: ${(e as Error).message}`);
    slot?.cancel(err);
    throw err;
  }
}

interface Built {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function build(cfg: HttpTriggerConfig, run: TriggerRun, values: Record<string, unknown>, secrets: Secrets, where: string): Built {
  // Secrets first, in the template only: a placeholder value from the case is never read as a reference.
  const urlTemplate = secrets.resolve(cfg.url, `${where}: url`);
  const url = hasPlaceholder(cfg.url)
    ? substitute(urlTemplate, values, encodeURIComponent)
    : `${urlTemplate.replace(/\/+$/, '')}/trigger/${encodeURIComponent(run.identity)}/${encodeURIComponent(run.action)}`;
  const method = (cfg.method ?? 'POST').toUpperCase();
  const bodyValue = cfg.body !== undefined ? substituteJson(secrets.resolveJson(cfg.body, `${where}: body`), values) : (run.vars.payload ?? {});
  const body = method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(bodyValue);
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  for (const [k, v] of Object.entries(cfg.headers ?? {})) {
    const resolved = secrets.resolve(v, `${where}: headers.${k}`);
    headers[k] = substitute(resolved, values);
    // The whole header value that carried a secret is secret too (e.g. "Bearer <token>").
    if (resolved !== v) secrets.add(headers[k]!);
  }
  return { method, url, headers, body };
}

async function send(cfg: HttpTriggerConfig, run: TriggerRun, r: Built, secrets: Secrets): Promise<TriggerOutcome> {
  const shown = `${r.method} ${secrets.redact(r.url)}`;
  const signals = [AbortSignal.timeout(run.timeoutMs), ...(run.signal ? [run.signal] : [])];
  let res: Response;
  try {
    res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.any(signals) });
  } catch (e) {
    const err = e as Error & { cause?: Error };
    const why = err.name === 'TimeoutError' ? `no answer within ${run.timeoutMs} ms` : (err.cause?.message ?? err.message);
    throw new TriggerFailed(secrets.redact(`trigger ${shown} for ${run.action} failed: ${why}`));
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new TriggerFailed(secrets.redact(`trigger ${shown} for ${run.action}: reading the answer failed: ${(e as Error).message}`));
  }
  const body = parseMaybeJson(text);
  const verdict = judgeAnswer(cfg.success, res.status, body, { statusRefusals: run.statusRefusals });
  if (!verdict.ok && verdict.refused) {
    const said = refusalText(body, text, cfg.refusalPointer, clip);
    if (res.status >= 400) throw new CommandRefused(secrets.redact(`the CSMS refused the command: HTTP ${res.status}: ${said} (${run.action}: ${shown})`));
    throw new CommandRefused(secrets.redact(`the CSMS refused the command: ${said} (${run.action}: ${shown} answered HTTP ${res.status}; ${verdict.why})`));
  }
  if (!verdict.ok) throw new TriggerFailed(secrets.redact(`trigger ${shown} for ${run.action} answered HTTP ${res.status}: ${clip(text)}`));
  return { type: 'http', status: res.status, body: secrets.redactJson(body) };
}
