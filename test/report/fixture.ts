/** A fixed RunResult covering every verdict, for the golden-file tests. No randomness, fixed times. */
import type { CaseResult, RunResult, TraceFrame } from '../../src/report/types';

const T0 = Date.parse('2025-03-04T10:00:00.000Z');

function frame(seq: number, dir: 'in' | 'out', raw: string, extra: Partial<TraceFrame> = {}): TraceFrame {
  return {
    seq,
    time: new Date(T0 + seq * 250).toISOString(),
    mono: seq * 250,
    dir,
    raw,
    rawLength: raw.length,
    valid: true,
    ...extra,
  };
}

function base(over: Partial<CaseResult> & Pick<CaseResult, 'id' | 'title' | 'verdict'>): CaseResult {
  return {
    ocpp: '2.0.1',
    as: 'csms',
    block: 'SmartCharging',
    requirements: [],
    tags: [],
    startedAt: '2025-03-04T10:00:01.000Z',
    durationMs: 0,
    failures: [],
    notes: [],
    steps: [],
    frames: [],
    ...over,
  };
}

const LONG_PROFILE = JSON.stringify([
  2,
  'm-0007',
  'SetChargingProfile',
  {
    evseId: 1,
    chargingProfile: {
      id: 1007,
      stackLevel: 2,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: '2025-03-04T10:00:00Z',
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 16 },
            { startPeriod: 600, limit: 10.5 },
            { startPeriod: 1200, limit: 6 },
          ],
        },
      ],
    },
  },
]);

export function fixtureRun(): RunResult {
  const passed = base({
    id: 'SC-201-07',
    octtId: 'TC_K_29_CS',
    title: 'Bulk install + tbc pagination',
    verdict: 'passed',
    requirements: ['K09.FR.01', 'K09.FR.03'],
    tags: ['check', 'report'],
    startedAt: '2025-03-04T10:00:01.000Z',
    durationMs: 1234,
    steps: ['install 7 profiles', 'GetChargingProfiles requestId 42'],
    frames: [
      frame(1, 'out', '[2,"m-0001","GetChargingProfiles",{"requestId":42,"chargingProfile":{}}]', {
        type: 'CALL',
        messageId: 'm-0001',
        action: 'GetChargingProfiles',
      }),
      frame(2, 'in', '[3,"m-0001",{"status":"Accepted"}]', { type: 'CALLRESULT', messageId: 'm-0001', action: 'GetChargingProfiles' }),
    ],
  });

  const warn = base({
    id: 'SC-201-08',
    octtId: 'TC_K_30_CS',
    title: 'Report criteria filtering',
    verdict: 'passed',
    requirements: ['K09.FR.02'],
    tags: ['check'],
    startedAt: '2025-03-04T10:00:03.000Z',
    durationMs: 870,
    notes: [
      { level: 'warn', message: 'profile for evse 0 reported for evseId 1', rule: 'K09.FR.02' },
      { level: 'info', message: 'station answered with tbc omitted on the last frame' },
    ],
  });

  const info = base({
    id: 'SC-X-02',
    title: 'Validator self-test: one-decimal values',
    verdict: 'passed',
    block: 'Core',
    requirements: [],
    tags: ['observe'],
    startedAt: '2025-03-04T10:00:00.500Z',
    durationMs: 15,
    notes: [{ level: 'info', message: '401 one-decimal values accepted; 6.25 and 6.05 rejected' }],
  });

  const failed = base({
    id: 'SC-201-10',
    octtId: 'TC_K_05_CS',
    title: 'Clear precedence & <criteria>',
    verdict: 'failed',
    requirements: ['K10.FR.02', 'K10.FR.03'],
    tags: ['check', 'clear'],
    startedAt: '2025-03-04T10:00:05.000Z',
    durationMs: 2501.6,
    steps: ['install profile 1007', 'ClearChargingProfile by criteria', 'GetChargingProfiles'],
    failures: [
      {
        kind: 'SchemaViolation',
        message: 'ClearChargingProfileResponse: \u001b[31mstatus\u001b[39m must be equal to one of the allowed values',
        rule: 'schema',
        pointer: '/status',
        expected: ['Accepted', 'Unknown'],
        actual: 'Cleared',
        frameSeq: 12,
        step: 'ClearChargingProfile by criteria',
      },
      {
        kind: 'AssertionFailure',
        message: 'profile 1007 still installed after a matching clear',
        rule: 'K10.FR.03',
        pointer: '/chargingProfile/0/id',
        expected: { installed: [] },
        actual: { installed: [1007], note: 'x'.repeat(400) },
        step: 'GetChargingProfiles',
      },
      // Issue #11 item 10: the same finding twice is shown once with "2 x:"; no expected/actual keys.
      ...[31, 32].map((frameSeq) => ({
        kind: 'AssertionFailure' as const,
        message: 'rules §5.2: first startPeriod is 0',
        rule: 'rules §5.2 step 8',
        pointer: '/schedule/chargingSchedulePeriod/0/startPeriod',
        frameSeq,
        step: 'GetChargingProfiles',
      })),
    ],
    notes: [
      { level: 'warn', message: 'CALLRESULT payload was null', rule: 'OCPP-J 1.6 §4.2.2' },
      ...Array.from({ length: 36 }, () => ({ level: 'info' as const, message: 'unvalidated interval: no profile applies', rule: 'rules §11' })),
    ],
    framesOmitted: 3,
    frames: [
      frame(4, 'in', '[2,"s-1","Heartbeat",{}]', { type: 'CALL', messageId: 's-1', action: 'Heartbeat' }),
      frame(5, 'out', '[3,"s-1",{"currentTime":"2025-03-04T10:00:06Z"}]', { type: 'CALLRESULT', messageId: 's-1', action: 'Heartbeat' }),
      frame(6, 'out', LONG_PROFILE, { type: 'CALL', messageId: 'm-0007', action: 'SetChargingProfile' }),
      frame(7, 'in', '[3,"m-0007",{"status":"Accepted"}]', { type: 'CALLRESULT', messageId: 'm-0007', action: 'SetChargingProfile' }),
      frame(8, 'in', '[2,"s-2","DataTransfer",{"vendorId":"acme","data":"a]]>b]]>c"}]', {
        type: 'CALL',
        messageId: 's-2',
        action: 'DataTransfer',
      }),
      frame(9, 'out', '[3,"s-2",{"status":"UnknownVendorId"}]', { type: 'CALLRESULT', messageId: 's-2', action: 'DataTransfer' }),
      frame(10, 'in', '[2,"s-3","NotifyEvent",{"msg":"\u001b[1mbold\u001b[22m and \u0001 ctl"}]', {
        type: 'CALL',
        messageId: 's-3',
        action: 'NotifyEvent',
        valid: false,
        violations: [{ pointer: '', keyword: 'required', message: "must have required property 'generatedAt'" }],
      }),
      frame(11, 'out', '[2,"m-0008","ClearChargingProfile",{"chargingProfileCriteria":{"stackLevel":2}}]', {
        type: 'CALL',
        messageId: 'm-0008',
        action: 'ClearChargingProfile',
      }),
      frame(12, 'in', '[3,"m-0008",{"status":"Cleared"}]', {
        type: 'CALLRESULT',
        messageId: 'm-0008',
        action: 'ClearChargingProfile',
        valid: false,
        violations: [{ pointer: '/status', keyword: 'enum', message: 'must be equal to one of the allowed values', value: 'Cleared' }],
      }),
      frame(13, 'out', '[2,"m-0009","GetChargingProfiles",{"requestId":43,"chargingProfile":{"chargingProfileId":[1007]}}]', {
        type: 'CALL',
        messageId: 'm-0009',
        action: 'GetChargingProfiles',
      }),
      frame(14, 'in', '[3,"m-0009",{"status":"Accepted"}]', { type: 'CALLRESULT', messageId: 'm-0009', action: 'GetChargingProfiles' }),
      frame(15, 'in', '[2,"s-4","ReportChargingProfiles",{"requestId":43,"chargingLimitSource":"CSO","evseId":1,"chargingProfile":[{"id":1007}]', {
        type: 'INVALID',
        valid: null,
        framingError: 'unterminated JSON array',
        rawLength: 4096,
      }),
    ],
  });

  const skipped = base({
    id: 'SC-201-14',
    octtId: 'TC_K_60_CS',
    title: 'External constraints',
    verdict: 'skipped',
    reason: 'PICS: SmartChargingCtrlr.ExternalControlSignalsEnabled not supported',
    requirements: ['K11.FR.01'],
    tags: ['check'],
    startedAt: '2025-03-04T10:00:08.000Z',
    durationMs: 0,
  });

  const error = base({
    id: 'SC-201-15',
    title: 'Composite schedule with two EVSEs',
    verdict: 'error',
    reason: 'interrupted (SIGINT) while waiting for GetCompositeScheduleResponse',
    errorType: 'Interrupted',
    startedAt: '2025-03-04T10:00:08.500Z',
    durationMs: 420,
    frames: [
      frame(16, 'out', '[2,"m-0010","GetCompositeSchedule",{"duration":300,"evseId":0}]', {
        type: 'CALL',
        messageId: 'm-0010',
        action: 'GetCompositeSchedule',
      }),
    ],
  });

  return {
    startedAt: '2025-03-04T10:00:00.000Z',
    finishedAt: '2025-03-04T10:00:09.000Z',
    durationMs: 9000,
    harness: { name: 'ocpp-conformance', version: '0.1.0' },
    schemas: { source: 'ocpp-rpc@2.2.1', sha256: 'a'.repeat(64) },
    ocpp: '2.0.1',
    as: 'csms',
    device: {
      identity: 'CP-001',
      endpoint: 'ws://127.0.0.1:9220/ocpp/CP-001',
      subprotocol: 'ocpp2.0.1',
      vendor: 'Acme <Charging> & Co',
      model: 'Wallbox 22',
      firmware: '1.4.2',
      serial: 'SN-0042',
    },
    capabilities: { declared: { SmartChargingCtrlr: { Enabled: true } }, mismatches: [] },
    interrupted: true,
    cases: [info, passed, warn, failed, skipped, error],
  };
}
