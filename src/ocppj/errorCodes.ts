import type { OcppVersion } from '../ocpp/version';

/**
 * CALLERROR codes per version (rules §1.3).
 * OCPP-J 1.6 Table 7 spells `FormationViolation` and `OccurenceConstraintViolation`: the 1.6-J errata
 * 5.1/5.2 keep these misspellings on purpose ("Do not fix, this is a message level change"), so a 1.6
 * peer must receive exactly them. 2.0.1 Part 4 Table 8 spells `FormatViolation` and
 * `OccurrenceConstraintViolation` and adds `MessageTypeNotSupported` and `RpcFrameworkError`.
 */
export const ERROR_CODES_16 = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
] as const;

export const ERROR_CODES_2X = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormatViolation',
  'PropertyConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
  'MessageTypeNotSupported',
  'RpcFrameworkError',
] as const;

export type ErrorCode16 = (typeof ERROR_CODES_16)[number];
export type ErrorCode2x = (typeof ERROR_CODES_2X)[number];
export type OcppErrorCode = ErrorCode16 | ErrorCode2x;

/** The version-neutral meaning of a code; spelled per version by `codeFor`. */
export type ErrorKind =
  | 'NotImplemented'
  | 'NotSupported'
  | 'InternalError'
  | 'ProtocolError'
  | 'SecurityError'
  | 'FormatViolation'
  | 'PropertyConstraintViolation'
  | 'OccurrenceConstraintViolation'
  | 'TypeConstraintViolation'
  | 'GenericError'
  | 'MessageTypeNotSupported'
  | 'RpcFrameworkError';

/** Spell an error kind the way `version` requires. Kinds that 1.6 lacks fall back to the nearest 1.6 code. */
export function codeFor(version: OcppVersion, kind: ErrorKind): OcppErrorCode {
  if (version === '1.6') {
    switch (kind) {
      case 'FormatViolation':
        return 'FormationViolation';
      case 'OccurrenceConstraintViolation':
        return 'OccurenceConstraintViolation';
      // 1.6 has no framing-class codes: a malformed message is a ProtocolError / NotImplemented there.
      case 'MessageTypeNotSupported':
        return 'NotImplemented';
      case 'RpcFrameworkError':
        return 'ProtocolError';
      default:
        return kind;
    }
  }
  return kind;
}

export function isValidCode(version: OcppVersion, code: string): boolean {
  const table: readonly string[] = version === '1.6' ? ERROR_CODES_16 : ERROR_CODES_2X;
  return table.includes(code);
}

/** A code spelled as the *other* version spells it (accepted from a peer with a WARN, rules §1.3). */
export function isOtherVersionSpelling(version: OcppVersion, code: string): boolean {
  if (isValidCode(version, code)) return false;
  const other: readonly string[] = version === '1.6' ? ERROR_CODES_2X : ERROR_CODES_16;
  return other.includes(code);
}

export type ErrorClass = 'payload' | 'framing' | 'capability' | 'other';

/** Error class (rules §1.3): suites assert the class, not a specific code, unless a case names the code. */
export function classOf(code: string): ErrorClass | undefined {
  switch (code) {
    case 'FormatViolation':
    case 'FormationViolation':
    case 'PropertyConstraintViolation':
    case 'OccurrenceConstraintViolation':
    case 'OccurenceConstraintViolation':
    case 'TypeConstraintViolation':
    case 'ProtocolError':
      return 'payload';
    case 'RpcFrameworkError':
    case 'MessageTypeNotSupported':
      return 'framing';
    case 'NotSupported':
    case 'NotImplemented':
      return 'capability';
    case 'InternalError':
    case 'SecurityError':
    case 'GenericError':
      return 'other';
    default:
      return undefined;
  }
}
