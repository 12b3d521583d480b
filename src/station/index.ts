/**
 * The harness-as-station role (issue #6): what the runner uses for inbound CALLs when it plays the
 * Charging Station against a CSMS. One HarnessStation per run (keyed by the run's config object), so the
 * default handlers, the per-connection boot and the suites share one SmartCharging state.
 */
import type { StationRoleFactory } from '../runner/runner';
import type { RunConfig } from '../runner/config';
import { HarnessStation } from './role';

export { HarnessStation, type RecordedFinding, type StationCall } from './role';
export { EndedTransactions, type EndedTransaction } from './ended';
export { checkCsmsRequest, checkProfile, atMostOneDecimal, type Finding, type CheckContext, type StationVersion } from './checks';
export { advertised21, check21Request, checkDecimals21, checkProfile21, decimalPlaces, smartChargingVariable21, DECIMALS_RULE_21, V21_ACTIONS, type DynamicUpdate, type ForgottenProfile } from './v21';

const stations = new WeakMap<RunConfig, HarnessStation>();

/** The station state of a run (created on first use). Suites use it to answer late or start transactions. */
export function harnessStationFor(config: RunConfig): HarnessStation {
  let s = stations.get(config);
  if (!s) {
    s = new HarnessStation(config);
    stations.set(config, s);
  }
  return s;
}

/** Factory the runner calls for `as: 'station'`: default answers, and boot + checks on every connection. */
export const stationRole: StationRoleFactory = (config) => {
  const station = harnessStationFor(config);
  return { handlers: station.handlers(), onSession: (s) => station.attach(s) };
};
