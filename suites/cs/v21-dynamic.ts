/**
 * OCPP 2.1 Dynamic charging profiles (use case K28), harness as CSMS (issue #16): a Dynamic profile is
 * installed and read back, updated by UpdateDynamicSchedule (push) and by answering the station's
 * PullDynamicScheduleUpdate (pull), and the composite must follow each update exactly (reference model).
 *
 * What the checks rest on: the OCA 2.1 schemas (ChargingProfileType.dynUpdateInterval "Interval in seconds
 * after receipt of last update, when to request a profile update by sending a
 * PullDynamicScheduleUpdateRequest message"; ChargingScheduleUpdateType "Updates to a
 * ChargingSchedulePeriodType for dynamic charging profiles"; UpdateDynamicScheduleResponse.status "Returns
 * whether message was processed successfully"), libocpp's 2.1 K01.FR.121 (Dynamic only when
 * SupportsFeature[DynamicProfiles]) and the K28 requirement ids as open 2.1 implementations cite them
 * (K28.FR.06 push applied, .08 pull applied, .10 pull after dynUpdateInterval, .11 unknown / non-Dynamic
 * profile Rejected). K28.FR.10 as the OCA 2.1 errata 2025-09 (§2.36) restate it: "When chargingProfileKind =
 * Dynamic and dynUpdateInterval > 0 ... AND [the interval has elapsed since dynUpdateTime]: Charging Station
 * SHALL send a PullDynamicScheduleUpdateRequest with chargingProfileId = chargingProfile.id" — a SHALL, but
 * with no tolerance on when. The rest of the K28 text was not available to the project; where no text
 * settles a point (a pull for a cleared profile, a pull earlier or later than the interval) the finding is
 * a WARN.
 */
import { defineCase, type CaseContext, type CaseDefinition, type DeviceCapabilities, type RunConfig } from '../../src/scenario';
import { SmartCharging, expectComposite } from '../lib/smartcharging';
import { getProfiles } from '../lib/reports';
import { expectRejected, judgeCallError } from './rejections';

type Payload = Record<string, unknown>;

/** dynUpdateInterval the cases send: short and fixed, so a run costs seconds whatever the configuration. */
const INTERVAL_S = 2;

/** Cases apply only to a station that advertises Dynamic profiles (K01.FR.121: else it must reject them). */
function dynamicProfiles(caps: DeviceCapabilities): string | undefined {
  const flag = caps.features.dynamicProfiles;
  if (flag) return undefined;
  // false: the station (or the device profile) says no. Undefined: nobody said — discovery got no answer
  // for the variable (SC-X-01 says why) and the device profile does not declare it.
  return flag === false
    ? 'the station does not advertise Dynamic profiles (SmartChargingCtrlr.SupportsFeature[DynamicProfiles] false; device.features.dynamicProfiles)'
    : 'Dynamic profiles not known to be supported: SmartChargingCtrlr.SupportsFeature[DynamicProfiles] was not reported (see SC-X-01) nor declared (device.features.dynamicProfiles)';
}

/** A Dynamic TxDefault on stack level 1: one schedule, one period from 0 (K28.FR.01/.02), no startSchedule. */
function dynamicProfile(sc: SmartCharging, id: number, limitA: number, over: Payload = {}): Payload {
  return { ...sc.profile({ id, purpose: 'TxDefault', kind: 'Relative', stackLevel: 1, periods: [[0, limitA]] }), chargingProfileKind: 'Dynamic', ...over };
}

/** The static TxDefault under the Dynamic one (stack level 0, 16 A): the composite shows which one applies. */
async function baseProfile(sc: SmartCharging, id: number): Promise<void> {
  await sc.t.step('Set a TxDefault on EVSE 1, stack level 0, 16 A', () => sc.install(1, { id, purpose: 'TxDefault', kind: 'Relative', stackLevel: 0, periods: [[0, 16]] }));
}

/**
 * Install a Dynamic profile with dynUpdateInterval; false when the station refuses it (Rejected or
 * CALLERROR). No text sets a minimum interval a station must take, and a station may well have one above
 * 2 s: the refusal is a WARN and the case has no subject — neither a FAIL nor an ERROR (which would fail
 * the run's exit code for a conforming station).
 */
async function installWithInterval(sc: SmartCharging, id: number, limitA: number): Promise<boolean> {
  const r = await sc.t.step(`Set a Dynamic TxDefault ${id} (${limitA} A) with dynUpdateInterval ${INTERVAL_S} s`, () => sc.set(1, dynamicProfile(sc, id, limitA, { dynUpdateInterval: INTERVAL_S })));
  if (r.status === 'Accepted') return true;
  sc.t.note.warn(`the station answered ${r.status ?? `CALLERROR ${r.errorCode}`} to a Dynamic profile with dynUpdateInterval ${INTERVAL_S} s (a minimum interval above ${INTERVAL_S} s is its choice; no text sets one): the pull is not exercised`, 'K28.FR.10');
  return false;
}

/**
 * UpdateDynamicSchedule; the mirror follows an Accepted answer (K28.FR.06). Returns the status, or the
 * CALLERROR code as `errorCode`.
 */
async function updateDynamic(sc: SmartCharging, id: number, limitA: number): Promise<{ status?: string; errorCode?: string }> {
  const scheduleUpdate = { limit: sc.limit(limitA) };
  const r = await sc.t.tryCall<Payload>('UpdateDynamicSchedule', { chargingProfileId: id, scheduleUpdate });
  if (!r.ok) return { errorCode: r.errorCode };
  if (r.payload.status === 'Accepted') sc.mirror.applyScheduleUpdate(id, scheduleUpdate);
  return { status: r.payload.status as string };
}

/** When a pull is on time: the interval, as long again for a station that checks due-ness coarsely, and Δ. */
function pullBoundMs(t: CaseContext): number {
  return 2 * INTERVAL_S * 1000 + t.config.timing.toleranceS * 1000;
}

/**
 * How long the harness waits for the first pull before K28.FR.10 FAILs (timing.dynamicPullTimeoutMs,
 * default 30 s = 15 intervals; never below the on-time bound). K28.FR.10 is a SHALL but sets no tolerance:
 * a station that pulls on its own slower period (a sweep, a minimum pull period above 2 s it did not
 * refuse the interval for) is late, not silent — WARN; only no pull at all in this wait is a FAIL.
 */
function pullWaitMs(config: RunConfig): number {
  return Math.max(config.timing.dynamicPullTimeoutMs ?? 30_000, 2 * INTERVAL_S * 1000 + config.timing.toleranceS * 1000);
}

/** A pull case's time limit: the general one plus the pull wait, so a longer wait never ends as a time-out. */
function pullCaseTimeoutMs(config: RunConfig): number {
  return config.timing.caseTimeoutMs + pullWaitMs(config);
}

/**
 * Judge the delay of the first pull (K28.FR.10): earlier than the interval and later than the on-time
 * bound are WARNs naming the delay; the missing pull is the caller's (FAIL in SC-21-04, set-up in -05).
 */
function judgePullDelay(t: CaseContext, afterS: number): void {
  // 1 s of slack for a station that stamps whole seconds. "Interval in seconds after receipt of last
  // update": earlier is not what the field says, but no text makes it a failure.
  if (afterS < INTERVAL_S - 1) t.note.warn(`the first pull came ${afterS.toFixed(1)} s after the install, before dynUpdateInterval ${INTERVAL_S} s`, 'K28.FR.10');
  else if (afterS * 1000 > pullBoundMs(t))
    t.note.warn(
      `the first pull came ${afterS.toFixed(1)} s after the install, later than dynUpdateInterval ${INTERVAL_S} s (on time: within ${pullBoundMs(t)} ms): K28.FR.10 sets no tolerance on when the station pulls, so a late pull is not failed`,
      'K28.FR.10',
    );
}

const forProfile = (id: number) => (p: Payload) => p.chargingProfileId === id;

/** A 2.1-only station case that applies where Dynamic profiles are advertised. */
function dynamicCase(def: Omit<CaseDefinition, 'ocpp' | 'as' | 'applies'>): CaseDefinition {
  return defineCase({ ...def, ocpp: ['2.1'], as: 'csms', applies: dynamicProfiles, tags: ['dynamic', ...(def.tags ?? [])] });
}

/** The 16 A TxDefault at stack level 0, and over it Dynamic TxDefault `id` at stack level 1 with 10 A. */
async function dynamicOverBase(sc: SmartCharging, baseId: number, id: number): Promise<void> {
  await baseProfile(sc, baseId);
  await sc.t.step(`Set Dynamic TxDefault ${id} on EVSE 1, stack level 1, 10 A`, () => sc.install(1, dynamicProfile(sc, id, 10)));
}

export const dynamicCases: CaseDefinition[] = [
  dynamicCase({
    id: 'SC-21-01',
    title: 'Dynamic profile: install, read back unchanged, composite applies its limit',
    requirements: ['K01.FR.121', 'K28.FR.01', 'K09.FR.02', 'K08.FR.02'],
    needs: { maxStackLevel: 1, maxProfiles: 2 },
    async run(t) {
      const sc = new SmartCharging(t);
      await dynamicOverBase(sc, 2801, 2802);
      // dynUpdateTime is the station's own stamp (K28.FR.05) and is not compared; everything else must echo.
      await t.step('Get(chargingProfileId [2802]) reports it unchanged', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [2802] }, rule: 'K09.FR.02' }));
      await t.step('composite on EVSE 1 applies the Dynamic limit (stack level 1 over 0)', () => expectComposite(sc, 1, 300, 'A', { rule: 'K08.FR.02' }));
    },
  }),
  dynamicCase({
    id: 'SC-21-02',
    title: 'UpdateDynamicSchedule Accepted: the composite follows each new limit',
    requirements: ['K28.FR.06', 'K08.FR.02'],
    needs: { maxStackLevel: 1, maxProfiles: 2 },
    async run(t) {
      const sc = new SmartCharging(t);
      await dynamicOverBase(sc, 2803, 2804);
      // 6 A, then 20 A: above the 16 A below it, so the composite shows the update wins by stack level.
      for (const limit of [6, 20]) {
        const r = await t.step(`UpdateDynamicSchedule(2804, limit ${limit} A)`, () => updateDynamic(sc, 2804, limit));
        t.assert.equal(r.status ?? `CALLERROR ${r.errorCode}`, 'Accepted', 'UpdateDynamicSchedule for an installed Dynamic profile', { rule: 'K28.FR.06', pointer: '/status' });
        await t.step(`composite on EVSE 1 follows the update (${limit} A)`, () => expectComposite(sc, 1, 300, 'A', { rule: 'K28.FR.06' }));
      }
    },
  }),
  dynamicCase({
    id: 'SC-21-03',
    title: 'UpdateDynamicSchedule for an unknown or a non-Dynamic profile is Rejected and changes nothing',
    requirements: ['K28.FR.11', 'K08.FR.02'],
    tags: ['rejection'],
    needs: { maxProfiles: 1 },
    async run(t) {
      const sc = new SmartCharging(t);
      await baseProfile(sc, 2805);
      for (const [id, what] of [
        [2899, 'a profile id the station does not hold'],
        [2805, 'the installed Relative (non-Dynamic) TxDefault'],
      ] as const) {
        const r = await t.step(`UpdateDynamicSchedule(${id}: ${what}, limit 6 A)`, () => updateDynamic(sc, id, 6));
        // A schema-valid request answered CALLERROR: WARN, as for SetChargingProfile (rules §1.3, judgeCallError).
        if (r.errorCode !== undefined) judgeCallError(t, r.errorCode, { label: `UpdateDynamicSchedule for ${what}`, rule: 'K28.FR.11' });
        // Nothing can have been "processed successfully" (UpdateDynamicScheduleResponse.status): K28.FR.11.
        else t.check.equal(r.status, 'Rejected', `UpdateDynamicSchedule for ${what}`, { rule: 'K28.FR.11', pointer: '/status' });
      }
      await t.step('composite on EVSE 1 still applies the TxDefault (16 A)', () => expectComposite(sc, 1, 300, 'A', { rule: 'K28.FR.11' }));
    },
  }),
  dynamicCase({
    id: 'SC-21-04',
    title: `PullDynamicScheduleUpdate within dynUpdateInterval (${INTERVAL_S} s); the composite follows the pulled update`,
    requirements: ['K28.FR.10', 'K28.FR.08', 'K08.FR.02'],
    needs: { maxStackLevel: 1, maxProfiles: 2 },
    timeoutMs: pullCaseTimeoutMs,
    async run(t) {
      const sc = new SmartCharging(t);
      const id = 2807;
      const scheduleUpdate = { limit: sc.limit(7) };
      // The answer to every pull for this profile carries the update; any other pull gets the default answer.
      t.handle('PullDynamicScheduleUpdate', (p) => (p.chargingProfileId === id ? { status: 'Accepted', scheduleUpdate } : { status: 'Rejected', statusInfo: { reasonCode: 'UnknownProfile' } }));
      await baseProfile(sc, 2806);
      const installedAt = Date.now();
      if (!(await installWithInterval(sc, id, 10))) return;
      // No pull at all (or only for other profiles) in the wait: K28.FR.10's SHALL is not met — FAIL.
      const pull = await t.step(`the station pulls an update for ${id} (on time within ${pullBoundMs(t)} ms; waited up to ${pullWaitMs(t.config)} ms)`, () =>
        t.expectCall('PullDynamicScheduleUpdate', { match: forProfile(id), timeoutMs: pullWaitMs(t.config), rule: 'K28.FR.10' }));
      judgePullDelay(t, (pull.at - installedAt) / 1000);
      sc.mirror.applyScheduleUpdate(id, scheduleUpdate);
      // The station applies the update when the answer reaches it: one quiet period (a second pull in it is
      // answered alike) before the composite is read.
      await t.quietFor('PullDynamicScheduleUpdate', t.quietMs(), forProfile(id));
      await t.step('composite on EVSE 1 follows the pulled update (7 A)', () => expectComposite(sc, 1, 300, 'A', { rule: 'K28.FR.08' }));
    },
  }),
  dynamicCase({
    id: 'SC-21-05',
    title: 'No PullDynamicScheduleUpdate for a Dynamic profile after it was cleared',
    requirements: ['K28.FR.10', 'K10.FR.01'],
    needs: { maxProfiles: 1 },
    // Waits up to the pull wait for the first pull, then watches about as long again (the station's own delay).
    timeoutMs: (config) => pullCaseTimeoutMs(config) + pullWaitMs(config) + config.timing.toleranceS * 1000 + config.timing.graceMs,
    async run(t) {
      const sc = new SmartCharging(t);
      const id = 2808;
      const installedAt = Date.now();
      if (!(await installWithInterval(sc, id, 10))) return;
      // Set-up, not the subject: that the station pulls at all (and when) is SC-21-04's check. Without a
      // first pull a quiet period after the clear shows nothing, so the case ends with a WARN instead of a
      // second FAIL.
      const wait = pullWaitMs(t.config);
      const first = await t.step(`the station pulls an update for ${id} (set-up; judged by SC-21-04)`, () => t.quietFor('PullDynamicScheduleUpdate', wait, forProfile(id)));
      if (!first) {
        t.note.warn(`no PullDynamicScheduleUpdate for ${id} within ${wait} ms: whether pulls stop after a clear cannot be observed (SC-21-04 judges the missing pull)`, 'K28.FR.10');
        return;
      }
      const status = await t.step(`ClearChargingProfile(chargingProfileId ${id})`, () => sc.clear({ chargingProfileId: id }));
      t.check.equal(status, 'Accepted', `ClearChargingProfile of the installed profile ${id}`, { rule: 'K10.FR.01', pointer: '/status' });
      // Watch for as long as the station took to its first pull (its own period, however slow), at least
      // the on-time bound, plus Δ and a quiet period: a pull that would have come is seen.
      const periodMs = first.at - installedAt + t.config.timing.toleranceS * 1000;
      const watch = Math.max(pullBoundMs(t), periodMs) + t.quietMs();
      const late = await t.step(`no pull for ${id} within ${watch} ms`, () => t.quietFor('PullDynamicScheduleUpdate', watch, forProfile(id)));
      // A pull names a profile to update; once cleared there is none. No text read here says so in as many
      // words, so this is a WARN.
      if (late) t.note.warn(`PullDynamicScheduleUpdate for profile ${id} after it was cleared (frame #${late.frame.seq})`, 'K28.FR.10');
    },
  }),
  dynamicCase({
    id: 'SC-21-06',
    title: 'Dynamic profile shape: two periods, and dynUpdateInterval on a non-Dynamic profile, are Rejected',
    requirements: ['K28.FR.01', 'K01.FR.122'],
    tags: ['rejection'],
    needs: { maxStackLevel: 1, periodsPerSchedule: 2 },
    async run(t) {
      const sc = new SmartCharging(t);
      const twoPeriods = dynamicProfile(sc, 2810, 10);
      (twoPeriods.chargingSchedule as Payload[])[0]!.chargingSchedulePeriod = [
        { startPeriod: 0, limit: sc.limit(10) },
        { startPeriod: 60, limit: sc.limit(8) },
      ];
      await t.step('Set a Dynamic TxDefault with two periods → Rejected', () => expectRejected(sc, 1, twoPeriods, { label: 'Dynamic profile with two periods', rule: 'K28.FR.01' }));
      const absolute = { ...sc.profile({ id: 2811, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 10]] }), dynUpdateInterval: INTERVAL_S };
      await t.step('Set an Absolute TxDefault with dynUpdateInterval → Rejected', () => expectRejected(sc, 1, absolute, { label: 'Absolute profile with dynUpdateInterval', rule: 'K01.FR.122' }));
    },
  }),
];
