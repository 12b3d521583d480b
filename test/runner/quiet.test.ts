import { Trace } from '../../src/transport';
import { QuietPeriod, QUIET_C_MS, QUIET_K, QUIET_LOWER_MS, QUIET_WINDOW } from '../../src/runner/quiet';
import type { TraceFrame } from '../../src/report/types';

/**
 * Issue #14: quiet periods follow the device's measured latency. The tracker reads the run's trace; these
 * tests feed frames with chosen monotonic times and check the arithmetic the suites rely on.
 */
let seq = 0;
function frame(mono: number, f: Partial<TraceFrame>): TraceFrame {
  return { seq: ++seq, time: new Date().toISOString(), mono, dir: 'in', raw: '', rawLength: 0, valid: true, ...f };
}
const out = (mono: number, id: string, action = 'GetChargingProfiles') => frame(mono, { dir: 'out', type: 'CALL', messageId: id, action });
const res = (mono: number, id: string) => frame(mono, { dir: 'in', type: 'CALLRESULT', messageId: id });
const report = (mono: number, id: string) => frame(mono, { dir: 'in', type: 'CALL', messageId: id, action: 'ReportChargingProfiles' });
const ack = (mono: number, id: string) => frame(mono, { dir: 'out', type: 'CALLRESULT', messageId: id });

function tracker(upperMs = 5000, notices: string[] = []) {
  const trace = new Trace();
  const q = new QuietPeriod(trace, { upperMs, streams: ['ReportChargingProfiles'], onFirstUse: (l) => notices.push(l) });
  return { trace, q };
}

describe('QuietPeriod (issue #14)', () => {
  test('before any measurement the quiet period is the upper bound (timing.graceMs)', () => {
    const { q } = tracker(5000);
    expect(q.take()).toBe(5000);
  });

  test('a device answering in 2 ms gets the 250 ms floor; printed once, min/max used recorded', () => {
    const notices: string[] = [];
    const { q } = tracker(5000, notices);
    q.observe(out(10, 'a'));
    q.observe(res(12, 'a'));
    expect(q.take()).toBe(QUIET_LOWER_MS);
    expect(q.take()).toBe(QUIET_LOWER_MS);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/quiet periods follow the device: 250 ms now \(worst of the last 32 latencies 2 ms/);
    expect(q.summary()).toEqual(expect.objectContaining({ minMs: 250, maxMs: 250, uses: 2, lowerMs: 250, upperMs: 5000, worstLatencyMs: 2 }));
  });

  test('K × worst latency + C between the bounds; a device slowing down mid-run raises it at once (worst, not average)', () => {
    const { q } = tracker(5000);
    q.observe(out(0, 'a'));
    q.observe(res(200, 'a'));
    expect(q.take()).toBe(QUIET_K * 200 + QUIET_C_MS);
    for (let i = 0; i < QUIET_WINDOW - 1; i++) {
      q.observe(out(1000 + i * 10, `f${i}`));
      q.observe(res(1001 + i * 10, `f${i}`));
    }
    // Fast answers do not average it down: the slow one is still among the last WINDOW samples.
    expect(q.take()).toBe(QUIET_K * 200 + QUIET_C_MS);
    q.observe(out(5000, 'slow'));
    q.observe(res(5600, 'slow'));
    expect(q.take()).toBe(QUIET_K * 600 + QUIET_C_MS);
    q.observe(out(9000, 'slower'));
    q.observe(res(11_000, 'slower'));
    expect(q.take()).toBe(5000);
    expect(q.summary()).toEqual(expect.objectContaining({ minMs: 900, maxMs: 5000, worstLatencyMs: 2000, recentWorstMs: 2000 }));
  });

  test('a one-off spike ages out after WINDOW samples; a device that stays slow keeps the bound up', () => {
    const { q } = tracker(5000);
    let t = 0;
    const answer = (ms: number, id: string) => {
      q.observe(out(t, id));
      t += ms;
      q.observe(res(t, id));
      t += 10;
    };
    answer(900, 'first-use');
    for (let i = 0; i < QUIET_WINDOW; i++) answer(2, `fast${i}`);
    expect(q.take()).toBe(QUIET_LOWER_MS);
    expect(q.summary().worstLatencyMs).toBe(900); // still reported for the run
    for (let i = 0; i < 3 * QUIET_WINDOW; i++) answer(i % 8 === 0 ? 400 : 2, `slow${i}`);
    expect(q.take()).toBe(QUIET_K * 400 + QUIET_C_MS);
  });

  test('report-stream gaps count: from the opening response, and from our answer to the previous report', () => {
    const { q } = tracker(5000);
    q.observe(out(0, 'g'));
    q.observe(res(1, 'g'));
    q.observe(report(31, 'r1')); // 30 ms after the response
    q.observe(ack(32, 'r1'));
    q.observe(report(332, 'r2')); // 300 ms after our answer: the device's worst
    expect(q.summary().worstStreamGapMs).toBe(300);
    expect(q.take()).toBe(QUIET_K * 300 + QUIET_C_MS);
  });

  test('the harness delaying its own answer (SC-X-07) and unsolicited CALLs do not count as device latency', () => {
    const { q } = tracker(5000);
    q.observe(out(0, 'g'));
    q.observe(res(1, 'g'));
    q.observe(report(2, 'r1'));
    q.observe(ack(5002, 'r1')); // our 5 s delay
    q.observe(report(5003, 'r2'));
    q.observe(frame(60_000, { dir: 'in', type: 'CALL', messageId: 'h', action: 'Heartbeat' }));
    expect(q.take()).toBe(QUIET_LOWER_MS);
  });

  test('sensitivity: a late extra frame within K × the device latency arrives inside the quiet period', () => {
    for (const latency of [1, 40, 300, 1000]) {
      const { q } = tracker(5000);
      q.observe(out(0, 'a'));
      q.observe(res(latency, 'a'));
      const lateBy = Math.min(QUIET_K * latency, 5000 - QUIET_C_MS);
      expect(q.take()).toBeGreaterThan(lateBy);
    }
  });

  test('an upper bound below the floor wins (--grace 100 means at most 100 ms)', () => {
    const { q } = tracker(100);
    q.observe(out(0, 'a'));
    q.observe(res(1, 'a'));
    expect(q.take()).toBe(100);
  });

  test('the tracker follows the trace it is attached to, and stops when detached', () => {
    const { trace, q } = tracker(5000);
    trace.record({ dir: 'out', raw: '[2,"x","Heartbeat",{}]', type: 'CALL', messageId: 'x', action: 'Heartbeat', valid: true });
    trace.record({ dir: 'in', raw: '[3,"x",{}]', type: 'CALLRESULT', messageId: 'x', valid: true });
    expect(q.summary().samples).toBe(1);
    q.detach();
    trace.record({ dir: 'out', raw: '[2,"y","Heartbeat",{}]', type: 'CALL', messageId: 'y', action: 'Heartbeat', valid: true });
    trace.record({ dir: 'in', raw: '[3,"y",{}]', type: 'CALLRESULT', messageId: 'y', valid: true });
    expect(q.summary().samples).toBe(1);
  });
});
