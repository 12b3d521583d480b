import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RunConfig } from '../../src/runner/config';
import { runConformance, type RunOutput } from '../../src/runner/runner';
import { loadSuites } from '../../src/runner/loader';
import { ReferenceStation } from '../../src/reference';

type StationOptions = Omit<ConstructorParameters<typeof ReferenceStation>[0], 'url' | 'version'>;

export interface ListeningRun {
  out: RunOutput;
  /** "METHOD /path?query" of every request the station-action endpoint received. */
  hits: string[];
}

/**
 * A harness run that listens (`run --listen`, not the in-process built-in peer) with a ReferenceStation
 * that connects when the harness prints its waiting notice, plus a local HTTP endpoint standing in for a
 * bench's station actions (plug in, reboot). `answer` gives the endpoint's status code per request.
 */
export async function runWithListeningStation(opts: {
  ocpp: '1.6' | '2.0.1' | '2.1';
  /** The run config; `base` is the station-action endpoint's URL (http://127.0.0.1:port). */
  config: (base: string) => RunConfig;
  station: StationOptions;
  answer: (req: IncomingMessage, station: ReferenceStation | undefined) => number;
}): Promise<ListeningRun> {
  let station: ReferenceStation | undefined;
  const hits: string[] = [];
  const http: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.statusCode = opts.answer(req, station);
    res.end('{}');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
    const out = await runConformance({
      config: opts.config(base),
      suites: loadSuites(['smartcharging']),
      reporter: { onRunEnd: () => undefined },
      fixturesDir: join(__dirname, '..', '..', 'fixtures'),
      notice: (line) => {
        const url = waitingUrl(line);
        if (!url || station) return;
        station = new ReferenceStation({ ...opts.station, version: opts.ocpp, url });
        void station.start().catch(() => undefined);
      },
    });
    return { out, hits };
  } finally {
    await station?.stop();
    await new Promise<void>((r) => http.close(() => r()));
  }
}

/** The base ws:// URL in the harness's "waiting for a Charging Station on …" notice. */
export function waitingUrl(line: string): string | undefined {
  return /waiting for a Charging Station on (ws:\/\/\S+?)\/(?:<identity>|[^/\s]+)(?:\s|$)/.exec(line)?.[1];
}
