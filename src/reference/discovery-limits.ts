/**
 * How the reference station answers requests of many items (issue J, session 5): quirks of a conforming
 * station with a small per-request limit, and the 2.1 fault of a station that never answers the 2.1
 * SmartChargingCtrlr variables. The harness's capability discovery must keep what it received in each case.
 */
import type { Payload } from '../ocppj/messages';
import { CallErrorReply } from '../ocppj/errors';
import { Reply } from '../transport';

/** The per-request limit of quirks 'items-per-message-3' and 'max-keys-3-16'. */
export const ITEMS_PER_REQUEST = 3;

/**
 * Quirk 'items-per-message-3': DeviceDataCtrlr.ItemsPerMessage[GetVariables] = 3 (2.x) and
 * GetConfigurationMaxKeys = 3 (1.6); a longer request is refused with CALLERROR OccurrenceConstraintViolation
 * (B06.FR.16; 1.6 spells it OccurenceConstraintViolation). Fault 'discovery-21-unanswered': a GetVariables
 * that asks SupportsFeature is never answered (OCPP-J: every CALL gets a response). Undefined: answer as usual.
 */
export function refuseMany(faults: ReadonlySet<string>, quirks: ReadonlySet<string>, action: 'GetVariables' | 'GetConfiguration', p: Payload): Reply | undefined {
  const data = action === 'GetVariables' ? ((p.getVariableData as Payload[] | undefined) ?? []) : [];
  if (faults.has('discovery-21-unanswered') && data.some((d) => (d.variable as Payload).name === 'SupportsFeature')) return Reply.none();
  const items = action === 'GetVariables' ? data : ((p.key as string[] | undefined) ?? []);
  if (quirks.has('items-per-message-3') && items.length > ITEMS_PER_REQUEST) {
    throw new CallErrorReply('OccurrenceConstraintViolation', `${items.length} items in one ${action}; ${action === 'GetVariables' ? 'ItemsPerMessage' : 'GetConfigurationMaxKeys'} is ${ITEMS_PER_REQUEST}`);
  }
  return undefined;
}

/** Quirk 'max-keys-3-16' (1.6): keys beyond the third of a GetConfiguration are left out of the answer. */
export function firstKeys(quirks: ReadonlySet<string>, keys: string[] | undefined): string[] | undefined {
  return quirks.has('max-keys-3-16') && keys ? keys.slice(0, ITEMS_PER_REQUEST) : keys;
}

/** The limit variable / key the quirks report (2.x DeviceDataCtrlr.ItemsPerMessage[GetVariables]). */
export function limitVariable(quirks: ReadonlySet<string>, component: string, name: string, instance: string | undefined): string | undefined {
  if (!quirks.has('items-per-message-3')) return undefined;
  return component === 'DeviceDataCtrlr' && name === 'ItemsPerMessage' && instance === 'GetVariables' ? String(ITEMS_PER_REQUEST) : undefined;
}
