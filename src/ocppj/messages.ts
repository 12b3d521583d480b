/** OCPP-J message type numbers (OCPP-J 1.6 §4.1.3; 2.0.1 Part 4 §4.1.3; 2.1 adds 5 and 6). */
export const MessageType = {
  CALL: 2,
  CALLRESULT: 3,
  CALLERROR: 4,
  CALLRESULTERROR: 5,
  SEND: 6,
} as const;

export type Payload = Record<string, unknown>;

export interface Call {
  type: 'CALL';
  messageId: string;
  action: string;
  payload: Payload;
}
export interface CallResult {
  type: 'CALLRESULT';
  messageId: string;
  /** An object in a conforming frame; `null` is kept as received so the harness can judge it (rules §1.1). */
  payload: Payload | null;
}
export interface CallError {
  type: 'CALLERROR';
  messageId: string;
  errorCode: string;
  errorDescription: string;
  errorDetails: Payload;
}
/** 2.1 only: the answer to an invalid CALLRESULT. */
export interface CallResultError {
  type: 'CALLRESULTERROR';
  messageId: string;
  errorCode: string;
  errorDescription: string;
  errorDetails: Payload;
}
/** 2.1 only: an unconfirmed message. */
export interface Send {
  type: 'SEND';
  messageId: string;
  action: string;
  payload: Payload;
}

export type OcppMessage = Call | CallResult | CallError | CallResultError | Send;

/** messageId is at most 36 characters (OCPP-J 1.6 §4.1.4; 2.0.1 Part 4 §4.1.4). */
export const MAX_MESSAGE_ID_LENGTH = 36;
