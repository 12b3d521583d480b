/**
 * Part 3 — whole suite: wall and CPU time of the full SmartCharging station suites (2.0.1 and 1.6), through
 * the CLI as a user runs them, in two set-ups (issue #14):
 * - in-process: `run --ocpp V` against the built-in reference station (same process, loopback socket);
 * - socket: `run --ocpp V --listen 127.0.0.1:0` with `simulate station` as a separate process connecting to
 *   it — the set-up of a real device, where the quiet periods are not the built-in 1 s cap but follow the
 *   measured latency below the 5 s default upper bound (src/runner/quiet.ts).
 * Frames exchanged and the quiet periods used come from results.json.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, timeNode, type SpawnResult } from './spawn';
import { figure, ratio, type Figure } from './stats';

export type SuiteMode = 'in-process' | 'socket';

export interface SuiteRunResult {
  version: '2.0.1' | '1.6';
  mode: SuiteMode;
  cases: number;
  summary: Record<string, number>;
  frames: number;
  wall: Figure;
  /** CPU of the harness process. */
  cpu: Figure;
  /** socket: CPU of the `simulate station` process. */
  stationCpu?: Figure;
  maxRss: Figure;
  exitCodes: (number | null)[];
  /** results.json run.timing.quietMs of the last run. */
  quietMs?: Record<string, unknown> | null;
}

export interface SuiteRatio {
  version: '2.0.1' | '1.6';
  /** socket wall ÷ in-process wall. */
  wall: Figure;
}

interface ResultsJson {
  summary: Record<string, number>;
  run: { timing?: { quietMs?: Record<string, unknown> } | null };
  cases: { frames?: unknown[]; frameCount?: number; framesOmitted?: number }[];
}

const WAITING = /waiting for a Charging Station on (ws:\/\/\S+)\/<identity>/;

/** `run --listen` and, once it listens, `simulate station` pointed at it; the station is stopped after the run. */
async function socketRun(version: string, outDir: string, rusage: string, stationRusage: string): Promise<{ r: SpawnResult; station: SpawnResult | undefined }> {
  let child: ChildProcess | undefined;
  let station: Promise<SpawnResult> | undefined;
  const r = await timeNode([CLI(), 'run', '--ocpp', version, '--listen', '127.0.0.1:0', '--reporter', 'json', '--out', outDir], {
    rusageFile: rusage,
    timeoutMs: 300_000,
    onStderr: (all) => {
      const m = station ? undefined : WAITING.exec(all);
      if (!m) return;
      station = timeNode([CLI(), 'simulate', 'station', '--ocpp', version, '--url', m[1]!, '--identity', 'CS-BENCH-1'], {
        rusageFile: stationRusage,
        timeoutMs: 300_000,
        onSpawn: (c) => (child = c),
      });
    },
  });
  child?.kill('SIGTERM');
  return { r, station: station ? await station : undefined };
}

/**
 * One run at a time, the set-ups alternating (in-process, socket, in-process, …): started together, eight
 * runs on a 2-core machine measured each other's CPU contention rather than the harness (issue #14 first
 * measurement: 1.6 in-process 28 s together vs 16 s alone). Each run has its own processes, port and
 * report folder. About 4 minutes with two samples; `--quick` one.
 */
export async function benchSuites(opts: { samples: number; log: (s: string) => void }): Promise<{ runs: SuiteRunResult[]; ratios: SuiteRatio[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-bench-suite-'));
  const one = async (version: '2.0.1' | '1.6', mode: SuiteMode, i: number) => {
    const tag = `${version}-${mode}-${i}`;
    const outDir = path.join(dir, tag);
    const rusage = path.join(dir, `rusage-${tag}.json`);
    const { r, station } =
      mode === 'socket'
        ? await socketRun(version, outDir, rusage, path.join(dir, `rusage-station-${tag}.json`))
        : { r: await timeNode([CLI(), 'run', '--ocpp', version, '--reporter', 'json', '--out', outDir], { rusageFile: rusage, timeoutMs: 300_000 }), station: undefined };
    const file = path.join(outDir, 'results.json');
    if (!fs.existsSync(file)) throw new Error(`suite ${version} ${mode}: no results.json (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const results = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsJson;
    opts.log(`suite ${version} ${mode} run ${i + 1}: ${r.ms.toFixed(0)} ms wall, ${(r.cpuMs ?? NaN).toFixed(0)} ms CPU${station ? ` (station ${(station.cpuMs ?? NaN).toFixed(0)} ms CPU)` : ''}, exit ${r.code}`);
    return { r, station, results };
  };
  try {
    const combos = (['2.0.1', '1.6'] as const).flatMap((version) => (['in-process', 'socket'] as const).map((mode) => ({ version, mode })));
    const all: Awaited<ReturnType<typeof one>>[][] = combos.map(() => []);
    for (let i = 0; i < opts.samples; i++) for (const [k, c] of combos.entries()) all[k]!.push(await one(c.version, c.mode, i));
    const runs = combos.map(({ version, mode }, k): SuiteRunResult => {
      const rs = all[k]!;
      const results = rs[rs.length - 1]!.results;
      return {
        version,
        mode,
        cases: results.cases.length,
        summary: results.summary,
        frames: results.cases.reduce((n, c) => n + (c.frameCount ?? c.frames?.length ?? 0) + (c.framesOmitted ?? 0), 0),
        wall: figure(rs.map((x) => x.r.ms), 'ms'),
        cpu: figure(rs.map((x) => x.r.cpuMs ?? NaN), 'ms'),
        ...(mode === 'socket' ? { stationCpu: figure(rs.map((x) => x.station?.cpuMs ?? NaN), 'ms') } : {}),
        maxRss: figure(rs.map((x) => x.r.maxRssMiB ?? NaN), 'MiB'),
        exitCodes: rs.map((x) => x.r.code),
        quietMs: results.run.timing?.quietMs ?? null,
      };
    });
    const ratios = (['2.0.1', '1.6'] as const).map((version) => {
      const get = (mode: SuiteMode) => runs.find((x) => x.version === version && x.mode === mode)!.wall;
      return { version, wall: ratio(get('socket'), get('in-process')) };
    });
    return { runs, ratios };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
