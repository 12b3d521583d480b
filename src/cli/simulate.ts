import { Command, Option } from 'commander';
import { parseListen } from '../runner/config';

/** Loaded when a simulate command runs, not when the CLI starts (bench part 4, start-up). */
const reference = (): typeof import('../reference') => require('../reference') as typeof import('../reference');

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

interface Peer {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Create, start and serve a reference peer until SIGINT/SIGTERM. Configuration problems (an unknown
 * fault, a bad listen address, an unreachable CSMS) end with a one-line message and exit code 2.
 */
async function serve(create: () => Peer, ready: (peer: Peer) => void, log: (s: string) => void): Promise<number> {
  let peer: Peer;
  try {
    peer = create();
    await peer.start();
  } catch (e) {
    log(`ocpp-conformance: ${(e as Error).message}`);
    return 2;
  }
  ready(peer);
  return untilSignal(() => peer.stop());
}

/** `simulate station` and `simulate csms`: the reference peers as standalone processes. */
export function addSimulateCommands(program: Command, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }, onExit: (code: number) => void): void {
  const sim = program.command('simulate').description('run a built-in reference peer');
  const log = (s: string) => io.err.write(`${s}\n`);

  sim
    .command('station')
    .description('reference Charging Station connecting to a CSMS')
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(['1.6', '2.0.1', '2.1']).default('2.0.1'))
    .requiredOption('--url <ws-url>', 'CSMS base URL (the identity is appended)')
    .option('--identity <id>', 'station identity', 'CS-REFERENCE-1')
    .option('--password <pw>', 'HTTP Basic password')
    .option('--evses <n>', 'EVSEs / connectors', '2')
    .option('--page-size <n>', 'profiles per ReportChargingProfiles frame', '2')
    .option('--heartbeat <s>', 'heartbeat interval in seconds (default: from BootNotification)')
    .option('--fault <name>', 'inject a nonconformance (repeatable)', collect)
    .action(async (o: { ocpp: '1.6' | '2.0.1' | '2.1'; url: string; identity: string; password?: string; evses: string; pageSize: string; heartbeat?: string; fault?: string[] }) => {
      const { ReferenceStation } = reference();
      const code = await serve(
        () =>
          new ReferenceStation({
            version: o.ocpp,
            url: o.url,
            identity: o.identity,
            password: o.password,
            evses: Number(o.evses),
            pageSize: Number(o.pageSize),
            heartbeatS: o.heartbeat ? Number(o.heartbeat) : undefined,
            faults: o.fault,
            log,
          }),
        (station) => {
          log(`reference station ${o.identity} (OCPP ${o.ocpp}) connected to ${o.url}; Ctrl-C to stop`);
          (station as InstanceType<typeof ReferenceStation>).on('booted', () => log(`reference station ${o.identity} booted`));
        },
        log,
      );
      onExit(code);
    });

  sim
    .command('csms')
    .description('reference CSMS accepting stations, with a trigger endpoint POST /trigger/<identity>/<Action>')
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(['1.6', '2.0.1', '2.1']).default('2.0.1'))
    .option('--listen <host:port>', 'listen address', '127.0.0.1:9220')
    .option('--password <pw>', 'HTTP Basic password required from stations')
    .option('--fault <name>', 'inject a nonconformance (repeatable)', collect)
    .addOption(new Option('--api <style>', 'command API: trigger (POST /trigger/<identity>/<Action>) or rest (CitrineOS-like, async callback)').choices(['trigger', 'rest']).default('trigger'))
    .option('--api-token <token>', 'rest API: require authorization: Bearer <token>')
    .action(async (o: { ocpp: '1.6' | '2.0.1' | '2.1'; listen: string; password?: string; fault?: string[]; api: 'trigger' | 'rest'; apiToken?: string }) => {
      const { ReferenceCsms } = reference();
      if (o.api === 'rest' && o.ocpp === '2.1') {
        // The CitrineOS-like API models CitrineOS's 1.6 / 2.0.1 modules only (issue #16: 2.1 uses the trigger API).
        log('ocpp-conformance: --api rest speaks OCPP 1.6 and 2.0.1; use --api trigger with --ocpp 2.1');
        onExit(2);
        return;
      }
      const code = await serve(
        () => new ReferenceCsms({ versions: [o.ocpp], ...parseListen(o.listen), password: o.password, faults: o.fault, log, api: o.api, apiToken: o.apiToken }),
        (peer) => {
          const csms = peer as InstanceType<typeof ReferenceCsms>;
          const commands =
            o.api === 'rest'
              ? `commands: POST ${csms.httpUrl}/ocpp/${o.ocpp}/<module>/<action>?identifier=<identity>&tenantId=1&callbackUrl=<url>`
              : `triggers: POST ${csms.httpUrl}/trigger/<identity>/<Action>`;
          io.out.write(`reference CSMS (OCPP ${o.ocpp}) listening on ${csms.url}/<identity>; ${commands}\n`);
        },
        log,
      );
      onExit(code);
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
