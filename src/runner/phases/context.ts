import type { CallHandler, RpcSession } from '../../transport';
import type { CsmsStationState } from '../../csms';
import type { Reporter } from '../../report';
import type { SuiteDefinition } from '../../scenario/types';
import type { DeviceCapabilities, RunConfig } from '../config';
import type { CaseRun } from '../caseRun';
import type { PeerLink } from '../link';
import type { OutsideCollector } from '../outside';
import type { RunRuntime } from '../runtime';
import type { SelectedCase } from '../select';

/** A started in-process peer (the reference station or CSMS). */
export interface StartedPeer {
  url?: string;
  stop(): Promise<void>;
}

/** Factories for the built-in reference peers; injected so the runner stays independent of them. */
export interface BuiltinPeers {
  startStation(opts: { url: string; identity: string; config: RunConfig }): Promise<StartedPeer>;
  startCsms(opts: { config: RunConfig }): Promise<StartedPeer & { url: string }>;
}

/** Handlers the harness uses for inbound CALLs when it plays the station (answers like a conforming station). */
export type StationRoleFactory = (config: RunConfig) => { handlers: Record<string, CallHandler>; onSession?(s: RpcSession): void | Promise<void> };

export interface RunInput {
  config: RunConfig;
  suites: SuiteDefinition[];
  reporter: Reporter;
  signal?: AbortSignal;
  builtinPeers?: BuiltinPeers;
  stationRole?: StationRoleFactory;
  fixturesDir: string;
  /** One-line notices for the operator (stderr in the CLI). */
  notice?: (line: string) => void;
  input?: NodeJS.ReadableStream;
  promptOutput?: NodeJS.WritableStream;
}

/** Everything the phases of one run share. */
export interface RunContext {
  input: RunInput;
  config: RunConfig;
  reporter: Reporter;
  notice: (line: string) => void;
  signal: AbortSignal;
  builtin: boolean;
  selected: SelectedCase[];
  link: PeerLink;
  rt: RunRuntime;
  caps: DeviceCapabilities;
  csmsState: CsmsStationState;
  stationRole: ReturnType<StationRoleFactory> | undefined;
  capabilities: Record<string, unknown>;
  cleanups: (() => Promise<void>)[];
  /** The case that is running; violations and inbound CALLs go to it. */
  current: CaseRun | undefined;
  harnessErrors: WeakMap<CaseRun, Error[]>;
  /** SC-X-01 collects until the first case starts, SC-X-99 from then on (between and after cases). */
  outside: { connection: OutsideCollector; between: OutsideCollector; phase: 'connection' | 'between' };
  endpoint?: string;
  peerUnavailable?: string;
}
