/**
 * The reporter interface and the multiplexer that fans a run out to several reporters
 * (engineering-notes §7: every reporter is called, one failing reporter never stops the others, and the
 * first failure is kept so the runner can turn e.g. an unwritable junit.xml into exit code 2).
 */
import type { OcppVersion } from '../ocpp/version';
import type { CaseResult, DeviceInfo, HarnessRole, RunResult } from './types';

export interface RunBeginInfo {
  ocpp: OcppVersion;
  as: HarnessRole;
  device: DeviceInfo;
  /** Number of cases selected. */
  total: number;
}

export interface CaseBeginInfo {
  id: string;
  title: string;
}

/** The effective device profile (issue #12 item 7), announced before the first case. */
export interface DeviceProfileInfo {
  entries: { field: string; value: unknown; source: string; key?: string; note?: string }[];
  /** Declared values the device contradicts (rules §9.3). */
  mismatches: string[];
}

export interface Reporter {
  /** Used in error messages of the multiplexer. */
  readonly name?: string;
  onRunBegin?(info: RunBeginInfo): void;
  onDeviceProfile?(info: DeviceProfileInfo): void;
  onCaseBegin?(c: CaseBeginInfo): void;
  onCaseEnd?(result: CaseResult): void;
  onRunEnd(run: RunResult): Promise<void> | void;
}

export type ReporterHook = 'onRunBegin' | 'onDeviceProfile' | 'onCaseBegin' | 'onCaseEnd' | 'onRunEnd';

/** A reporter threw (or its onRunEnd rejected). `cause` is the original error. */
export class ReporterError extends Error {
  override readonly name = 'ReporterError';
  constructor(
    readonly reporter: string,
    readonly hook: ReporterHook,
    override readonly cause: unknown,
  ) {
    super(`reporter ${reporter} failed in ${hook}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface MultiplexerOptions {
  /** Called for every reporter failure (e.g. to print a warning); must not throw (it is guarded too). */
  onError?: (error: ReporterError) => void;
}

export class ReporterMultiplexer implements Reporter {
  readonly name = 'multiplexer';
  private readonly reporters: Reporter[];
  private readonly failures: ReporterError[] = [];

  constructor(reporters: readonly Reporter[] = [], private readonly options: MultiplexerOptions = {}) {
    this.reporters = [...reporters];
  }

  add(reporter: Reporter): this {
    this.reporters.push(reporter);
    return this;
  }

  /** The reporters fanned out to, in call order. */
  get members(): readonly Reporter[] {
    return this.reporters;
  }

  /** The FIRST reporter failure of the run (Jest's getLastError idea), or undefined. */
  lastError(): ReporterError | undefined {
    return this.failures[0];
  }

  /** Every reporter failure, in order. */
  errors(): readonly ReporterError[] {
    return this.failures;
  }

  onRunBegin(info: RunBeginInfo): void {
    this.each('onRunBegin', (r) => r.onRunBegin?.(info));
  }

  onDeviceProfile(info: DeviceProfileInfo): void {
    this.each('onDeviceProfile', (r) => r.onDeviceProfile?.(info));
  }

  onCaseBegin(c: CaseBeginInfo): void {
    this.each('onCaseBegin', (r) => r.onCaseBegin?.(c));
  }

  onCaseEnd(result: CaseResult): void {
    this.each('onCaseEnd', (r) => r.onCaseEnd?.(result));
  }

  /** Calls every reporter in turn (awaiting each); never rejects. */
  async onRunEnd(run: RunResult): Promise<void> {
    for (let i = 0; i < this.reporters.length; i++) {
      const r = this.reporters[i]!;
      try {
        await r.onRunEnd(run);
      } catch (e) {
        this.record(r, i, 'onRunEnd', e);
      }
    }
  }

  private each(hook: ReporterHook, call: (r: Reporter) => unknown): void {
    for (let i = 0; i < this.reporters.length; i++) {
      const r = this.reporters[i]!;
      try {
        const ret = call(r);
        // A hook declared sync that returns a promise anyway: catch its rejection too.
        if (ret && typeof (ret as Promise<unknown>).then === 'function') {
          (ret as Promise<unknown>).then(undefined, (e: unknown) => this.record(r, i, hook, e));
        }
      } catch (e) {
        this.record(r, i, hook, e);
      }
    }
  }

  private record(r: Reporter, index: number, hook: ReporterHook, e: unknown): void {
    const err = new ReporterError(r.name ?? `#${index}`, hook, e);
    this.failures.push(err);
    try {
      this.options.onError?.(err);
    } catch {
      /* the error sink itself must not break the fan-out */
    }
  }
}
