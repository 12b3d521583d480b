/**
 * Generated hostile-peer corpus (issue #7 §1): ≥ 200 bad inputs per OCPP version, reproducible from a
 * seed. Each entry says what the harness must do with it: the violation it records, the answer it sends
 * (the CALLERROR code its version requires, or nothing), and whether the connection is closed.
 */
import type { OcppVersion } from '../../src/ocpp/version';
import { codeFor, type ErrorKind } from '../../src/ocppj/errorCodes';
import type { PeerRole } from './helpers';
import { rng, type Rng } from './helpers';

export type Answer = { type: 'CALLERROR'; id: string; code: string } | { type: 'CALLRESULT'; id: string } | 'none';

export interface CorpusEntry {
  category: string;
  name: string;
  data: string | Buffer;
  binary?: boolean;
  /** Valid frames sent (and answered) first, e.g. the original of a duplicate id. */
  pre?: string[];
  violation: { kind: 'FramingViolation' | 'SchemaViolation'; message?: RegExp; severity?: 'fail' | 'warn'; keyword?: string };
  answer: Answer;
  /** The harness (ws layer) closes the connection with this code (RFC 6455): 1007 invalid UTF-8, 1009 too big. */
  closes?: number;
}

const ISO = '2026-01-01T00:00:00Z';

function bases(v: OcppVersion) {
  if (v === '1.6') {
    return {
      boot: { chargePointVendor: 'Vendor', chargePointModel: 'Model' },
      status: { connectorId: 1, errorCode: 'NoError', status: 'Available' },
      meter: { connectorId: 1, meterValue: [{ timestamp: ISO, sampledValue: [{ value: '1' }] }] },
      authorize: { idTag: 'TAG-1' },
      setProfile: {
        connectorId: 1,
        csChargingProfiles: {
          chargingProfileId: 1001, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
          chargingSchedule: { startSchedule: ISO, duration: 300, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7.3 }] },
        },
      },
    };
  }
  return {
    boot: { chargingStation: { model: 'Model', vendorName: 'Vendor' }, reason: 'PowerUp' },
    status: { timestamp: ISO, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
    meter: { evseId: 1, meterValue: [{ timestamp: ISO, sampledValue: [{ value: 1 }] }] },
    authorize: { idToken: { idToken: 'TAG-1', type: 'ISO14443' } },
    setProfile: {
      evseId: 1,
      chargingProfile: {
        id: 1001, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
        chargingSchedule: [{ id: 1, startSchedule: ISO, duration: 300, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7.3 }] }],
      },
    },
  };
}

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);
/** Set a value at a dotted path (numeric segments index arrays); `undefined` deletes. */
function at(obj: Json, path: string, value: unknown): Json {
  const o = clone(obj);
  const segs = path.split('.');
  let cur: Record<string, unknown> = o;
  for (const s of segs.slice(0, -1)) cur = cur[s] as Record<string, unknown>;
  const last = segs[segs.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return o;
}

interface SchemaCase {
  action: string;
  payload: Json;
  keyword: string;
}

const kindOfKeyword = (k: string): ErrorKind =>
  k === 'type' ? 'TypeConstraintViolation' : k === 'required' ? 'OccurrenceConstraintViolation' : k === 'additionalProperties' ? 'PropertyConstraintViolation' : 'FormatViolation';

/** Payloads violating the schema, several per keyword class the version's schemas use. */
function schemaCases(v: OcppVersion, r: Rng): SchemaCase[] {
  const b = bases(v);
  const out: SchemaCase[] = [];
  const add = (action: string, payload: Json, keyword: string) => out.push({ action, payload, keyword });
  const wrongTypes = () => r.pick<unknown>(['x', true, null, [1], { a: 1 }, 'nan']);
  if (v === '1.6') {
    for (let i = 0; i < 3; i++) add('StatusNotification', at(b.status, 'connectorId', r.pick<unknown>([String(r.int(0, 9)), true, null, [1], { a: 1 }])), 'type');
    for (let i = 0; i < 3; i++) add('BootNotification', at(b.boot, 'chargePointVendor', r.pick<unknown>([r.int(0, 99), false, [], {}])), 'type');
    add('SetChargingProfile', at(b.setProfile, 'csChargingProfiles.stackLevel', 'zero'), 'type');
    add('MeterValues', at(b.meter, 'meterValue', { timestamp: ISO }), 'type');
    for (const p of ['chargePointVendor', 'chargePointModel']) add('BootNotification', at(b.boot, p, undefined), 'required');
    for (const p of ['connectorId', 'errorCode', 'status']) add('StatusNotification', at(b.status, p, undefined), 'required');
    add('Authorize', {}, 'required');
    for (let i = 0; i < 3; i++) add('Heartbeat', { [r.str(r.int(1, 12))]: r.int(0, 9) }, 'additionalProperties');
    for (let i = 0; i < 3; i++) add('BootNotification', { ...b.boot, [`x${r.str(6)}`]: 'vendor extension' }, 'additionalProperties');
    for (let i = 0; i < 4; i++) add('StatusNotification', at(b.status, 'status', r.str(r.int(1, 12))), 'enum');
    for (let i = 0; i < 2; i++) add('StatusNotification', at(b.status, 'errorCode', `Err${r.str(4)}`), 'enum');
    add('SetChargingProfile', at(b.setProfile, 'csChargingProfiles.chargingProfilePurpose', 'TxProfileish'), 'enum');
    add('SetChargingProfile', at(b.setProfile, 'csChargingProfiles.chargingSchedule.chargingRateUnit', 'kW'), 'enum');
    for (let i = 0; i < 4; i++) add('BootNotification', at(b.boot, 'chargePointVendor', r.str(r.int(21, 300))), 'maxLength');
    for (let i = 0; i < 2; i++) add('Authorize', { idTag: r.str(r.int(21, 60)) }, 'maxLength');
    for (let i = 0; i < 2; i++) add('StatusNotification', { ...b.status, info: r.str(r.int(51, 200)) }, 'maxLength');
    for (const ts of ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01 00:00', `${r.int(0, 99)}`]) add('StatusNotification', { ...b.status, timestamp: ts }, 'format');
    add('MeterValues', at(b.meter, 'meterValue.0.timestamp', 'not-a-date'), 'format');
    add('SetChargingProfile', at(b.setProfile, 'csChargingProfiles.chargingSchedule.startSchedule', '01/01/2026'), 'format');
    for (let i = 0; i < 6; i++) {
      const limit = r.int(1, 300) + r.pick([0.05, 0.25, 0.33, 0.01, 0.125, 0.999]);
      add('SetChargingProfile', at(b.setProfile, 'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.0.limit', limit), 'multipleOf');
    }
  } else {
    for (let i = 0; i < 3; i++) add('StatusNotification', at(b.status, 'evseId', r.pick<unknown>([String(r.int(0, 9)), true, null, [1], { a: 1 }])), 'type');
    for (let i = 0; i < 3; i++) add('BootNotification', at(b.boot, 'chargingStation', wrongTypes()), 'type');
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.stackLevel', 'zero'), 'type');
    add('MeterValues', at(b.meter, 'meterValue', { timestamp: ISO }), 'type');
    for (const p of ['chargingStation', 'reason']) add('BootNotification', at(b.boot, p, undefined), 'required');
    for (const p of ['timestamp', 'connectorStatus', 'evseId']) add('StatusNotification', at(b.status, p, undefined), 'required');
    add('Authorize', {}, 'required');
    for (let i = 0; i < 3; i++) add('Heartbeat', { [r.str(r.int(1, 12))]: r.int(0, 9) }, 'additionalProperties');
    for (let i = 0; i < 3; i++) add('BootNotification', { ...b.boot, [`x${r.str(6)}`]: 'vendor extension' }, 'additionalProperties');
    for (let i = 0; i < 4; i++) add('StatusNotification', at(b.status, 'connectorStatus', r.str(r.int(1, 12))), 'enum');
    for (let i = 0; i < 2; i++) add('BootNotification', at(b.boot, 'reason', `Reason${r.str(4)}`), 'enum');
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingProfilePurpose', 'TxProfileish'), 'enum');
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule.0.chargingRateUnit', 'kW'), 'enum');
    for (let i = 0; i < 4; i++) add('BootNotification', at(b.boot, 'chargingStation.model', r.str(r.int(21, 300))), 'maxLength');
    for (let i = 0; i < 2; i++) add('Authorize', at(b.authorize, 'idToken.idToken', r.str(r.int(37, 80))), 'maxLength');
    for (let i = 0; i < 2; i++) add('BootNotification', at(b.boot, 'chargingStation.vendorName', r.str(r.int(51, 200))), 'maxLength');
    for (let i = 0; i < 4; i++) {
      const sales = { id: 1, salesTariffEntry: [{ relativeTimeInterval: { start: 0 }, ePriceLevel: -r.int(1, 1000) }] };
      add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule.0.salesTariff', sales), 'minimum');
    }
    for (const ts of ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01 00:00', `${r.int(0, 99)}`]) add('StatusNotification', { ...b.status, timestamp: ts }, 'format');
    add('MeterValues', at(b.meter, 'meterValue.0.timestamp', 'not-a-date'), 'format');
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule.0.startSchedule', '01/01/2026'), 'format');
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule.0.chargingSchedulePeriod', []), 'minItems');
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule', []), 'minItems');
    add('GetChargingProfiles', { requestId: 1, chargingProfile: { chargingLimitSource: [] } }, 'minItems');
    add('MeterValues', at(b.meter, 'meterValue', []), 'minItems');
    for (const n of [4, 5, 9]) {
      const sched = (b.setProfile.chargingProfile as Json).chargingSchedule as Json[];
      add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule', Array.from({ length: n }, (_, i) => ({ ...sched[0], id: i + 1 }))), 'maxItems');
    }
    add('SetChargingProfile', at(b.setProfile, 'chargingProfile.chargingSchedule.0.chargingSchedulePeriod', Array.from({ length: 1025 }, (_, i) => ({ startPeriod: i * 60, limit: 6 }))), 'maxItems');
  }
  return out;
}

/**
 * The corpus for one version and the role the hostile peer plays. `seed` makes it reproducible; ids are
 * unique per entry except where an entry tests duplicates.
 */
export function buildCorpus(version: OcppVersion, role: PeerRole, seed = 7): CorpusEntry[] {
  const r = rng(seed);
  const code = (k: ErrorKind) => codeFor(version, k);
  const out: CorpusEntry[] = [];
  let n = 0;
  const id = (p = 'c') => `${p}-${++n}`;
  const add = (e: CorpusEntry) => out.push(e);
  const b = bases(version);
  const probeAction = role === 'station' ? 'Heartbeat' : 'ClearCache';
  const validFrames = () => [
    JSON.stringify([2, id(), 'BootNotification', b.boot]),
    JSON.stringify([2, id(), 'StatusNotification', b.status]),
    JSON.stringify([2, id(), 'SetChargingProfile', b.setProfile]),
    JSON.stringify([3, id(), { status: 'Accepted' }]),
    JSON.stringify([4, id(), 'GenericError', 'boom', {}]),
  ];

  // --- truncated JSON (valid frames cut at random points) --------------------------------------------
  for (let i = 0; i < 25; i++) {
    const f = r.pick(validFrames());
    const cut = r.int(1, f.length - 1);
    add({ category: 'truncated JSON', name: `cut at ${cut}/${f.length}`, data: f.slice(0, cut), violation: { kind: 'FramingViolation', message: /not valid JSON/ }, answer: 'none' });
  }
  // --- invalid JSON --------------------------------------------------------------------------------
  const garbage = [
    '', ' ', 'hello', 'NaN', 'undefined', "[2,'a','Heartbeat',{}]", '[2,"a","Heartbeat",{},]', '[2,"a" "Heartbeat",{}]', '{"a":1,}', '[2,"a","Heartbeat",{"x":01}]',
    '\u0000\u0001\u0002', '<?xml version="1.0"?><ocpp/>', 'GET / HTTP/1.1', ']]', '[2,"a","Heartbeat",{}]]',
  ];
  for (let i = 0; i < garbage.length + 5; i++) {
    const g = i < garbage.length ? garbage[i]! : r.str(r.int(1, 80), 'abc[]{}",:0123456789 \\');
    // A random string may happen to be valid JSON: only keep what JSON.parse refuses.
    try {
      JSON.parse(g);
      continue;
    } catch {
      /* invalid: keep */
    }
    add({ category: 'invalid JSON', name: JSON.stringify(g.slice(0, 30)), data: g, violation: { kind: 'FramingViolation', message: /not valid JSON/ }, answer: 'none' });
  }
  // --- invalid UTF-8 in a text frame: RFC 6455 §8.1 requires failing the connection (1007) -----------------
  for (const bytes of [[0xff], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0xbc]]) {
    const data = Buffer.concat([Buffer.from(`[2,"${id()}","Heartbeat",{"x":"`), Buffer.from(bytes), Buffer.from('"}]')]);
    add({ category: 'invalid UTF-8', name: Buffer.from(bytes).toString('hex'), data, binary: false, violation: { kind: 'FramingViolation', message: /UTF-8/i }, answer: 'none', closes: 1007 });
  }
  // --- binary frames ---------------------------------------------------------------------------------
  for (let i = 0; i < 10; i++) {
    const data = i < 4 ? Buffer.from(r.pick(validFrames())) : i < 7 ? Buffer.from(Array.from({ length: r.int(1, 64) }, () => r.int(0, 255))) : Buffer.from([0xff, 0xfe, 0x00, r.int(0, 255)]);
    add({ category: 'binary frame', name: `${data.length} bytes`, data, binary: true, violation: { kind: 'FramingViolation', message: /binary WebSocket frame/ }, answer: 'none' });
  }
  // --- JSON that is not an array -----------------------------------------------------------------------
  for (const g of ['{}', '{"messageTypeId":2}', '"[2,\\"a\\",\\"Heartbeat\\",{}]"', '42', 'null', 'true', '-0.5', '{"0":2,"1":"a"}']) {
    add({ category: 'not an array', name: g, data: g, violation: { kind: 'FramingViolation', message: /not a JSON array/ }, answer: 'none' });
  }
  // --- wrong arity -----------------------------------------------------------------------------------------
  const rpc = code('RpcFrameworkError');
  add({ category: 'wrong arity', name: '[]', data: '[]', violation: { kind: 'FramingViolation', message: /empty array/ }, answer: 'none' });
  for (const extra of [[], [probeAction], [probeAction, {}, 'extra'], [probeAction, {}, {}, {}], ['x', 'y', 'z', 'w', 'v']]) {
    const i = id();
    add({ category: 'wrong arity', name: `CALL with ${2 + extra.length} elements`, data: JSON.stringify([2, i, ...extra]), violation: { kind: 'FramingViolation', message: /CALL must have 4 elements/ }, answer: { type: 'CALLERROR', id: i, code: rpc } });
  }
  for (const extra of [[], [{}, 'extra'], [{}, {}, {}]]) {
    add({ category: 'wrong arity', name: `CALLRESULT with ${2 + extra.length} elements`, data: JSON.stringify([3, id(), ...extra]), violation: { kind: 'FramingViolation', message: /CALLRESULT must have 3 elements/ }, answer: 'none' });
  }
  for (const extra of [[], ['GenericError'], ['GenericError', 'd'], ['GenericError', 'd', {}, 'x']]) {
    add({ category: 'wrong arity', name: `CALLERROR with ${2 + extra.length} elements`, data: JSON.stringify([4, id(), ...extra]), violation: { kind: 'FramingViolation', message: /CALLERROR must have 5 elements/ }, answer: 'none' });
  }
  add({ category: 'wrong arity', name: '[2]', data: '[2]', violation: { kind: 'FramingViolation', message: /messageId must be a string/ }, answer: 'none' });
  // --- wrong element types ----------------------------------------------------------------------------------
  for (const t of ['"2"', '2.5', 'null', 'true', '[2]', '{}']) {
    add({ category: 'wrong type', name: `type ${t}`, data: `[${t},"${id()}","${probeAction}",{}]`, violation: { kind: 'FramingViolation', message: /message type must be an integer/ }, answer: 'none' });
  }
  for (const m of ['7', 'null', '{}', '["x"]', 'true']) {
    add({ category: 'wrong type', name: `messageId ${m}`, data: `[2,${m},"${probeAction}",{}]`, violation: { kind: 'FramingViolation', message: /messageId must be a string/ }, answer: 'none' });
  }
  for (const a of ['42', 'null', '["Heartbeat"]', '{}']) {
    const i = id();
    add({ category: 'wrong type', name: `action ${a}`, data: `[2,"${i}",${a},{}]`, violation: { kind: 'FramingViolation', message: /action must be a string/ }, answer: { type: 'CALLERROR', id: i, code: rpc } });
  }
  for (const p of ['[]', '"{}"', 'null', '1']) {
    const i = id();
    add({ category: 'wrong type', name: `CALL payload ${p}`, data: `[2,"${i}","${probeAction}",${p}]`, violation: { kind: 'FramingViolation', message: /payload must be an object/ }, answer: { type: 'CALLERROR', id: i, code: rpc } });
  }
  for (const p of ['[]', '"x"', '1']) {
    add({ category: 'wrong type', name: `CALLRESULT payload ${p}`, data: `[3,"${id()}",${p}]`, violation: { kind: 'FramingViolation', message: /CALLRESULT payload must be an object/ }, answer: 'none' });
  }
  for (const f of ['[4,"%ID%",1,"d",{}]', '[4,"%ID%","GenericError",2,{}]', '[4,"%ID%","GenericError","d",[]]']) {
    add({ category: 'wrong type', name: f, data: f.replace('%ID%', id()), violation: { kind: 'FramingViolation', message: /CALLERROR error\w+ must be/ }, answer: 'none' });
  }
  // --- unknown message types -----------------------------------------------------------------------------------
  for (const t of [0, 1, 7, 8, 9, 10, 42, 99, -1, 1000]) {
    const i = id();
    add({ category: 'unknown message type', name: `type ${t}`, data: JSON.stringify([t, i, probeAction, {}]), violation: { kind: 'FramingViolation', message: /unknown message type/ }, answer: { type: 'CALLERROR', id: i, code: code('MessageTypeNotSupported') } });
  }
  // 5 and 6 exist only in OCPP 2.1: unknown here, but they are not CALLs, so nothing is answered.
  for (const t of [5, 6]) {
    add({ category: 'unknown message type', name: `type ${t} (2.1 only)`, data: JSON.stringify([t, id(), 'GenericError', 'x', {}]), violation: { kind: 'FramingViolation', message: /unknown message type/ }, answer: 'none' });
  }
  // --- message ids over 36 characters -------------------------------------------------------------------------
  for (let k = 0; k < 12; k++) {
    const long = `${id('long')}-${r.str(r.int(37, 200))}`;
    const t = k % 3 === 0 ? 3 : k % 3 === 1 ? 4 : 2;
    const data = t === 2 ? JSON.stringify([2, long, probeAction, {}]) : t === 3 ? JSON.stringify([3, long, {}]) : JSON.stringify([4, long, 'GenericError', '', {}]);
    add({ category: 'messageId over 36', name: `type ${t}, ${long.length} chars`, data, violation: { kind: 'FramingViolation', message: /characters, at most 36 allowed/ }, answer: t === 2 ? { type: 'CALLERROR', id: long, code: rpc } : 'none' });
  }
  // --- duplicate message ids ---------------------------------------------------------------------------------
  for (let k = 0; k < 4; k++) {
    const i = id('dup');
    const f = JSON.stringify([2, i, probeAction, {}]);
    add({ category: 'duplicate messageId', name: i, pre: [f], data: f, violation: { kind: 'FramingViolation', message: /reuses messageId/ }, answer: { type: 'CALLRESULT', id: i } });
  }
  // --- unsolicited CALLRESULT / CALLERROR (unknown message ids) ------------------------------------------------
  for (let k = 0; k < 20; k++) {
    const i = k % 4 === 0 ? r.str(36) : id('unknown');
    const data = k % 2 ? JSON.stringify([3, i, r.pick([{}, { status: 'Accepted' }, null, { currentTime: ISO }])]) : JSON.stringify([4, i, r.pick(['GenericError', 'InternalError', 'NoSuchCode']), r.str(r.int(0, 20)), {}]);
    add({ category: 'unsolicited response', name: data.slice(0, 40), data, violation: { kind: 'FramingViolation', message: /for unknown messageId/ }, answer: 'none' });
  }
  // --- CALLs for unknown actions ------------------------------------------------------------------------------------
  const actions = ['FlyToTheMoon', 'heartbeat', 'HEARTBEAT', 'Heartbeat ', 'BootNotificationRequest', 'NotifyEVChargingNeedsX', '', 'Reset\nInjected: line', '\u001b[31mred\u001b[0m', 'x'.repeat(500), 'SetChargingProfile2', '../../etc/passwd', '__proto__', 'constructor', 'toString'];
  for (const a of actions) {
    const i = id();
    add({ category: 'unknown action', name: JSON.stringify(a.slice(0, 30)), data: JSON.stringify([2, i, a, {}]), violation: { kind: 'FramingViolation', message: /is not an OCPP .* action/ }, answer: { type: 'CALLERROR', id: i, code: code('NotImplemented') } });
  }
  // --- schema violations, every keyword class the version's schemas use ----------------------------------------
  for (const s of schemaCases(version, r)) {
    const i = id();
    add({
      category: `schema ${s.keyword}`,
      name: `${s.action} ${s.keyword}`,
      data: JSON.stringify([2, i, s.action, s.payload]),
      violation: { kind: 'SchemaViolation', keyword: s.keyword },
      answer: { type: 'CALLERROR', id: i, code: code(kindOfKeyword(s.keyword)) },
    });
  }
  // --- deep nesting ----------------------------------------------------------------------------------------------
  const deepArr = (d: number) => '['.repeat(d) + ']'.repeat(d);
  const deepObj = (d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);
  add({ category: 'deep nesting', name: '10 000 nested arrays', data: deepArr(10_000), violation: { kind: 'FramingViolation', message: /nested/ }, answer: 'none' });
  add({ category: 'deep nesting', name: '100 000 nested arrays', data: deepArr(100_000), violation: { kind: 'FramingViolation', message: /nested/ }, answer: 'none' });
  for (const [what, inner] of [['arrays', deepArr(10_000)], ['objects', deepObj(10_000)]] as const) {
    const i = id();
    add({ category: 'deep nesting', name: `payload with 10 000 nested ${what}`, data: `[2,"${i}","DataTransfer",{"vendorId":"v","data":${inner}}]`, violation: { kind: 'FramingViolation', message: /nested/ }, answer: { type: 'CALLERROR', id: i, code: code('FormatViolation') } });
    const j = id();
    add({ category: 'deep nesting', name: `unknown property with 10 000 nested ${what}`, data: `[2,"${j}","${probeAction}",{"x":${inner}}]`, violation: { kind: 'FramingViolation', message: /nested/ }, answer: { type: 'CALLERROR', id: j, code: code('FormatViolation') } });
  }
  // --- large frames below the limit: kept, truncated in the trace ---------------------------------------------------
  for (const size of [300_000, 900_000]) {
    const i = id();
    add({ category: 'large frame', name: `${size} chars`, data: JSON.stringify([2, i, probeAction, { pad: 'x'.repeat(size) }]), violation: { kind: 'SchemaViolation', keyword: 'additionalProperties' }, answer: { type: 'CALLERROR', id: i, code: code('PropertyConstraintViolation') } });
  }
  // --- a frame over the maximum size: ws closes with 1009 -----------------------------------------------------------
  add({ category: 'oversize frame', name: '1.5 MB over a 1 MiB limit', data: JSON.stringify([2, id(), probeAction, { pad: 'y'.repeat(1_500_000) }]), violation: { kind: 'FramingViolation', message: /Max payload size exceeded/i }, answer: 'none', closes: 1009 });
  return out;
}
