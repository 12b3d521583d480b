/**
 * SC-CSMS-16-01..11: the OCPP 1.6 CSMS-side cases (issue #13), the OCTT TC_056/057/059/066/067_CSMS
 * variants, decimals, and the advertised unit and stack level. Judged by OCPP 1.6 edition 2 + errata only.
 *
 * Each step asks the CSMS (its trigger) for one request and answers it like a conforming station. The
 * station role checks every SmartCharging request as it arrives (src/station/checks.ts: placement, kinds,
 * transactionId, advertised bounds). These cases add what OCTT validates in its CSMS cases: the request
 * carries the values that were asked for (OCTT compares against its configured values), the TxProfile
 * shape of TC_057_CSMS, 1.6 §7.13/§7.14 decimals, and what the station holds after a clear.
 */
import { isDeepStrictEqual } from 'node:util';
import { defineCase, firstDifference, type CaseContext, type CaseDefinition, type ReceivedCall } from '../../src/scenario';
import type { Transaction } from '../../src/smartcharging';
import { passesPayload } from '../../src/runner/triggers';
import { caller, profile, relayedAnswer, request, settled, sleep, startTransaction, station, stormWindowMs, type Payload } from './lib';

/** A 1.6 case of the harness as station; every one is tagged csms and v16. */
const case16 = (def: Omit<CaseDefinition, 'ocpp' | 'as'>): CaseDefinition => defineCase({ ...def, ocpp: ['1.6'], as: 'station', tags: ['csms', 'v16', ...(def.tags ?? [])] });
const P = '/csChargingProfiles';
const S = `${P}/chargingSchedule`;
/**
 * What a SetChargingProfile must carry as asked. The profile id, timestamps and validity are the CSMS's
 * own; the transactionId is judged against the running transaction by the station role (1.6 §3.13.1).
 */
const SET_ASKED = ['/connectorId', `${P}/chargingProfilePurpose`, `${P}/chargingProfileKind`, `${P}/stackLevel`, `${S}/chargingRateUnit`];
const SET_LIMITS = [`${S}/chargingSchedulePeriod`, `${S}/minChargingRate`];

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

function at(v: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Payload)[k] : undefined), v);
}

/**
 * The CSMS sent what the trigger asked for at each pointer (OCTT's CSMS cases validate the values the
 * tester configured). A trigger that does not pass the harness's payload ({payload}) cannot meet this.
 * A field that was not asked for is the CSMS's choice (an optional field it adds is not judged here).
 */
function asAsked(t: CaseContext, call: ReceivedCall, asked: Payload, pointers: readonly string[], rule: string): void {
  for (const pointer of pointers) {
    const want = at(asked, pointer);
    const got = at(call.payload, pointer);
    if (want === undefined || isDeepStrictEqual(got, want)) continue;
    // Only a trigger that hands the CSMS the harness's request verbatim makes a different value the CSMS's
    // doing; with a manual trigger or an API template of its own, it is a WARN (nothing checked as asked).
    if (!passesPayload(t.config, call.action)) {
      t.note.warn(`${call.action}${pointer} is ${show(got)} where ${show(want)} was asked; the trigger for ${call.action} does not pass {payload}, so this is not judged (${rule})`, rule);
      continue;
    }
    t.check.fail(`${call.action}${pointer} is ${show(got)} where the CSMS was asked for ${show(want)} (through the trigger's {payload})`, {
      rule,
      pointer,
      expected: want,
      actual: got,
      frameSeq: call.frame.seq,
    });
  }
}

/** 1.6 §7.14 limit and §7.13 minChargingRate: "Accepts at most one digit fraction (e.g. 8.1)" — as sent on the wire. */
const oneFraction = (v: number) => /^-?\d+(\.\d)?$/.test(String(v));

function decimals16(t: CaseContext, call: ReceivedCall, schedulePointer: string): void {
  const s = at(call.payload, schedulePointer) as Payload | undefined;
  const values: [string, unknown][] = [[`${schedulePointer}/minChargingRate`, s?.minChargingRate]];
  ((s?.chargingSchedulePeriod as Payload[] | undefined) ?? []).forEach((p, i) => values.push([`${schedulePointer}/chargingSchedulePeriod/${i}/limit`, p.limit]));
  for (const [pointer, v] of values) {
    if (typeof v === 'number' && !oneFraction(v)) {
      const rule = pointer.endsWith('/minChargingRate') ? '1.6 §7.13 (at most one digit fraction)' : '1.6 §7.14 (at most one digit fraction)';
      t.check.fail(`${call.action}: ${String(v)} at ${pointer} has more than one fractional digit`, { rule, pointer, actual: v, frameSeq: call.frame.seq });
    }
  }
}

/**
 * Ask the CSMS for a SetChargingProfile and check it as asked (`limitsRule` for the periods and
 * minChargingRate, default `rule`); returns the call and the profile id the CSMS used.
 */
async function setProfile(t: CaseContext, connectorId: number, wire: Payload, rule: string, limitsRule = rule): Promise<{ call: ReceivedCall; id: unknown }> {
  const asked = { connectorId, csChargingProfiles: wire };
  const { call } = await request(t, 'SetChargingProfile', structuredClone(asked), { evseId: connectorId });
  asAsked(t, call, asked, SET_ASKED, rule);
  asAsked(t, call, asked, SET_LIMITS, limitsRule);
  decimals16(t, call, S);
  return { call, id: at(call.payload, `${P}/chargingProfileId`) };
}

const installed = (t: CaseContext, id: unknown) => station(t).store.list().some((i) => i.profile.id === id);

const iso = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** End the station's transaction whatever happened in the case (the next case starts from Available). */
async function ending(t: CaseContext, tx: Transaction | undefined): Promise<void> {
  if (tx && station(t).transactions.includes(tx)) await t.step('station ends the transaction', () => station(t).stopTransaction(caller(t), tx));
}

/** Run `fn` in a transaction the station starts on `connector` and always ends. */
async function inTransaction(t: CaseContext, connector: number, fn: (tx: Transaction) => Promise<unknown>): Promise<void> {
  const tx = await startTransaction(t, connector);
  try {
    await fn(tx);
  } finally {
    await ending(t, tx);
  }
}

/** OCTT TC_057_CSMS TxProfile shape beyond 1.6 text (1.6 §7.8 makes these optional): WARN when absent. */
function txProfileShape(t: CaseContext, call: ReceivedCall): void {
  const p = at(call.payload, P) as Payload;
  if (p.chargingProfileKind !== 'Absolute') return;
  const missing = ['validFrom', 'validTo'].filter((k) => p[k] === undefined);
  if ((p.chargingSchedule as Payload | undefined)?.duration === undefined) missing.push('chargingSchedule.duration');
  if (missing.length) t.note.warn(`Absolute TxProfile without ${missing.join(', ')}: optional in 1.6 §7.8/§7.13, expected by OCTT TC_057_CSMS`, '1.6 §7.8 (TC_057_CSMS shape)');
}

/** Wait (bounded) for a transaction the station started after `before`. */
async function newTransaction(t: CaseContext, before: ReadonlySet<Transaction>): Promise<Transaction | undefined> {
  const deadline = Date.now() + t.config.timing.callTimeoutMs;
  const find = () => station(t).transactions.find((x) => !before.has(x));
  while (!find() && Date.now() < deadline && !t.signal.aborted) await sleep(t, 50);
  return find();
}

export const v16Cases: CaseDefinition[] = [
  case16({
    id: 'SC-CSMS-16-01',
    octt: ['TC_056_CSMS'],
    title: 'TC_056_CSMS: TxDefaultProfile on connector 0 (every connector), stackLevel 0, Absolute',
    versionRequirements: { '1.6': ['1.6 §3.13.1', '1.6 §5.16', '1.6 §7.14'] },
    tags: ['profiles'],
    needs: { evses: 1 },
    async run(t) {
      const now = t.now();
      const wire = profile(t, { purpose: 'TxDefault', stackLevel: 0, periods: [[0, 16], [1800, 10]], startSchedule: now, duration: 3600 }, 0);
      const { id } = await t.step('CSMS sends a TxDefaultProfile for connector 0', () => setProfile(t, 0, wire, 'TC_056_CSMS'));
      t.note.info(`the station ${installed(t, id) ? 'holds' : 'did not install'} TxDefaultProfile id ${String(id)} on connector 0`);
    },
  }),
  case16({
    id: 'SC-CSMS-16-02',
    octt: ['TC_056_CSMS'],
    title: 'TC_056_CSMS: TxDefaultProfile on specific connectors above connector 0, rising stack levels, Recurring',
    versionRequirements: { '1.6': ['1.6 §3.13.1', '1.6 §3.13.2', 'errata 3.56'] },
    tags: ['profiles'],
    needs: { evses: 2, maxStackLevel: 2 },
    async run(t) {
      const now = t.now();
      const midnight = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
      const items: [string, number, Payload][] = [
        ['connector 0, stackLevel 0', 0, profile(t, { purpose: 'TxDefault', stackLevel: 0, periods: [[0, 16]], startSchedule: now }, 0)],
        ['connector 1, stackLevel 1', 1, profile(t, { purpose: 'TxDefault', stackLevel: 1, periods: [[0, 10], [600, 13]], startSchedule: now, duration: 1200 }, 1)],
        ['connector 2, stackLevel 2, Recurring Daily', 2, profile(t, { purpose: 'TxDefault', stackLevel: 2, kind: 'Recurring', recurrencyKind: 'Daily', periods: [[0, 8], [21600, 16]], startSchedule: midnight, duration: 86400 }, 2)],
      ];
      // 1.6 §3.13.1: a TxDefault on connector N replaces the connector-0 one for that connector only; the
      // CSMS must address the connector asked for.
      for (const [what, connector, wire] of items) {
        await t.step(`CSMS sends a TxDefaultProfile for ${what}`, () => setProfile(t, connector, wire, 'TC_056_CSMS; 1.6 §3.13.1 (TxDefault per connector)'));
      }
    },
  }),
  case16({
    id: 'SC-CSMS-16-03',
    octt: ['TC_057_CSMS'],
    title: 'TC_057_CSMS: Absolute TxProfile for the running transaction, with its transactionId and validity',
    versionRequirements: { '1.6': ['1.6 §3.13.1', '1.6 §7.8', 'errata 3.56'] },
    tags: ['profiles', 'transactions'],
    needs: { evses: 1, maxStackLevel: 1 },
    async run(t) {
      await inTransaction(t, 1, async (tx) => {
        const now = t.now();
        const wire = profile(t, { purpose: 'Tx', stackLevel: 1, periods: [[0, 16], [900, 12.5]], startSchedule: now, duration: 1800, validFrom: now, validTo: new Date(now.getTime() + 3600_000), transactionId: tx.transactionId }, 1);
        await t.step(`CSMS sends an Absolute TxProfile for transaction ${tx.transactionId}`, async () => {
          const { call } = await setProfile(t, 1, wire, 'TC_057_CSMS');
          txProfileShape(t, call);
        });
      });
    },
  }),
  case16({
    id: 'SC-CSMS-16-04',
    octt: ['TC_057_CSMS'],
    title: 'TC_057_CSMS: Relative TxProfile replaced in a transaction; the next transaction gets its own transactionId',
    versionRequirements: { '1.6': ['1.6 §3.13.1', '1.6 §3.13.2'] },
    tags: ['profiles', 'transactions'],
    needs: { evses: 1 },
    async run(t) {
      const rel = (limits: [number, number][], txId: string) => profile(t, { id: 7390, purpose: 'Tx', stackLevel: 0, kind: 'Relative', periods: limits, transactionId: txId }, 1);
      let tx: Transaction | undefined = await startTransaction(t, 1);
      try {
        const first = tx.transactionId;
        await t.step(`CSMS sends a Relative TxProfile for transaction ${first}`, () => setProfile(t, 1, rel([[0, 20], [600, 10]], first), 'TC_057_CSMS'));
        await t.step('CSMS replaces it (same id and stackLevel) with a lower limit', () => setProfile(t, 1, rel([[0, 8]], first), 'TC_057_CSMS'));
        await ending(t, tx);
        tx = await startTransaction(t, 1);
        const second = tx.transactionId;
        // A CSMS that caches the connector's previous transaction sends a stale id here (1.6 §3.13.1).
        await t.step(`CSMS sends a TxProfile for the next transaction ${second}`, () => setProfile(t, 1, rel([[0, 12]], second), 'TC_057_CSMS'));
      } finally {
        await ending(t, tx);
      }
    },
  }),
  case16({
    id: 'SC-CSMS-16-05',
    octt: ['TC_059_CSMS'],
    title: 'TC_059_CSMS: RemoteStartTransaction with a TxProfile for a given connector, then a TxProfile for the started transaction',
    versionRequirements: { '1.6': ['1.6 §5.11', '1.6 §6.33', 'errata 3.41'] },
    tags: ['profiles', 'transactions'],
    needs: { evses: 1, maxStackLevel: 1 },
    async run(t) {
      const before = new Set(station(t).transactions);
      const asked = { connectorId: 1, idTag: 'CONFORMANCE', chargingProfile: profile(t, { id: 7391, purpose: 'Tx', stackLevel: 1, kind: 'Relative', periods: [[0, 16], [600, 10.5]] }, 1) };
      await t.step('CSMS sends RemoteStartTransaction with a TxProfile for connector 1', async () => {
        const { call } = await request(t, 'RemoteStartTransaction', structuredClone(asked), { evseId: 1 });
        const c = call.payload.connectorId;
        // 1.6 §6.33: connectorId is optional ("SHALL be > 0" when given); without it the station picks
        // the connector and the profile goes with it — legal, but not the connector asked for.
        if (c === undefined) t.note.warn('RemoteStartTransaction with a charging profile but no connectorId: the station chooses the connector (optional in 1.6 §6.33; TC_059_CSMS names one)', '1.6 §6.33');
        else t.check.ok(typeof c === 'number' && c > 0, `RemoteStartTransaction connectorId ${show(c)} is not > 0`, { rule: '1.6 §6.33 (connectorId SHALL be > 0)', pointer: '/connectorId', actual: c });
        // The idTag is the CSMS's own choice (its users and tags); the profile is what was asked for.
        const pointers = ['/chargingProfile/chargingProfilePurpose', '/chargingProfile/chargingProfileKind', '/chargingProfile/stackLevel', '/chargingProfile/chargingSchedule/chargingRateUnit', '/chargingProfile/chargingSchedule/chargingSchedulePeriod'];
        asAsked(t, call, c === undefined ? { ...asked, connectorId: undefined } : asked, ['/connectorId', ...pointers], 'TC_059_CSMS');
        decimals16(t, call, '/chargingProfile/chargingSchedule');
      });
      const tx = await t.step('station starts the transaction', () => newTransaction(t, before));
      try {
        if (!tx) return t.note.info('the station did not start a transaction (remote start not accepted): the follow-up TxProfile is not asked for');
        const wire = profile(t, { id: 7391, purpose: 'Tx', stackLevel: 1, kind: 'Relative', periods: [[0, 10]], transactionId: tx.transactionId }, tx.evseId);
        await t.step(`CSMS replaces the remote-start profile with a TxProfile for transaction ${tx.transactionId}`, () => setProfile(t, tx.evseId, wire, 'TC_059_CSMS'));
      } finally {
        await ending(t, tx);
      }
    },
  }),
  case16({
    id: 'SC-CSMS-16-06',
    octt: ['TC_066_CSMS'],
    title: 'TC_066_CSMS: GetCompositeSchedule for a connector in each advertised chargingRateUnit, and for connector 0',
    versionRequirements: { '1.6': ['1.6 §5.7', '1.6 §6.21', '1.6 §9.4'] },
    tags: ['composite'],
    needs: { evses: 1 },
    async run(t) {
      const asks: [string, Payload][] = t.caps.rateUnits.map((unit) => [`connector 1 in ${unit}`, { connectorId: 1, duration: 600, chargingRateUnit: unit }]);
      asks.push(['connector 0 (the whole Charge Point), no unit', { connectorId: 0, duration: 300 }]);
      for (const [what, asked] of asks) {
        await t.step(`CSMS asks for the composite schedule of ${what}`, async () => {
          const { call, done } = await request(t, 'GetCompositeSchedule', structuredClone(asked), { evseId: asked.connectorId as number });
          // A unit the CSMS adds unasked is its choice (1.6 §6.21: optional); a different one is not what was asked.
          asAsked(t, call, asked, ['/connectorId', '/duration', '/chargingRateUnit'], 'TC_066_CSMS');
          await settled(t, done, t.config.timing.callTimeoutMs);
        });
      }
    },
  }),
  case16({
    id: 'SC-CSMS-16-07',
    octt: ['TC_066_CSMS'],
    title: 'TC_066_CSMS: composite answers with one-decimal limits (9.1, 8.1, 15.2) taken as they are; Rejected handled',
    versionRequirements: { '1.6': ['1.6 §5.7', '1.6 §7.14', 'rules §8'] },
    tags: ['composite', 'decimals'],
    needs: { evses: 1 },
    async run(t) {
      const unit = t.caps.rateUnits[0]!;
      const reply = {
        status: 'Accepted',
        connectorId: 1,
        scheduleStart: iso(t.now()),
        chargingSchedule: { duration: 300, chargingRateUnit: unit, chargingSchedulePeriod: [9.1, 8.1, 15.2].map((limit, i) => ({ startPeriod: i * 100, limit })) },
      };
      await t.step(`answer Accepted with limits 9.1, 8.1, 15.2 ${unit}`, async () => {
        const { done, replied } = await request(t, 'GetCompositeSchedule', { connectorId: 1, duration: 300, chargingRateUnit: unit }, { evseId: 1, reply });
        const outcome = await settled(t, done, t.config.timing.callTimeoutMs);
        // Answered as a conforming station, not with these limits (request() WARNed): nothing to compare.
        if (!replied) return;
        if (!outcome) return t.note.warn(`could not check: the trigger had not finished ${t.config.timing.callTimeoutMs} ms after the answer, so what the CSMS made of the one-decimal limits is unknown`, '1.6 §7.14');
        // The station's answer is schema-valid (the harness validates its own frames): an error now is the CSMS refusing legal values.
        if (outcome.lateError) {
          t.check.fail(`the CSMS reported an error after the station's valid composite answer with one-decimal limits: ${outcome.lateError}`, { rule: '1.6 §7.14 (one fractional digit is legal; rules §8 multipleOf trap)' });
          return;
        }
        const { answer: got, unseen } = await relayedAnswer(outcome);
        if (got === undefined) {
          return t.note.warn(`could not check what the CSMS made of the composite: ${unseen} (a trigger that returns the station response, e.g. the built-in convention {"response": ...}, or an API callback makes this checkable)`, '1.6 §7.14');
        }
        const d = firstDifference(got, reply);
        t.check.ok(!d, `the CSMS keeps the composite values unchanged${d ? ` (at ${d.pointer}: ${show(d.actual)} instead of ${show(d.expected)})` : ''}`, { rule: '1.6 §7.14 (one fractional digit is legal)' });
      });
      await t.step('answer Rejected without a schedule', async () => {
        // The connection the answer went over: a reconnect in between must not hide a close.
        const before = t.session;
        const { call, done, replied } = await request(t, 'GetCompositeSchedule', { connectorId: 1, duration: 300 }, { evseId: 1, reply: { status: 'Rejected' } });
        if (!replied) return; // not answered Rejected (request() WARNed): no reaction to judge
        const outcome = await settled(t, done, t.config.timing.callTimeoutMs);
        if (outcome?.lateError) t.note.info(`the CSMS's API reports the Rejected composite as an error: ${outcome.lateError}`);
        const from = t.received('GetCompositeSchedule').indexOf(call) + 1;
        await sleep(t, stormWindowMs(t));
        const retries = t.received('GetCompositeSchedule').length - from;
        if (retries > 1) t.note.warn(`${retries} GetCompositeSchedule retries within ${stormWindowMs(t)} ms after Rejected (retry storm)`, 'catalogue SC-CSMS-05');
        t.check.ok(before.isOpen && t.session === before, 'the CSMS handles a Rejected composite and keeps the connection', { rule: '1.6 §6.22 (Rejected is a legal answer)' });
      });
    },
  }),
  case16({
    id: 'SC-CSMS-16-08',
    octt: ['TC_067_CSMS'],
    title: 'TC_067_CSMS: ClearChargingProfile by the id of a profile the CSMS installed',
    versionRequirements: { '1.6': ['1.6 §5.5', 'errata 3.25'] },
    tags: ['clear'],
    needs: { evses: 1, maxStackLevel: 3 },
    async run(t) {
      const wire = profile(t, { purpose: 'TxDefault', stackLevel: 3, periods: [[0, 14]], startSchedule: t.now() }, 1);
      const { id } = await t.step('CSMS installs a TxDefaultProfile on connector 1', () => setProfile(t, 1, wire, 'TC_067_CSMS'));
      if (!installed(t, id)) return t.note.warn(`could not check: the station did not install profile id ${String(id)}, so a clear by its id proves nothing`, 'TC_067_CSMS');
      await t.step(`CSMS clears it by id ${String(id)}`, async () => {
        const asked = { id };
        const { call } = await request(t, 'ClearChargingProfile', structuredClone(asked), { evseId: 1 });
        asAsked(t, call, asked, ['/id'], 'TC_067_CSMS');
        const extra = Object.keys(call.payload).filter((k) => k !== 'id');
        // errata 3.25: "If id is specified, then all other fields are ignored" — legal, but worth showing.
        if (extra.length) t.note.info(`ClearChargingProfile by id also carries ${extra.join(', ')} (ignored by the station, errata 3.25)`);
        t.check.ok(!installed(t, id), `profile id ${String(id)}, installed by the CSMS, is still installed after its clear by id`, { rule: 'TC_067_CSMS; 1.6 §5.5' });
      });
    },
  }),
  case16({
    id: 'SC-CSMS-16-09',
    octt: ['TC_067_CSMS'],
    title: 'TC_067_CSMS: ClearChargingProfile by connectorId + purpose + stackLevel, then clear all',
    versionRequirements: { '1.6': ['1.6 §5.5', 'errata 3.25'] },
    tags: ['clear'],
    needs: { evses: 2, maxStackLevel: 2 },
    async run(t) {
      const now = t.now();
      const mk = (connector: number, level: number, limit: number) => profile(t, { purpose: 'TxDefault', stackLevel: level, periods: [[0, limit]], startSchedule: now }, connector);
      const ids: Record<string, unknown> = {};
      for (const [name, connector, level, limit] of [['a', 1, 1, 12], ['b', 1, 2, 11], ['c', 2, 1, 10]] as const) {
        const { id } = await t.step(`CSMS installs TxDefault stackLevel ${level} on connector ${connector}`, () => setProfile(t, connector, mk(connector, level, limit), 'TC_067_CSMS'));
        ids[name] = id;
      }
      const missing = Object.entries(ids).filter(([, id]) => !installed(t, id));
      if (missing.length) return t.note.warn(`could not check: the station did not install profile id(s) ${missing.map(([, id]) => String(id)).join(', ')}`, 'TC_067_CSMS');
      await t.step('CSMS clears connector 1, TxDefaultProfile, stackLevel 1', async () => {
        const asked = { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 };
        const { call } = await request(t, 'ClearChargingProfile', structuredClone(asked), { evseId: 1 });
        // errata 3.25: the fields are ANDed; a criterion the CSMS drops clears more than asked.
        asAsked(t, call, asked, ['/connectorId', '/chargingProfilePurpose', '/stackLevel'], 'TC_067_CSMS; errata 3.25 (fields ANDed)');
        const rule = 'TC_067_CSMS; errata 3.25 (fields ANDed)';
        t.check.ok(!installed(t, ids.a), `profile id ${String(ids.a)} (connector 1, stackLevel 1) is still installed after the clear`, { rule });
        t.check.ok(installed(t, ids.b), `profile id ${String(ids.b)} (connector 1, stackLevel 2), not matched by the asked criteria, was cleared`, { rule });
        t.check.ok(installed(t, ids.c), `profile id ${String(ids.c)} (connector 2, stackLevel 1), not matched by the asked criteria, was cleared`, { rule });
      });
      await t.step('CSMS clears all profiles (no fields: legal in 1.6)', async () => {
        const { call } = await request(t, 'ClearChargingProfile', {});
        t.check.equal(call.payload, {}, 'ClearChargingProfile for "clear all" carries no field', { rule: 'TC_067_CSMS; errata 3.25 (no field: clear all)' });
        for (const name of ['b', 'c']) t.check.ok(!installed(t, ids[name]), `profile id ${String(ids[name])} is still installed after clear all`, { rule: 'TC_067_CSMS; errata 3.25' });
      });
    },
  }),
  case16({
    id: 'SC-CSMS-16-10',
    octt: ['TC_056_CSMS', 'TC_057_CSMS'],
    title: 'TC_056/057_CSMS decimals: one-decimal limits (8.1, 15.2, 0.1) and minChargingRate sent as given',
    versionRequirements: { '1.6': ['1.6 §7.13', '1.6 §7.14', 'rules §8'] },
    tags: ['profiles', 'decimals'],
    needs: { evses: 1, periodsPerSchedule: 3 },
    async run(t) {
      const unit = t.caps.rateUnits.includes('A') ? 'A' : 'W';
      const rule = '1.6 §7.14 (one fractional digit is legal)';
      const wire = profile(t, { purpose: 'TxDefault', stackLevel: 0, unit, periods: [[0, 8.1], [300, 15.2], [600, 0.1]], startSchedule: t.now(), duration: 900 }, 1);
      (wire.chargingSchedule as Payload).minChargingRate = 6.1;
      await t.step(`CSMS sends a TxDefaultProfile with limits 8.1, 15.2, 0.1 ${unit} and minChargingRate 6.1`, async () => {
        await setProfile(t, 1, wire, 'TC_056_CSMS', rule);
      });
      await inTransaction(t, 1, (tx) => {
        const tp = profile(t, { purpose: 'Tx', stackLevel: 0, kind: 'Relative', unit, periods: [[0, 9.1], [60, 12.3]], transactionId: tx.transactionId }, 1);
        return t.step(`CSMS sends a TxProfile with limits 9.1, 12.3 ${unit}`, () => setProfile(t, 1, tp, 'TC_057_CSMS', rule));
      });
    },
  }),
  case16({
    id: 'SC-CSMS-16-11',
    octt: ['TC_056_CSMS'],
    title: 'TC_056_CSMS: ChargingScheduleAllowedChargingRateUnit and ChargeProfileMaxStackLevel respected',
    versionRequirements: { '1.6': ['1.6 §9.4', '1.6 §3.13.2'] },
    tags: ['profiles', 'capabilities'],
    needs: { evses: 1, maxStackLevel: 1 },
    async run(t) {
      const top = t.caps.maxStackLevel;
      const units = t.caps.rateUnits;
      // The station advertises its units (GetConfiguration ChargingScheduleAllowedChargingRateUnit); with
      // both, a CSMS that ignores the key cannot be caught here.
      if (units.length > 1) t.note.warn('could not check that the CSMS respects ChargingScheduleAllowedChargingRateUnit: the station advertises Current and Power (set device.rateUnits to ["A"] or ["W"] to check it)', '1.6 §9.4');
      for (const unit of units) {
        const limit = unit === 'A' ? 16 : 11040;
        const wire = profile(t, { purpose: 'TxDefault', stackLevel: top, unit, periods: [[0, limit]], startSchedule: t.now() }, 1);
        // The station role fails a unit outside ChargingScheduleAllowedChargingRateUnit and a stackLevel
        // above ChargeProfileMaxStackLevel (1.6 §9.4); as-asked shows what the CSMS changed.
        await t.step(`CSMS sends a TxDefaultProfile in ${unit} at the top stackLevel ${top}`, () => setProfile(t, 1, wire, 'TC_056_CSMS; 1.6 §9.4'));
      }
    },
  }),
];
