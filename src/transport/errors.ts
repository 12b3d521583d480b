/** Typed transport errors: one class per way a connection can fail to come up. */
export abstract class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** TCP/TLS/HTTP level failure reaching the peer (refused, unreachable, TLS, HTTP status). */
export class ConnectError extends TransportError {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The server did not select one of the offered subprotocols (a fatal error, not a retry). */
export class SubprotocolError extends TransportError {}

/** The station's credentials were refused (HTTP 401), security profile 1/2. */
export class AuthenticationError extends ConnectError {}
