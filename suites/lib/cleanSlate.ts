/**
 * The clean slate before every station-under-test case (catalogue §1.4): stop the harness's
 * transactions, clear every profile and verify that none is left.
 *
 * Set-up nonconformance is a finding (issue #11 item 3): when the device's answer here breaks a rule —
 * a CALLERROR to a valid ClearChargingProfile or GetChargingProfiles while SmartCharging is advertised,
 * an Accepted GetChargingProfiles without reports, a profile that survives the clear — the failure is
 * recorded with that rule and the set-up stops (SetUpNonconformance / ReportsStopped, both recorded): the
 * case that met it FAILS, and the runner reports the cases after it as blocked by it. Only where no rule
 * was broken (SmartCharging not advertised) is the set-up an ERROR (CleanSlateUnavailable).
 */
import type { CaseContext } from '../../src/scenario';
import { SmartCharging, leftoverIds } from './smartcharging';
import { ReportReader } from './reports';
import { stopAndAwait } from './transactions';
import { CleanSlateUnavailable, SetUpNonconformance } from './errors';

type Payload = Record<string, unknown>;

/** Suite-wide beforeEach for the station-under-test suites. */
export async function cleanSlate(t: CaseContext): Promise<void> {
  const sc = new SmartCharging(t);
  for (const tx of t.transactions.filter((x) => x.active)) await stopAndAwait(t, tx.transactionId);
  if (sc.v16) await clearAll16(sc);
  else await clearAll201(sc);
}

/**
 * 1.6: Clear{} ("SHALL clear all ChargingProfiles", errata 3.25), then Clear(id) probes of every id this
 * run may have left: a probe that removes something shows a survivor.
 */
async function clearAll16(sc: SmartCharging): Promise<void> {
  const t = sc.t;
  const left = leftoverIds(t.config);
  await clearOrFinding(sc, {}, '1.6 §5.5');
  for (const id of left) {
    const first = await clearOrFinding(sc, { id }, '1.6 §5.5');
    // A true survivor is removed by this probe, so a second probe says Unknown. Accepted again means the
    // station answers Accepted for profiles it does not hold: the clear cases judge that, not the clean slate.
    if (first.status !== 'Unknown') {
      const second = await clearOrFinding(sc, { id }, '1.6 §5.5');
      if (second.status === 'Unknown') {
        t.check.fail(`clean slate: profile ${id} survived ClearChargingProfile with no fields (a Clear(id ${id}) probe removed it afterwards)`, {
          rule: '1.6 errata 3.25',
          pointer: '/status',
          expected: 'Unknown',
          actual: first.status,
          frameSeq: first.frameSeq,
        });
        throw new SetUpNonconformance(`profile ${id} survived ClearChargingProfile with no fields`);
      }
    }
  }
  left.clear();
}

/**
 * 2.0.1: Clear per purpose (K10.FR.02 rules out an empty request), then GetChargingProfiles for source
 * CSO must answer NoProfiles; reports of that request are read with every check of the one collector.
 */
async function clearAll201(sc: SmartCharging): Promise<void> {
  // 2.1 adds PriorityCharging and LocalGeneration (SC-21-10..14 install them; Unknown where none is installed).
  // Cleared only where the station advertises the purpose: those cases run only then, and a station without
  // it must not meet two extra requests (and a possible CALLERROR finding) before every case.
  const v21 = sc.t.ocpp === '2.1' ? ['PriorityCharging', 'LocalGeneration'].filter((p) => sc.t.caps.features[`purpose:${p}`] === true) : [];
  for (const purpose of ['TxProfile', 'TxDefaultProfile', 'ChargingStationMaxProfile', ...v21]) {
    await clearOrFinding(sc, { chargingProfileCriteria: { chargingProfilePurpose: purpose } }, 'K10.FR.04');
  }
  // A CALLERROR, an Accepted answer without reports or a stream that stops is recorded and thrown there.
  const out = await new ReportReader(sc).query({ label: 'clean slate: GetChargingProfiles(source CSO) after clearing every purpose', chargingProfile: { chargingLimitSource: ['CSO'] }, rule: 'K10.FR.04', readBack: true });
  if (out.status !== 'NoProfiles') {
    const ids = out.reported.map((r) => r.profile.id as number);
    // The reported survivors were recorded by the collector (rule K10.FR.04); an Accepted answer whose
    // reports hold nothing is recorded here.
    if (!ids.length) sc.t.check.fail('clean slate: GetChargingProfiles answered Accepted with no profile installed and reported none', { rule: 'K09.FR.02', pointer: '/status', expected: 'NoProfiles', actual: out.status });
    throw new SetUpNonconformance(`GetChargingProfiles answered ${out.status} after clearing every purpose${ids.length ? `: profiles ${ids.join(', ')} survived` : ''}`);
  }
}

/**
 * A ClearChargingProfile the station must answer (1.6 §5.5: it responds with a ClearChargingProfile.conf;
 * 2.0.1 K10.FR.01/.04: Accepted or Unknown). A CALLERROR is a finding while SmartCharging is advertised.
 */
async function clearOrFinding(sc: SmartCharging, req: Payload, rule: string): Promise<{ status: string; frameSeq: number }> {
  const t = sc.t;
  const r = await t.tryCall<{ status: string }>('ClearChargingProfile', req);
  if (r.ok) return { status: r.payload.status, frameSeq: r.frame.seq };
  const what = `clean slate: ClearChargingProfile(${JSON.stringify(req)}) answered CALLERROR ${r.errorCode}`;
  if (t.caps.features.smartCharging === false) throw new CleanSlateUnavailable(`${what}; SmartCharging is not advertised`);
  const where = sc.v16 ? 'SupportedFeatureProfiles lists SmartCharging' : 'SmartChargingCtrlr.Available is not false';
  t.check.fail(`${what} although SmartCharging is advertised (${where}); a valid request is answered Accepted or Unknown`, {
    rule,
    expected: 'Accepted or Unknown',
    actual: `CALLERROR ${r.errorCode}`,
    frameSeq: r.frameSeq,
  });
  throw new SetUpNonconformance(what);
}
