import { CsmsServer, type RpcSession } from '../../src/transport';
import { ReferenceStation } from '../../src/reference';
import type { Payload } from '../../src/ocppj/messages';
import { profile201 } from '../../bench/frames';
import { nextEvent, waitFor } from '../helpers/wait';

/**
 * Reference station quirk 'short-message-timeout' (issue #14, SC-X-07): the station reports
 * OCPPCommCtrlr.MessageTimeout = 2 s and really gives up on a ReportChargingProfiles not answered within
 * 2 s — so a CSMS (or SC-X-07) holding its answer longer loses the rest of the report, and one holding it
 * less gets every frame. SC-X-07 reads the variable and holds half of it (test/mutation/socket-faults.test.ts).
 */
async function withStation(holdMs: number): Promise<{ reports: number; logs: string[]; messageTimeout: unknown }> {
  const server = new CsmsServer({ versions: ['2.0.1'] });
  await server.listen();
  let reports = 0;
  server.on('session', (s: RpcSession) => {
    s.handle('BootNotification', () => ({ currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' }));
    s.handle('StatusNotification', () => ({}));
    s.handle('ReportChargingProfiles', () => {
      reports++;
      return new Promise<Payload>((r) => setTimeout(() => r({}), holdMs));
    });
  });
  const logs: string[] = [];
  const sessionP = nextEvent<RpcSession>(server, 'session');
  const station = new ReferenceStation({ version: '2.0.1', url: server.url, identity: 'CS-SMT-1', quirks: ['short-message-timeout'], pageSize: 1, heartbeatS: 0, reconnect: false, log: (l) => logs.push(l) });
  try {
    await station.start();
    const s = await sessionP;
    const v = await s.call<Payload>('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageTimeout' }, attributeType: 'Actual' }] });
    const messageTimeout = (v.getVariableResult as Payload[])[0]!.attributeValue;
    for (const id of [1, 2]) await s.call('SetChargingProfile', { evseId: 1, chargingProfile: profile201(id, 1, { stackLevel: id, unit: 'A' }) });
    const g = await s.call<Payload>('GetChargingProfiles', { requestId: 7, chargingProfile: { chargingLimitSource: ['CSO'] } });
    expect(g.status).toBe('Accepted');
    // Until the station has read both answers, or has given up (its log says so).
    const answered = () => station.currentSession!.trace.slice(0).frames.filter((f) => f.dir === 'in' && f.type === 'CALLRESULT' && f.action === 'ReportChargingProfiles').length;
    await waitFor(() => answered() === 2 || logs.some((l) => /ReportChargingProfiles failed/.test(l)), 8000, 'both reports answered or the station giving up');
    return { reports, logs, messageTimeout };
  } finally {
    await station.stop();
    await server.close();
  }
}

describe("reference station quirk 'short-message-timeout' (issue #14)", () => {
  test('answers held 2.5 s (over its 2 s CALL timeout): the station gives up after the first report', async () => {
    const r = await withStation(2500);
    expect(r.messageTimeout).toBe('2');
    expect(r.reports).toBe(1);
    expect(r.logs.some((l) => /ReportChargingProfiles failed/.test(l))).toBe(true);
  }, 20_000);

  test('answers held 300 ms: every report arrives', async () => {
    const r = await withStation(300);
    expect(r.reports).toBe(2);
    expect(r.logs.some((l) => /ReportChargingProfiles failed/.test(l))).toBe(false);
  }, 20_000);
});
