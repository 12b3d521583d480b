/**
 * Part 3 — whole suite: wall time of the full SmartCharging suites (2.0.1 and 1.6) against the built-in
 * reference station, through the CLI as a user runs it, and the number of frames exchanged (results.json).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, timeNode } from './spawn';
import { figure, type Figure } from './stats';

export interface SuiteRunResult {
  version: '2.0.1' | '1.6';
  cases: number;
  summary: Record<string, number>;
  frames: number;
  wall: Figure;
  cpu: Figure;
  maxRss: Figure;
  exitCodes: (number | null)[];
}

interface ResultsJson {
  summary: Record<string, number>;
  cases: { frames?: unknown[]; frameCount?: number; framesOmitted?: number }[];
}

/**
 * The suites spend most of their wall time waiting on purpose (quiet windows after reports, timers), not
 * computing (CPU is a few percent of wall): all runs of both versions are started together so that the
 * part stays within about a minute. Each run has its own process, port and report folder.
 */
export async function benchSuites(opts: { samples: number; log: (s: string) => void }): Promise<SuiteRunResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-bench-suite-'));
  const one = async (version: '2.0.1' | '1.6', i: number) => {
    const outDir = path.join(dir, `${version}-${i}`);
    const r = await timeNode([CLI(), 'run', '--ocpp', version, '--reporter', 'json', '--out', outDir], { rusageFile: path.join(dir, `rusage-${version}-${i}.json`), timeoutMs: 300_000 });
    const file = path.join(outDir, 'results.json');
    if (!fs.existsSync(file)) throw new Error(`suite ${version}: no results.json (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const results = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsJson;
    opts.log(`suite ${version} run ${i + 1}: ${r.ms.toFixed(0)} ms wall, ${(r.cpuMs ?? NaN).toFixed(0)} ms CPU, exit ${r.code}`);
    return { r, results };
  };
  try {
    const versions = ['2.0.1', '1.6'] as const;
    const runs = await Promise.all(versions.map((v) => Promise.all(Array.from({ length: opts.samples }, (_, i) => one(v, i)))));
    return versions.map((version, k) => {
      const rs = runs[k]!;
      const results = rs[rs.length - 1]!.results;
      return {
        version,
        cases: results.cases.length,
        summary: results.summary,
        frames: results.cases.reduce((n, c) => n + (c.frameCount ?? c.frames?.length ?? 0) + (c.framesOmitted ?? 0), 0),
        wall: figure(rs.map((x) => x.r.ms), 'ms'),
        cpu: figure(rs.map((x) => x.r.cpuMs ?? NaN), 'ms'),
        maxRss: figure(rs.map((x) => x.r.maxRssMiB ?? NaN), 'MiB'),
        exitCodes: rs.map((x) => x.r.code),
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
