/** Spawning the CLI (and plain node) for wall-time measurements. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { now } from './stats';
import { projectRoot } from '../src/validation';

export interface SpawnResult {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** From the preload, when asked for: CPU ms (user + system) and max RSS (MiB) of the child. */
  cpuMs?: number;
  maxRssMiB?: number;
}

export const CLI = (): string => path.join(projectRoot(), 'bin', 'ocpp-conformance.js');

/** Run `node ...args` in the project root; wall time from spawn to exit. */
export function timeNode(
  args: string[],
  opts: { rusageFile?: string; timeoutMs?: number; onStderr?: (all: string) => void; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<SpawnResult> {
  const nodeArgs = opts.rusageFile ? ['-r', path.join(__dirname, 'rusage-preload.js'), ...args] : args;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...(opts.rusageFile ? { OCPP_BENCH_RUSAGE: opts.rusageFile } : {}) };
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, nodeArgs, { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    opts.onSpawn?.(child);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = now() - t0;
      clearTimeout(timer);
      const r: SpawnResult = { ms, code, stdout, stderr };
      if (opts.rusageFile && fs.existsSync(opts.rusageFile)) {
        const u = JSON.parse(fs.readFileSync(opts.rusageFile, 'utf8')) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
        r.cpuMs = (u.userCPUTime + u.systemCPUTime) / 1000;
        r.maxRssMiB = u.maxRSS / 1024;
        fs.rmSync(opts.rusageFile, { force: true });
      }
      resolve(r);
    });
  });
}
