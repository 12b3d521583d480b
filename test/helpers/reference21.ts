/**
 * The built-in reference station and reference CSMS negotiating `ocpp2.1` over loopback (issue #16), with
 * every protocol or schema violation on either side collected, and CSMS-side calls whose responses are
 * validated against the 2.1 schemas.
 */
import type { Payload } from '../../src/ocppj/messages';
import { ReferenceCsms, ReferenceStation } from '../../src/reference';
import type { ProtocolViolation, RpcSession } from '../../src/transport';
import { getValidator } from '../../src/validation';
import { nextEvent } from './wait';

export const validator21 = getValidator('2.1');

export interface Pair21 {
  csms: ReferenceCsms;
  station: ReferenceStation;
  /** Violations and harness errors seen on either session; a test ends by expecting none. */
  violations: string[];
  /** A CALL from the CSMS to the station through the trigger API; the response must be schema-valid. */
  call(action: string, payload: Payload): Promise<Payload>;
  stop(): Promise<void>;
}

export async function startPair21(identity: string, opts: { pageSize?: number; quirks?: string[] } = {}): Promise<Pair21> {
  const violations: string[] = [];
  const track = (side: string) => (s: RpcSession) => {
    s.on('violation', (v: ProtocolViolation) => violations.push(`${side} ${v.kind} ${v.rule}: ${v.message}`));
    s.on('harnessError', (e: Error) => violations.push(`${side} harnessError: ${e.message}`));
  };
  const csms = new ReferenceCsms({ versions: ['2.1'], host: '127.0.0.1', port: 0, callTimeoutMs: 5000 });
  csms.server.on('session', track('csms'));
  const url = await csms.start();
  const station = new ReferenceStation({ version: '2.1', url, identity, evses: 2, callTimeoutMs: 5000, ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}), ...(opts.quirks ? { quirks: opts.quirks } : {}) });
  station.on('session', track('station'));
  const booted = nextEvent(station, 'booted', 5000);
  await station.start();
  await booted;
  return {
    csms,
    station,
    violations,
    async call(action, payload) {
      const r = await csms.trigger(identity, action, payload);
      expect(r.status).toBe(200);
      const response = (r.body as { response: Payload }).response;
      expect(validator21.validate(action, 'response', response)).toEqual({ valid: true, violations: [] });
      return response;
    },
    async stop() {
      await station.stop();
      await csms.stop();
    },
  };
}
