/**
 * Issue #13 items 5 and 6 (a realistic harness station): 2.0.1 GetBaseReport / GetReport (B07/B08) are
 * answered Accepted, then NotifyReport frames (seqNo from 0, tbc on all but the last) describe the
 * EVSEs, connectors, SmartChargingCtrlr and DeviceDataCtrlr; 1.6 GetConfiguration lists the
 * SmartCharging keys (1.6 §9.4); every frame validates against the OCPP schemas; reported schedules
 * carry distinct chargingSchedule ids (never a fixed 1).
 */
import { mergeConfig } from '../../src/runner/config';
import { loadSuites } from '../../src/runner/loader';
import { defineCase, type SuiteDefinition } from '../../src/scenario';
import { HarnessStation } from '../../src/station';
import { baseReportSelection, notifyReportFrames, reportSelection } from '../../src/station/deviceModel';
import { getValidator } from '../../src/validation/validator';
import type { TraceFrame } from '../../src/report/types';
import { request, station } from '../../suites/csms/lib';
import { csmsConfig, runCsms } from './helpers';

type Payload = Record<string, unknown>;
const v201 = getValidator('2.0.1');
const newStation = (ocpp: '1.6' | '2.0.1' = '2.0.1') => new HarnessStation(mergeConfig({ as: 'station', ocpp, device: { evses: 2 } }));
const names = (frames: Payload[]) => frames.flatMap((f) => (f.reportData as Payload[]).map((d) => `${(d.component as Payload).name}/${(d.variable as Payload).name}`));

describe('B07/B08 device model of the harness station (2.0.1)', () => {
  test('B07 GetBaseReport FullInventory: Accepted; NotifyReport frames valid, paged by ItemsPerMessage with seqNo and tbc', () => {
    const st = newStation();
    const res = st.answer('GetBaseReport', { requestId: 5, reportBase: 'FullInventory' }) as Payload;
    expect(res).toEqual({ status: 'Accepted' });
    expect(v201.validate('GetBaseReport', 'response', res).valid).toBe(true);
    const frames = notifyReportFrames(baseReportSelection(st.model(), 'FullInventory'), 5, st.itemsPerMessage, '2026-01-01T00:00:00Z');
    expect(frames.length).toBeGreaterThan(2);
    for (const f of frames) expect({ seqNo: f.seqNo, violations: v201.validate('NotifyReport', 'request', f).violations }).toEqual({ seqNo: f.seqNo, violations: [] });
    expect(frames.map((f) => f.seqNo)).toEqual(frames.map((_, i) => i));
    expect(frames.map((f) => f.tbc)).toEqual(frames.map((_, i) => i < frames.length - 1));
    expect(frames.every((f) => (f.reportData as unknown[]).length <= st.itemsPerMessage)).toBe(true);
    const data = frames.flatMap((f) => f.reportData as Payload[]);
    const evses = data.filter((d) => (d.component as Payload).name === 'EVSE').map((d) => ((d.component as Payload).evse as Payload).id);
    expect([...new Set(evses)]).toEqual([1, 2]);
    const connectors = data.filter((d) => (d.component as Payload).name === 'Connector').map((d) => (d.component as Payload).evse);
    expect(connectors).toContainEqual({ id: 2, connectorId: 1 });
    for (const v of ['Enabled', 'Entries', 'LimitChangeSignificance', 'RateUnit', 'PeriodsPerSchedule', 'ProfileStackLevel', 'ExternalControlSignalsEnabled']) {
      expect(names(frames)).toContain(`SmartChargingCtrlr/${v}`);
    }
    expect(names(frames)).toContain('DeviceDataCtrlr/ItemsPerMessage');
    // The advertised limits are the ones the station role enforces.
    const entries = data.find((d) => (d.variable as Payload).name === 'Entries')!;
    expect((entries.variableCharacteristics as Payload).maxLimit).toBe(st.limits.maxProfiles);
  });

  test('B07 ConfigurationInventory / SummaryInventory and B08 GetReport selections; nothing selected → EmptyResultSet', () => {
    const st = newStation();
    const m = st.model();
    expect(baseReportSelection(m, 'ConfigurationInventory').every((v) => v.mutability === 'ReadWrite')).toBe(true);
    expect(baseReportSelection(m, 'SummaryInventory').map((v) => v.variable.name)).toEqual(Array(5).fill('AvailabilityState'));
    const sc = reportSelection(m, { requestId: 1, componentVariable: [{ component: { name: 'SmartChargingCtrlr' } }] });
    expect(sc.length).toBeGreaterThanOrEqual(7);
    expect(reportSelection(m, { requestId: 1, componentVariable: [{ component: { name: 'smartchargingctrlr' }, variable: { name: 'RateUnit' } }] }).map((v) => v.value)).toEqual(['A,W']);
    expect(reportSelection(m, { requestId: 1, componentVariable: [{ component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'AvailabilityState' } }] })).toHaveLength(1);
    expect(new Set(reportSelection(m, { requestId: 1, componentCriteria: ['Enabled'] }).map((v) => v.component.name))).toEqual(new Set(['SmartChargingCtrlr']));
    const none = st.answer('GetReport', { requestId: 2, componentVariable: [{ component: { name: 'NoSuchCtrlr' } }] }) as Payload;
    expect(none).toEqual({ status: 'EmptyResultSet' });
    expect(v201.validate('GetReport', 'response', none).valid).toBe(true);
    // GetVariables reads the same model (B06): known component, unknown variable → UnknownVariable.
    expect(st.variable('DeviceDataCtrlr', 'ItemsPerMessage', 'GetReport')).toBe(String(st.itemsPerMessage));
    const gv = st.answer('GetVariables', {
      getVariableData: [
        { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } },
        { component: { name: 'EVSE' }, variable: { name: 'NoSuchVariable' } },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'Enabled' } },
      ],
    }) as Payload;
    expect(v201.validate('GetVariables', 'response', gv).valid).toBe(true);
    expect((gv.getVariableResult as Payload[]).map((r) => [r.attributeStatus, r.attributeValue])).toEqual([['Accepted', 'Available'], ['UnknownVariable', undefined], ['UnknownComponent', undefined]]);
  });

  test('1.6 GetConfiguration: the SmartCharging keys (1.6 §9.4) and core keys, valid; ChangeConfiguration of a read-only key Rejected', () => {
    const st = newStation('1.6');
    const v16 = getValidator('1.6');
    const all = st.answer('GetConfiguration', {}) as Payload;
    expect(v16.validate('GetConfiguration', 'response', all).valid).toBe(true);
    const keys = (all.configurationKey as Payload[]).map((k) => k.key);
    for (const k of ['ChargeProfileMaxStackLevel', 'ChargingScheduleAllowedChargingRateUnit', 'ChargingScheduleMaxPeriods', 'MaxChargingProfilesInstalled', 'NumberOfConnectors', 'HeartbeatInterval']) expect(keys).toContain(k);
    expect(st.answer('GetConfiguration', { key: ['NumberOfConnectors', 'Nope'] })).toEqual({ configurationKey: [{ key: 'NumberOfConnectors', readonly: true, value: '2' }], unknownKey: ['Nope'] });
    expect(st.answer('ChangeConfiguration', { key: 'NumberOfConnectors', value: '3' })).toEqual({ status: 'Rejected' });
    expect(st.answer('ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' })).toEqual({ status: 'Accepted' });
    expect(st.answer('GetConfiguration', { key: ['HeartbeatInterval'] })).toEqual({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '120' }], unknownKey: [] });
  });
});

/** A case that makes the built-in CSMS ask for a report and waits until the station has sent it. */
const askReport = defineCase({
  id: 'T-REPORT',
  title: 'GetBaseReport over the wire',
  ocpp: ['2.0.1', '1.6'],
  as: 'station',
  async run(t) {
    if (t.ocpp === '1.6') {
      const { done } = await request(t, 'GetConfiguration', {});
      const body = (await done).body as Payload;
      t.note.info(`keys: ${((body.response as Payload).configurationKey as Payload[]).map((k) => k.key).join(',')}`);
      return;
    }
    await request(t, 'GetBaseReport', { requestId: 4711, reportBase: 'FullInventory' });
    await station(t).reportsSent();
  },
});

const sent = (frames: TraceFrame[], action: string) => frames.filter((f) => f.dir === 'out' && f.type === 'CALL' && f.action === action);

test('over a socket: the built-in CSMS gets valid, answered NotifyReport frames (2.0.1) and the SmartCharging keys (1.6)', async () => {
  const suite: SuiteDefinition = { name: 't', block: 'T', cases: [askReport] };
  const [r201, r16] = await Promise.all([runCsms(csmsConfig('2.0.1'), [suite]), runCsms(csmsConfig('1.6'), [suite])]);
  const c = r201.result.cases.find((x) => x.id === 'T-REPORT')!;
  expect(c.verdict).toBe('passed');
  const reports = sent(c.frames, 'NotifyReport');
  expect(reports.length).toBeGreaterThan(2);
  expect(reports.every((f) => f.valid === true)).toBe(true);
  const answered = new Set(c.frames.filter((f) => f.dir === 'in' && f.type === 'CALLRESULT').map((f) => f.messageId));
  expect(reports.every((f) => answered.has(f.messageId))).toBe(true);
  const seqNos = reports.map((f) => (JSON.parse(f.raw) as [number, string, string, Payload])[3].seqNo);
  expect(seqNos).toEqual(reports.map((_, i) => i));
  const c16 = r16.result.cases.find((x) => x.id === 'T-REPORT')!;
  expect(c16.verdict).toBe('passed');
  expect(c16.notes.find((n) => n.message.startsWith('keys:'))!.message).toMatch(/ChargeProfileMaxStackLevel.*ChargingScheduleAllowedChargingRateUnit.*ChargingScheduleMaxPeriods.*MaxChargingProfilesInstalled/);
}, 60_000);

test('SC-CSMS-03: every reported schedule has its own chargingSchedule id, never 1 (issue #13 item 5)', async () => {
  const s = loadSuites(['smartcharging-csms'])[0]!;
  const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-03' }), [s]);
  const c = result.cases.find((x) => x.id === 'SC-CSMS-03')!;
  expect(c.verdict).toBe('passed');
  const profiles = sent(c.frames, 'ReportChargingProfiles').flatMap((f) => (JSON.parse(f.raw)[3] as Payload).chargingProfile as Payload[]);
  const byProfile = new Map<unknown, unknown>();
  for (const p of profiles) byProfile.set(p.id, (p.chargingSchedule as Payload[])[0]!.id);
  expect(byProfile.size).toBe(7);
  const ids = [...byProfile.values()];
  expect(new Set(ids).size).toBe(7);
  expect(ids).not.toContain(1);
}, 60_000);
