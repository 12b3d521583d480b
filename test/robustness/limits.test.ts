/**
 * Issue #7 §4: maximum frame size, bounded trace per case (older frames summarised and counted in the
 * reports), bounded memory when a device floods 100 000 frames.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Trace } from '../../src/transport';
import { CaseRun } from '../../src/runner/caseRun';
import { waitFor } from '../helpers/wait';
import { hostilePair } from './helpers';
import { scriptedRun } from './run-helpers';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MB = 1024 * 1024;

/** Run `fn` while sampling heapUsed; returns the peak growth over the GC'd baseline and the growth after GC. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; peakMB: number; retainedMB: number }> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 25);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    gc();
    return { value, peakMB: (peak - base) / MB, retainedMB: (process.memoryUsage().heapUsed - base) / MB };
  } finally {
    clearInterval(t);
  }
}

describe('trace limits', () => {
  test('Trace keeps at most maxFrames and maxRawChars per frame; evicted frames are counted, never silently lost', () => {
    const t = new Trace({ maxFrames: 100, maxRawChars: 1000 });
    for (let i = 0; i < 1000; i++) t.record({ dir: 'in', raw: i === 999 ? 'x'.repeat(5000) : `[3,"${i}",{}]`, valid: null });
    const all = t.slice(0);
    expect(all.frames).toHaveLength(100);
    expect(all.omitted).toBe(900);
    expect(t.evictedCount).toBe(900);
    const last = all.frames[99]!;
    expect(last.rawLength).toBe(5000);
    expect(last.raw.length).toBeLessThan(1100);
    expect(last.raw).toMatch(/4000 more characters/);
    // A case window that starts inside the evicted range reports how many of ITS frames were summarised.
    expect(t.slice(850).omitted).toBe(50);
    expect(t.slice(950).omitted).toBe(0);
  });

  test('maximum frame size: a frame over maxPayload closes the connection with 1009 and is recorded', async () => {
    const p = await hostilePair('station', '2.0.1', { maxPayload: 64 * 1024 });
    try {
      p.peer.send(JSON.stringify([2, 'big', 'Heartbeat', { pad: 'x'.repeat(100_000) }]));
      expect(await new Promise((r) => p.peer.once('close', r))).toBe(1009);
      await p.session.closed;
      expect(p.violations[0]!.message).toMatch(/Max payload size exceeded/i);
      expect(p.session.trace.slice(0).frames.some((f) => /Max payload/i.test(f.framingError ?? ''))).toBe(true);
    } finally {
      await p.close();
    }
  });
});

describe('bounded memory under a flood', () => {
  test('100 000 unsolicited CALLRESULTs at a session: all recorded as violations, trace held at its 20 000-frame default, heap growth < 100 MB', async () => {
    const p = await hostilePair('station', '1.6');
    try {
      const N = 100_000;
      let seen = 0;
      p.session.on('violation', () => seen++);
      const { peakMB, retainedMB } = await measure(async () => {
        for (let i = 0; i < N; i += 1000) {
          for (let k = i; k < i + 1000; k++) p.peer.send(`[3,"u${k}",{}]`);
          await waitFor(() => seen >= i + 1000, 10_000, 'violations for the batch');
        }
      });
      const { frames, omitted } = p.session.trace.slice(0);
      expect(frames.length).toBeLessThanOrEqual(20_000);
      expect(frames.length + omitted).toBe(p.session.trace.lastSeq);
      expect(omitted).toBeGreaterThanOrEqual(N - 20_000);
      expect(p.violations.length).toBe(N);
      // p.violations itself (100 000 objects, held by the test) is part of the growth measured.
      expect(peakMB).toBeLessThan(150);
      expect(retainedMB).toBeLessThan(100);
      expect(p.session.isOpen).toBe(true);
    } finally {
      await p.close();
    }
  }, 60_000);

  test('100 000 Heartbeat CALLs flooded during a case: the run completes, heap growth < 200 MB peak / < 100 MB retained, violations capped per case, framesOmitted reported in results.json and JUnit system-out', async () => {
    const { value: r, peakMB, retainedMB } = await measure(() =>
      scriptedRun({ version: '2.0.1', script: [{ flood: 100_000 }], cases: 2, config: { timing: { callTimeoutMs: 60_000, caseTimeoutMs: 90_000, graceMs: 100, connectTimeoutMs: 2000, toleranceS: 4 } } }),
    );
    const c1 = r.result.cases[1]!; // [0] is SC-X-01 (issue #11)
    // Overlapping CALLs are a 2.0.1 failure; the list is capped and the rest counted in one entry.
    expect(c1.verdict).toBe('failed');
    expect(c1.failures.length).toBeLessThanOrEqual(CaseRun.MAX_LISTED_VIOLATIONS + 2);
    expect(c1.failures.some((f) => /further protocol violations not listed/.test(f.message))).toBe(true);
    expect(c1.frames.length).toBeLessThanOrEqual(20_000);
    expect(c1.framesOmitted).toBeGreaterThan(150_000);
    expect(r.result.cases[2]!.verdict).toBe('passed');
    const json = JSON.parse(r.json);
    expect(json.cases[1].framesOmitted).toBe(c1.framesOmitted);
    expect(r.junit).toContain(`(${c1.framesOmitted} more frames summarised away by the per-case trace limit)`);
    expect(r.json.length).toBeLessThan(30 * MB);
    expect(peakMB).toBeLessThan(200);
    expect(retainedMB).toBeLessThan(100);
  }, 120_000);
});
