/**
 * Part 2 (round trips) and part 5 (memory): 1 000 profiles installed into the built-in station and read
 * back paginated, over loopback, against the same frames through bare ws sockets. Each run is a child
 * process (bench/roundtrip-child.ts) so that its peak RSS is its own.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RoundTripJob, RoundTripRun } from './roundtrip-child';
import { figure, ratio, type Figure } from './stats';

export interface RoundTripResult {
  profiles: number;
  pageSize: number;
  frames: number;
  reportFrames: number;
  megabytes: number;
  harness: Figure;
  bare: Figure;
  ratio: Figure;
  /** Bare ws plus JSON.stringify/JSON.parse of every frame: the floor of any OCPP-J peer. */
  json: Figure;
  ratioToJson: Figure;
  harnessCpu: Figure;
  bareCpu: Figure;
  cpuRatio: Figure;
  /** Time inside the built-in station's handlers (the simulated device's own work). */
  stationModel: Figure;
  /** (harness − station model) ÷ bare: the cost of the two harness endpoints alone. */
  ratioWithoutModel: Figure;
  /** Issue #14, fair figure (the second exchange in the process): one harness endpoint against a bare replay device ÷ two bare ws peers. */
  fair: Figure;
  fairRatio: Figure;
  /** fair ÷ json: the harness's cost above what any OCPP-J peer pays (ws + JSON both ways), issue #14. */
  fairRatioToJson: Figure;
  fairCpu: Figure;
  fairCpuRatio: Figure;
  /**
   * Issue #14 target: the same three exchanges in the steady state (median of exchanges 8–12 of each process,
   * once the JIT optimised both ends). The target compares with the ws + JSON peers: the bare peer is
   * "plain ws + JSON", and the byte replay (no parse, no encode) is below what any OCPP-J endpoint can do.
   */
  steady: { fair: Figure; json: Figure; bare: Figure; fairToJson: Figure; fairToBare: Figure; fairCpu: Figure; jsonCpu: Figure; fairCpuToJson: Figure };
  memory: { harnessPeakRss: Figure; harnessMaxRss: Figure; barePeakRss: Figure; harnessHeapUsed: Figure };
}

/**
 * Exchanges after the measured one in each replay process: the median of the last five (exchanges 8–12 of
 * the process) is the steady-state figure. By the fifth exchange the harness's code is still being optimised
 * (measured: fair ÷ JSON 1.45–1.55x at the 5th exchange, 1.29x at the 11th, on the same machine).
 */
const STEADY_RUNS = 10;

function steadyOf(r: RoundTripRun): { ms: number; cpuMs: number } {
  if (!r.steady) throw new Error(`round-trip child (${r.mode}) returned no steady-state figure`);
  return r.steady;
}

function runChild(job: RoundTripJob): Promise<RoundTripRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', path.join(__dirname, 'roundtrip-child.js'), JSON.stringify(job)], { timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`round-trip child (${job.mode}) failed: ${stderr.trim() || err.message}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as RoundTripRun);
      } catch {
        reject(new Error(`round-trip child (${job.mode}) printed no result: ${stdout}${stderr}`));
      }
    });
  });
}

export async function benchRoundTrips(opts: { samples: number; profiles: number; pageSize: number; log: (s: string) => void }): Promise<RoundTripResult> {
  if (opts.samples < 1) throw new Error('round trips: at least one sample');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-bench-'));
  const script = path.join(dir, 'frames.json');
  // Replays: one warm-up exchange, the measured one, then STEADY_RUNS more, the last five measured again.
  const base = { profiles: opts.profiles, pageSize: opts.pageSize, warmupProfiles: 100, script, steadyRuns: STEADY_RUNS };
  const h: RoundTripRun[] = [];
  const b: RoundTripRun[] = [];
  const j: RoundTripRun[] = [];
  const fr: RoundTripRun[] = [];
  try {
    for (let i = 0; i < opts.samples; i++) {
      // Every harness run captures its frames; the bare run that follows replays exactly those.
      h.push(await runChild({ ...base, mode: 'harness' }));
      b.push(await runChild({ ...base, mode: 'bare' }));
      j.push(await runChild({ ...base, mode: 'json' }));
      fr.push(await runChild({ ...base, mode: 'fair' }));
      opts.log(
        `round trips ${i + 1}/${opts.samples}: harness ${h[i]!.ms.toFixed(0)} ms (station model ${h[i]!.stationModelMs!.toFixed(0)} ms), bare ws ${b[i]!.ms.toFixed(0)} ms, ws + JSON ${j[i]!.ms.toFixed(0)} ms, harness vs replay peer ${fr[i]!.ms.toFixed(0)} ms; steady state: bare ${steadyOf(b[i]!).ms.toFixed(0)}, JSON ${steadyOf(j[i]!).ms.toFixed(0)}, harness vs replay peer ${steadyOf(fr[i]!).ms.toFixed(0)} ms`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const harness = figure(h.map((r) => r.ms), 'ms');
  const bare = figure(b.map((r) => r.ms), 'ms');
  const json = figure(j.map((r) => r.ms), 'ms');
  const harnessCpu = figure(h.map((r) => r.cpuMs), 'ms');
  const bareCpu = figure(b.map((r) => r.cpuMs), 'ms');
  const fair = figure(fr.map((r) => r.ms), 'ms');
  const fairCpu = figure(fr.map((r) => r.cpuMs), 'ms');
  const steadyFair = figure(fr.map((r) => steadyOf(r).ms), 'ms');
  const steadyJson = figure(j.map((r) => steadyOf(r).ms), 'ms');
  const steadyBare = figure(b.map((r) => steadyOf(r).ms), 'ms');
  const steadyFairCpu = figure(fr.map((r) => steadyOf(r).cpuMs), 'ms');
  const steadyJsonCpu = figure(j.map((r) => steadyOf(r).cpuMs), 'ms');
  const stationModel = figure(h.map((r) => r.stationModelMs ?? 0), 'ms');
  const withoutModel = figure(h.map((r) => r.ms - (r.stationModelMs ?? 0)), 'ms');
  return {
    profiles: opts.profiles,
    pageSize: opts.pageSize,
    frames: h[0]!.frames,
    reportFrames: h[0]!.reportFrames,
    megabytes: h[0]!.bytes / 1e6,
    harness,
    bare,
    ratio: ratio(harness, bare),
    json,
    ratioToJson: ratio(harness, json),
    harnessCpu,
    bareCpu,
    cpuRatio: ratio(harnessCpu, bareCpu),
    stationModel,
    ratioWithoutModel: ratio(withoutModel, bare),
    fair,
    fairRatio: ratio(fair, bare),
    fairRatioToJson: ratio(fair, json),
    fairCpu,
    fairCpuRatio: ratio(fairCpu, bareCpu),
    steady: {
      fair: steadyFair,
      json: steadyJson,
      bare: steadyBare,
      fairToJson: ratio(steadyFair, steadyJson),
      fairToBare: ratio(steadyFair, steadyBare),
      fairCpu: steadyFairCpu,
      jsonCpu: steadyJsonCpu,
      fairCpuToJson: ratio(steadyFairCpu, steadyJsonCpu),
    },
    memory: {
      harnessPeakRss: figure(h.map((r) => r.peakRssMiB), 'MiB'),
      harnessMaxRss: figure(h.map((r) => r.maxRssMiB), 'MiB'),
      barePeakRss: figure(b.map((r) => r.peakRssMiB), 'MiB'),
      harnessHeapUsed: figure(h.map((r) => r.heapUsedMiB), 'MiB'),
    },
  };
}
