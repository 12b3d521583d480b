/**
 * SmartCharging, harness as Charging Station, CSMS under test (catalogue section D, issue #6).
 * Cases live in suites/csms/*.ts by topic; this file assembles them into one suite. Each case triggers
 * the CSMS (triggers config / --trigger-url; the built-in CSMS when no --url), waits for its CALL and
 * answers like a conforming station; the station role checks every SmartCharging request it receives.
 */
import { defineSuite, type CaseDefinition } from '../src/scenario';
import { v21Cases } from './csms/v21';
import { profileCases } from './csms/profiles';
import { reportCases } from './csms/reports';
import { operationCases } from './csms/operations';
import { v16Cases } from './csms/v16';
import { caller, station } from './csms/lib';
import { octtKCases } from './csms/octt-k';

// Code-unit order (same order as localeCompare for these ASCII ids): localeCompare builds an ICU collator on
// first use, ~10 ms of every `run --list` (issue #14 start-up).
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A case carried over to 2.1 rests on the requirement ids it names for 2.0.1 (issue #16: K01–K17 unchanged
 * where a case runs on both), unless it names its own 2.1 list.
 */
const carriedOver = (c: CaseDefinition): CaseDefinition =>
  c.ocpp?.includes('2.1') && c.versionRequirements?.['2.0.1'] && !c.versionRequirements['2.1'] ? { ...c, versionRequirements: { ...c.versionRequirements, '2.1': c.versionRequirements['2.0.1'] } } : c;

export default defineSuite({
  name: 'smartcharging-csms',
  block: 'SmartCharging',
  cases: [...profileCases, ...reportCases, ...operationCases, ...v16Cases, ...octtKCases, ...v21Cases].map(carriedOver).sort(byId),
  /**
   * Isolation (issue #13 item 2): every case starts from a fresh station — no open transaction (each is
   * ended with StopTransaction / TransactionEvent Ended), no profile held, every connector/EVSE reported
   * Available — so what an earlier case left behind cannot decide this case's verdict.
   */
  async beforeEach(t) {
    const { ended, reports } = await station(t).reset(caller(t));
    if (reports) t.note.info(`isolation: waited for ${reports} report frame(s) the station was still sending for an earlier request (answers judged here)`);
    if (ended.length) t.note.info(`isolation: the station ended transaction(s) left open by an earlier case: ${ended.join(', ')}`);
  },
});
