/** Part 4 — start-up: `ocpp-conformance run --list` against `node -e 0`, spawned alternately. */
import Ajv from 'ajv';
import { CONFIG_SCHEMA } from '../src/runner/config';
import { CLI, timeNode } from './spawn';
import { figure, ratio, type Figure } from './stats';

export interface StartupResult {
  node: Figure;
  list: Figure;
  ratio: Figure;
  listedCases: string;
}

export async function benchStartup(opts: { samples: number; log: (s: string) => void }): Promise<StartupResult> {
  // The CLI compiles its config schema without meta-schema validation (start-up cost): check it here.
  const ajv = new Ajv({ strict: true, allowUnionTypes: true });
  if (!ajv.validateSchema(CONFIG_SCHEMA)) throw new Error(`CONFIG_SCHEMA is not a valid draft-07 schema: ${ajv.errorsText()}`);
  // Warm the file-system cache once for both.
  await timeNode(['-e', '0']);
  const warm = await timeNode([CLI(), 'run', '--list']);
  if (warm.code !== 0) throw new Error(`run --list exited ${warm.code}: ${warm.stderr.trim()}`);
  const n: number[] = [];
  const l: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    n.push((await timeNode(['-e', '0'])).ms);
    l.push((await timeNode([CLI(), 'run', '--list'])).ms);
  }
  opts.log(`start-up: node -e 0 ${n.map((x) => x.toFixed(0)).join(' ')} ms; run --list ${l.map((x) => x.toFixed(0)).join(' ')} ms`);
  const node = figure(n, 'ms');
  const list = figure(l, 'ms');
  return { node, list, ratio: ratio(list, node), listedCases: warm.stdout.trim().split('\n').pop() ?? '' };
}
