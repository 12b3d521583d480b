/**
 * Trigger placeholders (issue #13): the values a request template can name, in the casings real CSMS APIs
 * use for an action — CitrineOS routes use lowerCamel (`/smartcharging/setChargingProfile`), others
 * PascalCase, SNAKE or kebab — plus the case's variables and the harness's callback URL.
 */

/** The words of an action name: "SetChargingProfile" → Set Charging Profile; "Get15118EVCertificate" → Get15118 EV Certificate. */
export function actionWords(action: string): string[] {
  return action
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);
}

/** Every casing of an action name a template can ask for. */
export function actionCasings(action: string): Record<'Action' | 'action' | 'ACTION_SNAKE' | 'action_snake' | 'action-kebab', string> {
  const words = actionWords(action);
  const lower = words.map((w) => w.toLowerCase());
  return {
    Action: action.charAt(0).toUpperCase() + action.slice(1),
    action: action.charAt(0).toLowerCase() + action.slice(1),
    ACTION_SNAKE: lower.join('_').toUpperCase(),
    action_snake: lower.join('_'),
    'action-kebab': lower.join('-'),
  };
}

/** A name in braces: {identity}, {action-kebab}, {ACTION_SNAKE}. */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_-]*)\}/g;

export function hasPlaceholder(text: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(text);
}

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
    const m = /^\{([A-Za-z][A-Za-z0-9_-]*)\}$/.exec(template);
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
