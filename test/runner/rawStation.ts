/**
 * A raw OCPP 2.0.1 station on a plain `ws` socket, for runner tests that need frames the transport
 * layer would never send (broken framing, wrong messageIds, schema-invalid boots). Loopback only.
 */
import WebSocket from 'ws';

export type Frame = unknown[];
/** Answer one CALL of the harness: a frame (array) or raw text to send, or undefined for no answer. */
export type Answer = (action: string, payload: Record<string, unknown>, messageId: string) => Frame | string | undefined;

const VARIABLES: Record<string, string> = { Available: 'true', Enabled: 'true', ProfileStackLevel: '8', RateUnit: 'A,W', PeriodsPerSchedule: '24' };

/** A conforming answer to the CALLs the mini suites send. */
export function conformingAnswer(action: string, payload: Record<string, unknown>, id: string): Frame {
  if (action === 'GetVariables') {
    return [3, id, {
      getVariableResult: (payload.getVariableData as { component: { name: string }; variable: { name: string } }[]).map((d) => {
        const v = d.component.name === 'SmartChargingCtrlr' ? VARIABLES[d.variable.name] : undefined;
        return v === undefined
          ? { attributeStatus: 'UnknownVariable', component: d.component, variable: d.variable }
          : { attributeStatus: 'Accepted', attributeValue: v, component: d.component, variable: d.variable };
      }),
    }];
  }
  if (action === 'ClearChargingProfile') return [3, id, { status: 'Unknown' }];
  return [4, id, 'NotImplemented', `${action} not in this test station`, {}];
}

export const VALID_BOOT = { chargingStation: { vendorName: 'RawVendor', model: 'RawModel' }, reason: 'PowerUp' };

export class RawStation {
  ws: WebSocket | undefined;
  /** Every CALL the harness sent: [action, payload, messageId]. */
  readonly calls: [string, Record<string, unknown>, string][] = [];
  private n = 0;

  constructor(
    private readonly opts: {
      answer?: Answer;
      boot?: unknown;
      /** Sent right after the BootNotification answer arrives. */
      afterBoot?: (ws: WebSocket) => void;
    } = {},
  ) {}

  connect(base: string, identity = 'CS-RAW-1'): Promise<void> {
    const ws = (this.ws = new WebSocket(`${base}/${identity}`, ['ocpp2.0.1']));
    const bootId = `boot-${++this.n}`;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as unknown[];
      if (msg[0] === 3 && msg[1] === bootId) {
        this.opts.afterBoot?.(ws);
        return;
      }
      if (msg[0] !== 2) return;
      const [, id, action, payload] = msg as [number, string, string, Record<string, unknown>];
      this.calls.push([action, payload, id]);
      const out = (this.opts.answer ?? conformingAnswer)(action, payload, id);
      if (out !== undefined) ws.send(typeof out === 'string' ? out : JSON.stringify(out));
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.send(JSON.stringify([2, bootId, 'BootNotification', this.opts.boot ?? VALID_BOOT]));
        resolve();
      });
      ws.once('error', reject);
    });
  }

  send(frame: Frame | string): void {
    this.ws?.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  stop(): void {
    this.ws?.terminate();
  }
}
