/** Spawning the built CLI from tests (test/cli/*). */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'ocpp-conformance.js');
export const MINI = path.join(ROOT, 'test', 'runner', 'fixtures', 'mini-suite.ts');
export const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const children = new Set<ChildProcess>();

/** The child's environment: no jest marker (the loader would skip tsx), no colour. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.JEST_WORKER_ID;
  delete env.FORCE_COLOR;
  return env;
}

/**
 * Spawn the CLI. `onStderr` sees the accumulated stderr after every chunk (to react, e.g. send a
 * signal). The child is killed if it has not exited within `timeoutMs` (the test then fails on the code).
 */
export function cli(
  args: string[],
  opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; onStderr?: (text: string, child: ChildProcess) => void } = {},
): Promise<Exit> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...childEnv(), ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    opts.onStderr?.(stderr, child);
  });
  const limit = opts.timeoutMs ?? 20_000;
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr: stderr + (signal === 'SIGKILL' ? `\n[test] killed after ${limit} ms` : ''), ms: Date.now() - t0 });
    });
  });
}

/** Build dist/ when it is missing (the tests spawn bin/ocpp-conformance.js). */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  }
}

export function killChildren(): void {
  for (const c of children) c.kill('SIGKILL');
}
