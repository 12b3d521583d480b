import type { BuiltinPeers, StationRoleFactory } from '../runner/runner';
import { ReferenceStation } from './station';
import { ReferenceCsms } from './csms';
import { checkFaults } from './faults';
import { CSMS_QUIRKS, restTriggers } from './csmsRest';
import { stationRole as harnessStationRole } from '../station';

export { ReferenceStation, type ReferenceStationOptions } from './station';
export { ReferenceCsms, type ReferenceCsmsOptions, type AggregatedReport } from './csms';
export { CSMS_API_FAULTS, CSMS_QUIRKS, REST_MODULES, restTriggers, type CsmsApiStyle, type CsmsQuirk } from './csmsRest';
export { CSMS_V16_FAULTS, type CsmsV16Fault } from './csms-v16-faults';
export { CSMS_FAULTS_21, type CsmsFault21 } from './csms-v21';
export { STATION_FAULTS, STATION_FAULTS_21, STATION_QUIRKS, CSMS_FAULTS, UnknownFaultError, type StationFault, type StationFault21, type CsmsFault } from './faults';

/** The in-process reference peers `run` tests when neither --listen nor --url is given. */
export function builtinPeers(): BuiltinPeers {
  return {
    async startStation({ url, identity, config }) {
      const station = new ReferenceStation({
        version: config.ocpp,
        url,
        identity,
        password: config.security.password,
        evses: config.device.evses,
        limits: {
          maxStackLevel: config.device.maxStackLevel,
          maxProfiles: config.device.maxProfiles,
          maxPeriods: config.device.periodsPerSchedule,
          rateUnits: config.device.rateUnits,
          nominalVoltage: config.device.nominalVoltage,
        },
        faults: config.builtinFaults,
        quirks: config.builtinQuirks,
        callTimeoutMs: config.timing.callTimeoutMs,
      });
      await station.start();
      return { stop: () => station.stop() };
    },
    async startCsms({ config }) {
      const rest = checkFaults(config.builtinQuirks, CSMS_QUIRKS).has('rest-api');
      if (rest && config.ocpp === '2.1') throw new Error('the reference CSMS rest API speaks OCPP 1.6 and 2.0.1');
      const csms = new ReferenceCsms({ versions: [config.ocpp], faults: config.builtinFaults, password: config.security.password, callTimeoutMs: config.timing.callTimeoutMs, api: rest ? 'rest' : 'trigger', quirks: config.builtinQuirks });
      const url = await csms.start();
      if (rest && !config.triggers.default) {
        // The CitrineOS-like API (issue #13): routes per module, success rule, refusal text, callback.
        const t = restTriggers(csms.httpUrl, config.ocpp as '1.6' | '2.0.1', config.timing.callTimeoutMs);
        config.triggers.default = t.default;
        config.triggers.actions = { ...t.actions, ...config.triggers.actions };
      }
      // The harness as station reaches the built-in CSMS's trigger endpoint by the default convention.
      config.triggers.default ??= { type: 'http', url: csms.httpUrl };
      // …and reads back what it kept: {what} reports/{key} requestId (SC-CSMS-03), composite/{key} evseId (SC-CSMS-05).
      config.triggers.readBack ??= { type: 'http', method: 'GET', url: `${csms.httpUrl}/stations/{identity}/{what}/{key}` };
      return { url: `${url}/ocpp`, stop: () => csms.stop() };
    },
  };
}

/** The harness-as-station role (issue #6): answers like a conforming station and checks the CSMS. */
export const stationRole: StationRoleFactory = harnessStationRole;
