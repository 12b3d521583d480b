/**
 * Issue #15 §1: the HTML report document (buildHtmlReport) on the fixed fixture run — summary, every case,
 * failures with rule / pointer / expected vs actual / frame link, cases not run with their reason, rules
 * links resolved inside the embedded rules document, and nothing that would load from the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHtmlReport, HtmlReporter, loadRulesText, prettyValue, rulesAnchorFor, rulesSections } from '../../src/report/html';
import { fixtureRun } from './fixture';
import { tempDir } from './helpers';

const rulesText = loadRulesText();

describe('HTML report document', () => {
  const html = buildHtmlReport(fixtureRun(), { rulesText });

  test('the shipped rules document is found and split at its anchors', () => {
    expect(rulesText).toBeDefined();
    const sections = rulesSections(rulesText!);
    expect(sections.find((s) => s.anchor === 'rules-5-2')?.title).toMatch(/^5\.2 /);
    // "rules §N.M" citations go to their section; a requirement id to the first section that explains it.
    expect(rulesAnchorFor('rules §5.2 step 8', sections)).toBe('rules-5-2');
    const k = rulesText!.match(/K\d\d\.FR\.\d+/)![0];
    expect(rulesAnchorFor(k, sections)).toMatch(/^rules-/);
    expect(rulesAnchorFor('K99.FR.99', sections)).toBeUndefined();
  });

  test('summary: device from BootNotification, version, side, counts per verdict incl. warnings, run time', () => {
    expect(html).toContain('Acme &lt;Charging&gt; &amp; Co');
    expect(html).toContain('Wallbox 22');
    expect(html).toContain('1.4.2');
    expect(html).toMatch(/OCPP version<\/th><td>2\.0\.1/);
    expect(html).toContain('harness plays</th><td>CSMS');
    expect(html).toContain('2 passed</span>'); // PASS + INFO
    expect(html).toContain('1 passed with warnings</span>');
    expect(html).toContain('1 failed</span>');
    expect(html).toContain('1 errors</span>');
    expect(html).toContain('1 not run</span>');
    expect(html).toContain('2 warnings in all</span>');
    expect(html).toContain('run interrupted');
    expect(html).toContain('run time</th><td>9.0s');
  });

  test('every case is there once; the case not run is listed with its reason', () => {
    for (const c of fixtureRun().cases) expect(html.split(`data-case="${c.id}"`).length - 1).toBe(1);
    expect(html).toMatch(/<table class="notrun">.*SC-201-14.*PICS: SmartChargingCtrlr\.ExternalControlSignalsEnabled not supported/s);
  });

  test('failures: rule linked into the rules document, JSON pointer, expected vs actual, frame link to a highlighted row', () => {
    expect(html).toContain('<a href="#rules-5-2">rules §5.2 step 8</a>');
    expect(html).toContain('id="rules-5-2"');
    expect(html).toContain('/chargingProfile/0/id');
    expect(html).toMatch(/<b>expected<\/b><pre>\[\s*&quot;Accepted&quot;,\s*&quot;Unknown&quot;\s*\]<\/pre>/);
    expect(prettyValue([{ startPeriod: 0, limit: 8 }, { startPeriod: 50, limit: 10 }])).toBe('[\n  {"startPeriod":0,"limit":8},\n  {"startPeriod":50,"limit":10}\n]');
    // Frame #12 is in the case's trace: linked, and its row highlighted with the JSON open.
    const link = html.match(/<a href="#(c\d+-f12)">#12<\/a>/);
    expect(link).not.toBeNull();
    expect(html).toMatch(new RegExp(`<tr id="${link![1]}" class="hit">.*?<details open>`));
    // #31 is not in the trace: said so, not linked.
    expect(html).toContain('#31 (not in this case');
    // Terminal escapes are gone from messages; hostile text is escaped.
    expect(html).not.toMatch(/\u001b\[/);
    expect(html).toContain('Clear precedence &amp; &lt;criteria&gt;');
  });

  test('self-contained: no external URL, no src attribute, links only to anchors', () => {
    const refs = [...html.matchAll(/\b(src|href)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(refs.filter((r) => !r.startsWith('href=#'))).toEqual([]);
    expect(html.match(/https?:\/\/[^\s"'<]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
    expect(html).not.toMatch(/url\(/);
  });

  test('HtmlReporter writes <out>/report.html', async () => {
    const dir = tempDir();
    const r = new HtmlReporter({ outDir: path.join(dir, 'out') });
    await r.onRunEnd(fixtureRun());
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['report.html']);
    expect(fs.readFileSync(r.file, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
});
