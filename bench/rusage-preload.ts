/**
 * Preloaded (`node -r`) into CLI child processes by the benchmarks: on exit, writes the process's own
 * resource usage (CPU time, max RSS) to the file named by OCPP_BENCH_RUSAGE. Inert without that variable.
 */
import fs from 'node:fs';

const out = process.env.OCPP_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    fs.writeFileSync(out, JSON.stringify({ ...process.resourceUsage(), uptimeMs: process.uptime() * 1000 }));
  });
}
