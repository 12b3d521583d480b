/**
 * Capability discovery keeps what it received (issue J, session 5): a request too long for the device
 * (2.x B06.FR.16 / DeviceDataCtrlr.ItemsPerMessage[GetVariables]; 1.6 §9.1 GetConfigurationMaxKeys) is asked
 * again one item per request and those answers are used (WARN, not a failure); a later request not answered
 * or answered invalidly is returned as a device failure while the earlier answers stay; an answer that
 * leaves variables out breaks B06.FR.01.
 */
import { CsmsServer, Reply, connectStation, type RpcSession } from '../../src/transport';
import { CallErrorReply, CallErrorResponse, CallTimeoutError, PayloadSchemaError } from '../../src/ocppj/errors';
import type { Payload } from '../../src/ocppj/messages';
import type { OcppVersion } from '../../src/ocpp/version';
import { DEFAULT_CONFIG } from '../../src/runner/config';
import { discoverCapabilities } from '../../src/runner/discovery';
import { nextEvent } from '../helpers/wait';

const TIMEOUT_MS = 1500;
const VALUES: Record<string, string> = { Available: 'true', ProfileStackLevel: '5', RateUnit: 'W', PeriodsPerSchedule: '12', 'SupportsFeature[LimitAtSoC]': 'true', SupportedAdditionalPurposes: 'LocalGeneration' };
const KEYS_16: Record<string, string> = {
  SupportedFeatureProfiles: 'Core,SmartCharging',
  NumberOfConnectors: '2',
  ChargeProfileMaxStackLevel: '5',
  ChargingScheduleAllowedChargingRateUnit: 'Power',
  ChargingScheduleMaxPeriods: '12',
  MaxChargingProfilesInstalled: '7',
};

type Answer = (request: Payload, n: number) => Payload | Reply;

/** Discovery against an in-process station whose answer to `action` is `answer`; the requests it received. */
async function discoverFrom(version: OcppVersion, answer: Answer) {
  const server = new CsmsServer({ versions: [version], callTimeoutMs: TIMEOUT_MS });
  await server.listen();
  const arrived = nextEvent<RpcSession>(server, 'session');
  const station = await connectStation({ url: `${server.url}/CS-DP`, identity: 'CS-DP', versions: [version], callTimeoutMs: TIMEOUT_MS });
  const asked: Payload[] = [];
  station.handle(version === '1.6' ? 'GetConfiguration' : 'GetVariables', (p) => answer(p, asked.push(p) - 1));
  try {
    const session = await arrived;
    // Declared values differ from the device's, so "taken from the device" is visible.
    const declared = { ...structuredClone(DEFAULT_CONFIG.device), maxStackLevel: 3, periodsPerSchedule: 24, features: { ...DEFAULT_CONFIG.device.features, limitAtSoC: false } };
    return { d: await discoverCapabilities(session, declared, TIMEOUT_MS), asked };
  } finally {
    await station.close();
    await server.close();
  }
}

const itemsOf = (p: Payload) => ((p.getVariableData as Payload[] | undefined) ?? (p.key as string[]) ?? []).length;

function results(p: Payload): Payload {
  return {
    getVariableResult: (p.getVariableData as Payload[]).map(({ component, variable }) => {
      const v = variable as Payload;
      const value = VALUES[v.name === 'SupportsFeature' ? `SupportsFeature[${v.instance as string}]` : (v.name as string)];
      return value === undefined ? { attributeStatus: 'UnknownVariable', component, variable } : { attributeStatus: 'Accepted', attributeValue: value, component, variable };
    }),
  };
}

function config16(p: Payload, keys = p.key as string[]): Payload {
  return { configurationKey: keys.filter((k) => KEYS_16[k]).map((key) => ({ key, readonly: true, value: KEYS_16[key] })), unknownKey: keys.filter((k) => !KEYS_16[k]) };
}

const over3: Answer = (p) => {
  if (itemsOf(p) > 3) throw new CallErrorReply('OccurrenceConstraintViolation', 'ItemsPerMessage is 3');
  return 'getVariableData' in p ? results(p) : config16(p);
};

describe('B06.FR.16 / 1.6 §9.1: a request longer than the device takes is asked again one item per request', () => {
  test.each(['2.0.1', '2.1'] as const)('%s B06.FR.16: CALLERROR to the 6-variable GetVariables: asked one per request, the device values taken, one WARN, no failure', async (version) => {
    const { d, asked } = await discoverFrom(version, over3);
    expect(d.effective).toMatchObject({ maxStackLevel: 5, periodsPerSchedule: 12, rateUnits: ['W'] });
    expect(d.taken).toMatchObject({ maxStackLevel: 'SmartChargingCtrlr.ProfileStackLevel' });
    expect(d.failures).toEqual([]);
    const n = version === '2.1' ? 7 : 6;
    expect(d.findings.filter((f) => f.level === 'warn' && f.rule === 'B06.FR.16').map((f) => f.message)).toEqual(
      [expect.stringMatching(/^GetVariables of 6 variables was answered with CALLERROR OccurrenceConstraintViolation: the device's DeviceDataCtrlr\.ItemsPerMessage\[GetVariables\] is presumably below 6/), ...(version === '2.1' ? [expect.stringMatching(/^GetVariables of 7 variables/)] : [])],
    );
    expect(d.findings.every((f) => f.level === 'warn')).toBe(true);
    // One long request, then one request per variable (6, and 7 for the 2.1 additions).
    expect(asked.map(itemsOf)).toEqual([6, 1, 1, 1, 1, 1, 1, ...(version === '2.1' ? [n, 1, 1, 1, 1, 1, 1, 1] : [])]);
    if (version === '2.1') expect(d.effective.features).toMatchObject({ limitAtSoC: true, 'purpose:LocalGeneration': true });
  });

  test('1.6 §9.1 GetConfigurationMaxKeys: CALLERROR to the 6-key GetConfiguration: asked one key per request, the keys taken, WARN', async () => {
    const { d, asked } = await discoverFrom('1.6', over3);
    expect(asked.map(itemsOf)).toEqual([6, 1, 1, 1, 1, 1, 1]);
    expect(d.effective).toMatchObject({ maxStackLevel: 5, periodsPerSchedule: 12, rateUnits: ['W'], maxProfiles: 7, evses: 2 });
    expect(d.missing).toEqual([]);
    expect(d.findings).toEqual([{ level: 'warn', rule: '1.6 §9.1 GetConfigurationMaxKeys', message: expect.stringMatching(/^GetConfiguration of 6 keys was answered with CALLERROR OccurenceConstraintViolation: the device's GetConfigurationMaxKeys is presumably below 6/) }]);
  });

  test('1.6 §9.1 GetConfigurationMaxKeys: keys left out of the answer (neither known nor unknown) are asked again, WARN, no §9.4 failure', async () => {
    const { d, asked } = await discoverFrom('1.6', (p) => config16(p, (p.key as string[]).slice(0, 3)));
    expect(asked.map(itemsOf)).toEqual([6, 1, 1, 1]);
    expect(d.effective).toMatchObject({ maxStackLevel: 5, periodsPerSchedule: 12, maxProfiles: 7 });
    expect(d.missing).toEqual([]);
    expect(d.findings).toEqual([{ level: 'warn', rule: '1.6 §9.1 GetConfigurationMaxKeys', message: expect.stringMatching(/answer left out ChargingScheduleAllowedChargingRateUnit, ChargingScheduleMaxPeriods, MaxChargingProfilesInstalled/) }]);
  });

  test('B06.FR.01: a GetVariables answer without a result for every variable is a FAIL; the variables are asked again and taken', async () => {
    const { d } = await discoverFrom('2.0.1', (p) => {
      const r = results(p);
      return itemsOf(p) > 1 ? { getVariableResult: (r.getVariableResult as Payload[]).slice(0, 3) } : r;
    });
    expect(d.findings).toEqual([{ level: 'fail', rule: 'B06.FR.01', message: expect.stringMatching(/without a GetVariableResult for ProfileStackLevel, RateUnit, PeriodsPerSchedule/) }]);
    expect(d.effective).toMatchObject({ maxStackLevel: 5, periodsPerSchedule: 12 });
  });

  test('B06.FR.01 after a split: a one-variable request answered without its result is a FAIL too (not only the long one)', async () => {
    const { d } = await discoverFrom('2.0.1', (p) => {
      if (itemsOf(p) > 3) throw new CallErrorReply('OccurrenceConstraintViolation', 'ItemsPerMessage is 3');
      const v = (p.getVariableData as Payload[])[0]!.variable as Payload;
      // RateUnit answered with another variable's result (the schema needs at least one): RateUnit left out.
      return v.name === 'RateUnit' ? results({ getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Available' } }] }) : results(p);
    });
    expect(d.findings.filter((f) => f.level === 'fail')).toEqual([{ level: 'fail', rule: 'B06.FR.01', message: expect.stringMatching(/GetVariables of RateUnit alone was answered without a GetVariableResult/) }]);
    expect(d.effective).toMatchObject({ maxStackLevel: 5, periodsPerSchedule: 12 });
  });

  test('rules §9: CALLERROR to the long request AND to every one-item request: thrown as before (the declared profile stands in, WARN)', async () => {
    const p = discoverFrom('2.0.1', () => {
      throw new CallErrorReply('NotSupported', 'no device model');
    });
    await expect(p).rejects.toBeInstanceOf(CallErrorResponse);
  });

  test('OCPP-J CALL/CALLRESULT: a one-item request not answered is a device failure; the rest of the split is not asked; answers received are kept', async () => {
    const { d, asked } = await discoverFrom('2.0.1', (p, n) => (n === 0 ? over3(p, n) : n === 4 ? Reply.none() : results(p)));
    expect(asked.map(itemsOf)).toEqual([6, 1, 1, 1, 1]);
    expect(d.failures).toEqual([{ error: expect.any(CallTimeoutError), step: 'capability discovery: GetVariables of ProfileStackLevel alone' }]);
    expect(d.unknown).toEqual(expect.arrayContaining(['ProfileStackLevel (not answered)', 'RateUnit (not asked after a request not answered)']));
    expect(d.reported).toMatchObject({ Available: 'true' });
  }, 10_000);
});

describe('2.1: the second GetVariables (SupportsFeature, SupportedAdditionalPurposes) not answered or invalid keeps the 2.0.1 answers', () => {
  test('OCPP-J CALL/CALLRESULT: not answered → a device failure naming the GetVariables; ProfileStackLevel etc. still taken; declared 2.1 features stand in', async () => {
    const { d } = await discoverFrom('2.1', (p, n) => (n === 1 ? Reply.none() : results(p)));
    expect(d.failures).toEqual([{ error: expect.any(CallTimeoutError), step: expect.stringMatching(/^capability discovery: GetVariables of SmartChargingCtrlr SupportsFeature\[DynamicProfiles\]/) }]);
    expect(d.effective).toMatchObject({ maxStackLevel: 5, periodsPerSchedule: 12 });
    expect(d.taken.maxStackLevel).toBe('SmartChargingCtrlr.ProfileStackLevel');
    expect(d.effective.features.limitAtSoC).toBe(false); // declared
    expect(d.unknown).toContain('SupportsFeature[LimitAtSoC] (not answered)');
  }, 10_000);

  test('GetVariablesResponse schema: a schema-invalid answer → a device failure; the 2.0.1 answers kept', async () => {
    const { d } = await discoverFrom('2.1', (p, n) => (n === 1 ? Reply.invalid({ getVariableResult: 'none' }) : results(p)));
    expect(d.failures).toEqual([{ error: expect.any(PayloadSchemaError), step: expect.stringMatching(/SupportsFeature/) }]);
    expect(d.effective).toMatchObject({ maxStackLevel: 5 });
    expect(d.unknown).toContain('SupportsFeature[LimitAtSoC] (invalid answer)');
  });
});
