/**
 * Secrets in trigger templates (issue #13): `${ENV:NAME}` or `{env.NAME}` in a URL, header or body is
 * replaced by the environment variable at run time, so a token never sits in the config file. Every
 * resolved value is redacted from what the harness prints or stores (error messages, refusal texts, the
 * outcome a case sees); a missing variable is a configuration error naming it.
 */
import { ConfigError } from '../errors';

const ENV_REF = /\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}|\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

export const REDACTED = '***';

/** A configuration references an environment variable that is not set. */
export class MissingEnvVar extends ConfigError {
  constructor(
    readonly variable: string,
    where: string,
  ) {
    super(`${where}: environment variable ${variable} is not set`);
    this.name = 'MissingEnvVar';
  }
}

/** The names of the environment variables a template string references. */
export function envRefs(text: string): string[] {
  return [...text.matchAll(new RegExp(ENV_REF.source, 'g'))].map((m) => (m[1] ?? m[2])!);
}

/** Collects the secret values resolved during one trigger run and removes them from any text or JSON. */
export class Secrets {
  private readonly values = new Set<string>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** Replace every env reference in `text`; `where` names the setting for a missing variable. */
  resolve(text: string, where: string): string {
    return text.replace(ENV_REF, (_whole, a: string | undefined, b: string | undefined) => {
      const name = (a ?? b)!;
      const value = this.env[name];
      if (value === undefined || value === '') throw new MissingEnvVar(name, where);
      this.values.add(value);
      return value;
    });
  }

  /** Deep resolve in a JSON body template (strings only). */
  resolveJson(template: unknown, where: string): unknown {
    if (typeof template === 'string') return this.resolve(template, where);
    if (Array.isArray(template)) return template.map((t) => this.resolveJson(t, where));
    if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, this.resolveJson(v, where)]));
    return template;
  }

  /** Also treat `value` as secret (e.g. a whole header value that held a reference). */
  add(value: string): void {
    if (value) this.values.add(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a value containing another is removed whole.
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) {
      out = out.split(v).join(REDACTED);
      const enc = encodeURIComponent(v);
      if (enc !== v) out = out.split(enc).join(REDACTED);
    }
    return out;
  }

  redactJson<T>(value: T): T {
    if (!this.values.size) return value;
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactJson(v)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.redact(k), this.redactJson(v)])) as T;
    return value;
  }
}

/**
 * Check at load time that every environment variable a trigger or station action references is set
 * (a clear ConfigError naming the variable and the setting, exit code 2).
 */
export function checkEnvRefs(config: { triggers?: Record<string, unknown>; stationActions?: Record<string, unknown> }, source: string, env: NodeJS.ProcessEnv = process.env): void {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      for (const name of envRefs(v)) if (env[name] === undefined || env[name] === '') throw new MissingEnvVar(name, `${source}: ${path}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
  };
  if (config.triggers) walk(config.triggers, '/triggers');
  if (config.stationActions) walk(config.stationActions, '/stationActions');
}
