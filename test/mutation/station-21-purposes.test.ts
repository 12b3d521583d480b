import { join } from 'node:path';
import { runBuiltin } from './run';
import { mergeConfig } from '../../src/runner/config';
import { runConformance } from '../../src/runner/runner';
import { ReferenceStation, builtinPeers, stationRole } from '../../src/reference';
import { runWithStationOverSocket } from '../helpers/listen';
import { defineCase, defineSuite } from '../../src/scenario';

/**
 * Issue #16: the 2.1 priority-charging / new-purpose / operationMode cases SC-21-10..14 against the built-in
 * reference station on OCPP 2.1. The correct station passes them (with and without the quirks that vary
 * it); each 2.1 fault of station21-priority.ts is caught by the case built for it, with its rule named.
 */
jest.setTimeout(180_000);

const FEATURES = { smartCharging: true, remoteStart: true, 'purpose:PriorityCharging': true, 'purpose:LocalGeneration': true };
const run = (opts: { faults?: string[]; quirks?: string[]; features?: Record<string, boolean> } = {}) =>
  runBuiltin({
    ocpp: '2.1',
    grep: 'SC-21-1',
    device: { features: opts.features ?? FEATURES },
    ...(opts.faults ? { builtinFaults: opts.faults } : {}),
    ...(opts.quirks ? { builtinQuirks: opts.quirks } : {}),
  } as never);

type Run = Awaited<ReturnType<typeof run>>;
const caseOf = (r: Run, id: string) => r.result.cases.find((c) => c.id === id)!;
const notes = (r: Run, id: string, level: 'warn' | 'info') => caseOf(r, id).notes.filter((n) => n.level === level).map((n) => n.message);
const verdicts = (r: Run) => Object.fromEntries(r.result.cases.map((c) => [c.id, c.verdict]));

describe('2.1 priority charging, new purposes, operationMode (SC-21-10..14, issue #16)', () => {
  test('SC-21-10..14: the correct reference station passes (exit 0); LocalGeneration composite is WARN, CentralSetpoint and local activation not exercised', async () => {
    const r = await run();
    expect(verdicts(r)).toMatchObject({ 'SC-21-10': 'passed', 'SC-21-11': 'passed', 'SC-21-12': 'passed', 'SC-21-13': 'passed', 'SC-21-14': 'passed' });
    expect(r.exitCode).toBe(0);
    expect(notes(r, 'SC-21-10', 'warn')).toEqual([]);
    expect(notes(r, 'SC-21-11', 'warn')).toEqual([]);
    expect(notes(r, 'SC-21-12', 'warn')).toEqual([expect.stringMatching(/LocalGeneration profile not judged.*could not be established/)]);
    // Not exercised is never a silent pass: a WARN says what could not be checked.
    expect(notes(r, 'SC-21-13', 'warn')).toEqual([expect.stringMatching(/could not check setpoints: .*does not take operationMode CentralSetpoint/)]);
    expect(notes(r, 'SC-21-14', 'warn')).toEqual([expect.stringMatching(/could not check NotifyPriorityCharging: .*did not activate priority charging by itself/)]);
    // 2.1-only messages were really exchanged, and validated (an invalid frame would fail the case).
    expect(caseOf(r, 'SC-21-10').frames.some((f) => f.dir === 'out' && /"UsePriorityCharging"/.test(f.raw))).toBe(true);
  });

  test('SC-21-13 / SC-21-14 exercised with quirks operation-modes-21 and priority-on-local-request-21: still passing', async () => {
    const r = await run({ quirks: ['operation-modes-21', 'priority-on-local-request-21'] });
    expect(verdicts(r)).toMatchObject({ 'SC-21-10': 'passed', 'SC-21-11': 'passed', 'SC-21-12': 'passed', 'SC-21-13': 'passed', 'SC-21-14': 'passed' });
    // The CentralSetpoint profile is the composite's sole source: compared, setpoints included, no WARN.
    expect(notes(r, 'SC-21-13', 'warn')).toEqual([]);
    expect(caseOf(r, 'SC-21-13').frames.some((f) => f.dir === 'in' && /"scheduleStart"/.test(f.raw) && /"operationMode":"CentralSetpoint","setpoint":-2/.test(f.raw))).toBe(true);
    expect(caseOf(r, 'SC-21-14').frames.some((f) => f.dir === 'in' && /"NotifyPriorityCharging"/.test(f.raw))).toBe(true);
    expect(notes(r, 'SC-21-14', 'info')).toEqual([]);
    expect(notes(r, 'SC-21-13', 'warn')).toEqual([]);
    expect(notes(r, 'SC-21-14', 'warn')).toEqual([]);
  });

  test('without SupportedAdditionalPurposes features the priority and LocalGeneration cases are skipped with the reason', async () => {
    // The station advertises no additional purpose (quirk no-21-features): discovery reads SupportedAdditionalPurposes empty.
    const r = await run({ features: { smartCharging: true, remoteStart: true }, quirks: ['no-21-features'] });
    expect(verdicts(r)).toMatchObject({ 'SC-21-10': 'skipped', 'SC-21-11': 'skipped', 'SC-21-12': 'skipped', 'SC-21-14': 'skipped', 'SC-21-13': 'passed' });
    expect(caseOf(r, 'SC-21-10').reason).toMatch(/purpose:PriorityCharging/);
  });

  test('SC-21-10 / SC-21-14: quirk priority-notify-late-21 (NotifyPriorityCharging 150 ms after the fact, activated=false after the end) passes; the late one for the ended transaction is INFO', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-1[04]', device: { features: FEATURES }, builtinQuirks: ['priority-notify-late-21'] } as never);
    expect(verdicts(r)).toMatchObject({ 'SC-21-10': 'passed', 'SC-21-14': 'passed' });
    expect(r.exitCode).toBe(0);
    // The station applied priority charging before telling: the harness waited for the notification.
    expect(caseOf(r, 'SC-21-14').frames.some((f) => f.dir === 'in' && /"NotifyPriorityCharging".*"activated":true/.test(f.raw))).toBe(true);
    for (const id of ['SC-21-10', 'SC-21-14']) expect(notes(r, id, 'info')).toEqual(expect.arrayContaining([expect.stringMatching(/activated=false.*which has ended: a late notification/)]));
    expect([...notes(r, 'SC-21-10', 'warn'), ...notes(r, 'SC-21-14', 'warn')]).toEqual([]);
  });

  test('discovery: quirk variables-21-loose (SupportsFeature "1" / "True", purposes spaced and cased) still advertises: SC-21-01, SC-21-11, SC-21-12 run, none skipped', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-(01|11|12)', device: { features: { smartCharging: true, remoteStart: true } }, builtinQuirks: ['variables-21-loose'] } as never);
    expect(verdicts(r)).toMatchObject({ 'SC-21-01': 'passed', 'SC-21-11': 'passed', 'SC-21-12': 'passed' });
    expect(r.exitCode).toBe(0);
  });

  test('SC-21-11: quirk priority-no-profile-rejected-21 (Rejected instead of NoProfile) is a WARN, never a failure', async () => {
    const r = await run({ quirks: ['priority-no-profile-rejected-21'] });
    expect(verdicts(r)).toMatchObject({ 'SC-21-10': 'passed', 'SC-21-11': 'passed' });
    expect(notes(r, 'SC-21-11', 'warn')).toEqual([expect.stringMatching(/answered Rejected, expected NoProfile/)]);
    expect(r.exitCode).toBe(0);
  });

  test('reference station 2.1: SmartChargingCtrlr.SupportedAdditionalPurposes lists PriorityCharging,LocalGeneration; UsePriorityCharging for an unknown transaction is Rejected', async () => {
    const seen: unknown[] = [];
    const suite = defineSuite({
      name: 'purposes-21',
      block: 'SmartCharging',
      cases: [
        defineCase({
          id: 'T-21-PURPOSES',
          title: 'GetVariables SupportedAdditionalPurposes; UsePriorityCharging unknown transaction',
          ocpp: ['2.1'],
          as: 'csms',
          async run(t) {
            const v = await t.call<{ getVariableResult: { attributeStatus: string; attributeValue?: string }[] }>('GetVariables', {
              getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'SupportedAdditionalPurposes' } }],
            });
            seen.push(v.getVariableResult[0]);
            seen.push(await t.call('UsePriorityCharging', { transactionId: 'no-such-transaction', activate: true }));
          },
        }),
      ],
    });
    const config = mergeConfig({ timing: { callTimeoutMs: 4000, graceMs: 500, caseTimeoutMs: 30_000, connectTimeoutMs: 10_000 } }, { ocpp: '2.1' });
    const { exitCode, result } = await runConformance({ config, suites: [suite], reporter: { onRunEnd: () => undefined }, builtinPeers: builtinPeers(), stationRole, fixturesDir: join(__dirname, '..', '..', 'fixtures') });
    expect([result.cases[0]!.verdict, result.cases[0]!.failures]).toEqual(['passed', []]);
    expect(exitCode).toBe(0);
    expect(seen).toEqual([
      expect.objectContaining({ attributeStatus: 'Accepted', attributeValue: 'PriorityCharging,LocalGeneration' }),
      { status: 'Rejected', statusInfo: expect.objectContaining({ reasonCode: 'TxNotFound' }) },
    ]);
  });

  test('over a socket (run --listen + a ReferenceStation connecting): SC-21-10..14 pass with the station notifying its own activation', async () => {
    const config = mergeConfig(
      { ocpp: '2.1', listen: '127.0.0.1:0', grep: 'SC-21-1', reporters: [], timing: { callTimeoutMs: 3000, graceMs: 500, caseTimeoutMs: 60_000, connectTimeoutMs: 10_000 } },
      { device: { features: FEATURES } } as never,
    );
    const o = await runWithStationOverSocket(config, (url) => new ReferenceStation({ version: '2.1', url, identity: 'CS-21-SOCKET', callTimeoutMs: 10_000, quirks: ['priority-on-local-request-21', 'operation-modes-21'] }));
    expect(Object.fromEntries(o.result.cases.map((c) => [c.id, c.verdict]))).toMatchObject({ 'SC-21-10': 'passed', 'SC-21-11': 'passed', 'SC-21-12': 'passed', 'SC-21-13': 'passed', 'SC-21-14': 'passed' });
    expect(o.exitCode).toBe(0);
    expect(o.result.cases.find((c) => c.id === 'SC-21-14')!.frames.some((f) => f.dir === 'in' && /"NotifyPriorityCharging"/.test(f.raw))).toBe(true);
  });

  test.each([
    ['priority-not-applied', [], 'SC-21-10', /UsePriorityChargingRequest\.activate/],
    ['local-generation-not-reported', [], 'SC-21-12', /K09|§6\.[12]/],
    ['setpoint-dropped-in-report', ['operation-modes-21'], 'SC-21-13', /§6\.2/],
    ['notify-priority-unknown-tx', ['priority-on-local-request-21'], 'SC-21-14', /NotifyPriorityChargingRequest\.transactionId/],
    ['setpoint-dropped-in-composite', ['operation-modes-21'], 'SC-21-13', /operationMode/],
  ])('2.1 fault %s (quirks %j) is caught by %s', async (fault, quirks, caseId, rule) => {
    const r = await run({ faults: [fault], quirks: quirks as string[] });
    expect(r.exitCode).toBe(1);
    expect(r.failed).toContain(caseId);
    expect(r.errored).toEqual([]);
    const failures = caseOf(r, caseId).failures;
    expect(failures.some((f) => rule.test(f.rule ?? ''))).toBe(true);
  });
});
