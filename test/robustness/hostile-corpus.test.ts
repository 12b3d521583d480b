/**
 * Issue #7 §1: a raw ws peer sends a generated corpus of ≥ 200 bad inputs per version, in both roles.
 * For every input the harness stays up, answers with the CALLERROR its version requires where one is
 * due (nothing otherwise), records a one-line violation and keeps the raw frame in the trace.
 */
import type { OcppVersion } from '../../src/ocpp/version';
import type { ProtocolViolation } from '../../src/transport';
import { waitFor } from '../helpers/wait';
import { buildCorpus, type CorpusEntry } from './corpus';
import { closeCode, hostilePair, probe, probeFor, type HostilePair, type PeerRole } from './helpers';

const MAX_PAYLOAD = 1024 * 1024;
const MAX_MESSAGE_CHARS = 1000;

describe('hostile peer corpus', () => {
  test.each(['1.6', '2.0.1'] as const)('%s: the corpus has at least 200 inputs and covers every required category', (v) => {
    const corpus = buildCorpus(v, 'station');
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const cats = new Set(corpus.map((e) => e.category));
    for (const c of ['truncated JSON', 'invalid JSON', 'invalid UTF-8', 'binary frame', 'wrong arity', 'wrong type', 'unknown message type', 'messageId over 36', 'duplicate messageId', 'unsolicited response', 'unknown action', 'deep nesting', 'large frame', 'oversize frame']) {
      expect(cats).toContain(c);
    }
    const keywords = v === '1.6' ? ['type', 'required', 'additionalProperties', 'enum', 'maxLength', 'format', 'multipleOf'] : ['type', 'required', 'additionalProperties', 'enum', 'maxLength', 'minimum', 'format', 'minItems', 'maxItems'];
    for (const k of keywords) expect(cats).toContain(`schema ${k}`);
    // 1.6 peers must get the 1.6 spellings (errata: "Do not fix").
    const codes = new Set(corpus.flatMap((e) => (e.answer !== 'none' && e.answer.type === 'CALLERROR' ? [e.answer.code] : [])));
    if (v === '1.6') {
      expect([...codes]).toEqual(expect.arrayContaining(['FormationViolation', 'OccurenceConstraintViolation', 'TypeConstraintViolation', 'PropertyConstraintViolation', 'NotImplemented']));
      expect([...codes]).not.toEqual(expect.arrayContaining(['FormatViolation']));
    } else {
      expect([...codes]).toEqual(expect.arrayContaining(['FormatViolation', 'OccurrenceConstraintViolation', 'RpcFrameworkError', 'MessageTypeNotSupported']));
    }
  });

  const matrix: [OcppVersion, PeerRole][] = [
    ['1.6', 'station'],
    ['1.6', 'csms'],
    ['2.0.1', 'station'],
    ['2.0.1', 'csms'],
  ];

  test.each(matrix)(
    'OCPP %s, peer as %s: every input → harness stays up, required CALLERROR (or none), one-line violation, raw frame in the trace',
    async (version, role) => {
      const corpus = buildCorpus(version, role);
      const problems: string[] = [];
      let pair: HostilePair = await hostilePair(role, version, { maxPayload: MAX_PAYLOAD });
      const pairs: HostilePair[] = [pair];
      try {
        for (const entry of corpus) {
          try {
            const reopened = await runEntry(pair, entry);
            if (reopened) {
              pair = await hostilePair(role, version, { maxPayload: MAX_PAYLOAD });
              pairs.push(pair);
            }
          } catch (e) {
            problems.push(`[${entry.category}] ${entry.name}: ${(e as Error).message.split('\n')[0]}`);
            // Start clean so one problem does not cascade.
            pair = await hostilePair(role, version, { maxPayload: MAX_PAYLOAD });
            pairs.push(pair);
          }
        }
        // After the whole corpus the harness still initiates CALLs normally.
        expect(pair.session.isOpen).toBe(true);
      } finally {
        for (const p of pairs) await p.close();
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );
});

/** Send one corpus entry and check every promise of the issue. Returns true when the connection was closed. */
async function runEntry(p: HostilePair, e: CorpusEntry): Promise<boolean> {
  for (const f of e.pre ?? []) {
    p.peer.send(f);
    const id = JSON.parse(f)[1];
    await waitFor(() => p.inbox.some((m) => Array.isArray(m) && m[1] === id), 2000, 'answer to the original frame');
  }
  const vBefore = p.violations.length;
  const inBefore = p.inbox.length;
  p.peer.send(e.data, { binary: !!e.binary });
  if (e.closes) {
    const code = await closeCode(p.peer);
    if (code !== e.closes) throw new Error(`closed with ${code}, expected ${e.closes}`);
    await p.session.closed;
  } else {
    // A valid CALL afterwards is answered: the harness is up and not wedged.
    const answer = await probe(p);
    if (answer[0] !== 3) throw new Error(`probe answered with ${JSON.stringify(answer)}`);
  }
  await waitFor(() => p.violations.length > vBefore, 2000, 'a violation');
  const fresh = p.violations.slice(vBefore);
  const v = fresh.find((x) => x.kind === e.violation.kind && (!e.violation.message || e.violation.message.test(x.message)));
  if (!v) throw new Error(`no ${e.violation.kind} ${e.violation.message ?? ''} among ${JSON.stringify(fresh.map((x) => x.message))}`);
  if (v.severity !== (e.violation.severity ?? 'fail')) throw new Error(`severity ${v.severity}`);
  for (const x of fresh) checkMessage(x);
  // The raw frame (or its head and true length) is in the trace, linked from the violation.
  if (v.frameSeq === undefined) throw new Error(`violation has no frame: ${v.message}`);
  const frame = p.session.trace.slice(v.frameSeq - 1, v.frameSeq).frames[0];
  if (!frame) throw new Error(`frame #${v.frameSeq} not in the trace`);
  const text = typeof e.data === 'string' ? e.data : e.data.toString('utf8');
  if (e.closes) {
    if (!frame.framingError || frame.dir !== 'in') throw new Error(`ws-level frame record missing: ${JSON.stringify(frame)}`);
  } else {
    const max = p.session.trace.maxRawChars;
    if (text.length <= max ? frame.raw !== text : !frame.raw.startsWith(text.slice(0, max)) || frame.raw.length > max + 100) {
      throw new Error(`trace raw differs: ${frame.raw.slice(0, 80)}`);
    }
    if (frame.rawLength !== text.length) throw new Error(`rawLength ${frame.rawLength} != ${text.length}`);
  }
  if (e.violation.keyword) {
    const kws = (frame.violations ?? []).map((x) => x.keyword);
    if (!kws.includes(e.violation.keyword)) throw new Error(`keyword ${e.violation.keyword} not among ${kws.join(',')}`);
  }
  // What the harness sent back for this frame: exactly the expected answer (nothing else).
  const sent = p.inbox.slice(inBefore).filter((m) => !(Array.isArray(m) && typeof m[1] === 'string' && m[1].startsWith('probe-')));
  if (e.answer === 'none') {
    if (sent.length) throw new Error(`unexpected answer ${JSON.stringify(sent).slice(0, 200)}`);
  } else {
    const a = e.answer;
    const got = sent.filter((m) => Array.isArray(m) && m[1] === a.id);
    if (got.length !== 1) throw new Error(`expected one answer for ${a.id}, got ${JSON.stringify(sent).slice(0, 200)}`);
    const m = got[0] as unknown[];
    if (a.type === 'CALLERROR' && (m[0] !== 4 || m[2] !== a.code)) throw new Error(`expected CALLERROR ${a.code}, got ${JSON.stringify(m).slice(0, 200)}`);
    if (a.type === 'CALLERROR' && (typeof m[3] !== 'string' || (m[3] as string).length > 255)) throw new Error('errorDescription too long');
    if (a.type === 'CALLRESULT' && m[0] !== 3) throw new Error(`expected CALLRESULT, got ${JSON.stringify(m)}`);
  }
  if (!e.closes && !p.session.isOpen) throw new Error('session closed');
  return !!e.closes;
}

function checkMessage(v: ProtocolViolation): void {
  if (/[\u0000-\u001f\u007f]/.test(v.message)) throw new Error(`violation message is not one clean line: ${JSON.stringify(v.message.slice(0, 120))}`);
  if (v.message.length > MAX_MESSAGE_CHARS) throw new Error(`violation message is ${v.message.length} chars`);
}

describe('a flood of CALLs', () => {
  test.each(matrix2())('OCPP %s, peer as %s: 2 000 CALLs without waiting are all answered; overlap, when the frames arrive together, gets the severity of the version (2.0.1 fail, 1.6 warn; the forced case is in test/transport)', async (version, role) => {
    const p = await hostilePair(role, version);
    try {
      const { action } = probeFor(role);
      const N = 2000;
      for (let i = 0; i < N; i++) p.peer.send(JSON.stringify([2, `flood-${i}`, action, {}]));
      await waitFor(() => p.inbox.length >= N, 20_000, 'every flood CALL answered');
      expect(p.inbox.every((m) => Array.isArray(m) && m[0] === 3)).toBe(true);
      expect(new Set(p.inbox.map((m) => (m as unknown[])[1])).size).toBe(N);
      const overlap = p.violations.filter((v) => /still unanswered/.test(v.message));
      if (overlap.length) expect(overlap[0]!.severity).toBe(version === '1.6' ? 'warn' : 'fail');
      expect((await probe(p))[0]).toBe(3);
      expect(p.session.isOpen).toBe(true);
    } finally {
      await p.close();
    }
  }, 60_000);
});

function matrix2(): [OcppVersion, PeerRole][] {
  return [
    ['1.6', 'station'],
    ['2.0.1', 'csms'],
  ];
}
