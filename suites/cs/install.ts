/**
 * Installing many profiles (rules §3, §4.1; 1.6 §9.4 MaxChargingProfilesInstalled, 2.0.1
 * SmartChargingCtrlr.Entries[ChargingProfiles]): fill the device to capacity across EVSEs, purposes and
 * stack levels, every install answered and validated; one more is rejected; replacement at capacity works.
 */
import { defineCase, type CaseContext, type CaseDefinition } from '../../src/scenario';
import { V2X } from '../lib/version';
import { SmartCharging, expectComposite, getComposite, type ProfileSpec, type Purpose } from '../lib/smartcharging';
import { getProfiles } from '../lib/reports';
import { startTx } from '../lib/transactions';
import { verifyIds } from '../lib/clear';
import { expectRejected } from './rejections';
import { limitKnown } from '../lib/profile';

/** Upper bound on profiles a case installs (catalogue SC-16-23: configurable maximum, default 100). */
const CAPACITY_CAP = 100;
const BASE_ID = 3000;

interface Slot {
  evseId: number;
  spec: ProfileSpec;
}

/**
 * Distinct, non-conflicting placements: one per (evse, purpose, stackLevel) — 1.6 replaces on the same
 * stackLevel + purpose per connector (§3.13.2) — and for 2.0.1 further disjoint validity windows
 * (K01.FR.06 concerns overlapping validity only).
 */
function slots(t: CaseContext, txIds: Map<number, string>, need: number): Slot[] {
  const v16 = t.ocpp === '1.6';
  const levels = t.caps.maxStackLevel + 1;
  const evses = t.caps.evses;
  const start = t.now();
  const out: Slot[] = [];
  const push = (evseId: number, purpose: Purpose, stackLevel: number, limit: number, window?: number, transactionId?: string) => {
    const id = BASE_ID + out.length;
    const day = 86400_000;
    const spec: ProfileSpec = {
      id,
      stackLevel,
      purpose,
      periods: [[0, limit], [120, Math.max(limit - 2, 1)]],
      duration: 300 + 60 * stackLevel,
      startSchedule: start,
      ...(transactionId !== undefined ? { transactionId } : {}),
      ...(window !== undefined
        ? { ...(window > 0 ? { validFrom: new Date(start.getTime() + window * day) } : {}), validTo: new Date(start.getTime() + (window + 1) * day) }
        : {}),
    };
    out.push({ evseId, spec });
  };
  const windows = v16 ? 1 : Math.max(1, Math.ceil(need / Math.max(1, levels * 2)) + 1);
  for (let w = 0; w < windows && out.length < need; w++) {
    for (let l = 0; l < levels && out.length < need; l++) {
      push(0, 'Max', l, 20 + l, v16 ? undefined : w);
      if (v16) for (let e = 0; e <= evses; e++) push(e, 'TxDefault', l, 6 + l + e);
      // 2.0.1: one TxDefault per level, rotating over the EVSEs (no evse-0/evse-N pair on one level, FR.52/.53).
      else push(l % (evses + 1), 'TxDefault', l, 6 + l, w);
      if (w === 0) for (const [e, tx] of txIds) push(e, 'Tx', l, 8 + l, undefined, tx);
    }
  }
  return out.slice(0, need);
}

/**
 * 1.6 connector 0 (sum of connectors or not) is IMPL (rules §11): audited and recorded, not compared. So is
 * 1.6 connector N here: the set holds connector-0 TxDefaults installed after connector-N ones (the next
 * stack level's), and which of them applies to connector N is open in 1.6 (rules §3.1, §11; issue #11
 * item 8). This case is about capacity; its verdicts come from the install answers and the probes.
 */
async function composite(sc: SmartCharging, evseId: number, duration: number): Promise<void> {
  if (sc.v16) {
    const out = await getComposite(sc, evseId, duration, 'A');
    sc.t.note.info(`1.6 connector-${evseId} composite (not compared: ${evseId === 0 ? 'connector-0 aggregation' : 'connector-0 vs connector-N TxDefault'} is open, rules §11): ${out.status} ${JSON.stringify(out.periods ?? [])}`);
    return;
  }
  await expectComposite(sc, evseId, duration, 'A');
}

async function capacity(t: CaseContext): Promise<void> {
  const sc = new SmartCharging(t);
  const n = Math.min(t.caps.maxProfiles, CAPACITY_CAP);
  let overflow = t.caps.maxProfiles <= CAPACITY_CAP;
  if (!overflow) t.note.info(`capacity ${t.caps.maxProfiles} above the case maximum ${CAPACITY_CAP}: the overflow step does not apply`);
  // Issue #12 item 7: no "profile 41 accepted" against a capacity the device never advertised.
  else if (!limitKnown(t, 'maxProfiles', sc.v16 ? '1.6 §9.4 MaxChargingProfilesInstalled' : 'SmartChargingCtrlr.Entries[ChargingProfiles]')) overflow = false;
  const txIds = new Map<number, string>();
  if (t.caps.features.remoteStart) {
    for (let e = 1; e <= t.caps.evses; e++) txIds.set(e, (await t.step(`start a transaction on ${e}`, () => startTx(sc, e))).transactionId);
  } else t.note.info('PICS: no remote start — TxProfiles are not part of the installed set');
  let all = slots(t, txIds, n + (overflow ? 1 : 0));
  let count = n;
  if (all.length < n + (overflow ? 1 : 0)) {
    count = Math.min(n, all.length);
    overflow = overflow && all.length > count;
    t.note.info(`only ${all.length} non-replacing placements exist (stack levels × purposes × connectors): installing ${count}${overflow ? '' : ', overflow step not applicable'}`);
  }
  const fill = all.slice(0, count);
  await t.step(`install ${count} profiles across EVSEs, purposes and stack levels`, async () => {
    for (const s of fill) await sc.install(s.evseId, s.spec);
  });
  if (!sc.v16) await t.step('GetChargingProfiles: every installed profile reported, equal to what was sent', () => getProfiles(sc, { chargingProfile: { chargingLimitSource: ['CSO'] } }));
  for (const e of [0, 1]) await t.step(`composite(${e}, 900) consistent with the model`, () => composite(sc, e, 900));
  if (overflow && count === n) {
    const extra = all[count]!;
    await t.step(`profile ${count + 1} beyond the capacity of ${n} is rejected`, () =>
      expectRejected(sc, extra.evseId, sc.profile(extra.spec), { label: `profile ${count + 1} of ${n}`, rule: sc.v16 ? '1.6 §9.4 MaxChargingProfilesInstalled' : 'SmartChargingCtrlr.Entries[ChargingProfiles]', accepted: 'warn' }));
    if (!sc.v16) await t.step('nothing silently dropped', () => getProfiles(sc, { chargingProfile: { chargingLimitSource: ['CSO'] } }));
  }
  // Replacement at capacity: Rejected → WARN (libocpp checks capacity before removing, rules §4.1).
  const replace = async (label: string, evseId: number, spec: ProfileSpec) => {
    const r = await sc.set(evseId, sc.profile(spec));
    if (r.status === 'Accepted') return;
    t.note.warn(`${label} at capacity answered ${r.status ?? `CALLERROR ${r.errorCode}`}; the spec expects the replacement to succeed`, 'rules §4.1');
  };
  const first = fill[0]!.spec;
  await t.step(`replace profile ${first.id} by id (new limit)`, () => replace('replacement by id', fill[0]!.evseId, { ...first, periods: [[0, 15]] }));
  const second = fill.find((s) => s.spec.purpose === 'TxDefault')!;
  if (sc.v16) {
    await t.step(`replace profile ${second.spec.id} by stackLevel + purpose (new id)`, () =>
      replace('replacement by stackLevel + purpose', second.evseId, { ...second.spec, id: BASE_ID + 900, periods: [[0, 11]] }));
  } else {
    const far = new Date(t.now().getTime() + 1000 * 86400_000);
    await t.step(`replace profile ${second.spec.id} by id on another EVSE (K01.FR.05)`, () =>
      replace('replacement by id across EVSEs', (second.evseId + 1) % (t.caps.evses + 1), { ...second.spec, validFrom: far, validTo: new Date(far.getTime() + 86400_000), periods: [[0, 11]] }));
  }
  for (const e of [0, 1]) await t.step(`composite(${e}, 900) after the replacements`, () => composite(sc, e, 900));
  all = [...all, { evseId: 0, spec: { ...first, id: BASE_ID + 900 } }];
  await verifyIds(sc, [...new Set(all.map((s) => s.spec.id))], 'final installed set');
}

export const installCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-16-23',
    title: 'Capacity: install MaxChargingProfilesInstalled profiles, one more rejected, replacement at capacity',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §9.4', '1.6 §3.13.2', 'rules §4.1'],
    tags: ['capacity'],
    timeoutMs: 300_000,
    async run(t) {
      await capacity(t);
    },
  }),
  defineCase({
    id: 'SC-201-25',
    title: 'Capacity: install Entries[ChargingProfiles] profiles, one more rejected, replacement at capacity',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['SmartChargingCtrlr.Entries[ChargingProfiles]', 'K01.FR.05', 'K09.FR.01', 'rules §4.1'],
    tags: ['capacity'],
    timeoutMs: 300_000,
    async run(t) {
      await capacity(t);
    },
  }),
  defineCase({
    id: 'SC-201-05',
    octt: ['TC_K_04_CS'],
    title: 'Replace by id across EVSE and purpose: one profile with that id, the latest one',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.05', 'K09.FR.02'],
    tags: ['replace'],
    async run(t) {
      const sc = new SmartCharging(t);
      const ID = 2320;
      // K01.FR.05: a Set with an installed id replaces that profile whatever its EVSE and purpose. Each Get
      // asks by id without evseId, so exactly one profile must come back — the latest — and the mirror
      // (rules §4, replacedBy) says which; a device that keeps both or the old one differs.
      const steps: [string, number, ProfileSpec][] = [
        ['TxDefault evse 1, 6 A', 1, { id: ID, purpose: 'TxDefault', periods: [[0, 6]] }],
        ['same id, TxDefault evse 1, 10 A', 1, { id: ID, purpose: 'TxDefault', periods: [[0, 10]] }],
      ];
      if (t.caps.evses >= 2) steps.push(['same id, TxDefault evse 2, 10 A', 2, { id: ID, purpose: 'TxDefault', periods: [[0, 10]] }]);
      steps.push(['same id, Max on evse 0, 16 A', 0, { id: ID, purpose: 'Max', periods: [[0, 16]], duration: 86400 }]);
      for (const [label, evseId, spec] of steps) {
        await t.step(`Set ${label}`, () => sc.install(evseId, spec));
        await t.step(`Get(chargingProfileId [${ID}], no evseId): exactly the ${label} profile`, async () => {
          const out = await getProfiles(sc, { chargingProfile: { chargingProfileId: [ID] }, rule: 'K01.FR.05' });
          t.check.equal(out.reported.length, 1, `profiles with id ${ID} reported after "${label}"`, { rule: 'K01.FR.05' });
          const got = out.reported[0];
          if (got) t.check.equal(got.evseId, evseId, `evseId of profile ${ID} after "${label}"`, { rule: 'K01.FR.05' });
        });
      }
    },
  }),
];
