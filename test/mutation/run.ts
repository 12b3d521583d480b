import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import { runConformance } from '../../src/runner/runner';
import { loadSuites } from '../../src/runner/loader';
import { builtinPeers, stationRole } from '../../src/reference';
import type { RunResult } from '../../src/report';
import { join } from 'node:path';

/** Run a built-in suite in-process against the built-in peer with the given faults; no report files. */
export async function runBuiltin(
  partial: PartialConfig,
): Promise<{ exitCode: number; result: RunResult; failed: string[]; errored: string[] }> {
  const config = mergeConfig(
    // Short CALL timeout so the `silence` fault costs seconds, not minutes, yet ample on a loaded CI box
    // running several suites at once (jest maxConcurrency).
    { timing: { callTimeoutMs: 4000, graceMs: 500, caseTimeoutMs: 60_000, connectTimeoutMs: 10_000 } },
    partial,
  );
  const { exitCode, result } = await runConformance({
    config,
    suites: loadSuites(['smartcharging']),
    reporter: { onRunEnd: () => undefined },
    builtinPeers: builtinPeers(),
    stationRole,
    fixturesDir: join(__dirname, '..', '..', 'fixtures'),
  });
  return {
    exitCode,
    result,
    failed: result.cases.filter((c) => c.verdict === 'failed').map((c) => c.id),
    errored: result.cases.filter((c) => c.verdict === 'error').map((c) => c.id),
  };
}
