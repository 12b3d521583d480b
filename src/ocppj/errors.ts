import type { OcppErrorCode, ErrorKind } from './errorCodes';

/**
 * Typed OCPP-J errors: one class per kind of problem. Every class carries the error kind the harness
 * answers with (spelled per version by `codeFor` when a CALLERROR is sent) and the offending frame.
 */
export abstract class OcppjError extends Error {
  /** The version-neutral CALLERROR kind this problem maps to. */
  abstract readonly errorKind: ErrorKind;
  constructor(
    message: string,
    /** Raw text of the offending frame, when there is one. */
    readonly raw?: string,
    /** messageId, when it could be read. */
    readonly messageId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Base of every problem found while decoding an inbound frame. */
export abstract class FramingError extends OcppjError {}

export class BinaryFrameError extends FramingError {
  readonly errorKind = 'RpcFrameworkError' as const;
}
export class NotJsonError extends FramingError {
  readonly errorKind = 'RpcFrameworkError' as const;
}
export class NotArrayError extends FramingError {
  readonly errorKind = 'RpcFrameworkError' as const;
}
export class WrongArityError extends FramingError {
  readonly errorKind = 'RpcFrameworkError' as const;
}
export class WrongTypeError extends FramingError {
  readonly errorKind = 'RpcFrameworkError' as const;
}
/** Part 4 §4.2.3: an unknown message type number is answered with MessageTypeNotSupported. */
export class UnknownMessageTypeError extends FramingError {
  readonly errorKind = 'MessageTypeNotSupported' as const;
}
export class MessageIdTooLongError extends FramingError {
  readonly errorKind = 'RpcFrameworkError' as const;
}
/** Nested deeper than any OCPP message: refused before validators or serialisers recurse into it. */
export class NestingTooDeepError extends FramingError {
  readonly errorKind = 'FormatViolation' as const;
}
/** OCPP-J: "NotImplemented — Requested Action is not known by receiver". */
export class UnknownActionError extends FramingError {
  readonly errorKind = 'NotImplemented' as const;
  constructor(
    message: string,
    raw: string,
    messageId: string,
    readonly action: string,
  ) {
    super(message, raw, messageId);
  }
}

/** The peer answered our CALL with a CALLERROR. */
export class CallErrorResponse extends OcppjError {
  readonly errorKind = 'GenericError' as const;
  constructor(
    readonly action: string,
    readonly errorCode: string,
    readonly errorDescription: string,
    readonly errorDetails: unknown,
    raw: string,
    messageId: string,
    /** Trace sequence number of the CALLERROR frame, when traced. */
    readonly frameSeq?: number,
  ) {
    super(`${action} answered with CALLERROR ${errorCode}${errorDescription ? `: ${errorDescription}` : ''}`, raw, messageId);
  }
}

/** No answer to our CALL within its deadline. */
export class CallTimeoutError extends OcppjError {
  readonly errorKind = 'GenericError' as const;
  constructor(
    readonly action: string,
    readonly timeoutMs: number,
    messageId: string,
  ) {
    super(`no response to ${action} within ${timeoutMs} ms`, undefined, messageId);
  }
}

/**
 * The response to our pending CALL arrived but breaks the OCPP-J framing (e.g. a CALLERROR whose
 * errorDetails is a string): the CALL is settled at once with this error instead of waiting for its
 * timeout (issue #11 item 6). The framing violation itself is already attached to the running case,
 * hence `recorded`.
 */
export class MalformedResponseError extends OcppjError {
  readonly errorKind = 'GenericError' as const;
  readonly recorded = true;
  constructor(
    readonly action: string,
    messageId: string,
    /** Trace sequence number of the malformed frame. */
    readonly frameSeq: number,
    /** The codec's one-line framing message. */
    readonly framingMessage: string,
    raw: string,
  ) {
    super(`the response to ${action} (messageId ${messageId}) breaks the OCPP-J framing: ${framingMessage}`, raw, messageId);
  }
}

/** The connection closed while a CALL was pending, or a CALL was attempted on a closed session. */
export class ConnectionClosedError extends OcppjError {
  readonly errorKind = 'GenericError' as const;
  constructor(
    readonly action: string | undefined,
    readonly closeCode: number | undefined,
    readonly closeReason: string,
  ) {
    super(
      `connection closed${action ? ` while ${action} was pending` : ''}` +
        (closeCode !== undefined ? ` (code ${closeCode}${closeReason ? ` ${closeReason}` : ''})` : ''),
    );
  }
}

export interface ViolationLike {
  pointer: string;
  keyword: string;
  message: string;
  value?: unknown;
  code: OcppErrorCode;
}

/** The peer's payload (request or response) violates the OCA schema. */
export class PayloadSchemaError extends OcppjError {
  get errorKind(): ErrorKind {
    return 'FormatViolation';
  }
  constructor(
    readonly action: string,
    readonly direction: 'request' | 'response',
    readonly violations: readonly ViolationLike[],
    raw: string,
    messageId: string,
  ) {
    super(`${action} ${direction} violates the schema: ${violations.map((v) => v.message).join('; ')}`, raw, messageId);
  }
}

/** The harness was about to send an invalid frame without opting in: a harness fault (ERROR), never sent. */
export class OutboundSchemaError extends OcppjError {
  readonly errorKind = 'InternalError' as const;
  constructor(
    readonly action: string,
    readonly direction: 'request' | 'response',
    readonly violations: readonly ViolationLike[],
  ) {
    super(`harness refused to send an invalid ${action} ${direction}: ${violations.map((v) => v.message).join('; ')}`);
  }
}

/**
 * Thrown by a CALL handler to answer with a CALLERROR of a chosen kind (or an exact code, for faults
 * and negative tests that need a specific spelling).
 */
export class CallErrorReply extends Error {
  constructor(
    readonly kindOrCode: ErrorKind | string,
    readonly description = '',
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${kindOrCode}${description ? `: ${description}` : ''}`);
    this.name = 'CallErrorReply';
  }
}
