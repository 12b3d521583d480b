/** Issue #15 §2 (tested line, summary counts) and §4 (identical notes across cases grouped in the console summary). */
import { ConsoleReporter, repeatedNotes, summarise, testedLine, type CaseResult, type RunResult } from '../../src/report';
import { fixtureRun } from './fixture';
import { MemoryStream } from './helpers';

function withCases(mut: (cases: CaseResult[]) => CaseResult[]): RunResult {
  const run = fixtureRun();
  run.cases = mut(run.cases);
  return run;
}

const noEv = { level: 'info' as const, message: 'no EV connected: the transaction steps ran without energy transfer', rule: 'rules §8.1' };

describe('summary lines (issue #15)', () => {
  test('notes carried by several cases are listed once with the cases; a note of one case is not', () => {
    const run = withCases((cs) => cs.map((c, i) => (i < 3 ? { ...c, notes: [...c.notes, noEv, noEv] } : c)));
    const rep = repeatedNotes(run.cases);
    expect(rep).toEqual([{ note: noEv, cases: ['SC-X-02', 'SC-201-07', 'SC-201-08'] }]);
    const stream = new MemoryStream(false);
    new ConsoleReporter({ stream, env: {} }).onRunEnd(run);
    expect(stream.text).toContain('Notes repeated across cases:\n  info: no EV connected: the transaction steps ran without energy transfer (rules §8.1) — 3 cases: SC-X-02, SC-201-07, SC-201-08\n');
    expect(repeatedNotes(fixtureRun().cases)).toEqual([]);
    const plain = new MemoryStream(false);
    new ConsoleReporter({ stream: plain, env: {} }).onRunEnd(fixtureRun());
    expect(plain.text).not.toContain('Notes repeated across cases');
  });

  test('tested line: SC-X-01/SC-X-99 not counted; skips grouped by reason; not-run cases apart', () => {
    const skip = (id: string, reason: string): CaseResult => ({ ...fixtureRun().cases[0]!, id, verdict: 'skipped', reason, notes: [], frames: [] });
    const run = withCases((cs) => [
      { ...cs[0]!, id: 'SC-X-01' },
      cs[0]!,
      skip('A', 'no trigger configured for SetChargingProfile'),
      skip('B', 'no trigger configured for SetChargingProfile'),
      skip('C', 'needs feature "reset"'),
      { ...skip('D', 'not run: run interrupted'), verdict: 'error', errorType: 'Interrupted' },
      { ...cs[0]!, id: 'SC-X-99' },
    ]);
    expect(testedLine(run.cases)).toBe('tested: 1 of 5 cases; 3 skipped (2: no trigger configured for SetChargingProfile; 1: needs feature "reset"); 1 not run');
    expect(summarise(run.cases)).toEqual({ passed: 3, failed: 0, skipped: 3, errors: 0, warnings: 0, notRun: 1 });
  });
});
