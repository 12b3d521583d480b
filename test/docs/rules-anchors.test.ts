/**
 * Issue #11 "Rules a user can look up": every "rules §N.M" the harness can print resolves to an anchor
 * of the shipped rules document, the document keeps the section numbering of the project's rules
 * (§0 … §12), and the package ships it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ruleAnchor, ruleUrl, citedSections } from '../../src/report/rules';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
const anchors = new Set([...DOC.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js|json)$/.test(n) ? [p] : [];
  });
}

describe('docs/rules.md (rules §0 … §12)', () => {
  test('every "rules §" citation in src/ and suites/ resolves to an anchor', () => {
    const cited = new Map<string, string>();
    for (const f of [...files(join(ROOT, 'src')), ...files(join(ROOT, 'suites'))]) {
      for (const s of citedSections(readFileSync(f, 'utf8'))) cited.set(s, f.slice(ROOT.length + 1));
    }
    expect(cited.size).toBeGreaterThan(20);
    const missing = [...cited].filter(([s]) => !anchors.has(ruleAnchor(s))).map(([s, f]) => `rules §${s} (${f})`);
    expect(missing).toEqual([]);
  });

  test('a citation of a section that does not exist is caught (the check can fail)', () => {
    expect(anchors.has(ruleAnchor('10.1'))).toBe(false);
    expect(anchors.has(ruleAnchor('13'))).toBe(false);
  });

  test('the sections and their numbering match the project rules: 0 … 12 with their subsections', () => {
    const expected = ['0', '1', '1.1', '1.2', '1.3', '2', '3', '3.1', '3.2', '4', '4.1', '4.2', '5', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6',
      '6', '6.1', '6.2', '7', '7.1', '7.2', '7.3', '8', '9', '9.1', '9.2', '9.3', '10', '11', '12'];
    expect([...anchors]).toEqual(expected.map(ruleAnchor));
    // Each anchor sits right before the heading of its own number.
    for (const s of expected) {
      const at = DOC.indexOf(`<a id="${ruleAnchor(s)}"></a>\n#`);
      expect(at).toBeGreaterThan(-1);
      const heading = DOC.slice(at).split('\n')[1]!;
      expect(heading).toMatch(new RegExp(`^#{2,3} ${s.replace('.', '\\.')}\\.? `));
    }
  });

  test('each section says what it rests on or its verdict', () => {
    const sections = DOC.split(/<a id="rules-[^"]+"><\/a>\n/).slice(1);
    for (const body of sections) expect(body).toMatch(/\*\*(Checked|Verdict|Rests on)/);
  });

  test('ruleUrl links a "rules §" citation and nothing else', () => {
    expect(ruleUrl('rules §5.2 step 8')).toBe('docs/rules.md#rules-5-2');
    expect(ruleUrl('K09.FR.01 / rules §6.2')).toBe('docs/rules.md#rules-6-2');
    expect(ruleUrl('rules §8 (mobilityhouse #217 class)')).toBe('docs/rules.md#rules-8');
    expect(ruleUrl('K01.FR.31')).toBeUndefined();
    expect(ruleUrl(undefined)).toBeUndefined();
  });

  test('the package ships docs/ (package.json "files")', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('docs');
  });
});
