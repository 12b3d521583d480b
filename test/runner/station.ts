/** A small in-test Charging Station (OCPP 2.0.1) built on the transport layer, for runner tests. */
import { EventEmitter } from 'node:events';
import { connectStation, type RpcSession } from '../../src/transport';
import type { Payload } from '../../src/ocppj/messages';

const VARIABLES: Record<string, string> = {
  Available: 'true',
  Enabled: 'true',
  ProfileStackLevel: '8',
  RateUnit: 'A,W',
  PeriodsPerSchedule: '24',
};

/**
 * Events: 'call' (action, payload) for every CALL it receives, 'session' (RpcSession) after each boot,
 * 'refused' when a connection attempt fails.
 */
export class TestStation extends EventEmitter {
  session: RpcSession | undefined;
  /** Number of sessions opened (1 + reconnects). */
  sessions = 0;
  private stopped = false;
  private readonly closing = new Set<Promise<unknown>>();

  constructor(
    readonly identity: string,
    private url = '',
  ) {
    super();
  }

  /** Connect to `url` (CSMS base URL; the identity is appended) and boot. */
  async connect(url = this.url): Promise<RpcSession> {
    this.url = url;
    const s = await connectStation({ url, identity: this.identity, versions: ['2.0.1'], callTimeoutMs: 5000 });
    this.session = s;
    this.sessions++;
    const on = (action: string, h: (p: Payload) => Payload) =>
      s.handle(action, (p) => {
        this.emit('call', action, p);
        return h(p);
      });
    on('GetVariables', (p) => ({
      getVariableResult: (p.getVariableData as Payload[]).map((d) => {
        const component = d.component as Payload;
        const variable = d.variable as Payload;
        const value = component.name === 'SmartChargingCtrlr' ? VARIABLES[variable.name as string] : undefined;
        return value === undefined
          ? { attributeStatus: component.name === 'SmartChargingCtrlr' ? 'UnknownVariable' : 'UnknownComponent', component, variable }
          : { attributeStatus: 'Accepted', attributeValue: value, component, variable };
      }),
    }));
    on('TriggerMessage', (p) => {
      if (p.requestedMessage !== 'Heartbeat') return { status: 'NotImplemented' };
      setImmediate(() => void s.call('Heartbeat', {}).catch(() => undefined));
      return { status: 'Accepted' };
    });
    on('Reset', () => {
      // Like a real station: answer, then drop the connection and come back after a short reboot.
      setImmediate(() => void this.reboot(s));
      return { status: 'Accepted' };
    });
    s.once('close', () => {
      if (this.session === s) this.session = undefined;
    });
    await s.call('BootNotification', {
      chargingStation: { vendorName: 'TestVendor', model: 'TestModel', firmwareVersion: '9.9', serialNumber: 'SN-1' },
      reason: this.sessions > 1 ? 'RemoteReset' : 'PowerUp',
    });
    this.emit('session', s);
    return s;
  }

  private async reboot(s: RpcSession): Promise<void> {
    const p = s.close(1000, 'rebooting');
    this.closing.add(p);
    await p;
    this.closing.delete(p);
    if (this.stopped) return;
    await this.connect().catch((e: Error) => this.emit('refused', e));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.closing]);
    await this.session?.close(1000, 'test over');
  }
}
