/**
 * Read-backs whose verdict must not rest on a point the 1.6 text leaves open (issue #11 items 8 and 9).
 */
import { expectComposite, getComposite, type CompositeOutcome, type SmartCharging } from './smartcharging';

/**
 * "Composite unchanged" after a rejected Set. With profiles installed the composite is compared with the
 * model as usual. With none installed, 1.6 does not define the answer to GetCompositeSchedule (1.6 §5.7
 * describes the request, not a station duty to answer Accepted when no profile applies; rules §5.1, §11):
 * a Rejected answer is a WARN there, never the FAIL of a case whose subject is the rejection. 2.0.1 keeps
 * the full comparison (K08.FR.02, TC_K_39_CS expects Accepted).
 */
export async function compositeUnchanged(sc: SmartCharging, evseId = 1, duration = 300): Promise<CompositeOutcome> {
  if (!sc.v16 || sc.mirror.list().length > 0) return expectComposite(sc, evseId, duration, 'A');
  const out = await getComposite(sc, evseId, duration, 'A');
  if (out.status !== 'Accepted') {
    sc.t.note.warn(`GetCompositeSchedule for connector ${evseId} answered ${out.status} with no profile installed: 1.6 does not define this answer`, 'rules §5.1');
  }
  // Accepted with nothing installed: no interval is validated (rules §5.2); getComposite judged the structure.
  return out;
}
