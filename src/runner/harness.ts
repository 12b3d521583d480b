import { readFileSync } from 'node:fs';
import { projectRoot } from '../validation';
import { join } from 'node:path';

/** Name and version of this harness, from its package.json (reports and JUnit properties). */
export const HARNESS: { name: string; version: string } = (() => {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version };
  } catch {
    return { name: 'ocpp-conformance', version: '0.0.0' };
  }
})();
