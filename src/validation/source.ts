import fs from 'fs';
import path from 'path';
import { SchemaLoadError } from './errors';

const PACKAGE_NAME = 'ocpp-conformance';

let cachedRoot: string | undefined;

/**
 * The project root: the nearest directory above this file whose package.json is named ocpp-conformance.
 * Works from `src/validation/` (ts-jest) and from `dist/src/validation/` (compiled).
 */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pkgFile = path.join(dir, 'package.json');
    if (fs.existsSync(pkgFile)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { name?: unknown };
        if (pkg.name === PACKAGE_NAME) {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new SchemaLoadError(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
    }
    dir = parent;
  }
}

/** The project's generated `schemas/` folder. */
export function schemasDir(): string {
  return path.join(projectRoot(), 'schemas');
}

/** Shape of schemas/manifest.json (written by scripts/sync-schemas.js). */
export interface SchemaManifest {
  source: string;
  package: { name: string; version: string; license: string };
  contentLicense: string;
  sources: { file: string; sha256: string }[];
  counts: Record<string, number>;
  /** sha256 of the manifest lines "<sha256>  <path>\n" of all files, in `files` order. */
  sha256: string;
  sha256Of: string;
  /** In-memory compatibility adjustments made at load (listed in every report). */
  adjustments: string[];
  files: Record<string, string>;
}

const manifests = new Map<string, SchemaManifest>();

/** The parsed manifest of a schemas folder (default: the project's), read once per process. */
export function schemaManifest(dir: string = schemasDir()): SchemaManifest {
  const cached = manifests.get(dir);
  if (cached) return cached;
  const file = path.join(dir, 'manifest.json');
  let manifest: SchemaManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaManifest;
  } catch (err) {
    throw new SchemaLoadError(`cannot read schema manifest ${file} (run npm run schemas:sync)`, file, { cause: err });
  }
  if (typeof manifest.source !== 'string' || typeof manifest.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(manifest.sha256)) {
    throw new SchemaLoadError(`schema manifest ${file} lacks source or sha256`, file);
  }
  manifests.set(dir, manifest);
  return manifest;
}

/** Where the schemas come from and the combined sha256 of all schema files (for every report). */
export function schemaSource(): { source: string; sha256: string } {
  const m = schemaManifest();
  return { source: m.source, sha256: m.sha256 };
}
