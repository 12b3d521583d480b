/**
 * GetChargingProfiles criteria (rules §6.1, K09) and the grouping of the matching profiles into
 * ReportChargingProfilesRequest frames (rules §6.2).
 */
import { ModelArgumentError } from './errors';
import { deepCopy, normalisePurpose } from './profile';
import type { ChargingLimitSource } from './profile';
import type { Installed } from './types';

export interface SelectRequest {
  evseId?: number;
  chargingProfile: {
    chargingProfileId?: number[];
    stackLevel?: number;
    chargingProfilePurpose?: string;
    chargingLimitSource?: string[];
  };
}

/**
 * The reference filter:
 * - `evseId` absent → every installed profile; 0 → "only charging profiles installed on the Charging
 *   Station itself"; N → profiles installed on EVSE N only (evse-0 profiles are not "installed for"
 *   EVSE N; a station adding them gets WARN, rules §6.1).
 * - `chargingProfileId[]`: ORed; when given, the other criterion fields are ignored (K09.FR.03 makes
 *   them alternatives; libocpp ignores the rest: IMPL). `evseId` still applies.
 * - `chargingLimitSource[]`: ORed; `stackLevel`, `chargingProfilePurpose`, sources: ANDed.
 * An empty list is treated as absent (the schema requires ≥ 1 item; the model stays total).
 */
export function selectProfiles(installed: readonly Installed[], req: SelectRequest): Installed[] {
  const c = req.chargingProfile;
  const evseOk = (i: Installed): boolean => req.evseId === undefined || i.evseId === req.evseId;
  const ids = c.chargingProfileId && c.chargingProfileId.length > 0 ? c.chargingProfileId : undefined;
  let match: (i: Installed) => boolean;
  if (ids) {
    match = (i) => ids.includes(i.profile.id);
  } else {
    // The 2.1 purpose list is a superset of 2.0.1's; a 2.0.1 frame cannot carry the 2.1-only ones (schema enum).
    const purpose = c.chargingProfilePurpose === undefined ? undefined : normalisePurpose('2.1', c.chargingProfilePurpose);
    const sources = c.chargingLimitSource && c.chargingLimitSource.length > 0 ? c.chargingLimitSource : undefined;
    match = (i) =>
      (c.stackLevel === undefined || i.profile.stackLevel === c.stackLevel) &&
      (c.chargingProfilePurpose === undefined || i.profile.purpose === purpose) &&
      (sources === undefined || sources.includes(i.source));
  }
  return installed.filter((i) => evseOk(i) && match(i)).map((i) => deepCopy(i));
}

export interface ReportPage {
  evseId: number;
  chargingLimitSource: ChargingLimitSource;
  chargingProfile: Record<string, unknown>[];
}

/**
 * ReportChargingProfilesRequest payload bodies (without requestId/tbc): one group per (evseId, source),
 * because `evseId` and `chargingLimitSource` are single values per frame (rules §6.2), each group split
 * into pages of at most `pageSize` profiles ("too much data for one message", K09 remark). Order is
 * deterministic: evseId ascending, source alphabetical (CSO, EMS, Other, SO), profile id ascending.
 * The profiles are the raw wire objects as sent (deep copies). Frame count and order are IMPL for a
 * station; this is what the harness sends when it plays the station.
 */
export function reportPages(selected: readonly Installed[], pageSize: number): ReportPage[] {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new ModelArgumentError(`pageSize must be an integer ≥ 1, got ${pageSize}`);
  const sorted = [...selected].sort(
    (a, b) =>
      a.evseId - b.evseId ||
      (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
      a.profile.id - b.profile.id,
  );
  const pages: ReportPage[] = [];
  let group: Installed[] = [];
  const flush = (): void => {
    for (let k = 0; k < group.length; k += pageSize) {
      const chunk = group.slice(k, k + pageSize);
      pages.push({
        evseId: chunk[0]!.evseId,
        chargingLimitSource: chunk[0]!.source,
        chargingProfile: chunk.map((i) => deepCopy(i.raw)),
      });
    }
    group = [];
  };
  for (const i of sorted) {
    const head = group[0];
    if (head && (head.evseId !== i.evseId || head.source !== i.source)) flush();
    group.push(i);
  }
  flush();
  return pages;
}
