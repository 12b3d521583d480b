/**
 * 2.1 ChargingProfileType.maxOfflineDuration / invalidAfterOfflineDuration on the reference station
 * (issue #16). Field descriptions (OCA 2.1 schemas): after maxOfflineDuration seconds offline "the
 * charging profile becomes invalid for as long as it is offline and the Charging Station reverts back to a
 * valid profile with a lower stack level. If invalidAfterOfflineDuration is true, then this charging
 * profile will become permanently invalid"; 0 = invalid at once while offline; absent = no timeout.
 *
 * The composite can only be asked for online, so the station applies the rule when it reconnects: a
 * profile whose offline period exceeded its maxOfflineDuration with invalidAfterOfflineDuration true is
 * marked permanently invalid (kept until replaced by a new SetChargingProfile with its id); with false
 * (or absent) it applies again now that the station is online.
 */
import type { Installed } from '../smartcharging';

export type OfflineFault = 'offline-duration-ignored' | 'offline-invalid-revived';

export class OfflineValidity {
  private offlineSince: number | undefined;
  /** Profile ids permanently invalid (invalidAfterOfflineDuration true and the duration exceeded). */
  private readonly invalid = new Set<number>();

  constructor(private readonly faults: ReadonlySet<string>) {}

  wentOffline(now = Date.now()): void {
    this.offlineSince ??= now;
  }

  /** Back online: judge every installed profile against the offline period that just ended. */
  cameOnline(installed: readonly Installed[], now = Date.now()): void {
    const since = this.offlineSince;
    this.offlineSince = undefined;
    if (since === undefined || this.faults.has('offline-duration-ignored')) return;
    // Fault: validity follows only the latest offline period, so a permanently invalid profile revives
    // after a later, shorter one.
    if (this.faults.has('offline-invalid-revived')) this.invalid.clear();
    const offlineS = (now - since) / 1000;
    for (const i of installed) {
      const max = i.raw.maxOfflineDuration;
      if (typeof max === 'number' && offlineS > max && i.raw.invalidAfterOfflineDuration === true) this.invalid.add(i.profile.id);
    }
  }

  /** A new SetChargingProfile with this id replaces the invalid profile. */
  installed(id: number): void {
    this.invalid.delete(id);
  }

  applies(i: Installed): boolean {
    return !this.invalid.has(i.profile.id);
  }
}
