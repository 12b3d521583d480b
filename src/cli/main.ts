import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { isOcppVersion, type OcppVersion } from '../ocpp/version';
import { ConfigError, loadConfigFile, mergeConfig, parseListen, validateConfig, type PartialConfig, type RunConfig } from '../runner/config';
import { loadSuites, SuiteLoadError } from '../runner/loader';
import { notApplicable, selectCases, slowMarker } from '../runner/select';
import { withOutsideCases } from '../runner/outside';
import { createReporters, UnknownReporterError } from '../report';
import { HARNESS } from '../runner/harness';
import { projectRoot, selfTest } from '../validation';
import { addSimulateCommands } from './simulate';
import { octtCoverageLine } from './octtCoverage';
import { certificationCoverage, coverageText, type CoverageEntry } from '../octt';
// The runner and the reference peers (and through them ws, the transport and the SmartCharging model) load
// only when a run needs them: `run --list` does not (bench part 4, start-up).
const reference = (): typeof import('../reference') => require('../reference') as typeof import('../reference');
const runner = (): typeof import('../runner/runner') => require('../runner/runner') as typeof import('../runner/runner');

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** Usage problem: exit code 2. */
class UsageError extends Error {}

interface RunFlags {
  grace?: string;
  connectTimeout?: string;
  config?: string;
  ocpp?: string;
  as?: string;
  listen?: string;
  url?: string;
  identity?: string;
  password?: string;
  suite?: string[];
  grep?: string;
  list?: boolean;
  reporter?: string[];
  out?: string;
  timeout?: string;
  bail?: boolean;
  includeSlow?: boolean;
  builtinFault?: string[];
  builtinQuirk?: string[];
  manual?: string;
  color?: boolean;
  triggerUrl?: string;
  failOnSkip?: boolean;
  maxSkipped?: string;
  coverage?: boolean;
}

export function buildProgram(io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }, onExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('ocpp-conformance')
    .description('OCPP conformance harness: impersonates a CSMS or a Charging Station and checks SmartCharging behaviour')
    .version(HARNESS.version, '-V, --version')
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride()
    .showHelpAfterError();

  program
    .command('run')
    .description('run conformance suites against a device (with neither --listen nor --url: the built-in reference peer)')
    .option('--config <file>', 'device profile JSON (default ./ocpp-conformance.config.json when present)')
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(['1.6', '2.0.1', '2.1']))
    .addOption(new Option('--as <side>', 'the side the harness plays').choices(['csms', 'station']))
    .option('--listen <host:port>', 'as csms: listen for the station here (HOST:PORT, or PORT on 127.0.0.1)')
    .option('--url <ws-url>', 'as station: the CSMS to test')
    .option('--identity <id>', 'station identity')
    .option('--password <pw>', 'HTTP Basic password (security profile 1/2)')
    .option('--suite <name|path>', 'suite to run (repeatable)', collect)
    .option('--grep <regex>', 'only cases whose id, title, OCTT id, requirement or tag matches')
    .option('--list', 'list the selected cases without connecting')
    .option('--reporter <list>', 'reporters: console,junit,json,html,github', collect)
    .option('--out <dir>', 'report directory (default reports/)')
    .option('--timeout <ms>', 'per-case timeout in ms')
    .option('--grace <ms>', 'upper bound of the quiet periods ("nothing more arrives"), in ms (timing.graceMs)')
    .option('--connect-timeout <ms>', 'how long to wait for the device connection, in ms (timing.connectTimeoutMs)')
    .option('--bail', 'stop after the first failed or errored case')
    .option('--include-slow', 'also run slow cases and steps (those waiting for the peer\'s own call timeout)')
    .option('--fail-on-skip', 'CI gate: exit 2 when any selected case is skipped (same as --max-skipped 0)')
    .option('--max-skipped <n>', 'CI gate: exit 2 when more than N selected cases are skipped')
    .option('--coverage', 'print the OCTT SmartCharging coverage of this version and side for this device')
    .option('--builtin-fault <name>', 'inject a fault into the built-in reference peer (repeatable)', collect)
    .option('--builtin-quirk <name>', 'a legitimate variation of the built-in reference station, e.g. no-ev (repeatable)', collect)
    .addOption(new Option('--manual <mode>', 'operator actions: prompt on a TTY, or fail/skip').choices(['prompt', 'fail', 'skip']))
    .option('--trigger-url <base>', 'as station: HTTP trigger base URL, POST {base}/trigger/{identity}/{Action}')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (flags: RunFlags) => onExit(await runCommand(flags, io)));

  addSimulateCommands(program, io, onExit);
  return program;
}

function flagsToConfig(flags: RunFlags): PartialConfig {
  const p: PartialConfig = {};
  if (flags.ocpp) {
    if (!isOcppVersion(flags.ocpp)) throw new UsageError(`--ocpp ${flags.ocpp}: expected 1.6, 2.0.1 or 2.1`);
    p.ocpp = flags.ocpp as OcppVersion;
  }
  if (flags.as) p.as = flags.as as RunConfig['as'];
  if (flags.listen) p.listen = flags.listen;
  if (flags.url) p.url = flags.url;
  if (flags.identity) p.identity = flags.identity;
  if (flags.password) p.security = { password: flags.password };
  if (flags.suite?.length) p.suites = flags.suite;
  if (flags.grep) p.grep = flags.grep;
  if (flags.reporter?.length) p.reporters = flags.reporter as RunConfig['reporters'];
  if (flags.out) p.out = flags.out;
  const ms = (flag: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} ${v}: expected a ${min === 0 ? 'non-negative' : 'positive'} integer (ms)`);
    return n;
  };
  if (flags.timeout) p.timing = { ...p.timing, caseTimeoutMs: ms('--timeout', flags.timeout, 1) };
  if (flags.grace !== undefined) p.timing = { ...p.timing, graceMs: ms('--grace', flags.grace, 0) };
  if (flags.connectTimeout !== undefined) p.timing = { ...p.timing, connectTimeoutMs: ms('--connect-timeout', flags.connectTimeout, 1) };
  if (flags.bail) p.bail = true;
  if (flags.includeSlow) p.includeSlow = true;
  if (flags.maxSkipped !== undefined) {
    const n = Number(flags.maxSkipped);
    if (!/^\d+$/.test(flags.maxSkipped.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`--max-skipped ${flags.maxSkipped}: expected a whole number (0 or more)`);
    p.maxSkipped = n;
  }
  if (flags.failOnSkip) {
    if (flags.maxSkipped !== undefined && Number(flags.maxSkipped) !== 0) throw new UsageError('--fail-on-skip means --max-skipped 0: give one of them');
    p.maxSkipped = 0;
  }
  if (flags.builtinFault?.length) p.builtinFaults = flags.builtinFault;
  if (flags.builtinQuirk?.length) p.builtinQuirks = flags.builtinQuirk;
  if (flags.manual) p.manual = flags.manual as RunConfig['manual'];
  if (flags.triggerUrl) p.triggers = { default: { type: 'http', url: flags.triggerUrl } };
  // The CLI layer goes through the same schema as the file, so a bad flag names its field too.
  return validateConfig(p, 'command line');
}

async function runCommand(flags: RunFlags, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const say = (s: string) => io.err.write(`ocpp-conformance: ${s}\n`);
  // Signals are caught from the very start: a Ctrl-C during start-up still ends in written reports
  // (the runner sees the aborted signal and marks every case interrupted).
  const ac = new AbortController();
  let finished = false;
  const onSignal = (sig: string) => {
    if (finished || ac.signal.aborted) {
      // After the run (reports already written, the process is draining) or a second signal: leave
      // at once with 130. The handlers stay installed until exit so a late signal never kills the
      // process with a bare signal status instead.
      if (!finished) say(`${sig} again: exiting without waiting for reports`);
      process.exit(130);
    }
    say(`${sig}: stopping the current case and writing reports`);
    ac.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A deliberately detached run (nohup, a lab bench script that outlives its shell) sets
  // OCPP_CONFORMANCE_DETACHED=1: a hangup or the parent going away then does not stop it (README).
  if (!detached()) {
    process.on('SIGHUP', onSignal);
    watchParent(() => onSignal('the parent process going away'));
  } else {
    // A listener replaces the default (terminate) action: the hangup is noted and the run goes on.
    process.on('SIGHUP', () => say('SIGHUP ignored (OCPP_CONFORMANCE_DETACHED is set)'));
  }
  try {
    return await runPrepared(flags, io, say, ac);
  } finally {
    finished = true;
  }
}

/** OCPP_CONFORMANCE_DETACHED=1 (or true/yes): the run is meant to outlive its parent and terminal. */
function detached(): boolean {
  return /^(1|true|yes)$/i.test(process.env.OCPP_CONFORMANCE_DETACHED ?? '');
}

/**
 * Issue #15 §4: `npx ocpp-conformance` runs the harness as a child of npm; killing npx (SIGTERM/SIGINT to
 * its pid, a CI runner cancelling the step) does not reach the child, which kept its port and ran on.
 * The harness notices that its parent is gone — an IPC channel closes, or it is re-parented (ppid changes)
 * — and stops as on SIGTERM: the current case is marked interrupted, the reports are written, exit 130.
 * The parent's pipes may be gone too, so output errors (EPIPE) are swallowed from then on.
 */
function watchParent(stop: () => void): void {
  const parent = process.ppid;
  let fired = false;
  const gone = () => {
    if (fired) return;
    fired = true;
    clearInterval(timer);
    for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
    stop();
  };
  // 250 ms: quick enough for a CI cancel, negligible cost; unref'd so it never keeps the process alive.
  const timer = setInterval(() => {
    if (process.ppid !== parent) gone();
  }, 250);
  timer.unref();
  if (process.channel) process.once('disconnect', gone);
}

async function runPrepared(
  flags: RunFlags,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
  say: (s: string) => void,
  ac: AbortController,
): Promise<number> {
  let config: RunConfig;
  try {
    const file = flags.config ?? (existsSync('ocpp-conformance.config.json') ? 'ocpp-conformance.config.json' : undefined);
    const fromFile = file ? loadConfigFile(file) : {};
    config = mergeConfig(fromFile, flagsToConfig(flags));
    if (config.listen && config.as !== 'csms') throw new UsageError('--listen is for --as csms (the harness waits for a station)');
    if (config.listen) parseListen(config.listen); // a port over 65535 is a usage error now, not at connect time
    if (config.url && config.as !== 'station') throw new UsageError('--url is for --as station (the harness connects to a CSMS)');
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      say(e.message);
      return 2;
    }
    throw e;
  }
  let suites;
  try {
    suites = loadSuites(config.suites);
  } catch (e) {
    if (e instanceof SuiteLoadError) {
      say(e.message);
      return 2;
    }
    throw e;
  }
  let selected;
  try {
    selected = selectCases(suites, config);
  } catch (e) {
    say((e as Error).message);
    return 2;
  }
  if (!selected.length) {
    // Issue #15 §4: the same answer (exit 2 and why) for --list and for a run.
    say(nothingSelected(suites, config));
    return 2;
  }
  if (flags.list) {
    // SC-X-01 / SC-X-99 judge what happens outside the cases; they run whenever any case is selected.
    type Listed = { id: string; title: string; octtId?: string; octt?: string[]; requirements?: string[]; tags?: string[] };
    const listed = withOutsideCases<Listed>(selected.map(({ def }) => def), (d) => d);
    for (const def of listed) {
      io.out.write(`${def.id}\t${def.title}${def.octtId ? ` [${def.octtId}]` : ''}${slowMarker(def)}\t${def.requirements?.join(',') ?? ''}\n`);
    }
    io.out.write(`${listed.length} case(s) for OCPP ${config.ocpp}, harness as ${config.as}\n`);
    // OCTT ids of the device's side: TC_*_CS when the harness is the CSMS, TC_*_CSMS when it is the station (issues #12, #13).
    const coverage = octtCoverageLine(listed, config.ocpp, config.as);
    if (coverage) io.out.write(`${coverage}\n`);
    if (flags.coverage) {
      // Without a run, applicability comes from the declared device profile (discovery may still change it).
      const builtin = !config.listen && !config.url;
      const inapplicable = selected.flatMap(({ def }) => {
        const why = notApplicable(def, config.device, config.ocpp, builtin);
        return why ? [{ id: def.id, verdict: 'skipped' as const, reason: `declared profile: ${why}` }] : [];
      });
      const entries = certificationCoverage(config.ocpp, config.as, suites.flatMap((s) => s.cases), inapplicable, 'listed, not run');
      io.out.write(coverageText(config.ocpp, config.as, entries).join('\n') + '\n');
    }
    return 0;
  }
  try {
    // Start-up self-test of the validator (SC-X-02 a): a validator with the multipleOf float trap
    // would fail correct devices, so a failing self-test aborts the run.
    selfTest(config.ocpp);
  } catch (e) {
    say(`validator self-test failed: ${(e as Error).message}`);
    return 2;
  }
  let reporter;
  try {
    reporter = createReporters(config.reporters, { outDir: resolve(config.out), stream: io.out, color: flags.color });
  } catch (e) {
    if (e instanceof UnknownReporterError) {
      say(e.message);
      return 2;
    }
    throw e;
  }
  {
    const { exitCode, result } = await runner().runConformance({
      config,
      suites,
      reporter,
      signal: ac.signal,
      builtinPeers: reference().builtinPeers(),
      stationRole: reference().stationRole,
      fixturesDir: join(projectRoot(), 'fixtures'),
      notice: say,
    });
    // Issue #15 §3: which OCTT SmartCharging cases this device is ready for, after the run's own output.
    if (flags.coverage) io.out.write('\n' + coverageText(config.ocpp, config.as, (result.octtCoverage ?? []) as CoverageEntry[]).join('\n') + '\n');
    const err = reporter.lastError();
    if (err) {
      say(`a reporter failed: ${err.message}`);
      return exitCode === 130 ? 130 : 2;
    }
    return exitCode;
  }
}

/**
 * Why nothing was selected, and what would select something (issue #15 §4): a version without cases
 * (in a --suite of the user's own) names the supported ones; a --grep that matches only cases of the
 * other version or side says so, with the flags to use.
 */
export function nothingSelected(suites: Parameters<typeof selectCases>[0], config: Pick<RunConfig, 'ocpp' | 'as' | 'grep'>): string {
  const versions = ['1.6', '2.0.1', '2.1'] as const;
  const sides = ['csms', 'station'] as const;
  const count = (ocpp: OcppVersion, as: RunConfig['as'], grep?: string) => selectCases(suites, { ocpp, as, grep }).length;
  const base = `no case selected for OCPP ${config.ocpp} as ${config.as}${config.grep ? ` with --grep ${config.grep}` : ''}`;
  if (count(config.ocpp, config.as) === 0) {
    const supported = versions.filter((v) => count(v, config.as) > 0);
    // Every version has cases on both sides since issue #16 (2.1 as csms and as station): only a --suite
    // of the user's own can select nothing here.
    const why = `the suites have no case for OCPP ${config.ocpp} as ${config.as}`;
    return `${base}: ${why}; supported with --as ${config.as}: ${supported.length ? supported.map((v) => `--ocpp ${v}`).join(', ') : 'none'}`;
  }
  const elsewhere: string[] = [];
  for (const v of versions) {
    for (const side of sides) {
      if (v === config.ocpp && side === config.as) continue;
      const hits = selectCases(suites, { ocpp: v, as: side, grep: config.grep });
      if (hits.length) {
        const ids = hits.slice(0, 3).map((h) => h.def.id).join(', ') + (hits.length > 3 ? ', …' : '');
        elsewhere.push(`--ocpp ${v}${side !== config.as ? ` --as ${side}` : ''} (${ids})`);
      }
    }
  }
  return elsewhere.length ? `${base}; it matches cases of ${elsewhere.join('; ')}` : base;
}

/** Entry point of the bin script. Resolves with the process exit code. */
export async function main(argv: string[], io = { out: process.stdout as NodeJS.WritableStream, err: process.stderr as NodeJS.WritableStream }): Promise<number> {
  let code: number | undefined;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    throw e;
  }
  if (code === undefined) {
    program.outputHelp();
    return 2;
  }
  return code;
}
