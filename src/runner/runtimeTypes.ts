export type { CallOptions, Reply, RpcSession, ProtocolViolation } from '../transport';
export type { TraceFrame } from '../report/types';
