import type { ErrorObject } from 'ajv';
import type { OcppVersion } from '../ocpp/version';
import { codeFor, type ErrorKind, type OcppErrorCode } from '../ocppj/errorCodes';

/** One schema violation of a payload. */
export interface Violation {
  /**
   * JSON pointer (RFC 6901) into the payload, '' for the root. For `required` and `additionalProperties` it
   * points AT the missing / extra property (e.g. `/chargingProfile/id`), not at its parent object.
   */
  pointer: string;
  /** ajv keyword: type, required, additionalProperties, enum, multipleOf, format, maxLength, … */
  keyword: string;
  /** The offending value (undefined for a missing property). */
  value: unknown;
  /** ajv's params for the keyword (e.g. { multipleOf: 0.1 }, { allowedValues: [...] }). */
  params: Record<string, unknown>;
  /** One line, expected vs actual, e.g. "/csChargingProfiles/…/limit must be multiple of 0.1 (got 6.25)". */
  message: string;
  /** CALLERROR code for this violation, spelled for the version (see KEYWORD_ERROR_KINDS). */
  code: OcppErrorCode;
}

export interface ValidationResult {
  valid: boolean;
  violations: Violation[];
}

/**
 * The one keyword → CALLERROR mapping of the harness (what it SENDS; when judging a SUT, suites assert the
 * error class only, rules §1.3). Spelled per version with `codeFor`: 1.6 gets `FormationViolation` and
 * `OccurenceConstraintViolation`.
 *
 * | ajv keyword                         | error kind                    | 1.6 spelling                  |
 * |-------------------------------------|-------------------------------|-------------------------------|
 * | type                                | TypeConstraintViolation       | TypeConstraintViolation       |
 * | required                            | OccurrenceConstraintViolation | OccurenceConstraintViolation  |
 * | additionalProperties                | PropertyConstraintViolation   | PropertyConstraintViolation   |
 * | enum, const                         | FormatViolation               | FormationViolation            |
 * | maxLength, minLength, pattern       | FormatViolation               | FormationViolation            |
 * | minimum, maximum, exclusiveMinimum, |                               |                               |
 * |   exclusiveMaximum, multipleOf      | FormatViolation               | FormationViolation            |
 * | format                              | FormatViolation               | FormationViolation            |
 * | minItems, maxItems, additionalItems,|                               |                               |
 * |   uniqueItems                       | FormatViolation               | FormationViolation            |
 * | anything else (not used by the OCA  | FormatViolation               | FormationViolation            |
 * |   schemas)                          |                               |                               |
 *
 * Rationale: a wrong JSON type is a type violation, a missing property an occurrence violation, an unknown
 * property a property violation, and every value-level constraint (enum, length, bounds, multipleOf, format,
 * item counts) a format violation. This follows ocpp-rpc except for multipleOf, which ocpp-rpc maps to
 * Occur(r)enceConstraintViolation (engineering notes §4 compares the libraries).
 */
export const KEYWORD_ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  type: 'TypeConstraintViolation',
  required: 'OccurrenceConstraintViolation',
  additionalProperties: 'PropertyConstraintViolation',
  enum: 'FormatViolation',
  const: 'FormatViolation',
  maxLength: 'FormatViolation',
  minLength: 'FormatViolation',
  pattern: 'FormatViolation',
  minimum: 'FormatViolation',
  maximum: 'FormatViolation',
  exclusiveMinimum: 'FormatViolation',
  exclusiveMaximum: 'FormatViolation',
  multipleOf: 'FormatViolation',
  format: 'FormatViolation',
  minItems: 'FormatViolation',
  maxItems: 'FormatViolation',
  additionalItems: 'FormatViolation',
  uniqueItems: 'FormatViolation',
};

const DEFAULT_KIND: ErrorKind = 'FormatViolation';

/** CALLERROR code for an ajv keyword, spelled for `version`. */
export function codeForKeyword(version: OcppVersion, keyword: string): OcppErrorCode {
  const kind = Object.prototype.hasOwnProperty.call(KEYWORD_ERROR_KINDS, keyword)
    ? KEYWORD_ERROR_KINDS[keyword]
    : DEFAULT_KIND;
  return codeFor(version, kind as ErrorKind);
}

/** Code of the first violation; undefined for a valid result. */
export function errorCodeFor(result: ValidationResult): OcppErrorCode | undefined {
  return result.violations[0]?.code;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Value at a JSON pointer, undefined when absent. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = unescapeToken(raw);
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      cur = cur[Number(token)];
    } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, token)) {
      cur = (cur as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return cur;
}

const MAX_SHOWN = 80;

/** A value for a one-line message: JSON, truncated. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = text.replace(/[\r\n\u2028\u2029]/g, ' ');
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function showList(values: unknown): string {
  if (!Array.isArray(values)) return show(values);
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v));
  return `[${shown.join(', ')}${values.length > 12 ? `, … ${values.length - 12} more` : ''}]`;
}

function describe(keyword: string, params: Record<string, unknown>, value: unknown, ajvMessage: string): string {
  switch (keyword) {
    case 'type':
      return `must be ${String(params.type)} (got ${jsonType(value)} ${show(value)})`;
    case 'required':
      return 'is required (got nothing: property missing)';
    case 'additionalProperties':
      return `is not allowed: additional property (got ${show(value)})`;
    case 'enum':
      return `must be one of ${showList(params.allowedValues)} (got ${show(value)})`;
    case 'const':
      return `must be ${show(params.allowedValue)} (got ${show(value)})`;
    case 'multipleOf':
      return `must be multiple of ${String(params.multipleOf)} (got ${show(value)})`;
    case 'format':
      return `must match format "${String(params.format)}" (got ${show(value)})`;
    case 'pattern':
      return `must match pattern ${JSON.stringify(params.pattern)} (got ${show(value)})`;
    case 'maxLength':
    case 'minLength': {
      const len = typeof value === 'string' ? [...value].length : undefined;
      const bound = keyword === 'maxLength' ? 'more' : 'fewer';
      return `must NOT have ${bound} than ${String(params.limit)} characters (got ${len ?? '?'}: ${show(value)})`;
    }
    case 'maxItems':
    case 'minItems': {
      const len = Array.isArray(value) ? value.length : undefined;
      const bound = keyword === 'maxItems' ? 'more' : 'fewer';
      return `must NOT have ${bound} than ${String(params.limit)} items (got ${len ?? '?'})`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)} (got ${show(value)})`;
    default:
      return `${ajvMessage} (got ${show(value)})`;
  }
}

/** Map one ajv error to a Violation. `payload` is only read. */
export function toViolation(version: OcppVersion, err: ErrorObject, payload: unknown): Violation {
  const params = { ...(err.params as Record<string, unknown>) };
  let pointer = err.instancePath;
  if ((err.keyword === 'required' || err.keyword === 'dependencies') && typeof params.missingProperty === 'string') {
    pointer = `${pointer}/${escapeToken(params.missingProperty)}`;
  } else if (err.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    pointer = `${pointer}/${escapeToken(params.additionalProperty)}`;
  }
  const value = err.keyword === 'required' ? undefined : resolvePointer(payload, pointer);
  const label = pointer === '' ? '(root)' : pointer;
  return {
    pointer,
    keyword: err.keyword,
    value,
    params,
    message: `${label} ${describe(err.keyword, params, value, err.message ?? 'is invalid')}`,
    code: codeForKeyword(version, err.keyword),
  };
}
