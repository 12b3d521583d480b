import type { OcppVersion } from '../ocpp/version';
import {
  BinaryFrameError,
  FramingError,
  MessageIdTooLongError,
  NestingTooDeepError,
  NotArrayError,
  NotJsonError,
  UnknownActionError,
  UnknownMessageTypeError,
  WrongArityError,
  WrongTypeError,
} from './errors';
import { MAX_MESSAGE_ID_LENGTH, MessageType, type OcppMessage, type Payload } from './messages';

export type DecodeResult =
  | { ok: true; message: OcppMessage }
  /** `response`: the frame was a broken CALLRESULT/CALLERROR (types 3–6), which must never be answered. */
  | { ok: false; error: FramingError; response: boolean };

export interface DecodeOptions {
  /** Whether an action is known for this version (has a request schema). Unknown → UnknownActionError. */
  isKnownAction?: (action: string) => boolean;
}

const isObject = (v: unknown): v is Payload => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Decode one WebSocket message into an OCPP-J message. Never throws: every malformed input becomes a
 * typed FramingError with a one-line description (issue: "never an escaping exception").
 */
export function decode(version: OcppVersion, data: string | Buffer, isBinary: boolean, opts: DecodeOptions = {}): DecodeResult {
  const raw = typeof data === 'string' ? data : data.toString('utf8');
  let parsed: unknown;
  // OCPP-J 1.6 §4 / Part 4 §4: messages are sent as WebSocket *text* frames.
  if (isBinary) return fail(new BinaryFrameError('binary WebSocket frame; OCPP-J uses text frames only', raw), parsed);
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    // V8 quotes the input in its message: keep it one line whatever the peer sent.
    return fail(new NotJsonError(`frame is not valid JSON (${(e as Error).message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')})`, raw), parsed);
  }
  // JSON.parse copes with any depth, but recursive code after it (schema validation, JSON.stringify in
  // reports, structuredClone) overflows the stack at a few thousand levels: refuse such frames here.
  if (tooDeep(parsed, MAX_NESTING_DEPTH)) {
    const id = Array.isArray(parsed) && typeof parsed[1] === 'string' && parsed[1].length <= MAX_MESSAGE_ID_LENGTH ? parsed[1] : undefined;
    return fail(new NestingTooDeepError(`frame is nested more than ${MAX_NESTING_DEPTH} levels deep`, raw, id), parsed);
  }
  if (!Array.isArray(parsed)) return fail(new NotArrayError(`frame is not a JSON array but ${describe(parsed)}`, raw), parsed);
  if (parsed.length === 0) return fail(new WrongArityError('frame is an empty array', raw), parsed);
  const [type, messageId] = parsed;
  if (typeof type !== 'number' || !Number.isInteger(type)) {
    return fail(new WrongTypeError(`message type must be an integer, got ${describe(type)}`, raw), parsed);
  }
  if (typeof messageId !== 'string') {
    return fail(new WrongTypeError(`messageId must be a string, got ${describe(messageId)}`, raw), parsed);
  }
  if (messageId.length > MAX_MESSAGE_ID_LENGTH) {
    return fail(new MessageIdTooLongError(`messageId is ${messageId.length} characters, at most ${MAX_MESSAGE_ID_LENGTH} allowed`, raw, messageId), parsed);
  }
  const is21 = version === '2.1';
  switch (type) {
    case MessageType.CALL:
    case MessageType.SEND: {
      if (type === MessageType.SEND && !is21) break;
      const name = type === MessageType.CALL ? 'CALL' : 'SEND';
      const e = arity(parsed, 4, name, raw, messageId);
      if (e) return fail(e, parsed);
      const [, , action, payload] = parsed;
      if (typeof action !== 'string') return fail(new WrongTypeError(`${name} action must be a string, got ${describe(action)}`, raw, messageId), parsed);
      if (!isObject(payload)) return fail(new WrongTypeError(`${name} payload must be an object, got ${describe(payload)}`, raw, messageId), parsed);
      if (opts.isKnownAction && !opts.isKnownAction(action)) {
        return fail(new UnknownActionError(`action ${JSON.stringify(action.length > 60 ? action.slice(0, 60) + '…' : action)} is not an OCPP ${version} action`, raw, messageId, action), parsed);
      }
      return { ok: true, message: { type: name, messageId, action, payload } };
    }
    case MessageType.CALLRESULT: {
      const e = arity(parsed, 3, 'CALLRESULT', raw, messageId);
      if (e) return fail(e, parsed);
      const payload = parsed[2];
      // null is kept: rules §1.1 judge it (WARN where nothing is required), it is not a framing error.
      if (!isObject(payload) && payload !== null) {
        return fail(new WrongTypeError(`CALLRESULT payload must be an object, got ${describe(payload)}`, raw, messageId), parsed);
      }
      return { ok: true, message: { type: 'CALLRESULT', messageId, payload } };
    }
    case MessageType.CALLERROR:
    case MessageType.CALLRESULTERROR: {
      if (type === MessageType.CALLRESULTERROR && !is21) break;
      const name = type === MessageType.CALLERROR ? 'CALLERROR' : 'CALLRESULTERROR';
      const e = arity(parsed, 5, name, raw, messageId);
      if (e) return fail(e, parsed);
      const [, , errorCode, errorDescription, errorDetails] = parsed;
      if (typeof errorCode !== 'string') return fail(new WrongTypeError(`${name} errorCode must be a string, got ${describe(errorCode)}`, raw, messageId), parsed);
      if (typeof errorDescription !== 'string') {
        return fail(new WrongTypeError(`${name} errorDescription must be a string, got ${describe(errorDescription)}`, raw, messageId), parsed);
      }
      if (!isObject(errorDetails)) return fail(new WrongTypeError(`${name} errorDetails must be an object, got ${describe(errorDetails)}`, raw, messageId), parsed);
      return { ok: true, message: { type: name, messageId, errorCode, errorDescription, errorDetails } };
    }
    default:
      break;
  }
  return fail(new UnknownMessageTypeError(`unknown message type ${type} for OCPP ${version}`, raw, messageId), parsed);
}

/** Module-level helpers, not closures: decode runs for every inbound frame (issue #14 per-frame allocations). */
function fail(error: FramingError, parsed: unknown): DecodeResult {
  return { ok: false, error, response: Array.isArray(parsed) && [3, 4, 5, 6].includes(parsed[0] as number) };
}

function arity(parsed: readonly unknown[], n: number, what: string, raw: string, messageId: string): FramingError | undefined {
  return parsed.length !== n ? new WrongArityError(`${what} must have ${n} elements, got ${parsed.length}`, raw, messageId) : undefined;
}

export function encode(message: OcppMessage): string {
  switch (message.type) {
    case 'CALL':
      return JSON.stringify([MessageType.CALL, message.messageId, message.action, message.payload]);
    case 'SEND':
      return JSON.stringify([MessageType.SEND, message.messageId, message.action, message.payload]);
    case 'CALLRESULT':
      return JSON.stringify([MessageType.CALLRESULT, message.messageId, message.payload]);
    case 'CALLERROR':
    case 'CALLRESULTERROR':
      return JSON.stringify([
        message.type === 'CALLERROR' ? MessageType.CALLERROR : MessageType.CALLRESULTERROR,
        message.messageId,
        message.errorCode,
        message.errorDescription,
        message.errorDetails,
      ]);
  }
}

/** Deeper than any OCPP 1.6/2.x message (about 12 levels), far below what recursion can handle. */
export const MAX_NESTING_DEPTH = 64;

/**
 * Whether `v` nests arrays/objects deeper than `max`. Recursive, but the recursion stops at `max` + 1
 * levels whatever the input (safe at any depth), and allocates nothing per node: the iterative version's
 * [node, depth] tuples and Object.values arrays cost ~1.5 % of the fair round trip (issue #14).
 */
function tooDeep(v: unknown, max: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (max <= 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (tooDeep(v[i], max - 1)) return true;
    return false;
  }
  // JSON.parse gives plain objects: every key is an own property (even "__proto__").
  for (const k in v) if (tooDeep((v as Record<string, unknown>)[k], max - 1)) return true;
  return false;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`}`;
}
