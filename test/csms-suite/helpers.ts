import { join } from 'node:path';
import { runConformance, type RunOutput } from '../../src/runner/runner';
import { mergeConfig, type PartialConfig, type RunConfig } from '../../src/runner/config';
import { loadSuites } from '../../src/runner/loader';
import { builtinPeers, stationRole } from '../../src/reference';
import type { SuiteDefinition } from '../../src/scenario/types';

export const ROOT = join(__dirname, '..', '..');

/** Short loopback timings: the built-in CSMS answers at once. */
export function csmsConfig(ocpp: '1.6' | '2.0.1' | '2.1', extra: PartialConfig = {}): RunConfig {
  return mergeConfig(
    { as: 'station', ocpp, reporters: [], out: '/tmp/ocpp-conformance-csms-suite' },
    { timing: { callTimeoutMs: 4000, caseTimeoutMs: 60_000, graceMs: 300, connectTimeoutMs: 5000, toleranceS: 4 } },
    extra,
  );
}

export async function runCsms(config: RunConfig, suites: SuiteDefinition[] = loadSuites(['smartcharging-csms']), io: { input?: NodeJS.ReadableStream; promptOutput?: NodeJS.WritableStream } = {}): Promise<RunOutput> {
  return runConformance({
    config,
    suites,
    reporter: { onRunEnd: () => undefined },
    builtinPeers: builtinPeers(),
    stationRole,
    fixturesDir: join(ROOT, 'fixtures'),
    ...io,
  });
}
