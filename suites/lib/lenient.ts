/** Read-backs after a lenient Accept (issue #11 item 7). */
import { getComposite, type SmartCharging } from './smartcharging';
import { getProfiles } from './reports';

/**
 * Lenient cases check the consequence (issue #11 item 7): a station that accepts a limit with more decimals
 * than the version allows passes only when what it then applies is sensible: the value rounded to one
 * decimal (down, nearest or up) or the value exactly as sent (rules §8). A blind Accept that applies nothing
 * or something else FAILS. The profile is the only one installed and covers the whole 300 s window.
 */
/** What a station may sensibly keep of an over-precise limit: rounded to one decimal (down, nearest, up) or as sent. */
export function sensibleValues(sent: number): number[] {
  return [...new Set([Math.floor(sent * 10) / 10, Math.round(sent * 10) / 10, Math.ceil(sent * 10) / 10, sent])];
}

/**
 * 2.0.1 read-back after a lenient Accept: the profile is reported (K09.FR.01) and every limit in it is the
 * value as sent or rounded to one decimal (rules §8) — either storage is sensible, so the exact-equality
 * read-back against the mirror would invent a failure for a station that rounds.
 */
export async function storedAfterLenient(sc: SmartCharging, id: number, sent: number): Promise<void> {
  const t = sc.t;
  const out = await getProfiles(sc, { chargingProfile: { chargingProfileId: [id] }, observe: true, label: `GetChargingProfiles for profile ${id} after the lenient Accept` });
  const rep = out.reported.find((x) => x.profile.id === id);
  t.check.ok(rep !== undefined, `profile ${id} is reported after it was Accepted`, { rule: 'K09.FR.01', actual: out.reported.map((x) => x.profile.id) });
  if (!rep) return;
  const schedules = (Array.isArray(rep.profile.chargingSchedule) ? rep.profile.chargingSchedule : [rep.profile.chargingSchedule]) as Record<string, unknown>[];
  const sensible = sensibleValues(sent);
  schedules.forEach((s, si) =>
    ((s.chargingSchedulePeriod ?? []) as { limit: number }[]).forEach((p, i) =>
      t.check.ok(sensible.some((v) => Math.abs(p.limit - v) < 1e-9), `profile ${id} is stored with limit ${p.limit}: neither ${sent} as sent nor rounded to one decimal`, {
        rule: 'rules §8',
        pointer: `/chargingProfile/chargingSchedule/${si}/chargingSchedulePeriod/${i}/limit`,
        expected: sensible,
        actual: p.limit,
        frameSeq: rep.seq,
      }),
    ),
  );
}

/** `unit`: the unit the over-precise limit was sent in; the composite is asked for in it (issue #12 item 1). */
export async function sensibleAfterLenient(sc: SmartCharging, sent: number, unit: 'A' | 'W' = 'A'): Promise<void> {
  const t = sc.t;
  const rule = 'rules §8';
  const out = await getComposite(sc, 1, 300, unit);
  const base = sc.v16 ? '/chargingSchedule/chargingSchedulePeriod' : '/schedule/chargingSchedulePeriod';
  const sensible = sensibleValues(sent);
  if (out.status !== 'Accepted' || !out.periods?.length) {
    t.check.fail(`after the lenient Accept of limit ${sent} ${unit} the composite shows no schedule (status ${out.status})`, { rule, pointer: base, frameSeq: out.frameSeq });
    return;
  }
  const reported = out.unit ?? unit;
  out.periods.forEach((p, i) => {
    const ok = reported === unit && sensible.some((v) => Math.abs(p.limit - v) < 1e-9);
    t.check.ok(ok, `after the lenient Accept of limit ${sent} ${unit} the composite applies ${p.limit} ${reported} from ${p.startPeriod} s: neither the value rounded to one decimal nor the value as sent`, {
      rule,
      pointer: `${base}/${i}/limit`,
      expected: sensible,
      actual: p.limit,
      frameSeq: out.frameSeq,
    });
  });
  if (out.periods.every((p) => sensible.includes(p.limit))) t.note.info(`limit ${sent} ${unit} accepted and applied as ${out.periods.map((p) => p.limit).join(', ')} ${reported}`, rule);
}
