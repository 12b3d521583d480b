/**
 * Reference-station fault 'relative-anchored-at-install' (issue #14): what SC-16-21 / SC-201-27 must catch
 * now that their wait follows the composite comparison (2ε + 1 s) instead of the clock tolerance Δ. Pure
 * bookkeeping over the model's types; station.ts notes each accepted install and applies it to a composite.
 */
import { fromEpochSeconds, toEpochSeconds, type CompositeContext, type Installed } from '../smartcharging';

/**
 * 'relative-anchored-at-install': a Relative TxDefault / TxProfile installed before the transaction
 * started is laid from the moment it was installed instead of from the transaction start (rules §5.2
 * step 2: Relative periods start at the transaction start; SC-16-21 / SC-201-27). Profiles installed
 * during the transaction are left alone: there the two anchors differ by a round trip, which no case
 * can tell from whole-second flooring, so the fault stays deterministic.
 */
export class InstallClock {
  /** profile id → epoch s of the (last) accepted install */
  private readonly at = new Map<number, number>();

  note(profileId: number, atS: number): void {
    this.at.set(profileId, atS);
  }

  anchoredAtInstall(ctx: CompositeContext): CompositeContext {
    const installed = ctx.installed.map((inst): Installed => {
      const p = inst.profile;
      const at = this.at.get(p.id);
      const tx = ctx.transactions.find((t) => t.evseId === inst.evseId);
      if (p.kind !== 'Relative' || at === undefined || !tx || at >= toEpochSeconds(tx.startedAt)) return inst;
      const [first, ...rest] = p.schedules;
      return { ...inst, profile: { ...p, kind: 'Absolute', schedules: [{ ...first!, startSchedule: fromEpochSeconds(at) }, ...rest] } };
    });
    return { ...ctx, installed };
  }
}
