import { ConsoleReporter, type OutputStream } from './console';
import { JsonReporter } from './json';
import { HtmlReporter } from './html';
import { JUnitReporter } from './junit';
import { GitHubReporter } from './github';
import { ReporterMultiplexer, type MultiplexerOptions, type Reporter } from './reporter';

export const REPORTER_NAMES = ['console', 'junit', 'json', 'html', 'github'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export class UnknownReporterError extends Error {
  override readonly name = 'UnknownReporterError';
  readonly known: readonly string[] = REPORTER_NAMES;
  constructor(readonly reporterName: string) {
    super(`unknown reporter "${reporterName}" (known: ${REPORTER_NAMES.join(', ')})`);
  }
}

export interface CreateReportersOptions extends MultiplexerOptions {
  /** Directory for junit.xml, results.json and report.html (created when written). */
  outDir: string;
  /** Console output stream (default process.stdout). */
  stream?: OutputStream;
  /** Explicit colour choice for the console reporter (CLI --color/--no-color). */
  color?: boolean;
  /** Environment for the colour decision (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Resolve reporter names ('console', 'junit', 'json', 'html'; case-insensitive; comma-separated lists accepted,
 * duplicates ignored) into one multiplexer. Throws UnknownReporterError before creating anything.
 */
export function createReporters(names: readonly string[], opts: CreateReportersOptions): ReporterMultiplexer {
  const wanted: ReporterName[] = [];
  for (const raw of names.flatMap((n) => n.split(','))) {
    const n = raw.trim().toLowerCase();
    if (n === '') continue;
    if (!(REPORTER_NAMES as readonly string[]).includes(n)) throw new UnknownReporterError(raw.trim());
    if (!wanted.includes(n as ReporterName)) wanted.push(n as ReporterName);
  }
  const reporters: Reporter[] = wanted.map((n) => {
    switch (n) {
      case 'console':
        return new ConsoleReporter({ stream: opts.stream, color: opts.color, env: opts.env });
      case 'junit':
        return new JUnitReporter({ outDir: opts.outDir });
      case 'json':
        return new JsonReporter({ outDir: opts.outDir });
      case 'html':
        return new HtmlReporter({ outDir: opts.outDir });
      case 'github':
        return new GitHubReporter({ stream: opts.stream, env: opts.env });
    }
  });
  return new ReporterMultiplexer(reporters, { onError: opts.onError });
}
