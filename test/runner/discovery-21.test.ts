/**
 * 2.1 discovery (issue #16): SmartChargingCtrlr SupportsFeature[...] and SupportedAdditionalPurposes are
 * asked in a second GetVariables and become features.*; a device that refuses that request keeps its
 * 2.0.1 answers and the declared 2.1 features stand in; a declared feature the device contradicts is a
 * mismatch (rules §9.3).
 */
import { CsmsServer, connectStation, type RpcSession } from '../../src/transport';
import { CallErrorReply } from '../../src/ocppj/errors';
import type { Payload } from '../../src/ocppj/messages';
import { DEFAULT_CONFIG } from '../../src/runner/config';
import { discoverCapabilities } from '../../src/runner/discovery';
import { nextEvent } from '../helpers/wait';

const VALUES: Record<string, string> = {
  Available: 'true',
  ProfileStackLevel: '8',
  RateUnit: 'A,W',
  PeriodsPerSchedule: '24',
  'SupportsFeature[DynamicProfiles]': 'false',
  'SupportsFeature[LimitAtSoC]': 'true',
  SupportedAdditionalPurposes: 'LocalGeneration',
};

async function discoverFrom(answer: (request: Payload, n: number) => Payload) {
  const server = new CsmsServer({ versions: ['2.1'], callTimeoutMs: 3000 });
  await server.listen();
  const arrived = nextEvent<RpcSession>(server, 'session');
  const station = await connectStation({ url: `${server.url}/CS-D21`, identity: 'CS-D21', versions: ['2.1'], callTimeoutMs: 3000 });
  let n = 0;
  station.handle('GetVariables', (p) => answer(p, n++));
  try {
    const session = await arrived;
    const declared = { ...structuredClone(DEFAULT_CONFIG.device), features: { ...DEFAULT_CONFIG.device.features, dynamicProfiles: true, useLocalTime: true } };
    return await discoverCapabilities(session, declared, 3000);
  } finally {
    await station.close();
    await server.close();
  }
}

function results(p: Payload, values: Record<string, string> = VALUES): Payload {
  return {
    getVariableResult: (p.getVariableData as Payload[]).map(({ component, variable }) => {
      const v = variable as Payload;
      const key = v.name === 'SupportsFeature' ? `SupportsFeature[${v.instance as string}]` : (v.name as string);
      const value = values[key];
      return value === undefined ? { attributeStatus: 'UnknownVariable', component, variable } : { attributeStatus: 'Accepted', attributeValue: value, component, variable };
    }),
  };
}

test('2.1: SupportsFeature / SupportedAdditionalPurposes become features.*; unknown ones keep the declared value; a contradicted declaration is a mismatch', async () => {
  const d = await discoverFrom((p) => results(p));
  expect(d.effective.features).toMatchObject({ dynamicProfiles: false, limitAtSoC: true, useLocalTime: true, 'purpose:LocalGeneration': true, 'purpose:PriorityCharging': false });
  expect(d.taken).toMatchObject({ 'features.dynamicProfiles': 'SmartChargingCtrlr.SupportsFeature[DynamicProfiles]', 'features.purpose:PriorityCharging': 'SmartChargingCtrlr.SupportedAdditionalPurposes' });
  expect(d.taken['features.useLocalTime']).toBeUndefined();
  expect(d.mismatches).toEqual([expect.stringMatching(/^features\.dynamicProfiles: declared true, device reports false \(SmartChargingCtrlr\.SupportsFeature\[DynamicProfiles\]\)/)]);
  expect(d.unknown).toEqual(expect.arrayContaining(['SupportsFeature[UseLocalTime] (UnknownVariable)', 'MaxExternalConstraintsId (UnknownVariable)']));
  // Unknown 2.1 variables are not "missing" limits (no WARN in SC-X-01).
  expect(d.missing).toEqual([]);
});

test('2.1: a CALLERROR to the second GetVariables, also when asked one variable per request, leaves the 2.0.1 answers and the declared features in place', async () => {
  const d = await discoverFrom((p, n) => {
    if (n >= 1) throw new CallErrorReply('OccurrenceConstraintViolation', 'too many items');
    return results(p);
  });
  expect(d.taken.maxStackLevel).toBe('SmartChargingCtrlr.ProfileStackLevel');
  expect(d.effective.features).toMatchObject({ dynamicProfiles: true, useLocalTime: true });
  expect(d.unknown).toContain('SupportsFeature[DynamicProfiles] (CALLERROR OccurrenceConstraintViolation)');
  expect(d.mismatches).toEqual([]);
});

test('2.1: booleans spelled "1" / "True" / " false " and purposes spaced or cased are read alike (a loose device model still advertises)', async () => {
  const loose = { ...VALUES, Available: '1', 'SupportsFeature[DynamicProfiles]': '1', 'SupportsFeature[LimitAtSoC]': 'True', 'SupportsFeature[UseLocalTime]': ' false ', SupportedAdditionalPurposes: ' priorityCharging ,LOCALGENERATION' };
  const d = await discoverFrom((p) => results(p, loose));
  expect(d.smartChargingAvailable).toBe(true);
  expect(d.effective.features).toMatchObject({ smartCharging: true, dynamicProfiles: true, limitAtSoC: true, useLocalTime: false, 'purpose:PriorityCharging': true, 'purpose:LocalGeneration': true });
});
