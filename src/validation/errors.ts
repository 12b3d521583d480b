import type { OcppVersion } from '../ocpp/version';

/** Direction of a message payload: the CALL payload ('request') or the CALLRESULT payload ('response'). */
export type Direction = 'request' | 'response';

/** No schema exists for (version, action, direction). Never treated as a pass. */
export class MissingSchemaError extends Error {
  override readonly name = 'MissingSchemaError';
  constructor(
    readonly version: OcppVersion,
    readonly action: string,
    readonly direction: Direction,
  ) {
    super(`no OCPP ${version} schema for ${action} ${direction}`);
  }
}

/** The schemas/ folder, a schema file or the manifest could not be found, read, parsed or compiled. */
export class SchemaLoadError extends Error {
  override readonly name = 'SchemaLoadError';
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The start-up self-test of the validator (catalogue SC-X-02 (a)) found false results; the run must abort. */
export class ValidatorSelfTestError extends Error {
  override readonly name = 'ValidatorSelfTestError';
  constructor(
    readonly version: OcppVersion,
    readonly failures: readonly string[],
  ) {
    super(
      `validator self-test failed for OCPP ${version} (${failures.length} problem${failures.length === 1 ? '' : 's'}): ` +
        failures.slice(0, 10).join('; ') +
        (failures.length > 10 ? `; … ${failures.length - 10} more` : ''),
    );
  }
}
