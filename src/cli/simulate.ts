import { Command, Option } from 'commander';
import type { ReferenceCsms, ReferenceStation } from '../reference';

/** Loaded when a simulate command runs, not when the CLI starts (bench part 4, start-up). */
const reference = (): typeof import('../reference') => require('../reference') as typeof import('../reference');

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** `simulate station` and `simulate csms`: the reference peers as standalone processes. */
export function addSimulateCommands(program: Command, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }, onExit: (code: number) => void): void {
  const sim = program.command('simulate').description('run a built-in reference peer');
  const log = (s: string) => io.err.write(`${s}\n`);

  sim
    .command('station')
    .description('reference Charging Station connecting to a CSMS')
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(['1.6', '2.0.1']).default('2.0.1'))
    .requiredOption('--url <ws-url>', 'CSMS base URL (the identity is appended)')
    .option('--identity <id>', 'station identity', 'CS-REFERENCE-1')
    .option('--password <pw>', 'HTTP Basic password')
    .option('--evses <n>', 'EVSEs / connectors', '2')
    .option('--page-size <n>', 'profiles per ReportChargingProfiles frame', '2')
    .option('--heartbeat <s>', 'heartbeat interval in seconds (default: from BootNotification)')
    .option('--fault <name>', 'inject a nonconformance (repeatable)', collect)
    .action(async (o: { ocpp: '1.6' | '2.0.1'; url: string; identity: string; password?: string; evses: string; pageSize: string; heartbeat?: string; fault?: string[] }) => {
      const { ReferenceStation, UnknownFaultError } = reference();
      let station: ReferenceStation;
      try {
        station = new ReferenceStation({
          version: o.ocpp,
          url: o.url,
          identity: o.identity,
          password: o.password,
          evses: Number(o.evses),
          pageSize: Number(o.pageSize),
          heartbeatS: o.heartbeat ? Number(o.heartbeat) : undefined,
          faults: o.fault,
          log,
        });
      } catch (e) {
        if (e instanceof UnknownFaultError) {
          log(`ocpp-conformance: ${e.message}`);
          return onExit(2);
        }
        throw e;
      }
      try {
        await station.start();
      } catch (e) {
        log(`ocpp-conformance: ${(e as Error).message}`);
        return onExit(2);
      }
      log(`reference station ${o.identity} (OCPP ${o.ocpp}) connected to ${o.url}; Ctrl-C to stop`);
      station.on('booted', () => log(`reference station ${o.identity} booted`));
      onExit(await untilSignal(() => station.stop()));
    });

  sim
    .command('csms')
    .description('reference CSMS accepting stations, with a trigger endpoint POST /trigger/<identity>/<Action>')
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(['1.6', '2.0.1']).default('2.0.1'))
    .option('--listen <host:port>', 'listen address', '127.0.0.1:9220')
    .option('--password <pw>', 'HTTP Basic password required from stations')
    .option('--fault <name>', 'inject a nonconformance (repeatable)', collect)
    .action(async (o: { ocpp: '1.6' | '2.0.1'; listen: string; password?: string; fault?: string[] }) => {
      const i = o.listen.lastIndexOf(':');
      const { ReferenceCsms, UnknownFaultError } = reference();
      let csms: ReferenceCsms;
      try {
        csms = new ReferenceCsms({ versions: [o.ocpp], host: o.listen.slice(0, i) || '127.0.0.1', port: Number(o.listen.slice(i + 1)), password: o.password, faults: o.fault, log });
      } catch (e) {
        if (e instanceof UnknownFaultError) {
          log(`ocpp-conformance: ${e.message}`);
          return onExit(2);
        }
        throw e;
      }
      try {
        await csms.start();
      } catch (e) {
        log(`ocpp-conformance: cannot listen on ${o.listen}: ${(e as Error).message}`);
        return onExit(2);
      }
      io.out.write(`reference CSMS (OCPP ${o.ocpp}) listening on ${csms.url}/<identity>; triggers: POST ${csms.httpUrl}/trigger/<identity>/<Action>\n`);
      onExit(await untilSignal(() => csms.stop()));
    });
}

function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      void stop().finally(() => resolve(sig === 'SIGINT' ? 130 : 0));
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
