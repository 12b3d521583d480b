/**
 * SetChargingProfile rejection matrix (rules §3): every rejection rule of the reference model
 * (`RejectionCheck`), the 1.6 connector rules, bounds, atomicity of a rejected Set (SC-X-05), over-precise
 * decimals (SC-X-03) and malformed profiles (SC-X-04). Every rejected profile is proven not installed.
 * Also exports the small helpers the other case files of this folder share.
 */
import { classOf, defineCase, isOtherVersionSpelling, isValidCode, model, type CaseContext, type CaseDefinition } from '../../src/scenario';
import { ALL_VERSIONS, V2X, isV21, readProfile } from '../lib/version';
import { SmartCharging, expectComposite, type ProfileSpec } from '../lib/smartcharging';
import { startTx } from '../lib/transactions';
import { verifyIds } from '../lib/clear';
import { sensibleAfterLenient, storedAfterLenient } from '../lib/lenient';
import { compositeUnchanged } from '../lib/readback16';
import { limitKnown, unreportedReason } from '../lib/profile';

type Payload = Record<string, unknown>;

/** The (first) chargingSchedule object of a wire profile, for surgical edits of test data. */
export function scheduleOf(sc: SmartCharging, profile: Payload): Payload {
  return (sc.v16 ? profile.chargingSchedule : (profile.chargingSchedule as Payload[])[0]) as Payload;
}

export interface RejectOptions {
  label: string;
  rule: string;
  /** The frame violates the schema on purpose: a payload-class CALLERROR is the expected answer. */
  intentionalInvalid?: boolean;
  /** Verdict for Accepted: FAIL (default) or WARN where the rule is a SHOULD / CSMS-side rule. */
  accepted?: 'fail' | 'warn';
  /** Why an Accepted is only a WARN (said in the note instead of "a conforming device rejects it"). */
  acceptedWhy?: string;
  /** Verdict for CALLRESULT Rejected to a schema-invalid frame (SC-X-04: WARN). Default PASS. */
  rejectedWhenInvalid?: 'pass' | 'warn';
}

/** Judge a CALLERROR answer to a Set (rules §1.3, §3). */
export function judgeCallError(t: CaseContext, code: string, o: RejectOptions): void {
  const v16 = t.ocpp === '1.6';
  if (!isValidCode(t.ocpp, code)) {
    if (isOtherVersionSpelling(t.ocpp, code)) t.note.warn(`${o.label}: CALLERROR code ${code} is spelled as the other OCPP version spells it`, 'rules §1.3');
    else t.check.fail(`${o.label}: CALLERROR code ${code} is not an OCPP ${t.ocpp} error code`, { rule: 'rules §1.3', actual: code });
  }
  const cls = classOf(code);
  if (o.intentionalInvalid) {
    t.check.ok(cls === 'payload', `${o.label}: CALLERROR of the payload class for a schema-invalid frame`, { rule: 'rules §1.3', actual: code });
    t.note.info(`${o.label}: CALLERROR ${code}`, o.rule);
    return;
  }
  if (v16 && code === 'PropertyConstraintViolation') {
    t.note.info(`${o.label}: answered CALLERROR PropertyConstraintViolation (Rejected and this are both conforming)`, o.rule);
    return;
  }
  t.note.warn(`${o.label}: schema-valid request answered CALLERROR ${code}; expected CALLRESULT Rejected${v16 ? ' or CALLERROR PropertyConstraintViolation' : ''}`, o.rule);
}

/**
 * Send a Set that a conforming device refuses and judge the answer: Rejected → PASS; CALLERROR per
 * `judgeCallError`; Accepted → FAIL (or WARN). The mirror follows an Accepted answer, so later checks
 * compare with what the device now holds.
 */
export async function expectRejected(sc: SmartCharging, evseId: number, profile: Payload, o: RejectOptions): Promise<'Rejected' | 'CALLERROR' | 'Accepted' | string> {
  const t = sc.t;
  if (!o.intentionalInvalid) {
    // Self-check of the data set: the reference model must refuse it too.
    const parsed = readProfile(sc.t, profile);
    const m = sc.mirror.check(evseId, parsed, sc.transactions());
    if (m.status === 'Accepted') throw new Error(`harness data error: the model accepts the "${o.label}" profile`);
  }
  const r = await (o.intentionalInvalid ? setRaw(sc, evseId, profile) : sc.set(evseId, profile));
  if (r.errorCode !== undefined) {
    judgeCallError(t, r.errorCode, o);
    return 'CALLERROR';
  }
  const reason = (r.payload?.statusInfo as Payload | undefined)?.reasonCode;
  if (r.status === 'Rejected') {
    if (o.intentionalInvalid && o.rejectedWhenInvalid === 'warn') t.note.warn(`${o.label}: schema-invalid frame answered CALLRESULT Rejected instead of a CALLERROR`, o.rule);
    else t.note.info(`${o.label}: Rejected${reason ? ` (reasonCode ${String(reason)})` : ''}`, o.rule);
    return 'Rejected';
  }
  const msg = `${o.label}: answered ${r.status ?? 'nothing'}; a conforming device rejects it`;
  if (r.status === 'Accepted' && o.accepted === 'warn') t.note.warn(o.acceptedWhy ? `${o.label}: answered Accepted; ${o.acceptedWhy}` : `${msg} (lenient)`, o.rule);
  else t.check.fail(msg, { rule: o.rule, pointer: '/status', expected: 'Rejected', actual: r.status });
  return r.status ?? '';
}

/** A deliberately schema-invalid Set: sent raw, the mirror is not touched unless Accepted and parseable. */
async function setRaw(sc: SmartCharging, evseId: number, profile: Payload): Promise<{ status?: string; errorCode?: string; payload?: Payload }> {
  const r = await sc.t.tryCall<Payload>('SetChargingProfile', sc.setPayload(evseId, profile), { intentionalInvalid: true });
  if (!r.ok) return { errorCode: r.errorCode };
  if (r.payload.status === 'Accepted') {
    try {
      const parsed = readProfile(sc.t, profile);
      sc.mirror.forceInstall(evseId, parsed, profile);
    } catch {
      /* unparseable: the device holds something the model cannot express */
    }
  }
  return { status: r.payload.status as string, payload: r.payload };
}

export const valid = (sc: SmartCharging, s: Partial<ProfileSpec> & { id: number }): Payload =>
  sc.profile({ purpose: 'TxDefault', periods: [[0, 10]], duration: 600, ...s });

export const rejectionCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-16-05',
    title: 'Placement: TxProfile on connector 0, ChargePointMaxProfile on a connector, unknown connector',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.1', '1.6 errata 3.38'],
    needs: { features: ['remoteStart'] },
    async run(t) {
      const sc = new SmartCharging(t);
      const tx = await t.step('start a transaction on connector 1', () => startTx(sc, 1));
      const o = { rule: '1.6 §3.13.1' };
      await t.step('(a) TxProfile on connector 0', () =>
        expectRejected(sc, 0, valid(sc, { id: 1501, purpose: 'Tx', transactionId: tx.transactionId }), { ...o, label: 'TxProfile on connector 0' }));
      await t.step('(b) ChargePointMaxProfile on connector 1', () => expectRejected(sc, 1, valid(sc, { id: 1502, purpose: 'Max' }), { ...o, label: 'ChargePointMaxProfile on connector 1' }));
      if (t.caps.evses >= 2) await t.step('(b′) ChargePointMaxProfile on connector 2', () => expectRejected(sc, 2, valid(sc, { id: 1503, purpose: 'Max' }), { ...o, label: 'ChargePointMaxProfile on connector 2' }));
      await t.step('(c) TxDefault on connector NumberOfConnectors + 1', () =>
        expectRejected(sc, t.caps.evses + 1, valid(sc, { id: 1504 }), { rule: '1.6 errata 3.38', label: `TxDefault on connector ${t.caps.evses + 1}` }));
      await t.step('composite unchanged (nothing profile-derived)', () => compositeUnchanged(sc));
      await verifyIds(sc, [1501, 1502, 1503, 1504], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-16-24',
    title: 'Bounds: ChargeProfileMaxStackLevel and ChargingScheduleMaxPeriods, then one above',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §9.4'],
    async run(t) {
      await bounds(t, '1.6 §9.4 ChargeProfileMaxStackLevel', '1.6 §9.4 ChargingScheduleMaxPeriods');
    },
  }),
  defineCase({
    id: 'SC-16-31',
    title: 'Schedule structure negatives: first startPeriod, order, Recurring without recurrencyKind/startSchedule, negative stackLevel',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §7.13', '1.6 §7.14', '1.6 errata 3.56', '1.6 §9.4'],
    // Stack levels up to 4 are used: below that a rejection could come from the level, not the rule.
    needs: { maxStackLevel: 4 },
    async run(t) {
      const sc = new SmartCharging(t);
      const rule = '1.6 §7.14';
      // 1.6 §7.13/§7.14 describe the period data ("start … SHALL always be 0" binds the sender); no 1.6
      // text makes refusing such a schedule a station duty: accepting it is WARN (rules §3.1, §11). A
      // lenient Accept is cleared again so the rest of the case keeps its subject (nothing installed).
      const lenient = { accepted: 'warn' as const, acceptedWhy: '1.6 has no SHALL for the Charge Point to refuse it (lenient)' };
      const undoAccepted = async (status: string, id: number) => {
        if (status === 'Accepted') await sc.clear({ id });
      };
      await t.step('first startPeriod 5', async () =>
        undoAccepted(await expectRejected(sc, 1, valid(sc, { id: 1531, periods: [[5, 10], [60, 8]] }), { rule, label: 'first startPeriod 5', ...lenient }), 1531));
      await t.step('decreasing startPeriods', async () =>
        undoAccepted(await expectRejected(sc, 1, valid(sc, { id: 1532, stackLevel: 1, periods: [[0, 10], [120, 8], [60, 6]] }), { rule, label: 'decreasing startPeriods', ...lenient }), 1532));
      await t.step('Recurring without recurrencyKind', () =>
        expectRejected(sc, 1, valid(sc, { id: 1533, stackLevel: 2, kind: 'Recurring' }), { rule: '1.6 errata 3.56', label: 'Recurring without recurrencyKind' }));
      await t.step('Recurring without startSchedule', async () => {
        const p = valid(sc, { id: 1534, stackLevel: 3, kind: 'Recurring', recurrencyKind: 'Daily' });
        delete scheduleOf(sc, p).startSchedule;
        return expectRejected(sc, 1, p, { rule: '1.6 errata 3.56', label: 'Recurring without startSchedule', accepted: 'warn' });
      });
      await t.step('stackLevel −1', () => expectRejected(sc, 1, valid(sc, { id: 1535, stackLevel: -1 }), { rule: 'ChargingProfile.stackLevel', label: 'stackLevel −1', accepted: 'warn' }));
      const other = (['A', 'W'] as const).find((u) => !t.caps.rateUnits.includes(u));
      if (other) {
        await t.step(`unit ${other} not in ChargingScheduleAllowedChargingRateUnit`, () =>
          expectRejected(sc, 1, valid(sc, { id: 1536, stackLevel: 4, unit: other, periods: [[0, other === 'W' ? 6900 : 10]] }), { rule: '1.6 §9.4', label: `unsupported unit ${other}` }));
      } else t.note.info(unreportedReason(t.caps, t.ocpp, 'rateUnits') ?? 'both units allowed: the unsupported-unit step does not apply (PICS)');
      await t.step('composite unchanged', () => compositeUnchanged(sc));
      await verifyIds(sc, [1531, 1532, 1533, 1534, 1535, 1536], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-201-03',
    octtId: 'TC_K_14_CS',
    octt: ['TC_K_14_CS'],
    title: 'Structural negatives: unknown EVSE, Max placement and kind, startSchedule rules, periods, External purpose, stackLevel, phases',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.22', 'K01.FR.28', 'K01.FR.31', 'K01.FR.35', 'K01.FR.38', 'K01.FR.40', 'K01.FR.41', 'K01.FR.45', 'K04.FR.03'],
    async run(t) {
      const sc = new SmartCharging(t);
      const items: [string, string, number, Payload, RejectOptions['accepted']?][] = [
        ['evseId = #EVSE + 1', 'K01.FR.28', t.caps.evses + 1, valid(sc, { id: 1601 })],
        ['ChargingStationMaxProfile on evse 1', 'K04.FR.03', 1, valid(sc, { id: 1602, purpose: 'Max' })],
        ['ChargingStationMaxProfile Relative', 'K01.FR.38', 0, valid(sc, { id: 1603, purpose: 'Max', kind: 'Relative' })],
        ['Absolute without startSchedule', 'K01.FR.40', 1, (() => { const p = valid(sc, { id: 1604 }); delete scheduleOf(sc, p).startSchedule; return p; })()],
        ['Relative with startSchedule', 'K01.FR.41', 1, valid(sc, { id: 1605, kind: 'Relative', startSchedule: t.now() })],
        ['first startPeriod 5', 'K01.FR.31', 1, valid(sc, { id: 1606, periods: [[5, 10], [60, 8]] })],
        ['decreasing startPeriods', 'K01.FR.35', 1, valid(sc, { id: 1607, periods: [[0, 10], [120, 8], [60, 6]] })],
        ['purpose ChargingStationExternalConstraints', 'K01.FR.22', 0, valid(sc, { id: 1608, purpose: 'External' })],
        ['stackLevel −1', 'ChargingProfile.stackLevel', 1, valid(sc, { id: 1609, stackLevel: -1 }), 'warn'],
        ['numberPhases 4', 'K01.FR.45', 1, valid(sc, { id: 1610, periods: [[0, 10, 4]] }), 'warn'],
      ];
      // 2.1 moves these two into the schema (stackLevel minimum 0, numberPhases maximum 3): such a frame is
      // schema-invalid, which the harness does not send here (malformed frames are SC-X-04's).
      if (isV21(t)) {
        items.splice(-2, 2);
        t.note.info('stackLevel −1 and numberPhases 4 not sent: the 2.1 schema forbids them (stackLevel minimum 0, numberPhases maximum 3)', 'rules §1.3');
      }
      for (const [label, rule, evse, p, accepted] of items) {
        await t.step(label, () => expectRejected(sc, evse, p, { label, rule, accepted }));
      }
      await verifyIds(sc, items.map(([, , , p]) => p.id as number), 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-201-04',
    octtId: 'TC_K_12_CS',
    octt: ['TC_K_12_CS'],
    title: 'Unsupported chargingRateUnit is rejected',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.26'],
    // Issue #12 item 7: "supports both units" only when the station said so (or it was declared).
    applies: (caps, ocpp) => (caps.rateUnits.length === 1 ? undefined : (unreportedReason(caps, ocpp, 'rateUnits') ?? 'PICS: the station supports both units (RateUnit A,W)')),
    async run(t) {
      const sc = new SmartCharging(t);
      const other = t.caps.rateUnits[0] === 'A' ? 'W' : 'A';
      await expectRejected(sc, 1, valid(sc, { id: 1621, unit: other, periods: [[0, other === 'W' ? 6900 : 10]] }), { rule: 'K01.FR.26', label: `unit ${other}` });
      await verifyIds(sc, [1621], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-201-26',
    title: 'Bounds: ProfileStackLevel and PeriodsPerSchedule, then one above',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['SmartChargingCtrlr.ProfileStackLevel', 'SmartChargingCtrlr.PeriodsPerSchedule'],
    async run(t) {
      await bounds(t, 'SmartChargingCtrlr.ProfileStackLevel', 'SmartChargingCtrlr.PeriodsPerSchedule');
    },
  }),
  defineCase({
    id: 'SC-X-03',
    title: 'Over-precise decimal limit 6.25',
    ocpp: [...ALL_VERSIONS],
    as: 'csms',
    requirements: ['1.6 §7.14', 'rules §8'],
    tags: ['decimals'],
    async run(t) {
      const sc = new SmartCharging(t);
      // Over-precise in the unit sent (issue #12 item 1): 6.25 A, or on a W-only device 4312.55 W (6.25 A as
      // W plus 0.05 so two decimals remain; the scenario conversion alone gives a whole number of watts).
      const sent = sc.unit === 'A' ? 6.25 : 4312.55;
      const label = `limit ${sent} ${sc.unit}`;
      const p = valid(sc, { id: 1701, unit: sc.unit, periods: [[0, sent]] });
      if (sc.v16) {
        const r = await t.step(`Set ${label} (schema multipleOf 0.1: intentionally invalid)`, () =>
          expectRejected(sc, 1, p, { label, rule: '1.6 §7.14', intentionalInvalid: true, accepted: 'warn' }));
        if (r === 'Accepted') await t.step('composite after the lenient Accept shows a sensible limit', () => sensibleAfterLenient(sc, sent, sc.unit));
        await verifyIds(sc, [1701]);
        return;
      }
      // 2.0.1: no schema keyword; "at most one digit fraction" binds the CSMS. Any answer → INFO.
      // 2.1 drops the one-decimal rule (at most six decimals towards the station, rules §8): 6.25 is a legal
      // value, so a refusal is a WARN; no 2.1 SHALL to accept it could be established, so never a FAIL.
      const r = await t.step(`Set ${label} (${isV21(t) ? 'legal in 2.1: at most six decimals' : 'CSMS-side rule, schema-valid'})`, () => sc.set(1, p));
      const answered = `${t.ocpp} station answered ${r.status ?? `CALLERROR ${r.errorCode}`} to ${label}`;
      if (isV21(t) && r.status !== 'Accepted') t.note.warn(`${answered}, a value 2.1 allows`, 'rules §8');
      else t.note.info(answered, 'rules §8');
      if (r.status === 'Accepted') {
        await t.step('composite after the Accept shows a sensible limit', () => sensibleAfterLenient(sc, sent, sc.unit));
        await t.step('read-back: profile 1701 stored as sent or rounded', () => storedAfterLenient(sc, 1701, sent));
      } else await verifyIds(sc, [1701]);
    },
  }),
  defineCase({
    id: 'SC-X-04',
    title: 'Malformed profile → CALLERROR (unknown property, invalid purpose, limit as a string)',
    ocpp: [...ALL_VERSIONS],
    as: 'csms',
    requirements: ['rules §1.3', '1.6 errata 3.38'],
    async run(t) {
      const sc = new SmartCharging(t);
      const a = valid(sc, { id: 1711 });
      a.vendorColour = 'blue';
      const b = valid(sc, { id: 1712, stackLevel: 1 });
      b.chargingProfilePurpose = 'TxSuperProfile';
      const c = valid(sc, { id: 1713, stackLevel: 2 });
      const per = scheduleOf(sc, c).chargingSchedulePeriod as Payload[];
      per[0]!.limit = '6';
      const o = { rule: 'rules §1.3', intentionalInvalid: true, rejectedWhenInvalid: 'warn' as const };
      await t.step('(a) unknown property in the profile', () => expectRejected(sc, 1, a, { ...o, label: 'unknown property' }));
      await t.step('(b) invalid chargingProfilePurpose', () => expectRejected(sc, 1, b, { ...o, label: 'invalid purpose' }));
      await t.step('(c) limit as the string "6"', () => expectRejected(sc, 1, c, { ...o, label: 'limit "6"' }));
      if (sc.v16) {
        const d = valid(sc, { id: 1714, stackLevel: 3 });
        d.chargingProfilePurpose = 'ChargingStationExternalConstraints';
        await t.step('(d) 2.0.1 purpose ChargingStationExternalConstraints in 1.6', () => expectRejected(sc, 1, d, { ...o, label: 'ExternalConstraints purpose in 1.6' }));
      }
      await verifyIds(sc, sc.v16 ? [1711, 1712, 1713, 1714] : [1711, 1712, 1713], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-X-05',
    title: 'A rejected Set is atomic: the same-id profile survives unchanged',
    ocpp: [...ALL_VERSIONS],
    as: 'csms',
    requirements: ['rules §3'],
    versionRequirements: { '1.6': ['1.6 §7.14'], '2.0.1': ['K01.FR.31', 'K01.FR.35'], '2.1': ['K01.FR.31', 'K01.FR.35'] },
    async run(t) {
      const sc = new SmartCharging(t);
      const t0 = t.now();
      const original = { id: 7, purpose: 'TxDefault' as const, periods: [[0, 8], [120, 12]] as [number, number][], duration: 900, startSchedule: t0 };
      await t.step('install id 7 (TxDefault, 0 → 8 A, 120 → 12 A)', () => sc.install(1, original));
      await t.step('composite with id 7', () => expectComposite(sc, 1, 300, 'A'));
      const rule = sc.v16 ? '1.6 §7.14' : 'K01.FR.31';
      // 1.6 makes neither refusal a Charge Point duty (rules §3.1, §11): an Accept there is a WARN, and the
      // original id 7 is installed again so the atomicity check below still has its subject.
      const lenient16 = sc.v16 ? { accepted: 'warn' as const, acceptedWhy: '1.6 has no SHALL for the Charge Point to refuse it (lenient)' } : {};
      const restore = async (status: string) => {
        if (sc.v16 && status === 'Accepted') await sc.install(1, original);
      };
      await t.step('Set id 7 with first startPeriod 5', async () =>
        restore(await expectRejected(sc, 1, sc.profile({ id: 7, purpose: 'TxDefault', periods: [[5, 6]], duration: 900, startSchedule: t0 }), { rule, label: 'id 7 with first startPeriod 5', ...lenient16 })));
      await t.step('Set id 7 with decreasing startPeriods', async () =>
        restore(await expectRejected(sc, 1, sc.profile({ id: 7, purpose: 'TxDefault', periods: [[0, 6], [200, 7], [100, 9]], duration: 900, startSchedule: t0 }), {
          rule: sc.v16 ? '1.6 §7.14' : 'K01.FR.35',
          label: 'id 7 with decreasing startPeriods',
          ...lenient16,
        })));
      await t.step('composite unchanged (id 7 still applies)', () => expectComposite(sc, 1, 300, 'A', { rule: sc.v16 ? 'rules §3' : 'rules §3.2' }));
      await verifyIds(sc, [7], 'profile 7 still installed and unchanged');
    },
  }),
];

/** SC-16-24 / SC-201-26: boundary values Accepted (Rejected → FAIL), one above Rejected (Accepted → WARN). */
async function bounds(t: CaseContext, stackRule: string, periodsRule: string): Promise<void> {
  const sc = new SmartCharging(t);
  const maxSl = t.caps.maxStackLevel;
  const maxP = t.caps.periodsPerSchedule;
  const periods = (n: number): [number, number][] => Array.from({ length: n }, (_, i) => [i * 60, 6 + (i % 10)]);
  // Issue #12 item 7: a bound the device never advertised is not judged against the harness default.
  const slKnown = limitKnown(t, 'maxStackLevel', stackRule);
  const pKnown = limitKnown(t, 'periodsPerSchedule', periodsRule);
  if (slKnown) {
    await t.step(`stackLevel ${maxSl} (advertised maximum) is accepted`, () => sc.install(1, { id: 1801, stackLevel: maxSl, purpose: 'TxDefault', periods: [[0, 10]], duration: 600 }));
    await t.step(`stackLevel ${maxSl + 1} is rejected`, () =>
      expectRejected(sc, 1, valid(sc, { id: 1802, stackLevel: maxSl + 1 }), { rule: stackRule, label: `stackLevel ${maxSl + 1}`, accepted: 'warn' }));
  }
  if (!pKnown) {
    // nothing to judge: the periods bound is unknown
  } else if (maxP <= 1024) {
    const start = t.now();
    await t.step(`${maxP} periods (advertised maximum) are accepted`, () =>
      sc.install(1, { id: 1803, stackLevel: 0, purpose: 'TxDefault', periods: periods(maxP), duration: maxP * 60, startSchedule: start }));
    await t.step('composite follows the long schedule', () => expectComposite(sc, 1, Math.min(maxP * 60, 3600), 'A'));
  }
  if (pKnown && maxP + 1 <= 1024) {
    await t.step(`${maxP + 1} periods are rejected`, () =>
      expectRejected(sc, 1, valid(sc, { id: 1804, stackLevel: 0, periods: periods(maxP + 1), duration: (maxP + 1) * 60 }), { rule: periodsRule, label: `${maxP + 1} periods`, accepted: 'warn' }));
  } else if (pKnown) t.note.info('PeriodsPerSchedule + 1 exceeds the schema maximum of 1024 periods: step not applicable');
  await verifyIds(sc, [1801, 1802, 1803, 1804]);
}
