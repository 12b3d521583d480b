/**
 * ClearChargingProfile helpers of the station suites (1.6 errata 3.25/3.26, 2.0.1 K10, rules §7): a clear
 * judged against the reference filter, the 1.6 Clear(id) probes (1.6 has no GetChargingProfiles:
 * catalogue §1.5) and the installed-state read-back that uses them or GetChargingProfiles.
 */
import { model } from '../../src/scenario';
import { callSeq, type SmartCharging } from './smartcharging';
import { getProfiles } from './reports';

type Payload = Record<string, unknown>;

/** Installed ids, sorted. */
const held = (sc: SmartCharging): number[] => sc.mirror.list().map((i) => i.profile.id).sort((a, b) => a - b);

/**
 * ClearChargingProfile whose status must equal the reference filter's (Accepted iff ≥ 1 profile
 * matched, else Unknown). The mirror then follows the model.
 * `emptyAcceptedWarn`: 1.6 Clear() with nothing installed answered Accepted is a WARN (rules §7.1).
 * `callErrorWarn`: a CALLERROR is tolerated with a WARN (the request is legal, the refusal lenient).
 */
export async function clearExpect(
  sc: SmartCharging,
  req: Payload,
  o: { label: string; rule: string; emptyAcceptedWarn?: boolean; callErrorWarn?: boolean },
): Promise<string> {
  const t = sc.t;
  const before = sc.mirror.list();
  const ref = sc.v16 ? model.clear16(before, req) : model.clear201(before, req);
  const removed = ref.removed.map((i) => i.profile.id);
  const r = await t.tryCall<{ status: string }>('ClearChargingProfile', req);
  const frameSeq = r.ok ? r.frame.seq : r.frameSeq;
  const what = `${o.label}: ClearChargingProfile(${JSON.stringify(req)}) with ${before.length ? `profiles ${held(sc).join(', ')}` : 'nothing'} installed`;
  let status: string;
  if (!r.ok) {
    status = `CALLERROR ${r.errorCode ?? ''}`.trim();
    if (o.callErrorWarn) t.note.warn(`${what} answered ${status} (expected ${ref.status})`, o.rule);
    else t.check.fail(`${what} answered ${status}; expected ${ref.status}`, { rule: o.rule, frameSeq, expected: ref.status, actual: status });
  } else {
    status = r.payload.status;
    if (status !== ref.status && ref.status === 'Unknown' && status === 'Accepted' && o.emptyAcceptedWarn) {
      t.note.warn(`${what} answered Accepted; by the text nothing was found, so Unknown (libocpp answers Accepted)`, '1.6 errata 3.25');
    } else {
      t.check.equal(status, ref.status, `${what}: ${ref.status === 'Accepted' ? `the reference filter removes ${removed.join(', ')}` : 'the reference filter matches no installed profile'}`, {
        rule: o.rule,
        pointer: '/status',
        frameSeq,
      });
    }
  }
  if (sc.v16) sc.mirror.clear16(req);
  else sc.mirror.clear201(req);
  return status;
}

/**
 * 1.6 read-back: a destructive Clear(id) per profile (Accepted = was installed, Unknown = was not;
 * catalogue §1.5). The mirror forgets each probed id.
 */
export async function probes16(sc: SmartCharging, ids: number[], label: string, rule: string): Promise<void> {
  const t = sc.t;
  for (const id of ids) {
    const want = sc.mirror.list().some((i) => i.profile.id === id) ? 'Accepted' : 'Unknown';
    const { payload: r, seq: frameSeq } = await callSeq<{ status: string }>(t, 'ClearChargingProfile', { id });
    t.check.equal(r.status, want, `${label}: probe Clear(id ${id}) — profile ${id} ${want === 'Accepted' ? 'must still be installed' : 'must be gone'}`, { rule, pointer: '/status', frameSeq });
    sc.mirror.clear16({ id });
  }
}

/**
 * Prove the installed state for these ids equals the mirror. 2.0.1: GetChargingProfiles by id (report
 * deep-equal, set equality). 1.6 (no read-back): destructive Clear(id) probes — Accepted iff installed
 * (catalogue §1.5), so call it at the end of a case.
 */
export async function verifyIds(sc: SmartCharging, ids: number[], what = 'installed state'): Promise<void> {
  const t = sc.t;
  await t.step(`${what}: ${sc.v16 ? 'Clear(id) probes' : 'GetChargingProfiles by id'} for ${ids.join(', ')}`, async () => {
    if (!sc.v16) {
      await getProfiles(sc, { chargingProfile: { chargingProfileId: ids } });
      return;
    }
    await probes16(sc, ids, what, '1.6 errata 3.25');
  });
}
