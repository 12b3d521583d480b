/**
 * Manual triggers (issue #6, catalogue §1.7): with `manual: prompt` and an injected TTY-like input, the
 * harness shows the operator the action to make the CSMS do, with the time limit, and goes on when the
 * operator presses Enter. Here the "operator" is the test: on the prompt it makes the built-in CSMS act
 * (through its trigger endpoint) and answers Enter.
 */
import { PassThrough } from 'node:stream';
import { defineCase, defineSuite } from '../../src/scenario';
import { request } from '../../suites/csms/lib';
import { csmsConfig, runCsms } from './helpers';

const suite = defineSuite({
  name: 'manual-trigger',
  block: 'SmartCharging',
  cases: [
    defineCase({
      id: 'MANUAL-01',
      title: 'a manual trigger prompts the operator and waits for the CALL',
      ocpp: ['2.0.1', '1.6'],
      as: 'station',
      async run(t) {
        const { call } = await request(t, 'GetCompositeSchedule', t.ocpp === '1.6' ? { connectorId: 1, duration: 120 } : { evseId: 1, duration: 120 }, { evseId: 1 });
        t.check.equal(call.payload.duration, 120, 'the CSMS sent the composite request the operator made it send', { rule: 'test' });
      },
    }),
    defineCase({
      id: 'MANUAL-02',
      title: 'no trigger for an action: skipped with the reason',
      ocpp: ['2.0.1', '1.6'],
      as: 'station',
      async run(t) {
        t.config.triggers.default = undefined;
        await request(t, 'ClearChargingProfile', { chargingProfileId: 1 });
      },
    }),
  ],
});

test('manual trigger on a TTY-like input shows the time limit and proceeds on Enter', async () => {
  const config = csmsConfig('2.0.1', { manual: 'prompt', triggers: { actions: { GetCompositeSchedule: { type: 'manual' } } } });
  const input = new PassThrough();
  const output = new PassThrough();
  let prompt = '';
  output.on('data', (d: Buffer) => {
    prompt += d.toString('utf8');
    if (!prompt.includes('press Enter')) return;
    // The operator acts on the CSMS (its trigger endpoint), then confirms.
    const base = (config.triggers.default as { url: string }).url;
    const identity = /to station (\S+)/.exec(prompt)?.[1] ?? 'CS-CONFORMANCE-1';
    void fetch(`${base}/trigger/${identity}/GetCompositeSchedule`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ evseId: 1, duration: 120 }) })
      .then(() => input.write('\n'));
    prompt = prompt.replace('press Enter', 'answered');
  });
  const { result } = await runCsms(config, [suite], { input, promptOutput: output });
  const [, manual, none] = result.cases; // [0] is SC-X-01 (issue #11)
  expect(prompt).toMatch(/MANUAL ACTION \(60 s\): make the CSMS send GetCompositeSchedule to station CS-CONFORMANCE-1 for EVSE\/connector 1/);
  expect(manual!.verdict).toBe('passed');
  expect(none!.verdict).toBe('skipped');
  expect(none!.reason).toMatch(/no trigger configured for ClearChargingProfile/);
}, 30_000);

test('manual trigger without a terminal (manual: fail) is ERROR, never FAIL', async () => {
  const config = csmsConfig('1.6', { manual: 'fail', grep: 'MANUAL-01', triggers: { actions: { GetCompositeSchedule: { type: 'manual' } } } });
  const { result, exitCode } = await runCsms(config, [suite]);
  expect(result.cases[1]!.verdict).toBe('error'); // [0] is SC-X-01 (issue #11)
  expect(result.cases[1]!.reason).toMatch(/operator action needed/);
  expect(exitCode).toBe(2);
}, 30_000);
