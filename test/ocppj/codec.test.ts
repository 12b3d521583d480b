import { decode, encode } from '../../src/ocppj/codec';
import {
  BinaryFrameError,
  MessageIdTooLongError,
  NotArrayError,
  NotJsonError,
  UnknownActionError,
  UnknownMessageTypeError,
  WrongArityError,
  WrongTypeError,
} from '../../src/ocppj/errors';
import { codeFor, isOtherVersionSpelling, isValidCode } from '../../src/ocppj/errorCodes';

const known = (a: string) => a === 'SetChargingProfile' || a === 'Heartbeat';
const dec = (raw: string, version: '1.6' | '2.0.1' | '2.1' = '2.0.1', binary = false) =>
  decode(version, Buffer.from(raw), binary, { isKnownAction: known });

describe('OCPP-J codec (OCPP-J 1.6 §4, 2.0.1 Part 4 §4)', () => {
  test('round trip of every message type', () => {
    const msgs = [
      { type: 'CALL', messageId: 'a1', action: 'Heartbeat', payload: {} },
      { type: 'CALLRESULT', messageId: 'a1', payload: { currentTime: '2026-01-01T00:00:00Z' } },
      { type: 'CALLERROR', messageId: 'a1', errorCode: 'NotSupported', errorDescription: 'x', errorDetails: {} },
    ] as const;
    for (const m of msgs) {
      const r = dec(encode(m));
      expect(r).toEqual({ ok: true, message: m });
    }
  });

  test('2.1 also decodes CALLRESULTERROR [5] and SEND [6]; 2.0.1 and 1.6 refuse them', () => {
    const send = '[6,"s1","Heartbeat",{}]';
    const cre = '[5,"s2","FormatViolation","bad",{}]';
    expect(dec(send, '2.1')).toMatchObject({ ok: true, message: { type: 'SEND', action: 'Heartbeat' } });
    expect(dec(cre, '2.1')).toMatchObject({ ok: true, message: { type: 'CALLRESULTERROR', errorCode: 'FormatViolation' } });
    for (const v of ['1.6', '2.0.1'] as const) {
      for (const raw of [send, cre]) {
        const r = dec(raw, v);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toBeInstanceOf(UnknownMessageTypeError);
      }
    }
  });

  const bad: [string, string, new (...a: never[]) => Error, RegExp][] = [
    ['not JSON', '[2,"a","Heartbeat",{}', NotJsonError, /not valid JSON/],
    ['truncated JSON', '{"a":', NotJsonError, /not valid JSON/],
    ['not an array (object)', '{"a":1}', NotArrayError, /not a JSON array but an object/],
    ['not an array (number)', '42', NotArrayError, /number 42/],
    ['empty array', '[]', WrongArityError, /empty/],
    ['CALL wrong arity', '[2,"a","Heartbeat"]', WrongArityError, /CALL must have 4 elements, got 3/],
    ['CALLRESULT wrong arity', '[3,"a",{},1]', WrongArityError, /CALLRESULT must have 3 elements/],
    ['CALLERROR wrong arity', '[4,"a","GenericError",""]', WrongArityError, /CALLERROR must have 5/],
    ['type as string', '["2","a","Heartbeat",{}]', WrongTypeError, /message type must be an integer/],
    ['non-integer type', '[2.5,"a","Heartbeat",{}]', WrongTypeError, /message type must be an integer/],
    ['messageId as number', '[2,7,"Heartbeat",{}]', WrongTypeError, /messageId must be a string, got number 7/],
    ['action not a string', '[2,"a",5,{}]', WrongTypeError, /action must be a string/],
    ['payload array', '[2,"a","Heartbeat",[]]', WrongTypeError, /payload must be an object, got an array/],
    ['payload null in CALL', '[2,"a","Heartbeat",null]', WrongTypeError, /payload must be an object, got null/],
    ['CALLRESULT payload string', '[3,"a","x"]', WrongTypeError, /CALLRESULT payload must be an object/],
    ['errorDetails not object', '[4,"a","GenericError","",null]', WrongTypeError, /errorDetails must be an object/],
    ['errorCode not string', '[4,"a",1,"",{}]', WrongTypeError, /errorCode must be a string/],
    ['unknown message type', '[9,"a","Heartbeat",{}]', UnknownMessageTypeError, /unknown message type 9/],
    ['id over 36 characters', `[2,"${'x'.repeat(37)}","Heartbeat",{}]`, MessageIdTooLongError, /37 characters, at most 36/],
    ['unknown action', '[2,"a","FlyToTheMoon",{}]', UnknownActionError, /"FlyToTheMoon" is not an OCPP 2.0.1 action/],
  ];
  test.each(bad)('malformed frame: %s → typed, described error', (_name, raw, cls, msg) => {
    const r = dec(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(cls);
    expect(r.error.message).toMatch(msg);
    expect(r.error.raw).toBe(raw);
  });

  test('binary frame → BinaryFrameError even when its bytes are valid JSON', () => {
    const r = dec('[2,"a","Heartbeat",{}]', '2.0.1', true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(BinaryFrameError);
  });

  test('an id of exactly 36 characters is fine; null CALLRESULT payload is kept for judgement (rules §1.1)', () => {
    expect(dec(`[2,"${'x'.repeat(36)}","Heartbeat",{}]`).ok).toBe(true);
    expect(dec('[3,"a",null]')).toEqual({ ok: true, message: { type: 'CALLRESULT', messageId: 'a', payload: null } });
  });

  test('errors map to the CALLERROR kind required by Part 4: unknown type → MessageTypeNotSupported, unknown action → NotImplemented', () => {
    const t = dec('[9,"a"]');
    const a = dec('[2,"a","Nope",{}]');
    expect(!t.ok && t.error.errorKind).toBe('MessageTypeNotSupported');
    expect(!a.ok && a.error.errorKind).toBe('NotImplemented');
    expect(codeFor('1.6', 'MessageTypeNotSupported')).toBe('NotImplemented');
  });
});

describe('CALLERROR code spellings (rules §1.3, 1.6-J errata 5.1/5.2)', () => {
  test('1.6 keeps FormationViolation and OccurenceConstraintViolation; 2.0.1 spells them correctly', () => {
    expect(codeFor('1.6', 'FormatViolation')).toBe('FormationViolation');
    expect(codeFor('1.6', 'OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
    expect(codeFor('2.0.1', 'FormatViolation')).toBe('FormatViolation');
    expect(codeFor('2.0.1', 'OccurrenceConstraintViolation')).toBe('OccurrenceConstraintViolation');
    expect(isValidCode('1.6', 'FormatViolation')).toBe(false);
    expect(isOtherVersionSpelling('1.6', 'FormatViolation')).toBe(true);
    expect(isOtherVersionSpelling('2.0.1', 'OccurenceConstraintViolation')).toBe(true);
    expect(isOtherVersionSpelling('2.0.1', 'Bogus')).toBe(false);
  });
});
