import fs from 'fs';
import path from 'path';
import type Ajv from 'ajv';
import type { AnySchemaObject, ValidateFunction } from 'ajv';
import { schemaDirOf, type OcppVersion } from '../ocpp/version';
import { MissingSchemaError, SchemaLoadError, type Direction } from './errors';
import { schemasDir } from './source';
import { toViolation, type ValidationResult, type Violation } from './violations';

/**
 * ajv options (engineering notes §4). `strict: false` because the OCA content trips strict mode;
 * `allErrors` to report every violation; `multipleOfPrecision: 6` against the 1.6 `multipleOf: 0.1` float trap
 * (rules §8). NEVER removeAdditional / coerceTypes / useDefaults: they would alter the payload and hide bugs.
 */
export const AJV_OPTIONS = Object.freeze({ strict: false, allErrors: true, multipleOfPrecision: 6 } as const);

/** The in-memory `$id` (a valid URN; fast-uri in ajv ≥ 8.17 refuses ocpp-rpc's `urn:X.req`). */
export function adjustedId(version: OcppVersion, fileBase: string): string {
  return `urn:ocpp:${version}:${fileBase}`;
}

interface Entry {
  action: string;
  direction: Direction;
  file: string;
  validate?: ValidateFunction;
}

const key = (action: string, direction: Direction): string => `${direction}:${action}`;

/**
 * The result of every valid payload: one frozen object instead of a fresh one (and a fresh array) per frame,
 * issue #14 per-frame allocations. Frozen so that no caller can alter what the next caller receives.
 */
const VALID: ValidationResult = Object.freeze({ valid: true, violations: Object.freeze([]) as unknown as Violation[] });

/** (action, direction) of a schema file name; undefined for a name that is not a schema. */
export function parseSchemaFileName(name: string): { action: string; direction: Direction } | undefined {
  const m = /^([A-Za-z0-9]+?)(Request|Response)?\.json$/.exec(name);
  if (!m) return undefined;
  // No suffix: a SEND message (2.1 NotifyPeriodicEventStream) — one payload, validated as 'request'.
  return { action: m[1], direction: m[2] === 'Response' ? 'response' : 'request' };
}

/**
 * Validator for one OCPP version: one Ajv instance, schemas read from `schemas/ocpp<version>/`, each compiled
 * once on first use (or all at once by `compileAll`). Validation never mutates the payload.
 */
export class SchemaValidator {
  readonly version: OcppVersion;
  readonly dir: string;
  private readonly entries = new Map<string, Entry>();
  /** The same entries by direction then action: no `direction:action` key string built per frame (issue #14). */
  private readonly byDirection: Record<Direction, Map<string, Entry>> = { request: new Map(), response: new Map() };
  private ajvInstance: Ajv | undefined;

  constructor(version: OcppVersion, options: { schemasDir?: string } = {}) {
    this.version = version;
    this.dir = path.join(options.schemasDir ?? schemasDir(), schemaDirOf(version));
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      throw new SchemaLoadError(`cannot read schema folder ${this.dir} (run npm run schemas:sync)`, this.dir, {
        cause: err,
      });
    }
    for (const name of names.sort()) {
      const parsed = parseSchemaFileName(name);
      if (!parsed) continue;
      const k = key(parsed.action, parsed.direction);
      if (this.entries.has(k)) {
        throw new SchemaLoadError(`two schema files for ${version} ${parsed.action} ${parsed.direction}`, name);
      }
      const entry: Entry = { ...parsed, file: path.join(this.dir, name) };
      this.entries.set(k, entry);
      this.byDirection[parsed.direction].set(parsed.action, entry);
    }
    if (this.entries.size === 0) {
      throw new SchemaLoadError(`no schema files in ${this.dir} (run npm run schemas:sync)`, this.dir);
    }
  }

  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      // Loaded on first use, not at import: commands that validate no frame (`run --list`, `--help`) do not
      // pay for ajv's ~60 modules (issue #14 start-up, bench part 4).
      const { default: AjvClass } = require('ajv') as typeof import('ajv');
      const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
      const ajv = new AjvClass({ ...AJV_OPTIONS });
      addFormats(ajv);
      this.ajvInstance = ajv;
    }
    return this.ajvInstance;
  }

  /** True when a schema exists for (action, direction). */
  has(action: string, direction: Direction): boolean {
    return this.byDirection[direction]?.has(action) ?? false;
  }

  /** Actions having a request schema, sorted. */
  actions(): string[] {
    return [...this.entries.values()]
      .filter((e) => e.direction === 'request')
      .map((e) => e.action)
      .sort();
  }

  /** Number of schema files of this version. */
  get size(): number {
    return this.entries.size;
  }

  /** Compile every schema now (start-up check); throws SchemaLoadError listing every failure. */
  compileAll(): void {
    const failures: string[] = [];
    for (const entry of this.entries.values()) {
      try {
        this.compiled(entry);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (failures.length) {
      throw new SchemaLoadError(
        `${failures.length} OCPP ${this.version} schema(s) failed to load: ${failures.join('; ')}`,
        this.dir,
      );
    }
  }

  /** Validate a parsed payload (not mutated). Throws MissingSchemaError when no schema exists. */
  validate(action: string, direction: Direction, payload: unknown): ValidationResult {
    const entry = this.byDirection[direction]?.get(action);
    if (!entry) throw new MissingSchemaError(this.version, action, direction);
    const fn = this.compiled(entry);
    if (fn(payload)) return VALID;
    const errors = fn.errors ?? [];
    return { valid: false, violations: errors.map((e) => toViolation(this.version, e, payload)) };
  }

  private compiled(entry: Entry): ValidateFunction {
    if (entry.validate) return entry.validate;
    let schema: AnySchemaObject;
    try {
      schema = JSON.parse(fs.readFileSync(entry.file, 'utf8')) as AnySchemaObject;
    } catch (err) {
      throw new SchemaLoadError(`cannot read schema ${entry.file}: ${(err as Error).message}`, entry.file, { cause: err });
    }
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
      throw new SchemaLoadError(`schema ${entry.file} is not a JSON object`, entry.file);
    }
    const fileBase = path.basename(entry.file, '.json');
    // In-memory adjustment (listed in schemas/README.md): valid URN $id; the object read from disk is a fresh copy.
    const adjusted: AnySchemaObject = { ...schema, $id: adjustedId(this.version, fileBase) };
    try {
      entry.validate = this.ajv.compile(adjusted);
    } catch (err) {
      throw new SchemaLoadError(
        `cannot compile OCPP ${this.version} schema ${fileBase}: ${(err as Error).message}`,
        entry.file,
        { cause: err },
      );
    }
    return entry.validate;
  }
}

const cache = new Map<OcppVersion, SchemaValidator>();

/** The process-wide validator of a version (one Ajv instance per version, schemas compiled lazily). */
export function getValidator(version: OcppVersion): SchemaValidator {
  let v = cache.get(version);
  if (!v) {
    v = new SchemaValidator(version);
    cache.set(version, v);
  }
  return v;
}
