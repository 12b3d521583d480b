import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import type { OcppVersion } from '../ocpp/version';
import type { HarnessRole } from '../report/types';
import { checkEnvRefs } from './trigger/secrets';
import { ConfigError } from './errors';
import { CONFIG_SCHEMA } from './configSchema';
import { validate as generatedValidate } from './configValidate.generated';

export type RateUnit = 'A' | 'W';

/** What the device under test can do: declared in the config file, refined by discovery. */
export interface DeviceCapabilities {
  /** EVSEs (2.0.1) / connectors (1.6). */
  evses: number;
  connectorsPerEvse: number;
  rateUnits: RateUnit[];
  maxStackLevel: number;
  maxProfiles: number;
  periodsPerSchedule: number;
  nominalVoltage: number;
  /** Feature flags, e.g. { smartCharging: true, remoteStart: true, reset: false }. */
  features: Record<string, boolean>;
  /**
   * Limits the device was asked for and did not report, and the user did not declare (issue #12 item 7):
   * their value is only the harness default, so limit-based rejection checks are not judged against it.
   */
  unreported?: string[];
}

/** An http trigger (issue #13): request template, success rule, optional asynchronous callback. */
export interface HttpTriggerConfig {
  type: 'http';
  method?: string;
  url: string;
  /** Values may hold `${ENV:NAME}` / `{env.NAME}`: read at run time, never printed. */
  headers?: Record<string, string>;
  body?: unknown;
  /** Which answers mean "accepted" (default: any 2xx). A 2xx that breaks it is a refusal. */
  success?: { status?: number[]; pointer?: string; equals?: unknown };
  /** Where the CSMS's refusal text is in the answer, e.g. "/0/payload" (default: the body, clipped). */
  refusalPointer?: string;
  /** The CSMS posts the result to {callbackUrl}; the case may wait for it up to timeoutMs (default callTimeoutMs). */
  callback?: { timeoutMs?: number };
}

export type TriggerConfig = HttpTriggerConfig | { type: 'command'; command: string } | { type: 'manual'; prompt?: string };

/** A per-action entry: a whole trigger, or (no `type`) an override of the http default. */
export type TriggerOverride = TriggerConfig | (Partial<Omit<HttpTriggerConfig, 'type'>> & { type?: undefined });

export interface RunConfig {
  ocpp: OcppVersion;
  as: HarnessRole;
  /** as csms: HOST:PORT to listen on for the station. */
  listen?: string;
  /** as station: the CSMS to test. */
  url?: string;
  /** Station identity. As csms: the station expected (any, pinned on first connect, when unset). */
  identity?: string;
  security: {
    password?: string;
    tls?: { cert?: string; key?: string; ca?: string; requestClientCert?: boolean };
  };
  device: DeviceCapabilities;
  timing: {
    /** Δ: tolerance on instants (rules §10, OCTT lab value 4 s). */
    toleranceS: number;
    callTimeoutMs: number;
    caseTimeoutMs: number;
    /**
     * g: upper bound of the quiet periods for "no further frame" checks (issue #14: the quiet period used
     * follows the device's measured latency, src/runner/quiet.ts; this is the ceiling and the first value).
     */
    graceMs: number;
    /**
     * SC-X-07 (slow CSMS): how long the harness holds each ReportChargingProfiles answer (default 5000, the
     * catalogue value); never more than half the station's own CALL timeout when it reports one
     * (OCPPCommCtrlr.MessageTimeout).
     */
    slowAnswerMs?: number;
    /** How long to wait for the device to connect (as csms) or the connection to open (as station). */
    connectTimeoutMs: number;
    /** How long a station gets to reconnect and boot again after a reboot (Reset or the reboot action). */
    rebootTimeoutMs?: number;
    /**
     * 2.1 SC-21-04/05: how long after installing a Dynamic profile (dynUpdateInterval 2 s) the harness waits
     * for the station's first PullDynamicScheduleUpdate before K28.FR.10 FAILs (default 30000). A pull later
     * than 2 × the interval + Δ but within this wait is a WARN naming the delay (no text sets a tolerance).
     */
    dynamicPullTimeoutMs?: number;
  };
  /** What `manual(prompt)` does without a TTY: fail the case (error) or skip it. */
  manual: 'prompt' | 'fail' | 'skip';
  triggers: { default?: TriggerConfig; actions?: Record<string, TriggerOverride>; readBack?: TriggerConfig };
  /**
   * Station actions (issue #12): how the harness makes the station under test do what an operator or EV
   * would — plugIn, unplug, presentIdToken, reboot — configured like the triggers (http / command / manual).
   */
  stationActions?: Partial<Record<'plugIn' | 'unplug' | 'presentIdToken' | 'reboot', TriggerConfig>>;
  suites: string[];
  grep?: string;
  reporters: string[];
  out: string;
  bail: boolean;
  /**
   * Run slow cases and steps (tag `slow` / `slow-step`): those that wait for the peer's own call timeout
   * (issue #13 item 7). Off by default: a default run never waits for a CSMS timeout.
   */
  includeSlow?: boolean;
  /** CI gate (issue #15 §2): more skipped cases than this makes exit code 2 (--fail-on-skip = 0). */
  maxSkipped?: number;
  /** Faults injected into the built-in reference peer (mutation self-test). */
  builtinFaults: string[];
  /** Legitimate variations of the built-in station (STATION_QUIRKS), e.g. no EV after a remote start. */
  builtinQuirks: string[];
  /**
   * Device fields set by a config layer (file or CLI), e.g. "maxProfiles", "features.reset"; filled by
   * mergeConfig so the effective profile can say declared vs default (issue #12 item 7).
   */
  declaredDevice?: string[];
  /**
   * The harness's answers as CSMS (issue #12 item 6): the idTag policy of Authorize / StartTransaction /
   * TransactionEvent (so a station's own sessions can be refused; the harness's own tokens are always
   * Accepted) and the first 1.6 transactionId it assigns (1.6 §6.46: any integer).
   */
  csms: CsmsAnswers;
}

/** idTagInfo / idTokenInfo status values common to 1.6 AuthorizationStatus and 2.0.1 AuthorizationStatusEnumType. */
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

export interface CsmsAnswers {
  authorize?: { default?: AuthorizationStatus; tokens?: Record<string, AuthorizationStatus> };
  /** 1.6: the first transactionId the harness assigns (default 1; at most 2^31-1). */
  firstTransactionId?: number;
}

export const DEFAULT_CONFIG: RunConfig = {
  ocpp: '2.0.1',
  as: 'csms',

  security: {},
  device: {
    evses: 2,
    connectorsPerEvse: 1,
    rateUnits: ['A', 'W'],
    maxStackLevel: 8,
    maxProfiles: 40,
    periodsPerSchedule: 24,
    nominalVoltage: 230,
    features: { smartCharging: true, remoteStart: true },
  },
  timing: { toleranceS: 4, callTimeoutMs: 30_000, caseTimeoutMs: 120_000, graceMs: 5_000, connectTimeoutMs: 60_000 },
  manual: 'fail',
  triggers: {},
  suites: ['smartcharging'],
  reporters: ['console', 'junit', 'json', 'html'],
  out: 'reports',
  bail: false,
  builtinFaults: [],
  builtinQuirks: [],
  csms: {},
};

export { CONFIG_SCHEMA };

// Defined with the other typed errors so trigger/secrets.ts can extend it without an import cycle.
export { ConfigError } from './errors';

// Compiled ahead of time (scripts/gen-config-validator.ts, strict mode: our own schema is linted, engineering
// notes §4; OCA schemas are not): loading ajv and compiling at every start was a third of `run --list`
// (issue #14 start-up, bench part 4). A type-only ajv import: nothing of ajv's compiler is loaded here.
const validateSchema = generatedValidate as unknown as ValidateFunction;

export type PartialConfig = {
  [K in keyof RunConfig]?: RunConfig[K] extends object ? (RunConfig[K] extends unknown[] ? RunConfig[K] : Partial<RunConfig[K]>) : RunConfig[K];
};

/** Validate a config object; errors name the field by JSON pointer, the bad value and what is allowed (issue #15 §4). */
export function validateConfig(data: unknown, source: string): PartialConfig {
  const v = validateSchema;
  if (!v(data)) {
    const msgs = (v.errors ?? []).map((e) => {
      if (e.keyword === 'additionalProperties') {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const near = nearestKey(key, knownKeys(e.instancePath));
        return `${e.instancePath}/${key} is not a known setting${near ? ` (did you mean "${near}"?)` : ''}`;
      }
      if (e.keyword === 'required') return `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty} ${e.message}`;
      const field = e.instancePath || '/';
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ');
        return `${field} ${JSON.stringify(valueAt(data, e.instancePath))} is not one of the allowed values: ${allowed}`;
      }
      if (e.keyword === 'pattern' && PATTERN_HINTS[field]) return `${field} ${JSON.stringify(valueAt(data, e.instancePath))}: expected ${PATTERN_HINTS[field]}`;
      return `${field} ${e.message}`;
    });
    throw new ConfigError(`${source}: ${msgs.join('; ')}`);
  }
  return data as PartialConfig;
}

/** What a pattern-checked field expects, in words instead of the regex (issue #15 §4). */
const PATTERN_HINTS: Record<string, string> = {
  '/listen': 'HOST:PORT or PORT (e.g. 0.0.0.0:9000, or 9000 for 127.0.0.1:9000)',
  '/url': 'a ws:// or wss:// URL',
};

/** The value at a JSON pointer of the instance (for the message of an enum error). */
function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  }
  return cur;
}

type SchemaNode = { properties?: Record<string, SchemaNode>; additionalProperties?: unknown };

/** The known keys of the object at `pointer` in CONFIG_SCHEMA (array indices and map keys skipped). */
function knownKeys(pointer: string): string[] {
  let node: SchemaNode | undefined = CONFIG_SCHEMA as unknown as SchemaNode;
  for (const k of pointer.split('/').slice(1)) {
    const next: SchemaNode | undefined = node?.properties?.[k] ?? (typeof node?.additionalProperties === 'object' ? (node.additionalProperties as SchemaNode) : undefined);
    node = next;
  }
  return Object.keys(node?.properties ?? {}).filter((k) => k !== '$schema');
}

/** The known key closest to a misspelt one (Levenshtein, case-insensitive), when it is close enough to be a typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function loadConfigFile(path: string): PartialConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const config = validateConfig(data, path);
  // A secret the triggers read from the environment must be there before the first case (issue #13).
  checkEnvRefs(config, path);
  return config;
}

/** defaults < file < CLI: nested objects merged one level deep (device, timing, security, triggers). */
export function mergeConfig(...layers: PartialConfig[]): RunConfig {
  const out: RunConfig = structuredClone(DEFAULT_CONFIG);
  const declared = new Set<string>();
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      const key = k as keyof RunConfig;
      if (key === 'device' && v && typeof v === 'object') {
        for (const [f, fv] of Object.entries(v as Record<string, unknown>)) {
          if (fv === undefined) continue;
          if (f === 'features' && fv && typeof fv === 'object') for (const n of Object.keys(fv)) declared.add(`features.${n}`);
          else declared.add(f);
        }
      }
      const cur = out[key];
      if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) {
        (out as unknown as Record<string, unknown>)[key] = { ...cur, ...(v as object) };
      } else {
        (out as unknown as Record<string, unknown>)[key] = v;
      }
    }
  }
  out.declaredDevice = [...declared];
  return out;
}

/**
 * `--listen`: HOST:PORT, :PORT or a bare PORT. A bare port binds loopback (127.0.0.1): exposing the
 * harness on every interface is a choice the user writes out (0.0.0.0:9000).
 */
export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = i < 0 ? '127.0.0.1' : listen.slice(0, i) || '127.0.0.1';
  const portText = listen.slice(i + 1);
  const port = Number(portText);
  if (!/^[0-9]{1,5}$/.test(portText) || port > 65535) throw new ConfigError(`--listen ${listen}: expected HOST:PORT or PORT (e.g. 0.0.0.0:9000, or 9000 for 127.0.0.1:9000), port 0..65535`);
  return { host, port };
}
