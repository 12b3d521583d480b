import { join } from 'node:path';
import type { RunConfig } from '../../src/runner/config';
import { runConformance, type RunOutput } from '../../src/runner/runner';
import { loadSuites } from '../../src/runner/loader';
import type { ReferenceStation } from '../../src/reference';

/**
 * A listening run (`run --listen 127.0.0.1:0`) with a station started as soon as the harness announces
 * its URL, stopped after the run: the set-up of a real device over a real socket.
 */
export async function runWithStationOverSocket(config: RunConfig, station: (url: string) => ReferenceStation): Promise<RunOutput> {
  let started: ReferenceStation | undefined;
  const announce = /waiting for a Charging Station on (ws:\/\/\S+)\/<identity>/;
  try {
    return await runConformance({
      config,
      suites: loadSuites(['smartcharging']),
      reporter: { onRunEnd: () => undefined },
      fixturesDir: join(__dirname, '..', '..', 'fixtures'),
      notice: (line) => {
        const url = announce.exec(line)?.[1];
        if (!url || started) return;
        started = station(url);
        void started.start().catch(() => undefined);
      },
    });
  } finally {
    await started?.stop();
  }
}
