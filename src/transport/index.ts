export { RpcSession, Reply, type ProtocolViolation, type CallHandler, type CallOptions, type HandlerContext, type SessionOptions } from './session';
export { Trace, type TraceOptions } from './trace';
export { CsmsServer, type CsmsServerOptions, type RefusedHandshake } from './server';
export { connectStation, stationUrl, type StationConnectOptions } from './client';
export { ConnectError, SubprotocolError, AuthenticationError, TransportError } from './errors';
export { type TlsFiles, describeTlsError } from './tls';
