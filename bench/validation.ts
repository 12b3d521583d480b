/**
 * Part 1 — validation path. Frames per second through the harness's real inbound path (RpcSession's
 * WebSocket 'message' handler: decode → frame checks → schema validation → trace record) against the raw
 * baseline (JSON.parse + the bare compiled ajv validator, same options, same schema files) on the same
 * frames, in the same process. No sockets: the session is given a fake ws, so the figure is the harness
 * cost, not the network's.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type WebSocket from 'ws';
import { RpcSession, Reply } from '../src/transport/session';
import { Trace } from '../src/transport/trace';
import { AJV_OPTIONS, getValidator, schemasDir } from '../src/validation';
import { decode } from '../src/ocppj/codec';
import { schemaDirOf, type OcppVersion } from '../src/ocpp/version';
import type { Payload } from '../src/ocppj/messages';
import { compositeResponse16, compositeResponse201, reportChargingProfiles201, setChargingProfile16, setChargingProfile201 } from './frames';
import { figure, now, ratio, type Figure } from './stats';

type Version = Exclude<OcppVersion, '2.1'>;

interface BenchFrame {
  version: Version;
  type: 'CALL' | 'CALLRESULT';
  action: string;
  messageId: string;
  buf: Buffer;
  payload: Payload;
}

/** The bench's raw baseline options; must equal the harness's (checked below). */
const BASELINE_AJV_OPTIONS = { strict: false, allErrors: true, multipleOfPrecision: 6 } as const;

/** The realistic mix: SetChargingProfile (24 periods), ReportChargingProfiles (10 profiles), GetCompositeSchedule responses. */
export function buildMix(perKind: number): BenchFrame[] {
  const out: BenchFrame[] = [];
  const call = (version: Version, action: string, payload: Payload): BenchFrame => {
    const messageId = randomUUID();
    return { version, type: 'CALL', action, messageId, payload, buf: Buffer.from(JSON.stringify([2, messageId, action, payload])) };
  };
  const result = (version: Version, action: string, payload: Payload): BenchFrame => {
    const messageId = randomUUID();
    return { version, type: 'CALLRESULT', action, messageId, payload, buf: Buffer.from(JSON.stringify([3, messageId, payload])) };
  };
  for (let i = 0; i < perKind; i++) {
    out.push(call('2.0.1', 'SetChargingProfile', setChargingProfile201(1000 + i, 1 + (i % 2))));
    out.push(call('2.0.1', 'ReportChargingProfiles', reportChargingProfiles201(i, 1 + i * 10)));
    out.push(result('2.0.1', 'GetCompositeSchedule', compositeResponse201(i)));
    out.push(call('1.6', 'SetChargingProfile', setChargingProfile16(1000 + i, 1 + (i % 2))));
    out.push(result('1.6', 'GetCompositeSchedule', compositeResponse16(i)));
  }
  return out;
}

/** A ws stand-in: the session registers its listeners on it; we emit 'message' ourselves. */
class FakeWs extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent = 0;
  send(_data: unknown, cb?: (err?: Error) => void): void {
    this.sent++;
    cb?.();
  }
  close(): void {}
  terminate(): void {}
}

interface PendingSlot {
  pending: unknown;
}

function harnessSessions(): { sessions: Record<Version, RpcSession>; problems: string[] } {
  const problems: string[] = [];
  const make = (version: Version) => {
    const s = new RpcSession(new FakeWs() as unknown as WebSocket, { version, identity: 'BENCH', trace: new Trace() });
    // Inbound CALLs are consumed without an answer: the reply is the outbound path, not measured here.
    s.handle('SetChargingProfile', () => Reply.none());
    s.handle('ReportChargingProfiles', () => Reply.none());
    s.on('violation', (v: { message: string }) => problems.push(`${version}: ${v.message}`));
    s.on('harnessError', (e: Error) => problems.push(`${version}: ${e.message}`));
    return s;
  };
  return { sessions: { '1.6': make('1.6'), '2.0.1': make('2.0.1') }, problems };
}

const noop = () => undefined;

/** One pass of `frames` through fresh sessions' inbound path; returns elapsed ms. */
async function harnessPass(frames: readonly BenchFrame[]): Promise<number> {
  const { sessions, problems } = harnessSessions();
  const t0 = now();
  for (const f of frames) {
    const s = sessions[f.version];
    if (f.type === 'CALLRESULT') {
      // The response of a CALL the harness sent: the session correlates it with its pending CALL.
      (s as unknown as PendingSlot).pending = { messageId: f.messageId, action: f.action, resolve: noop, reject: noop, timer: undefined };
      s.ws.emit('message', f.buf, false);
    } else {
      s.ws.emit('message', f.buf, false);
      // The CALL handler is async: let it finish before the next CALL (one outstanding CALL, Part 4 §4.1.1).
      await undefined;
    }
  }
  const elapsed = now() - t0;
  if (problems.length) throw new Error(`validation bench: the harness reported ${problems.length} problem(s), first: ${problems[0]}`);
  const recorded = sessions['1.6'].trace.lastSeq + sessions['2.0.1'].trace.lastSeq;
  if (recorded !== frames.length) throw new Error(`validation bench: ${recorded} frames traced, ${frames.length} sent`);
  return elapsed;
}

/** The raw baseline: JSON.parse + the bare compiled ajv validator on the same schema files. */
function baselineValidators(): Map<string, ValidateFunction> {
  for (const [k, v] of Object.entries(BASELINE_AJV_OPTIONS)) {
    if ((AJV_OPTIONS as Record<string, unknown>)[k] !== v) throw new Error(`bench baseline ajv option ${k} differs from the harness's`);
  }
  const map = new Map<string, ValidateFunction>();
  for (const version of ['1.6', '2.0.1'] as const) {
    const ajv = new Ajv({ ...BASELINE_AJV_OPTIONS });
    addFormats(ajv);
    for (const action of ['SetChargingProfile', 'ReportChargingProfiles', 'GetCompositeSchedule']) {
      for (const dir of ['Request', 'Response']) {
        const file = path.join(schemasDir(), schemaDirOf(version), `${action}${dir}.json`);
        if (!fs.existsSync(file)) continue;
        const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        // Same in-memory $id adjustment as the harness (ocpp-rpc's `urn:X.req` is refused by fast-uri).
        map.set(`${version}:${dir === 'Request' ? 'CALL' : 'CALLRESULT'}:${action}`, ajv.compile({ ...schema, $id: `urn:bench:${version}:${action}${dir}` }));
      }
    }
  }
  return map;
}

function baselinePass(frames: readonly BenchFrame[], validators: Map<string, ValidateFunction>): number {
  let valid = 0;
  const t0 = now();
  for (const f of frames) {
    const msg = JSON.parse(f.buf.toString('utf8')) as unknown[];
    const call = msg[0] === 2;
    const fn = validators.get(`${f.version}:${call ? 'CALL' : 'CALLRESULT'}:${call ? (msg[2] as string) : f.action}`)!;
    if (fn(call ? msg[3] : msg[2])) valid++;
  }
  const elapsed = now() - t0;
  if (valid !== frames.length) throw new Error(`validation bench: baseline found ${frames.length - valid} invalid frame(s)`);
  return elapsed;
}

export interface ValidationResult {
  framesPerPass: number;
  avgFrameBytes: number;
  harness: Figure;
  baseline: Figure;
  /** baseline frames/s ÷ harness frames/s: how many times the raw cost the harness path takes. */
  ratio: Figure;
  /** µs per frame of each stage alone (same frames): where the harness's extra time goes. */
  stagesUs: Record<string, Figure>;
}

/** Each stage of the inbound path alone, µs per frame (median of `runs` passes). */
function stages(frames: readonly BenchFrame[], validators: Map<string, ValidateFunction>, runs: number): Record<string, Figure> {
  const v = { '1.6': getValidator('1.6'), '2.0.1': getValidator('2.0.1') };
  const texts = frames.map((f) => f.buf.toString('utf8'));
  const parsed = texts.map((t) => JSON.parse(t) as unknown[]);
  const known = (version: Version) => (a: string) => v[version].has(a, 'request');
  const stage = (fn: () => void) => {
    for (let i = 0; i < 3; i++) fn(); // JIT warm-up
    const r: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = now();
      fn();
      r.push(((now() - t0) * 1000) / frames.length);
    }
    return figure(r, 'µs');
  };
  return {
    'utf8 decode': stage(() => frames.forEach((f) => f.buf.toString('utf8'))),
    'JSON.parse': stage(() => texts.forEach((t) => JSON.parse(t))),
    'codec decode (parse + frame checks)': stage(() => frames.forEach((f, i) => decode(f.version, texts[i]!, false, { isKnownAction: known(f.version) }))),
    'bare ajv validate': stage(() =>
      frames.forEach((f, i) => validators.get(`${f.version}:${f.type}:${f.action}`)!(f.type === 'CALL' ? parsed[i]![3] : parsed[i]![2])),
    ),
    'harness validate()': stage(() => frames.forEach((f, i) => v[f.version].validate(f.action, f.type === 'CALL' ? 'request' : 'response', f.type === 'CALL' ? parsed[i]![3] : parsed[i]![2]))),
    'trace record': stage(() => {
      const t = new Trace();
      frames.forEach((f, i) => t.record({ dir: 'in', raw: texts[i]!, type: f.type, messageId: f.messageId, action: f.action, valid: true }));
    }),
  };
}

/**
 * One sample: harness and baseline passes alternate pass by pass until each side has run `budgetMs`,
 * so that load from other processes on a shared machine hits both sides alike. Returns frames/s of each.
 */
async function sample(budgetMs: number, frames: readonly BenchFrame[], validators: Map<string, ValidateFunction>): Promise<[number, number]> {
  let h = 0;
  let b = 0;
  let hn = 0;
  let bn = 0;
  while (h < budgetMs || b < budgetMs) {
    h += await harnessPass(frames);
    hn += frames.length;
    b += baselinePass(frames, validators);
    bn += frames.length;
  }
  return [(hn / h) * 1000, (bn / b) * 1000];
}

export async function benchValidation(opts: { samples: number; sampleMs: number; log: (s: string) => void }): Promise<ValidationResult> {
  const frames = buildMix(200);
  const validators = baselineValidators();
  const avgFrameBytes = frames.reduce((n, f) => n + f.buf.length, 0) / frames.length;
  opts.log(`validation: ${frames.length} frames per pass, ${Math.round(avgFrameBytes)} bytes average; warming up`);
  // Warm-up: schema compilation (lazy in the harness) and JIT on both sides.
  await sample(opts.sampleMs, frames, validators);
  const h: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const [hs, bs] = await sample(opts.sampleMs, frames, validators);
    h.push(hs);
    b.push(bs);
    opts.log(`validation sample ${i + 1}/${opts.samples}: harness ${Math.round(hs)}/s, baseline ${Math.round(bs)}/s`);
  }
  const harness = figure(h, 'frames/s');
  const baseline = figure(b, 'frames/s');
  const stagesUs = stages(frames, validators, 7);
  return { framesPerPass: frames.length, avgFrameBytes, harness, baseline, ratio: ratio(baseline, harness), stagesUs };
}
