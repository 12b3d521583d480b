/**
 * ClearChargingProfile matching (rules §7). Pure: returns what stays and what goes; the store applies it.
 */
import { normalisePurpose } from './profile';
import type { Installed } from './types';

export interface Clear16Request {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: string;
  stackLevel?: number;
}
export interface Clear201Request {
  chargingProfileId?: number;
  chargingProfileCriteria?: { evseId?: number; chargingProfilePurpose?: string; stackLevel?: number };
}
export interface ClearResult {
  status: 'Accepted' | 'Unknown';
  removed: Installed[];
  kept: Installed[];
}

function split(installed: readonly Installed[], matches: (i: Installed) => boolean): ClearResult {
  const removed = installed.filter(matches);
  const kept = installed.filter((i) => !matches(i));
  // 1.6 errata 3.25 / 2.0.1 K10.FR.01: Unknown = nothing matched; Accepted = at least one removed.
  // Hence a Clear() on an empty station is Unknown (libocpp's Accepted there is a WARN, SC-16-14).
  return { status: removed.length > 0 ? 'Accepted' : 'Unknown', removed, kept };
}

/**
 * 1.6 (errata 3.25 / 3.26): no field → all; "If id is specified, then all other fields are ignored";
 * otherwise the logical AND of the present fields, with 0 a real value (go-e #187), `connectorId`
 * compared with the connector the profile was installed on (0 = the overall Charge Point).
 * An unknown purpose name matches nothing (the station would answer a CALLERROR, errata 3.24).
 */
export function clear16(installed: readonly Installed[], req: Clear16Request): ClearResult {
  if (req.id !== undefined) return split(installed, (i) => i.profile.id === req.id);
  const purpose = req.chargingProfilePurpose === undefined ? undefined : normalisePurpose('1.6', req.chargingProfilePurpose);
  return split(
    installed,
    (i) =>
      (req.connectorId === undefined || i.evseId === req.connectorId) &&
      (req.chargingProfilePurpose === undefined || i.profile.purpose === purpose) &&
      (req.stackLevel === undefined || i.profile.stackLevel === req.stackLevel),
  );
}

/**
 * 2.0.1 (K10): `chargingProfileId` clears that id (K10.FR.03); criteria are ANDed (K10.FR.04) with
 * `evseId` absent = any EVSE and 0 = station-level profiles only; an empty request clears all (libocpp;
 * K10.FR.02 makes it a CSMS breach). ChargingStationExternalConstraints are never cleared (K10.FR.06 as
 * cited by libocpp), so a criteria purpose of ExternalConstraints always yields Unknown.
 * IMPL (rules §7.2): id and criteria together → the id wins and the criteria are ignored, as libocpp
 * does (ChargeLab OpenOCPP ORs them instead).
 */
export function clear201(installed: readonly Installed[], req: Clear201Request): ClearResult {
  const clearable = (i: Installed): boolean => i.profile.purpose !== 'ChargingStationExternalConstraints';
  if (req.chargingProfileId !== undefined) {
    return split(installed, (i) => clearable(i) && i.profile.id === req.chargingProfileId);
  }
  const c = req.chargingProfileCriteria ?? {};
  // The 2.1 purpose list is a superset of 2.0.1's; a 2.0.1 frame cannot carry the 2.1-only ones (schema enum).
  const purpose = c.chargingProfilePurpose === undefined ? undefined : normalisePurpose('2.1', c.chargingProfilePurpose);
  return split(
    installed,
    (i) =>
      clearable(i) &&
      (c.evseId === undefined || i.evseId === c.evseId) &&
      (c.chargingProfilePurpose === undefined || i.profile.purpose === purpose) &&
      (c.stackLevel === undefined || i.profile.stackLevel === c.stackLevel),
  );
}
