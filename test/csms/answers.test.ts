import { CsmsStationState, csmsDefaultHandlers, HARNESS_TOKENS } from '../../src/csms';
import { validateConfig, mergeConfig } from '../../src/runner/config';
import type { HandlerContext } from '../../src/transport';
import type { Payload } from '../../src/ocppj/messages';
import { unknownTransactionId, MAX_TRANSACTION_ID_16 } from '../../suites/lib/transactions';
import type { CaseContext } from '../../src/scenario';

const ctx = {} as HandlerContext;
const answer = (h: ReturnType<typeof csmsDefaultHandlers>, action: string, p: Payload) => h[action]!(p, ctx) as Payload;
const POLICY = { default: 'Accepted', tokens: { AABBCCDDEEFF: 'Invalid', OWNTAG0001: 'Blocked' } };

describe('issue #12 item 6: the CSMS idTag policy (csms.authorize)', () => {
  test('1.6 Authorize / StartTransaction answer the configured status; the default applies to other tags', () => {
    const h = csmsDefaultHandlers('1.6', new CsmsStationState({ authorize: POLICY }));
    expect(answer(h, 'Authorize', { idTag: 'AABBCCDDEEFF' })).toEqual({ idTagInfo: { status: 'Invalid' } });
    expect(answer(h, 'Authorize', { idTag: 'OTHER' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    const st = answer(h, 'StartTransaction', { connectorId: 1, idTag: 'OWNTAG0001', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' });
    expect(st.idTagInfo).toEqual({ status: 'Blocked' });
    const strict = csmsDefaultHandlers('1.6', new CsmsStationState({ authorize: { default: 'Invalid' } }));
    expect(answer(strict, 'Authorize', { idTag: 'ANY' })).toEqual({ idTagInfo: { status: 'Invalid' } });
  });

  test("the harness's own tokens are always Accepted, whatever the policy", () => {
    const policy = { default: 'Invalid', tokens: Object.fromEntries(HARNESS_TOKENS.map((x) => [x, 'Blocked'])) };
    const h16 = csmsDefaultHandlers('1.6', new CsmsStationState({ authorize: policy }));
    const h201 = csmsDefaultHandlers('2.0.1', new CsmsStationState({ authorize: policy }));
    for (const tag of HARNESS_TOKENS) {
      expect(answer(h16, 'Authorize', { idTag: tag })).toEqual({ idTagInfo: { status: 'Accepted' } });
      expect(answer(h201, 'Authorize', { idToken: { idToken: tag, type: 'Central' } })).toEqual({ idTokenInfo: { status: 'Accepted' } });
    }
  });

  test('2.0.1 Authorize / TransactionEvent with an idToken answer the configured status', () => {
    const state = new CsmsStationState({ authorize: POLICY });
    const h = csmsDefaultHandlers('2.0.1', state);
    expect(answer(h, 'Authorize', { idToken: { idToken: 'AABBCCDDEEFF', type: 'ISO14443' } })).toEqual({ idTokenInfo: { status: 'Invalid' } });
    const started = answer(h, 'TransactionEvent', {
      eventType: 'Started', timestamp: '2026-01-01T00:00:00Z', triggerReason: 'Authorized', seqNo: 0,
      transactionInfo: { transactionId: 'T1' }, evse: { id: 1 }, idToken: { idToken: 'OWNTAG0001', type: 'ISO14443' },
    });
    expect(started).toEqual({ idTokenInfo: { status: 'Blocked' } });
    expect(state.transactions[0]).toMatchObject({ transactionId: 'T1', evseId: 1, idTag: 'OWNTAG0001', active: true });
  });

  test('no policy: every idTag Accepted (unchanged default)', () => {
    const h = csmsDefaultHandlers('1.6', new CsmsStationState());
    expect(answer(h, 'Authorize', { idTag: 'AABBCCDDEEFF' })).toEqual({ idTagInfo: { status: 'Accepted' } });
  });

  test('config: csms.authorize is validated and merged', () => {
    const ok = validateConfig({ csms: { authorize: { default: 'Accepted', tokens: { AABBCCDDEEFF: 'Invalid' } } } }, 'x');
    expect(mergeConfig(ok).csms.authorize?.tokens).toEqual({ AABBCCDDEEFF: 'Invalid' });
    expect(() => validateConfig({ csms: { authorize: { default: 'Maybe' } } }, 'x')).toThrow(/\/csms\/authorize\/default "Maybe" is not one of the allowed values/);
    expect(() => validateConfig({ csms: { authorise: {} } }, 'x')).toThrow('/csms/authorise is not a known setting');
    expect(() => validateConfig({ csms: { firstTransactionId: 2147483648 } }, 'x')).toThrow(/\/csms\/firstTransactionId must be <= 2147483647/);
  });
});

describe('issue #12 item 1: transactionIds are opaque', () => {
  test('1.6: the harness assigns ids from csms.firstTransactionId up to 2^31-1 (1.6 §6.46 integer)', () => {
    const state = new CsmsStationState({ firstTransactionId: MAX_TRANSACTION_ID_16 - 1 });
    expect([state.allocate16(), state.allocate16()]).toEqual([MAX_TRANSACTION_ID_16 - 1, MAX_TRANSACTION_ID_16]);
    // JSON carries the full value (no float loss below 2^53).
    expect(JSON.parse(JSON.stringify({ transactionId: MAX_TRANSACTION_ID_16 })).transactionId).toBe(2147483647);
  });

  const fake = (ocpp: '1.6' | '2.0.1', ids: string[]) => ({ ocpp, transactions: ids.map((transactionId) => ({ transactionId, evseId: 1, startedAt: '', active: true })) }) as unknown as CaseContext;

  test('2.0.1: an unknown transactionId is a fresh UUID (36 characters, K01.FR.33), whatever the station ids look like', () => {
    const station = '123e4567-e89b-12d3-a456-426614174000';
    const id = unknownTransactionId(fake('2.0.1', [station]));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe(station);
  });

  test('1.6: an unknown transactionId stays within the schema integer and differs from every known id', () => {
    const near = String(MAX_TRANSACTION_ID_16 - 5);
    const id = Number(unknownTransactionId(fake('1.6', [near, String(MAX_TRANSACTION_ID_16 - 1005)]), near));
    expect(Number.isInteger(id)).toBe(true);
    expect(id).toBeLessThanOrEqual(MAX_TRANSACTION_ID_16);
    expect(id).toBe(MAX_TRANSACTION_ID_16 - 1006);
    expect(unknownTransactionId(fake('1.6', ['7']), '7')).toBe('1007');
  });
});
