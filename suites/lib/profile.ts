/**
 * The device profile as the cases see it (issue #12 item 7): a limit the device did not report and the
 * user did not declare is only the harness default, so no rejection is judged against it; the missing
 * key itself is reported once, in SC-X-01 (1.6 §9.4 FAIL, 2.0.1 WARN rules §9.2).
 */
import type { CaseContext } from '../../src/scenario';
import type { DeviceCapabilities } from '../../src/runner/config';
import { ASKED } from '../../src/runner/discovery';

/** Why the value of `field` must not be judged against, or undefined when the device reported or the user declared it. */
export function unreportedReason(caps: DeviceCapabilities, ocpp: string, field: 'maxStackLevel' | 'periodsPerSchedule' | 'maxProfiles' | 'rateUnits'): string | undefined {
  if (!caps.unreported?.includes(field)) return undefined;
  const key = (ocpp === '1.6' ? ASKED['1.6'] : ASKED['2.0.1'])[field];
  return `the device did not report ${key} and device.${field} is not declared: ${JSON.stringify(caps[field])} is only the harness default, so this check is not judged (declare device.${field} to judge it)`;
}

/** The same, as an INFO note on the case when it applies; returns whether the check may be judged. */
export function limitKnown(t: CaseContext, field: Parameters<typeof unreportedReason>[2], rule: string): boolean {
  const why = unreportedReason(t.caps, t.ocpp, field);
  if (why) t.note.info(why, rule);
  return !why;
}
