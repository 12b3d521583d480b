import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SuiteDefinition } from '../scenario/types';
import { projectRoot } from '../validation';

export class SuiteLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteLoadError';
  }
}

/** Built-in suites by name: compiled with the package (dist/suites), sources in suites/. */
export const BUILTIN_SUITES: Record<string, string[]> = {
  smartcharging: ['smartcharging-cs', 'smartcharging-csms'],
};

function builtinFile(name: string): string | undefined {
  const root = projectRoot();
  const compiled = join(root, 'dist', 'suites', `${name}.js`);
  const source = join(root, 'suites', `${name}.ts`);
  // Under jest (ts-jest) the sources are loaded so tests never run a stale build.
  const order = underJest() ? [source, compiled] : [compiled, source];
  for (const f of order) if (existsSync(f)) return f;
  return undefined;
}

/**
 * Load suites by built-in name or by path. TypeScript suite files are loaded without a build step
 * through tsx's CommonJS loader.
 */
export function loadSuites(specs: readonly string[], cwd = process.cwd()): SuiteDefinition[] {
  const out: SuiteDefinition[] = [];
  for (const spec of specs) {
    const files = BUILTIN_SUITES[spec.toLowerCase()]?.map((n) => builtinFile(n)).filter((f): f is string => !!f) ?? [];
    if (!files.length) {
      const f = builtinFile(spec) ?? (isAbsolute(spec) ? spec : resolve(cwd, spec));
      if (!existsSync(f)) throw new SuiteLoadError(`suite "${spec}" is neither a built-in suite (${Object.keys(BUILTIN_SUITES).join(', ')}) nor a file`);
      files.push(f);
    }
    for (const file of files) out.push(...loadFile(file));
  }
  return out;
}

function loadFile(file: string): SuiteDefinition[] {
  let mod: Record<string, unknown>;
  try {
    mod = file.endsWith('.ts') && !underJest()
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('tsx/cjs/api') as { require: (id: string, from: string) => Record<string, unknown> }).require(file, __filename)
      : // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require(file) as Record<string, unknown>);
  } catch (e) {
    throw new SuiteLoadError(`cannot load suite ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const candidates = [mod.default, ...Object.values(mod)].flatMap((v) => (Array.isArray(v) ? v : [v]));
  const suites = [...new Set(candidates.filter((v): v is SuiteDefinition => !!v && typeof v === 'object' && Array.isArray((v as SuiteDefinition).cases) && typeof (v as SuiteDefinition).name === 'string'))];
  if (!suites.length) throw new SuiteLoadError(`${file} exports no suite (use defineSuite)`);
  return suites;
}

/**
 * Whether this module runs inside jest, whose module wrapper provides `jest` and transforms .ts itself.
 * (JEST_WORKER_ID is not enough: a CLI spawned by a test inherits it.)
 */
function underJest(): boolean {
  return typeof jest !== 'undefined';
}
