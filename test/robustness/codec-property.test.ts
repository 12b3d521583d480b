/**
 * Property tests over the OCPP-J codec with a seeded generator (fast-check is not a dependency; the
 * seed makes every failure reproducible: set ROBUSTNESS_SEED to replay).
 */
import { decode, encode, MAX_MESSAGE_ID_LENGTH, type OcppMessage } from '../../src/ocppj';
import type { OcppVersion } from '../../src/ocpp/version';
import { rng, type Rng } from './helpers';

const SEED = Number(process.env.ROBUSTNESS_SEED ?? 20260707);
const RUNS = 3000;
const VERSIONS: OcppVersion[] = ['1.6', '2.0.1', '2.1'];

function jsonValue(r: Rng, depth: number): unknown {
  const k = r.int(0, depth > 0 ? 7 : 4);
  switch (k) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick([0, -1, 1.5, 1e21, -0.1, r.int(-1e6, 1e6)]);
    case 3: return r.str(r.int(0, 20), 'ab c"\\\u0000\u00e9\u{1F600}\n');
    case 4: return r.str(r.int(0, 5));
    case 5: case 6: return Object.fromEntries(Array.from({ length: r.int(0, 4) }, () => [r.str(r.int(0, 6)), jsonValue(r, depth - 1)]));
    default: return Array.from({ length: r.int(0, 4) }, () => jsonValue(r, depth - 1));
  }
}
const payload = (r: Rng) => Object.fromEntries(Array.from({ length: r.int(0, 5) }, () => [r.str(r.int(1, 8)), jsonValue(r, 4)]));

function arbitraryText(r: Rng): string {
  switch (r.int(0, 5)) {
    case 0: // arbitrary unicode, including lone surrogates
      return Array.from({ length: r.int(0, 60) }, () => String.fromCharCode(r.int(0, 0xffff))).join('');
    case 1: // JSON-ish alphabet
      return r.str(r.int(0, 80), '[]{}",:0123456789.-eEtrufalsn \\');
    case 2: // any JSON value
      return JSON.stringify(jsonValue(r, 5)) ?? 'null';
    case 3: { // arrays whose elements are arbitrary JSON (wrong types / arity / message types)
      return JSON.stringify(Array.from({ length: r.int(0, 7) }, () => (r.next() < 0.3 ? r.int(-2, 9) : jsonValue(r, 3))));
    }
    case 4: { // a valid frame, mutated: cut, byte flipped, element duplicated
      const f = encode(validMessage(r, r.pick(VERSIONS)));
      const i = r.int(0, Math.max(0, f.length - 1));
      return r.pick([f.slice(0, i), f.slice(0, i) + String.fromCharCode(r.int(0, 127)) + f.slice(i + 1), f + f, f.replace(/,/, ',,')]);
    }
    default: // deep nesting
      return '['.repeat(r.int(60, 5000)) + (r.next() < 0.5 ? ']'.repeat(r.int(0, 5000)) : '');
  }
}

function validMessage(r: Rng, version: OcppVersion): OcppMessage {
  const messageId = r.str(r.int(1, MAX_MESSAGE_ID_LENGTH), 'abcdef0123456789-ÄΩ"\\ ');
  const types = version === '2.1' ? ['CALL', 'CALLRESULT', 'CALLERROR', 'CALLRESULTERROR', 'SEND'] : ['CALL', 'CALLRESULT', 'CALLERROR'];
  const type = r.pick(types);
  switch (type) {
    case 'CALL':
    case 'SEND':
      return { type, messageId, action: r.str(r.int(1, 30)), payload: payload(r) } as OcppMessage;
    case 'CALLRESULT':
      return { type, messageId, payload: r.next() < 0.1 ? null : payload(r) };
    default:
      return { type, messageId, errorCode: r.str(r.int(0, 30)), errorDescription: r.str(r.int(0, 255), 'abc \n"'), errorDetails: payload(r) } as OcppMessage;
  }
}

describe('codec properties (seeded generator)', () => {
  test(`decode never throws and always returns a typed result with a one-line message, for ${RUNS} arbitrary strings per version (seed ${SEED})`, () => {
    const r = rng(SEED);
    for (const version of VERSIONS) {
      for (let i = 0; i < RUNS; i++) {
        const text = arbitraryText(r);
        let res: ReturnType<typeof decode>;
        try {
          res = decode(version, text, false);
        } catch (e) {
          throw new Error(`decode threw for ${JSON.stringify(text.slice(0, 200))} (seed ${SEED}, run ${i}): ${(e as Error).message}`);
        }
        if (!res.ok) {
          expect(res.error.message).not.toMatch(/[\r\n]/);
          expect(res.error.raw).toBe(text);
        }
      }
    }
  });

  test(`decode never throws for ${RUNS} arbitrary buffers, text or binary (seed ${SEED})`, () => {
    const r = rng(SEED + 1);
    for (let i = 0; i < RUNS; i++) {
      const buf = Buffer.from(Array.from({ length: r.int(0, 100) }, () => r.int(0, 255)));
      const binary = r.next() < 0.5;
      const res = decode(r.pick(VERSIONS), buf, binary);
      if (binary) expect(res.ok).toBe(false);
    }
  });

  test(`encode∘decode is the identity for ${RUNS / 3} valid messages per version (seed ${SEED})`, () => {
    const r = rng(SEED + 2);
    for (const version of VERSIONS) {
      for (let i = 0; i < RUNS / 3; i++) {
        const m = validMessage(r, version);
        const res = decode(version, encode(m), false);
        if (!res.ok) throw new Error(`valid ${m.type} refused: ${res.error.message} (seed ${SEED}, run ${i})`);
        expect(res.message).toEqual(m);
        // And from bytes (what the socket delivers).
        const fromBytes = decode(version, Buffer.from(encode(m), 'utf8'), false);
        expect(fromBytes.ok && fromBytes.message).toEqual(m);
      }
    }
  });

  test('nesting deeper than the limit is refused by the codec (never reaches the validator)', () => {
    expect(decode('2.0.1', `[2,"a","DataTransfer",{"vendorId":"v","data":${'['.repeat(100)}${']'.repeat(100)}}]`, false)).toMatchObject({
      ok: false,
      error: { name: 'NestingTooDeepError', messageId: 'a', errorKind: 'FormatViolation' },
    });
    expect(decode('2.0.1', `[2,"a","DataTransfer",{"vendorId":"v","data":${'['.repeat(20)}${']'.repeat(20)}}]`, false).ok).toBe(true);
  });
});
