import WebSocket from 'ws';
import { CsmsServer, connectStation, RpcSession, Reply, type ProtocolViolation } from '../../src/transport';
import { AuthenticationError, ConnectError, SubprotocolError } from '../../src/transport/errors';
import { CallErrorResponse, CallTimeoutError, ConnectionClosedError, MalformedResponseError, OutboundSchemaError, PayloadSchemaError } from '../../src/ocppj/errors';
import type { OcppVersion } from '../../src/ocpp/version';
import { makeCerts, type CertFiles } from '../helpers/certs';
import { nextEvent, waitFor } from '../helpers/wait';

const set16 = {
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 1001, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { startSchedule: '2026-01-01T00:00:00Z', duration: 300, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7.3 }] },
  },
};
const set201 = {
  evseId: 1,
  chargingProfile: {
    id: 1001, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: [{ id: 1, startSchedule: '2026-01-01T00:00:00Z', duration: 300, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7.3 }] }],
  },
};
const setPayload = (v: OcppVersion) => (v === '1.6' ? set16 : set201);

const servers: CsmsServer[] = [];
const sessions: RpcSession[] = [];
const raws: WebSocket[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const w of raws.splice(0)) w.terminate();
  for (const s of servers.splice(0)) await s.close();
});

async function pair(version: OcppVersion, extra: Partial<ConstructorParameters<typeof CsmsServer>[0]> = {}) {
  const server = new CsmsServer({ versions: [version], ...extra });
  servers.push(server);
  await server.listen();
  const serverSide = nextEvent<RpcSession>(server, 'session');
  const client = await connectStation({ url: `${server.url}/ocpp`, identity: 'CS-1', versions: [version] });
  const srv = await serverSide;
  sessions.push(client, srv);
  return { server, client, srv };
}

describe('transport round trips in both roles', () => {
  test.each(['1.6', '2.0.1'] as const)('%s: CSMS sends SetChargingProfile to the station; both frames validated and traced', async (v) => {
    const { client, srv } = await pair(v);
    client.handle('SetChargingProfile', () => ({ status: 'Accepted' }));
    const res = await srv.call('SetChargingProfile', setPayload(v));
    expect(res).toEqual({ status: 'Accepted' });
    expect(srv.identity).toBe('CS-1');
    expect(srv.version).toBe(v);
    const out = srv.trace.slice(0).frames;
    expect(out.map((f) => [f.dir, f.type, f.action, f.valid])).toEqual([
      ['out', 'CALL', 'SetChargingProfile', true],
      ['in', 'CALLRESULT', 'SetChargingProfile', true],
    ]);
    const cin = client.trace.slice(0).frames;
    expect(cin.map((f) => [f.dir, f.type, f.valid])).toEqual([['in', 'CALL', true], ['out', 'CALLRESULT', true]]);
    expect(out[0]!.time).toMatch(/Z$/);
    expect(out[1]!.mono).toBeGreaterThanOrEqual(out[0]!.mono);
  });

  test.each(['1.6', '2.0.1', '2.1'] as const)('%s: station sends Heartbeat to the CSMS', async (v) => {
    const { client, srv } = await pair(v);
    srv.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    const res = await client.call<{ currentTime: string }>('Heartbeat', {});
    expect(res.currentTime).toMatch(/Z$/);
  });

  test('at most one outgoing CALL outstanding: the second is sent only after the first is answered (Part 4 §4.1.1)', async () => {
    const { client, srv } = await pair('2.0.1');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    client.handle('Heartbeat', async () => ({ currentTime: new Date().toISOString() }));
    srv.handle('Heartbeat', async () => {
      seen.push('hb');
      await gate;
      return { currentTime: new Date().toISOString() };
    });
    const a = client.call('Heartbeat', {});
    const b = client.call('Heartbeat', {});
    await waitFor(() => seen.length === 1, 2000, 'first heartbeat');
    // Crossing CALL in the other direction is legal and answered while ours is pending.
    await expect(srv.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
    expect(seen).toHaveLength(1);
    release();
    await Promise.all([a, b]);
    expect(seen).toHaveLength(2);
  });
});

describe('handshake: subprotocol and HTTP Basic auth', () => {
  test('a client offering none of the configured subprotocols is refused with HTTP 400', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'] });
    servers.push(server);
    await server.listen();
    const refused = nextEvent<{ status: number; reason: string }>(server, 'refused');
    await expect(connectStation({ url: server.url, identity: 'CS-1', versions: ['1.6'] })).rejects.toThrow(/HTTP 400/);
    expect(await refused).toMatchObject({ status: 400, reason: expect.stringMatching(/offered \[ocpp1.6\].*accepted \[ocpp2.0.1\]/) });
  });

  test('refuseUpgradesUntil: handshakes are refused with HTTP 503 + Retry-After until then, accepted after (offline periods, issue #16)', async () => {
    const server = new CsmsServer({ versions: ['2.1'] });
    servers.push(server);
    await server.listen();
    server.refuseUpgradesUntil(Date.now() + 60_000);
    const refused = nextEvent<{ identity: string; status: number; reason: string }>(server, 'refused');
    await expect(connectStation({ url: server.url, identity: 'CS-OFF', versions: ['2.1'] })).rejects.toThrow(/HTTP 503/);
    expect(await refused).toMatchObject({ identity: 'CS-OFF', status: 503, reason: expect.stringMatching(/offline period/) });
    const retryAfter = await new Promise<string | undefined>((resolve) => {
      const ws = new WebSocket(`${server.url}/CS-OFF`, ['ocpp2.1']);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.headers['retry-after'] as string | undefined);
        ws.terminate();
      });
      ws.on('error', () => undefined);
    });
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(59);
    server.refuseUpgradesUntil(0);
    const s = await connectStation({ url: server.url, identity: 'CS-OFF', versions: ['2.1'] });
    expect(s.version).toBe('2.1');
    await s.close();
  });

  test('a server that selects no subprotocol is a fatal SubprotocolError for the station', async () => {
    const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
    await new Promise((r) => wss.once('listening', r));
    try {
      const port = (wss.address() as { port: number }).port;
      await expect(connectStation({ url: `ws://127.0.0.1:${port}`, identity: 'CS-1', versions: ['2.0.1'] })).rejects.toBeInstanceOf(SubprotocolError);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  });

  test('security profile 1: right password connects, wrong password gets AuthenticationError (HTTP 401) without echoing the secret', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'], password: 'S3cret-pass-1234' });
    servers.push(server);
    await server.listen();
    const ok = await connectStation({ url: server.url, identity: 'CS:with:colons', versions: ['2.0.1'], password: 'S3cret-pass-1234' });
    sessions.push(ok);
    const err = await connectStation({ url: server.url, identity: 'CS-1', versions: ['2.0.1'], password: 'wrong-password-99' }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/401/);
    expect(err.message).not.toMatch(/wrong-password-99/);
    await expect(connectStation({ url: server.url, identity: 'CS-1', versions: ['2.0.1'] })).rejects.toBeInstanceOf(AuthenticationError);
  });

  test('identity comes from the last path segment, percent-decoded', async () => {
    const server = new CsmsServer({ versions: ['1.6'] });
    servers.push(server);
    await server.listen();
    const s = nextEvent<RpcSession>(server, 'session');
    sessions.push(await connectStation({ url: `${server.url}/some/deep/path`, identity: 'CP 01/ä', versions: ['1.6'] }));
    const srv = await s;
    sessions.push(srv);
    expect(srv.identity).toBe('CP 01/ä');
  });

  test('binds 127.0.0.1 unless told otherwise', async () => {
    const server = new CsmsServer({ versions: ['1.6'] });
    servers.push(server);
    expect((await server.listen()).address).toBe('127.0.0.1');
  });
});

describe('TLS (security profiles 2 and 3)', () => {
  let certs: CertFiles;
  beforeAll(() => {
    certs = makeCerts();
  });

  test('profile 2: TLS server certificate + Basic auth, verified against the CA', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'], password: 'pw-tls-2', tls: { cert: certs.serverCert, key: certs.serverKey } });
    servers.push(server);
    await server.listen();
    expect(server.url).toMatch(/^wss:/);
    const s = await connectStation({ url: server.url, identity: 'CS-1', versions: ['2.0.1'], password: 'pw-tls-2', tls: { ca: certs.caCert } });
    sessions.push(s);
    expect(s.isOpen).toBe(true);
  });

  test('unknown CA, name mismatch and expired certificates each fail with a one-line reason', async () => {
    const mk = async (cert: string, key: string) => {
      const server = new CsmsServer({ versions: ['2.0.1'], tls: { cert, key } });
      servers.push(server);
      await server.listen();
      return server;
    };
    const good = await mk(certs.serverCert, certs.serverKey);
    const e1 = await connectStation({ url: good.url, identity: 'CS-1', versions: ['2.0.1'], tls: { ca: certs.otherCaCert } }).catch((e) => e);
    expect(e1).toBeInstanceOf(ConnectError);
    expect(e1.message).toMatch(/unknown CA/);
    const wrong = await mk(certs.wrongNameCert, certs.wrongNameKey);
    const e2 = await connectStation({ url: wrong.url, identity: 'CS-1', versions: ['2.0.1'], tls: { ca: certs.caCert } }).catch((e) => e);
    expect(e2.message).toMatch(/name mismatch/);
    const expired = await mk(certs.expiredCert, certs.expiredKey);
    const e3 = await connectStation({ url: expired.url, identity: 'CS-1', versions: ['2.0.1'], tls: { ca: certs.caCert } }).catch((e) => e);
    expect(e3.message).toMatch(/expired/);
    for (const e of [e1, e2, e3]) expect(e.message).not.toMatch(/\n/);
  });

  test('profile 3: mutual TLS accepts a client certificate from the CA and refuses a client without one', async () => {
    const server = new CsmsServer({
      versions: ['2.0.1'],
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert, requestClientCert: true },
    });
    servers.push(server);
    await server.listen();
    const ok = await connectStation({ url: server.url, identity: 'CS-TLS-1', versions: ['2.0.1'], tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey } });
    sessions.push(ok);
    expect(ok.isOpen).toBe(true);
    await expect(connectStation({ url: server.url, identity: 'CS-TLS-1', versions: ['2.0.1'], tls: { ca: certs.caCert } })).rejects.toBeInstanceOf(ConnectError);
  });
});

/** A raw ws peer that talks to a harness server session with arbitrary bytes. */
async function rawPeer(version: OcppVersion) {
  const server = new CsmsServer({ versions: [version] });
  servers.push(server);
  await server.listen();
  const s = nextEvent<RpcSession>(server, 'session');
  const ws = new WebSocket(`${server.url}/RAW-1`, [`ocpp${version}`]);
  raws.push(ws);
  await nextEvent(ws, 'open');
  const srv = await s;
  sessions.push(srv);
  const violations: ProtocolViolation[] = [];
  srv.on('violation', (v) => violations.push(v));
  const inbox: unknown[] = [];
  ws.on('message', (d) => inbox.push(JSON.parse(d.toString())));
  return { srv, ws, violations, inbox };
}

describe('malformed and invalid inbound frames never escape as exceptions', () => {
  test.each([
    ['not JSON', 'hello', false, /not valid JSON/, undefined],
    ['not an array', '{"x":1}', false, /not a JSON array/, undefined],
    ['wrong arity CALL', '[2,"m1","Heartbeat"]', false, /CALL must have 4 elements/, 'RpcFrameworkError'],
    ['unknown message type', '[7,"m2","Heartbeat",{}]', false, /unknown message type 7/, 'MessageTypeNotSupported'],
    ['id over 36 characters', `[2,"${'i'.repeat(40)}","Heartbeat",{}]`, false, /40 characters/, 'RpcFrameworkError'],
    ['unknown action', '[2,"m3","FlyToTheMoon",{}]', false, /not an OCPP 2.0.1 action/, 'NotImplemented'],
    ['binary frame', '[2,"m4","Heartbeat",{}]', true, /binary WebSocket frame/, undefined],
  ] as const)('%s → violation recorded with the raw frame, CALLERROR where one is due', async (_n, raw, binary, msg, code) => {
    const { srv, ws, violations, inbox } = await rawPeer('2.0.1');
    ws.send(binary ? Buffer.from(raw) : raw, { binary });
    await waitFor(() => violations.length > 0, 2000, 'violation');
    expect(violations[0]).toMatchObject({ severity: 'fail', kind: 'FramingViolation', message: expect.stringMatching(msg) });
    const frame = srv.trace.slice(0).frames.find((f) => f.seq === violations[0]!.frameSeq)!;
    expect(frame.raw).toBe(raw);
    expect(frame.framingError).toMatch(msg);
    if (code) {
      await waitFor(() => inbox.length > 0, 2000, 'CALLERROR');
      expect(inbox[0]).toEqual([4, expect.any(String), code, expect.any(String), {}]);
    }
    // The session is still usable afterwards.
    ws.send('[2,"ok1","Heartbeat",{}]');
    await waitFor(() => inbox.some((m) => Array.isArray(m) && m[1] === 'ok1'), 2000, 'answer after garbage');
    expect(srv.isOpen).toBe(true);
  });

  test.each([
    ['1.6', 'FormationViolation', { connectorId: 1, csChargingProfiles: { ...set16.csChargingProfiles, chargingSchedule: { ...set16.csChargingProfiles.chargingSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 6.25 }] } } }, '/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/0/limit'],
    ['1.6', 'OccurenceConstraintViolation', { csChargingProfiles: set16.csChargingProfiles }, '/connectorId'],
    ['2.0.1', 'TypeConstraintViolation', { evseId: '1', chargingProfile: set201.chargingProfile }, '/evseId'],
    ['2.0.1', 'OccurrenceConstraintViolation', { evseId: 1 }, '/chargingProfile'],
  ] as const)('%s invalid CALL payload → CALLERROR %s and a schema violation with its JSON pointer', async (v, code, payload, pointer) => {
    const { ws, violations, inbox } = await rawPeer(v);
    ws.send(JSON.stringify([2, 'bad-1', 'SetChargingProfile', payload]));
    await waitFor(() => inbox.length > 0, 2000, 'CALLERROR');
    expect(inbox[0]).toEqual([4, 'bad-1', code, expect.any(String), {}]);
    expect(violations[0]).toMatchObject({ kind: 'SchemaViolation', pointer });
  });

  test('a reused CALL messageId from the peer is a framing violation', async () => {
    const { ws, violations, inbox, srv } = await rawPeer('2.0.1');
    srv.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    ws.send('[2,"dup","Heartbeat",{}]');
    await waitFor(() => inbox.length === 1);
    ws.send('[2,"dup","Heartbeat",{}]');
    await waitFor(() => violations.length > 0);
    expect(violations[0]!.message).toMatch(/reuses messageId dup/);
  });

  test('responses for unknown ids, answers given twice and late answers are recorded, never delivered to another call', async () => {
    const { ws, violations, srv } = await rawPeer('2.0.1');
    const calls: unknown[] = [];
    ws.on('message', (d) => calls.push(JSON.parse(d.toString())));
    ws.send('[3,"never-asked",{}]');
    await waitFor(() => violations.length === 1);
    expect(violations[0]!.message).toMatch(/unknown messageId never-asked/);
    // Timed-out call: the late answer must not satisfy the next call.
    const t = srv.call('Reset', { type: 'Immediate' }, { timeoutMs: 100 });
    await expect(t).rejects.toBeInstanceOf(CallTimeoutError);
    await waitFor(() => calls.length >= 1, 2000, 'the Reset CALL at the peer');
    const late = (calls[0] as unknown[])[1] as string;
    const next = srv.call('Reset', { type: 'OnIdle' }, { timeoutMs: 2000 });
    await waitFor(() => calls.length === 2);
    ws.send(JSON.stringify([3, late, { status: 'Accepted' }]));
    await waitFor(() => violations.length === 2);
    expect(violations[1]).toMatchObject({ severity: 'warn', message: expect.stringMatching(/after its deadline/) });
    const nextId = (calls[1] as unknown[])[1] as string;
    ws.send(JSON.stringify([3, nextId, { status: 'Rejected' }]));
    await expect(next).resolves.toEqual({ status: 'Rejected' });
    ws.send(JSON.stringify([3, nextId, { status: 'Rejected' }]));
    await waitFor(() => violations.length === 3);
    expect(violations[2]!.message).toMatch(/second CALLRESULT/);
  });

  test('invalid CALLRESULT payload rejects the call with PayloadSchemaError; CALLERROR rejects with CallErrorResponse', async () => {
    const { ws, violations, srv } = await rawPeer('2.0.1');
    ws.on('message', (d) => {
      const [, id, action] = JSON.parse(d.toString());
      if (action === 'Reset') ws.send(JSON.stringify([3, id, { status: 'Maybe' }]));
      else ws.send(JSON.stringify([4, id, 'OccurenceConstraintViolation', 'x', {}]));
    });
    const e = await srv.call('Reset', { type: 'Immediate' }).catch((x) => x);
    expect(e).toBeInstanceOf(PayloadSchemaError);
    expect(violations[0]).toMatchObject({ kind: 'SchemaViolation', pointer: '/status', actual: 'Maybe' });
    const ce = await srv.call('ClearCache', {}).catch((x) => x);
    expect(ce).toBeInstanceOf(CallErrorResponse);
    expect(ce.errorCode).toBe('OccurenceConstraintViolation');
    // 1.6 spelling in 2.0.1: accepted with a WARN (rules §1.3).
    expect(violations[1]).toMatchObject({ severity: 'warn', message: expect.stringMatching(/other OCPP version/) });
  });

  test('issue #11 item 6: a malformed response to the pending CALL settles it at once with MalformedResponseError (no timeout wait)', async () => {
    const { ws, violations, srv } = await rawPeer('1.6');
    ws.on('message', (d) => {
      const [, id, action] = JSON.parse(d.toString());
      // SAP simulator: errorDetails as a JSON string; then a CALLRESULT of the wrong arity.
      if (action === 'ClearChargingProfile') ws.send(JSON.stringify([4, id, 'NotSupported', 'x', 'x']));
      else ws.send(JSON.stringify([3, id, { status: 'Accepted' }, 'extra']));
    });
    const t0 = Date.now();
    const e = await srv.call('ClearChargingProfile', { id: 1 }, { timeoutMs: 30_000 }).catch((x) => x);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e).toBeInstanceOf(MalformedResponseError);
    expect(e).toMatchObject({ action: 'ClearChargingProfile', recorded: true, framingMessage: expect.stringMatching(/errorDetails must be an object/) });
    expect(e.frameSeq).toBe(violations[0]!.frameSeq);
    expect(violations[0]).toMatchObject({ severity: 'fail', kind: 'FramingViolation', rule: 'OCPP-J' });
    const r = await srv.call('Reset', { type: 'Hard' }, { timeoutMs: 30_000 }).catch((x) => x);
    expect(r).toBeInstanceOf(MalformedResponseError);
    expect(r.messageId).toBe(srv.trace.slice(0).frames.filter((f) => f.dir === 'out').at(-1)!.messageId);
    expect(Date.now() - t0).toBeLessThan(2000);
    // The settled CALL is answered: no 'unknown messageId' or late-answer violation follows.
    expect(violations).toHaveLength(2);
  });

  test('null CALLRESULT where nothing is required → WARN and {} delivered (rules §1.1)', async () => {
    const { ws, violations, srv } = await rawPeer('2.0.1');
    ws.on('message', (d) => ws.send(JSON.stringify([3, JSON.parse(d.toString())[1], null])));
    // CostUpdatedResponse has no required property, so null is only a WARN and the call resolves with {}.
    await expect(srv.call('CostUpdated', { totalCost: 1.5, transactionId: 'tx-1' })).resolves.toEqual({});
    expect(violations.some((v) => v.severity === 'warn' && /null/.test(v.message))).toBe(true);
  });

  test('a second CALL from the peer while its first is unanswered: 2.0.1 fail, 1.6 warn (rules §1.2)', async () => {
    for (const v of ['2.0.1', '1.6'] as const) {
      const { ws, violations, srv } = await rawPeer(v);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      srv.handle('Heartbeat', async () => {
        await gate;
        return { currentTime: new Date().toISOString() };
      });
      ws.send('[2,"h1","Heartbeat",{}]');
      ws.send('[2,"h2","Heartbeat",{}]');
      await waitFor(() => violations.length > 0);
      expect(violations[0]).toMatchObject({ severity: v === '1.6' ? 'warn' : 'fail', message: expect.stringMatching(/still unanswered/) });
      release();
    }
  });
});

describe('timeouts, disconnects and the harness own frames', () => {
  test('pending calls are rejected at once with ConnectionClosedError when the peer disconnects', async () => {
    const { client, srv } = await pair('2.0.1');
    client.handle('Reset', () => Reply.none());
    const p = srv.call('Reset', { type: 'Immediate' }, { timeoutMs: 10_000 });
    const queued = srv.call('Reset', { type: 'Immediate' }, { timeoutMs: 10_000 });
    await waitFor(() => srv.trace.lastSeq >= 1);
    client.terminate();
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(queued).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  test('a peer that never answers gives CallTimeoutError after the per-call timeout', async () => {
    const { client, srv } = await pair('1.6');
    client.handle('Reset', () => Reply.none());
    const t0 = Date.now();
    await expect(srv.call('Reset', { type: 'Hard' }, { timeoutMs: 150 })).rejects.toBeInstanceOf(CallTimeoutError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  test('the harness refuses to send an invalid frame unless the call opts in; the opt-in frame is marked intentional', async () => {
    const { client, srv } = await pair('2.0.1');
    await expect(srv.call('SetChargingProfile', { evseId: 1 })).rejects.toBeInstanceOf(OutboundSchemaError);
    expect(srv.trace.lastSeq).toBe(0);
    const e = await srv.call('SetChargingProfile', { evseId: 1 }, { intentionalInvalid: true }).catch((x) => x);
    expect(e).toBeInstanceOf(CallErrorResponse);
    expect(e.errorCode).toBe('OccurrenceConstraintViolation');
    const f = srv.trace.slice(0).frames[0]!;
    expect(f).toMatchObject({ dir: 'out', valid: false, intentional: true });
    expect(client.isOpen).toBe(true);
  });

  test('a handler returning an invalid response is a harness error: InternalError is sent instead', async () => {
    const { client, srv } = await pair('2.0.1');
    const harnessErrors: Error[] = [];
    client.on('harnessError', (e) => harnessErrors.push(e));
    client.handle('Reset', () => ({ status: 'Perhaps' }));
    const e = await srv.call('Reset', { type: 'Immediate' }).catch((x) => x);
    expect(e.errorCode).toBe('InternalError');
    expect(harnessErrors[0]).toBeInstanceOf(OutboundSchemaError);
  });

  test('frames above maxPayload close the connection with 1009 and are reported', async () => {
    const server = new CsmsServer({ versions: ['2.0.1'], maxPayload: 1024 });
    servers.push(server);
    await server.listen();
    const s = nextEvent<RpcSession>(server, 'session');
    const client = await connectStation({ url: server.url, identity: 'BIG', versions: ['2.0.1'] });
    sessions.push(client);
    const srv = await s;
    const violations: ProtocolViolation[] = [];
    srv.on('violation', (v) => violations.push(v));
    client.sendRaw(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'y'.repeat(5000) }]));
    // ws answers an oversize frame with close code 1009 towards the sender.
    expect((await client.closed).code).toBe(1009);
    await srv.closed;
    expect(violations[0]!.message).toMatch(/Max payload size exceeded/i);
  });
});
