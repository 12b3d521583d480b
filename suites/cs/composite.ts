/**
 * GetCompositeSchedule exact against the reference model (rules §5): worked examples A and B, validity
 * windows, future startSchedule, recurring, Relative anchored at the transaction start, A↔W conversion,
 * negatives (unknown EVSE/connector, unsupported unit) and the response shape (SC-X-06).
 */
import { defineCase, type CaseContext, type CaseDefinition } from '../../src/scenario';
import { ALL_VERSIONS, V2X } from '../lib/version';
import { SmartCharging, expectComposite, getComposite, type CompositeOutcome } from '../lib/smartcharging';
import { getProfiles } from '../lib/reports';
import { since, startTx } from '../lib/transactions';
import { expectRejected, scheduleOf, valid } from './rejections';

type Payload = Record<string, unknown>;
const REMOTE = { features: ['remoteStart'] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function equalNeighboursInfo(t: CaseContext, out: CompositeOutcome): void {
  const p = out.periods ?? [];
  const i = p.findIndex((x, k) => k > 0 && x.limit === p[k - 1]!.limit && x.numberPhases === p[k - 1]!.numberPhases);
  if (i > 0) t.note.info(`unmerged equal neighbouring periods at index ${i - 1}/${i} (limit ${p[i]!.limit})`, 'rules §5.2 step 8');
}

/** Worked example B (rules §5.4) on evse/connector 1. */
export async function workedExampleB(sc: SmartCharging, base: number, rule: string): Promise<void> {
  const t0 = sc.t.now();
  await sc.install(1, { id: base, stackLevel: 0, purpose: 'TxDefault', periods: [[0, 6], [100, 8], [200, 10]], duration: 400, startSchedule: t0 });
  await sc.install(1, { id: base + 1, stackLevel: 1, purpose: 'TxDefault', periods: [[0, 7], [100, 9]], duration: 150, startSchedule: t0 });
  await expectComposite(sc, 1, 350, 'A', { rule });
}

/**
 * Worked example A (rules §5.3) during a transaction on evse/connector 1, Max on 0. Deviation only in
 * 260−x…300−x (TxDefault again after the TxProfile schedule ended) → WARN; anywhere else → FAIL.
 */
async function workedExampleA(sc: SmartCharging, base: number, rule: string): Promise<void> {
  const t = sc.t;
  const tx = await t.step('start a transaction on 1', () => startTx(sc, 1));
  const t0 = t.now();
  const d = t.config.timing.toleranceS;
  await t.step('Max on 0: 10 A (86400 + Δ)', () => sc.install(0, { id: base, purpose: 'Max', periods: [[0, 10]], duration: 86400 + d, startSchedule: t0 }));
  await t.step('TxDefault 6/10/8/15/8 @0/60/120/180/260 (300 s)', () =>
    sc.install(1, { id: base + 1, purpose: 'TxDefault', periods: [[0, 6], [60, 10], [120, 8], [180, 15], [260, 8]], duration: 300, startSchedule: t0 }));
  await t.step('TxProfile 8/11/16/6/12 @0/50/140/200/240 (260 s)', () =>
    sc.install(1, { id: base + 2, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 8], [50, 11], [140, 16], [200, 6], [240, 12]], duration: 260, startSchedule: t0 }));
  const x = since(t0);
  const out = await t.step(`composite(1, 400, A): 8, 10 @50−x, 6 @200−x, 10 @240−x, 8 @260−x, 10 @300−x (x ≈ ${x})`, () =>
    expectComposite(sc, 1, 400, 'A', { rule, warnFrom: 260 - x - 2, warnTo: 300 - x + 2 }));
  equalNeighboursInfo(t, out);
}

/** Composite request that a conforming device answers Rejected (rules §5.1, K08.FR.05/.07). */
async function expectCompositeRejected(sc: SmartCharging, evseId: number, unit: 'A' | 'W' | undefined, label: string, rule: string, opts: { acceptedIsWarn?: string } = {}): Promise<void> {
  const t = sc.t;
  const req: Payload = sc.v16 ? { connectorId: evseId, duration: 300 } : { evseId, duration: 300 };
  if (unit) req.chargingRateUnit = unit;
  const r = await t.tryCall<Payload>('GetCompositeSchedule', req);
  if (!r.ok) {
    if (sc.v16) t.note.warn(`${label}: answered CALLERROR ${r.errorCode ?? ''} instead of Rejected`, rule);
    else t.check.fail(`${label}: answered CALLERROR ${r.errorCode ?? ''}; expected Rejected`, { rule, actual: r.errorCode });
    return;
  }
  if (opts.acceptedIsWarn && r.payload.status === 'Accepted') {
    t.note.warn(`${label}: Accepted (${opts.acceptedIsWarn})`, rule);
    // Accepted, the schedule is in the unit asked for (1.6 §5.7: chargingRateUnit forces the unit).
    const schedule = (sc.v16 ? r.payload.chargingSchedule : r.payload.schedule) as Payload | undefined;
    if (unit && schedule) t.check.equal(schedule.chargingRateUnit, unit, `${label}: Accepted composite in the unit asked for`, { rule: sc.v16 ? '1.6 §5.7' : 'rules §5.6', pointer: sc.v16 ? '/chargingSchedule/chargingRateUnit' : '/schedule/chargingRateUnit' });
    return;
  }
  t.check.equal(r.payload.status, 'Rejected', `${label}: status`, { rule, pointer: '/status' });
  if (sc.v16) {
    for (const f of ['connectorId', 'scheduleStart', 'chargingSchedule']) {
      if (r.payload[f] !== undefined) t.note.warn(`${label}: Rejected composite carries ${f}`, '1.6 errata 3.51');
    }
  } else t.check.ok(r.payload.schedule === undefined, `${label}: Rejected composite carries no schedule`, { rule: 'TC_K_42_CS', pointer: '/schedule' });
}

/** Midnight UTC of today minus one hour = yesterday 23:00 UTC (catalogue SC-16-20). */
function yesterday2300(t: CaseContext): Date {
  const n = t.now();
  return new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()) - 3600_000);
}

/** SC-16-20 / SC-201-22: daily and weekly Recurring over a fall-back, 172800 s composite. */
async function recurring(sc: SmartCharging, base: number, rule: string): Promise<void> {
  const t = sc.t;
  const y = yesterday2300(t);
  await t.step('TxDefault sl0 10 A (no duration)', () => sc.install(1, { id: base, purpose: 'TxDefault', periods: [[0, 10]] }));
  await t.step('Daily Recurring TxDefault sl1 from yesterday 23:00 UTC: 6 A, 3600 → 16 A, 7200 s', () =>
    sc.install(1, { id: base + 1, stackLevel: 1, purpose: 'TxDefault', kind: 'Recurring', recurrencyKind: 'Daily', periods: [[0, 6], [3600, 16]], duration: 7200, startSchedule: y }));
  if (!sc.v16) await t.step('Get(id) reports the recurring profile unchanged', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [base + 1] } }));
  await t.step('composite(1, 172800): one occurrence per day, fall-back to sl0 between', () => expectComposite(sc, 1, 172800, 'A', { rule }));
  const weekStart = new Date(y.getTime() - 5 * 86400_000);
  await t.step('Weekly variant (same id), next occurrence tomorrow 23:00 UTC', () =>
    sc.install(1, { id: base + 1, stackLevel: 1, purpose: 'TxDefault', kind: 'Recurring', recurrencyKind: 'Weekly', periods: [[0, 6], [3600, 16]], duration: 7200, startSchedule: weekStart }));
  await t.step('composite(1, 172800) for the weekly profile', () => expectComposite(sc, 1, 172800, 'A', { rule }));
  await t.step('Recurring without recurrencyKind is rejected', () =>
    expectRejected(sc, 1, valid(sc, { id: base + 2, stackLevel: 2, kind: 'Recurring', startSchedule: y }), {
      label: 'Recurring without recurrencyKind', rule: sc.v16 ? '1.6 errata 3.56' : 'ChargingProfile.recurrencyKind', accepted: sc.v16 ? 'fail' : 'warn',
    }));
  if (!sc.v16) {
    await t.step('Recurring without startSchedule is rejected', async () => {
      const p = valid(sc, { id: base + 3, stackLevel: 3, kind: 'Recurring', recurrencyKind: 'Daily' });
      delete scheduleOf(sc, p).startSchedule;
      return expectRejected(sc, 1, p, { label: 'Recurring without startSchedule', rule: 'K01.FR.40' });
    });
  }
}

/**
 * The smallest whole-second anchor shift the composite comparison cannot absorb: it tolerates a mismatch
 * of up to ε next to a matching value and up to 2ε between two (rules §10 convention 2, ε = 1 s,
 * src/smartcharging/compare.ts), so a shifted boundary of 2ε + 1 s always fails. The Relative-anchor cases
 * wait this long instead of Δ + 2 / Δ + 4 s (timing.toleranceS), which is the bound for comparing a
 * station timestamp with the harness clock and plays no part in an anchored comparison.
 */
export const ANCHOR_SHIFT_S = 2 * 1 + 1;

/** SC-16-21 / SC-201-27: Relative TxDefault installed before the transaction runs from the transaction start. */
async function relativeAtTxStart(sc: SmartCharging, base: number): Promise<void> {
  const t = sc.t;
  await t.step('Relative TxDefault on 1: 0 → 16 A, 50 → 20 A, before any transaction', () =>
    sc.install(1, { id: base, purpose: 'TxDefault', kind: 'Relative', periods: [[0, 16], [50, 20]] }));
  // A real gap between installation and transaction start, so both anchors give different boundaries. No
  // protocol event can end this wait; it is the case's subject. Its size follows the comparison, not the
  // clock tolerance Δ (issue #14): the composite is anchored on the reported scheduleStart and the model's
  // Relative anchor is the transaction start the station itself reported (rules §10 conventions 2 and 4),
  // so a station clock offset cancels out and only whole-second flooring remains. A station anchoring at
  // the installation shifts the 50 s boundary by ≥ the gap (the install precedes its answer, the start
  // follows our request); ANCHOR_SHIFT_S is more than the comparison absorbs (fault
  // 'relative-anchored-at-install').
  const gapS = ANCHOR_SHIFT_S;
  await t.step(`wait ${gapS} s`, () => sleep(gapS * 1000));
  await t.step('start a transaction on 1', () => startTx(sc, 1));
  await t.step('composite: 16 until T + 50, then 20 (anchored at the transaction start)', () => expectComposite(sc, 1, 300, 'A', { rule: 'rules §5.2 step 2' }));
}

export const compositeCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-16-01',
    octtId: 'TC_056_CS',
    octt: ['TC_056_CS'],
    title: 'TxDefault without a transaction counts in the composite',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13', 'rules §5.1'],
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('TxDefault connector 1 sl0: 6 A, 300 + Δ s', () =>
        sc.install(1, { id: 2301, purpose: 'TxDefault', periods: [[0, 6]], duration: 300 + t.config.timing.toleranceS, startSchedule: t.now() }));
      await t.step('composite(1, 300, A): 6 A', () => expectComposite(sc, 1, 300, 'A', { rule: 'TC_056_CS' }));
    },
  }),
  defineCase({
    id: 'SC-16-06',
    octtId: 'TC_066_CS',
    octt: ['TC_066_CS'],
    title: 'Combining purposes during a transaction (worked example A)',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.3', 'rules §5.3'],
    needs: { ...REMOTE, maxProfiles: 3, periodsPerSchedule: 5 },
    async run(t) {
      await workedExampleA(new SmartCharging(t), 2311, 'TC_066_CS');
    },
  }),
  defineCase({
    id: 'SC-16-18',
    title: 'GetCompositeSchedule negatives: unknown connector, unsupported unit',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['rules §5.1'],
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step(`(a) connectorId ${t.caps.evses + 1}`, () => expectCompositeRejected(sc, t.caps.evses + 1, sc.unit, 'unknown connector', 'rules §5.1'));
      const other = (['A', 'W'] as const).find((u) => !t.caps.rateUnits.includes(u));
      // 1.6 has no SHALL for a composite unit outside ChargingScheduleAllowedChargingRateUnit (a list of units
      // "for use in a ChargingSchedule"; libocpp Rejects, MicroOcpp converts): Accepted is a WARN (rules §5.1).
      if (other) {
        await t.step(`(b) unit ${other} not allowed`, () =>
          expectCompositeRejected(sc, 1, other, `unit ${other}`, 'rules §5.1', { acceptedIsWarn: 'libocpp Rejects; 1.6 sets no SHALL for a composite unit the station does not take for profiles' }));
      }
      else t.note.info('both units allowed: step (b) does not apply (PICS)');
    },
  }),
  defineCase({
    id: 'SC-16-19',
    title: 'Units and phases: W → A with 3 and 1 phases, A → W',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §7.12', '1.6 errata 3.34', 'rules §5.5'],
    needs: { rateUnits: ['A', 'W'] },
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('TxDefault 6900 W numberPhases 3', () => sc.install(1, { id: 2321, purpose: 'TxDefault', unit: 'W', periods: [[0, 6900, 3]] }));
      await t.step('composite in A: 10.0 A', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 §7.12' }));
      await t.step('same id, numberPhases 1', () => sc.install(1, { id: 2321, purpose: 'TxDefault', unit: 'W', periods: [[0, 6900, 1]] }));
      await t.step('composite in A: 30.0 A', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 §7.12' }));
      await t.step('same id, 16 A numberPhases 3', () => sc.install(1, { id: 2321, purpose: 'TxDefault', unit: 'A', periods: [[0, 16, 3]] }));
      await t.step('composite in W: 11040 W', () => expectComposite(sc, 1, 300, 'W', { rule: '1.6 §7.12' }));
    },
  }),
  defineCase({
    id: 'SC-16-20',
    title: 'Recurring daily and weekly over a fall-back; Recurring without recurrencyKind rejected',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 errata 3.43', '1.6 errata 3.56'],
    needs: { maxStackLevel: 2, maxProfiles: 2 },
    async run(t) {
      await recurring(new SmartCharging(t), 2331, '1.6 errata 3.43');
    },
  }),
  defineCase({
    id: 'SC-16-21',
    title: 'Relative TxDefault anchored at the transaction start',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['rules §5.2'],
    needs: REMOTE,
    async run(t) {
      await relativeAtTxStart(new SmartCharging(t), 2341);
    },
  }),
  defineCase({
    id: 'SC-16-22',
    title: 'validFrom / validTo window over a lower stack level',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.2'],
    needs: { maxStackLevel: 1, maxProfiles: 2 },
    async run(t) {
      const sc = new SmartCharging(t);
      const now = t.now();
      await t.step('TxDefault sl0 10 A', () => sc.install(1, { id: 2351, purpose: 'TxDefault', periods: [[0, 10]] }));
      await t.step('TxDefault sl1 16 A valid [now + 120, now + 240)', () =>
        sc.install(1, { id: 2352, stackLevel: 1, purpose: 'TxDefault', periods: [[0, 16]], startSchedule: now, validFrom: new Date(now.getTime() + 120_000), validTo: new Date(now.getTime() + 240_000) }));
      await t.step('composite(1, 300): 10, 16 @120−x, 10 @240−x', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 §3.13.2' }));
    },
  }),
  defineCase({
    id: 'SC-201-12',
    octtId: 'TC_K_39_CS/TC_K_40_CS/TC_K_41_CS',
    octt: ['TC_K_39_CS', 'TC_K_40_CS', 'TC_K_41_CS'],
    title: 'Composite: no profiles, stacking (worked example B), combining (worked example A)',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K08.FR.02', 'K08.FR.03', 'K08.FR.04', 'K08.FR.06'],
    needs: { ...REMOTE, maxStackLevel: 1, maxProfiles: 3, periodsPerSchedule: 5 },
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('(a) no profiles: composite(evse 0, 300) Accepted', () => expectComposite(sc, 0, 300, 'A', { rule: 'TC_K_39_CS' }));
      await t.step('(b) worked example B on evse 1 (350 s)', () => workedExampleB(sc, 2401, 'TC_K_40_CS'));
      await t.step('remove the example B profiles', async () => {
        for (const id of [2401, 2402]) t.check.equal(await sc.clear({ chargingProfileId: id }), 'Accepted', `Clear(id ${id})`, { pointer: '/status', rule: 'K10.FR.03' });
      });
      await t.step('(c) worked example A during a transaction (400 s)', () => workedExampleA(sc, 2411, 'TC_K_41_CS'));
    },
  }),
  defineCase({
    id: 'SC-201-13',
    octtId: 'TC_K_42_CS/TC_K_47_CS',
    octt: ['TC_K_42_CS', 'TC_K_47_CS'],
    title: 'Composite negatives: unsupported unit, unknown EVSE',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K08.FR.05', 'K08.FR.07'],
    async run(t) {
      const sc = new SmartCharging(t);
      const other = (['A', 'W'] as const).find((u) => !t.caps.rateUnits.includes(u));
      if (other) await t.step(`(a) unit ${other} not in RateUnit`, () => expectCompositeRejected(sc, 1, other, `unit ${other}`, 'K08.FR.07'));
      else t.note.info('both units supported: step (a) does not apply (PICS)');
      await t.step(`(b) evseId ${t.caps.evses + 1}`, () => expectCompositeRejected(sc, t.caps.evses + 1, sc.unit, 'unknown EVSE', 'K08.FR.05'));
    },
  }),
  defineCase({
    id: 'SC-201-14',
    octtId: 'TC_K_21_CS/TC_K_22_CS/TC_K_23_CS',
    octt: ['TC_K_21_CS', 'TC_K_22_CS', 'TC_K_23_CS'],
    title: 'validFrom, validTo (evse 0 = sum over EVSEs), startSchedule in the future',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.30', 'K01.FR.36', 'K01.FR.37', 'rules §5.1'],
    async run(t) {
      const sc = new SmartCharging(t);
      const ms = (s: number) => new Date(t.now().getTime() + s * 1000);
      const clearTxDefault = () => t.step('clear TxDefault profiles', () => sc.clear({ chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } }));
      await t.step('(a) Relative TxDefault evse 1 6 A, validFrom now + 300', () =>
        sc.install(1, { id: 2421, purpose: 'TxDefault', kind: 'Relative', periods: [[0, 6]], validFrom: ms(300) }));
      await t.step('(a) composite(evse 1, 400): unvalidated, then 6 @300−x', () => expectComposite(sc, 1, 400, 'A', { rule: 'TC_K_21_CS' }));
      await clearTxDefault();
      await t.step('(b) TxDefault evse 0 6 A, validTo now + 300', () => sc.install(0, { id: 2422, purpose: 'TxDefault', periods: [[0, 6]], validTo: ms(300) }));
      for (let e = 0; e <= t.caps.evses; e++) {
        await t.step(`(b) composite(evse ${e}, 400)${e === 0 ? ': 6 × #EVSE' : ': 6'} until 300−x`, () => expectComposite(sc, e, 400, 'A', { rule: 'TC_K_22_CS' }));
      }
      await clearTxDefault();
      const d = t.config.timing.toleranceS;
      await t.step('(c) Absolute TxDefault evse 1 6 A, startSchedule now − Δ + 60', () =>
        sc.install(1, { id: 2423, purpose: 'TxDefault', periods: [[0, 6]], startSchedule: ms(60 - d) }));
      await t.step('(c) composite(evse 1, 300): unvalidated, then 6', () => expectComposite(sc, 1, 300, 'A', { rule: 'TC_K_23_CS' }));
    },
  }),
  defineCase({
    id: 'SC-201-15',
    title: 'Phases and units: W → A without numberPhases, lowest numberPhases, phaseToUse rejections',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.19', 'K01.FR.20', 'K01.FR.48', 'K01.FR.49', 'K01.FR.50', 'errata 2025-01 §2.28'],
    // stackLevel 1 in (c)/(d): a lower limit would reject them for the wrong reason.
    // Only (a) crosses units; (b)–(d) run in the device's unit (issue #12 item 1).
    needs: { maxStackLevel: 1 },
    async run(t) {
      const sc = new SmartCharging(t);
      if (t.caps.rateUnits.includes('A') && t.caps.rateUnits.includes('W')) {
        await t.step('(a) TxDefault 11040 W without numberPhases', () => sc.install(1, { id: 2431, purpose: 'TxDefault', unit: 'W', periods: [[0, 11040]] }));
        await t.step('(a) composite in A: 16.0 A (3 phases assumed)', () => expectComposite(sc, 1, 300, 'A', { rule: 'K01.FR.49' }));
      } else t.note.info(`(a) not run: W profile read as an A composite needs both units; the device supports ${t.caps.rateUnits.join(', ')}`, 'K01.FR.49');
      await t.step('(b) Max evse 0 32 A numberPhases 1', () => sc.install(0, { id: 2432, purpose: 'Max', periods: [[0, 32, 1]] }));
      await t.step('(b) TxDefault evse 1 16 A numberPhases 3 (same id as (a))', () => sc.install(1, { id: 2431, purpose: 'TxDefault', periods: [[0, 16, 3]] }));
      await t.step('(b) composite: limits as the model, numberPhases 1', async () => {
        const out = await expectComposite(sc, 1, 300, 'A', { rule: 'errata 2025-01 §2.28' });
        for (const [i, p] of (out.periods ?? []).entries()) {
          t.check.equal(p.numberPhases, 1, 'composite numberPhases = lowest of the contributing profiles', { rule: 'errata 2025-01 §2.28', pointer: `/schedule/chargingSchedulePeriod/${i}/numberPhases` });
        }
      });
      const phased = (id: number, np: number): Payload => {
        const p = valid(sc, { id, stackLevel: 1, periods: [[0, 10, np]] });
        (scheduleOf(sc, p).chargingSchedulePeriod as Payload[])[0]!.phaseToUse = 1;
        return p;
      };
      await t.step('(c) phaseToUse with numberPhases 3', () => expectRejected(sc, 1, phased(2433, 3), { label: 'phaseToUse with numberPhases 3', rule: 'K01.FR.19' }));
      // K01.FR.20 only binds a station without phase switching: run (d) only when the PICS says so.
      if (t.caps.features.acPhaseSwitching === false) {
        await t.step('(d) phaseToUse with numberPhases 1, ACPhaseSwitchingSupported false', () =>
          expectRejected(sc, 1, phased(2434, 1), { label: 'phaseToUse without ACPhaseSwitchingSupported', rule: 'K01.FR.20' }));
      } else t.note.info('(d) not run: set device.features.acPhaseSwitching = false to check K01.FR.20');
      t.note.info('(e) DC numberPhases and (f) numberPhases above the supply need a DC EVSE / AQ-4 PICS: not run');
      await t.step('nothing of (c), (d) installed', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [2433, 2434] } }));
    },
  }),
  defineCase({
    id: 'SC-201-20',
    title: 'Composite without chargingRateUnit (observe)',
    ocpp: [...V2X],
    as: 'csms',
    tags: ['observe'],
    requirements: ['rules §5.6'],
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('TxDefault evse 1 in A: 13 A', () => sc.install(1, { id: 2441, purpose: 'TxDefault', periods: [[0, 13]] }));
      const out = await t.step('composite(evse 1, 300) without unit', () => expectComposite(sc, 1, 300, undefined));
      t.note.info(`unit chosen without chargingRateUnit: ${String(out.unit)}`, 'rules §5.6');
    },
  }),
  defineCase({
    id: 'SC-201-22',
    octtId: 'TC_K_19_CS',
    octt: ['TC_K_19_CS'],
    title: 'Recurring daily and weekly; Recurring without startSchedule rejected',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.40'],
    needs: { maxStackLevel: 3, maxProfiles: 2 },
    async run(t) {
      await recurring(new SmartCharging(t), 2451, 'K01.FR.40');
    },
  }),
  defineCase({
    id: 'SC-201-27',
    title: 'Relative TxDefault anchored at the transaction start',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['rules §5.2'],
    needs: REMOTE,
    async run(t) {
      await relativeAtTxStart(new SmartCharging(t), 2461);
    },
  }),
  defineCase({
    id: 'SC-X-06',
    title: 'Composite response shape: units, EVSE 0 and N, without unit, Rejected',
    ocpp: [...ALL_VERSIONS],
    as: 'csms',
    requirements: ['rules §5.6', '1.6 errata 3.51', '1.6 errata 3.57'],
    async run(t) {
      const sc = new SmartCharging(t);
      const t0 = t.now();
      await t.step('Max on 0 (32 A) and TxDefault on 1 (12 → 8 A @60)', async () => {
        await sc.install(0, { id: 2471, purpose: 'Max', periods: [[0, 32]], duration: 3600, startSchedule: t0 });
        await sc.install(1, { id: 2472, purpose: 'TxDefault', periods: [[0, 12], [60, 8]], duration: 600, startSchedule: t0 });
      });
      for (const unit of t.caps.rateUnits) {
        for (const e of [0, 1]) {
          await t.step(`composite(${e}, 300, ${unit})`, async () => {
            // 1.6 connector 0 (sum or not) is IMPL (rules §11): audited, recorded, not compared.
            if (sc.v16 && e === 0) t.note.info(`1.6 connector-0 composite in ${unit}: ${JSON.stringify((await getComposite(sc, 0, 300, unit)).periods ?? [])}`);
            else await expectComposite(sc, e, 300, unit);
          });
        }
      }
      await t.step('composite(1, 300) without unit', async () => {
        const out = await getComposite(sc, 1, 300);
        t.check.equal(out.status, 'Accepted', 'composite without unit', { pointer: '/status', rule: 'rules §5.6' });
      });
      await t.step('Rejected composite (unknown EVSE) carries no schedule', () => expectCompositeRejected(sc, t.caps.evses + 1, undefined, 'unknown EVSE', sc.v16 ? 'rules §5.1' : 'K08.FR.05'));
    },
  }),
  // Profiles that started long before the query (issue #11 item 5): offsets must be rebased to scheduleStart.
  ...([
    ['1.6', 'SC-16-32', 2481],
    ['2.0.1', 'SC-201-29', 2491],
  ] as const).map(([v, id, base]) =>
    defineCase({
      id,
      title: 'Absolute profile started an hour ago: the window cuts inside its schedule',
      ocpp: v === '1.6' ? [v] : [...V2X],
      as: 'csms',
      requirements: [v === '1.6' ? '1.6 §5.7' : 'rules §5.2 step 8', 'rules §5.2 step 2'],
      needs: { maxProfiles: 2, periodsPerSchedule: 3 },
      async run(t) {
        await absoluteHourAgo(new SmartCharging(t), base, v === '1.6' ? '1.6 §5.7' : 'rules §5.2 step 8');
      },
    }),
  ),
  ...([
    ['1.6', 'SC-16-33', 2483],
    ['2.0.1', 'SC-201-30', 2493],
  ] as const).map(([v, id, base]) =>
    defineCase({
      id,
      title: 'Recurring Daily profile started days ago: the current occurrence began before the query',
      ocpp: v === '1.6' ? [v] : [...V2X],
      as: 'csms',
      requirements: [v === '1.6' ? '1.6 §5.7' : 'rules §5.2 step 8', 'rules §5.2 step 2'],
      needs: { maxProfiles: 2, periodsPerSchedule: 3 },
      async run(t) {
        await recurringDaysAgo(new SmartCharging(t), base, v === '1.6' ? '1.6 §5.7' : 'rules §5.2 step 8');
      },
    }),
  ),
  ...([
    ['1.6', 'SC-16-34', 2485],
    ['2.0.1', 'SC-201-31', 2495],
  ] as const).map(([v, id, base]) =>
    defineCase({
      id,
      title: 'Relative TxProfile in a transaction that started well before the query',
      ocpp: v === '1.6' ? [v] : [...V2X],
      as: 'csms',
      requirements: [v === '1.6' ? '1.6 §5.7' : 'rules §5.2 step 8', 'rules §5.2 step 2'],
      needs: { ...REMOTE, maxProfiles: 2, periodsPerSchedule: 3 },
      async run(t) {
        await relativeInOldTransaction(new SmartCharging(t), base, v === '1.6' ? '1.6 §5.7' : 'rules §5.2 step 8');
      },
    }),
  ),
];

/*
 * Long-ago cases (SC-16-32..34, SC-201-29..31). Data every reading agrees on: one profile per purpose,
 * a station Max only as the undisputed fall-back where the transaction limit has no period (min of
 * purposes, rules §5.1), every boundary ≥ 60 s away from the window start. A station that lays a
 * profile's startPeriods from scheduleStart instead of from the profile's own start reports the first
 * period for the whole early part of the window and fails on the next boundary.
 */

/** Max on 0 (32 A, no duration) from `start`: the validated fall-back after the TxDefault/TxProfile ends. */
async function maxFallback(sc: SmartCharging, id: number, start: Date): Promise<void> {
  await sc.t.step('Max on 0: 32 A (no duration), the fall-back', () => sc.install(0, { id, purpose: 'Max', periods: [[0, 32]], startSchedule: start }));
}

/** Absolute TxDefault from an hour ago; periods at 0, 3600 + 120, 3600 + 240, duration 3600 + 600. */
async function absoluteHourAgo(sc: SmartCharging, base: number, rule: string): Promise<void> {
  const t = sc.t;
  const start = new Date(t.now().getTime() - 3600_000);
  await maxFallback(sc, base, start);
  await t.step('TxDefault on 1 from an hour ago: 16 A, 10 A @3720, 8 A @3840, duration 4200', () =>
    sc.install(1, { id: base + 1, purpose: 'TxDefault', periods: [[0, 16], [3720, 10], [3840, 8]], duration: 4200, startSchedule: start }));
  await t.step('composite(1, 900): 16, 10 @120−x, 8 @240−x, 32 @600−x (offsets from scheduleStart)', () => expectComposite(sc, 1, 900, 'A', { rule }));
}

/** Daily Recurring TxDefault whose first occurrence was 3 days ago and whose current one began 1800 s ago. */
async function recurringDaysAgo(sc: SmartCharging, base: number, rule: string): Promise<void> {
  const t = sc.t;
  const start = new Date(t.now().getTime() - 3 * 86400_000 - 1800_000);
  await maxFallback(sc, base, start);
  await t.step('Daily Recurring TxDefault on 1 from 3 days − 1800 s ago: 6 A, 12 A @1920, 8 A @2100, duration 3600', () =>
    sc.install(1, { id: base + 1, purpose: 'TxDefault', kind: 'Recurring', recurrencyKind: 'Daily', periods: [[0, 6], [1920, 12], [2100, 8]], duration: 3600, startSchedule: start }));
  await t.step('composite(1, 2400): 6, 12 @120−x, 8 @300−x, 32 @1800−x (offsets from scheduleStart)', () => expectComposite(sc, 1, 2400, 'A', { rule }));
}

/**
 * Relative TxProfile in a transaction that has run for at least AGE s when the composite is asked for.
 * A real transaction may be hours old; here the case lets it run AGE = ANCHOR_SHIFT_S + 1 = 4 s (measured
 * from the moment its start was reported, so no ordering depends on the wait), enough for a shift of the
 * whole schedule by the transaction's age to exceed the 2ε boundary tolerance (rules §10); the extra
 * second keeps the reference fault's own age threshold (3 s, composite-faults.ts) below the case's and
 * above the delay of the other cases' composites after a start. The periods are laid out
 * relative to AGE so that the window still cuts inside the schedule. Checked twice: right after the
 * install (the anchor is the transaction start, rules §5.2 step 2) and once the transaction is AGE s old.
 */
async function relativeInOldTransaction(sc: SmartCharging, base: number, rule: string): Promise<void> {
  const t = sc.t;
  const age = ANCHOR_SHIFT_S + 1;
  const tx = await t.step('start a transaction on 1', () => startTx(sc, 1));
  const startedLocal = Date.now();
  await maxFallback(sc, base, t.now());
  await t.step(`Relative TxProfile txId T: 10 A, 16 A @${age + 60}, 8 A @${age + 180}, duration ${age + 300}`, () =>
    sc.install(1, { id: base + 1, purpose: 'Tx', kind: 'Relative', transactionId: tx.transactionId, periods: [[0, 10], [age + 60, 16], [age + 180, 8]], duration: age + 300 }));
  await t.step('composite(1, 600) right after the install', () => expectComposite(sc, 1, 600, 'A', { rule }));
  await t.step(`let the transaction run until it is ${age} s old`, () => waitUntil(t, startedLocal + age * 1000));
  await t.step(`composite(1, 600) in a transaction ≥ ${age} s old: boundaries at ${age + 60}−e, ${age + 180}−e, ${age + 300}−e`, () => expectComposite(sc, 1, 600, 'A', { rule }));
}

/** Resolve at the instant `atMs` (harness clock) or when the case is aborted; the abort listener is detached. */
function waitUntil(t: CaseContext, atMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      t.signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, atMs - Date.now()));
    t.signal.addEventListener('abort', done, { once: true });
  });
}
