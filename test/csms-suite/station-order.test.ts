/**
 * citrine-run3 F: the harness station reported StatusNotification Occupied after the TransactionEvent
 * Ended of the same transaction (SC-CSMS-08 #159): a stop that arrives while a remote start is still being
 * sent must wait for it, so a station's status follows its transactions (E02/E06; 1.6 §4.9, §6.47).
 */
import { loadSuites } from '../../src/runner/loader';
import { defineCase, type SuiteDefinition } from '../../src/scenario';
import type { TraceFrame } from '../../src/report/types';
import { caller, request, station } from '../../suites/csms/lib';
import { csmsConfig, runCsms } from './helpers';

const stopAtOnce = defineCase({
  id: 'T-STOP-AT-ONCE',
  title: 'remote start, then the station stops the transaction as soon as it exists',
  ocpp: ['1.6', '2.0.1'],
  as: 'station',
  async run(t) {
    const v16 = t.ocpp === '1.6';
    const st = station(t);
    await request(t, v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction', v16 ? { idTag: 'CONFORMANCE', connectorId: 1 } : { idToken: { idToken: 'CONFORMANCE', type: 'Central' }, remoteStartId: 77, evseId: 1 }, { evseId: 1 });
    const until = Date.now() + 2000;
    while (!st.transactions.length && Date.now() < until) await new Promise((r) => setImmediate(r));
    const tx = st.transactions[0];
    t.assert.ok(tx !== undefined, 'the remote start began a transaction', { rule: 'test set-up' });
    await st.stopTransaction(caller(t), tx!, 'Remote');
  },
});

function suite(): SuiteDefinition[] {
  const s = loadSuites(['smartcharging-csms'])[0]!;
  return [{ ...s, cases: [stopAtOnce] }];
}

const sent = (frames: TraceFrame[]) =>
  frames.filter((f) => f.dir === 'out' && f.type === 'CALL').map((f) => ({ action: f.action!, p: JSON.parse(f.raw)[3] as Record<string, unknown> }));

describe.each(['2.0.1', '1.6'] as const)('station status order, OCPP %s', (ocpp) => {
  test('a stop during a remote start: the Occupied/Charging StatusNotification precedes the end of the transaction, never follows it', async () => {
    const { result } = await runCsms(csmsConfig(ocpp), suite());
    const c = result.cases.find((x) => x.id === 'T-STOP-AT-ONCE')!;
    expect({ verdict: c.verdict, reason: c.reason }).toEqual({ verdict: 'passed', reason: undefined });
    const calls = sent(c.frames);
    const busy = calls.findIndex((x) => x.action === 'StatusNotification' && (x.p.connectorStatus === 'Occupied' || x.p.status === 'Charging'));
    const end = calls.findIndex((x) => x.action === (ocpp === '1.6' ? 'StopTransaction' : 'TransactionEvent') && (ocpp === '1.6' || x.p.eventType === 'Ended'));
    const order = calls.map((x) => `${x.action}${x.p.eventType ? `(${String(x.p.eventType)})` : ''}${x.p.connectorStatus ?? x.p.status ? `(${String(x.p.connectorStatus ?? x.p.status)})` : ''}`);
    expect({ order, busyBeforeEnd: busy >= 0 && end > busy }).toEqual({ order, busyBeforeEnd: true });
    // After the end only Available follows for that EVSE/connector.
    expect(calls.slice(end + 1).filter((x) => x.action === 'StatusNotification').map((x) => x.p.connectorStatus ?? x.p.status)).toEqual(['Available']);
  }, 30_000);
});
