/**
 * Links from a failure's or note's `rule` into the rules document shipped with the package
 * (docs/rules.md, issue #11 "Rules a user can look up"). Every section of that document carries an
 * anchor `rules-<n>-<m>` (e.g. `<a id="rules-5-2"></a>`); test/docs/rules-anchors.test.ts checks that
 * every "rules §N.M" cited in src/ and suites/ resolves to one.
 */

/** Path of the rules document, relative to the installed package root (node_modules/ocpp-conformance). */
export const RULES_DOC = 'docs/rules.md';

/** What `ruleUrl` values are relative to, as written into results.json and the JUnit properties. */
export const RULES_DOC_BASE = 'the ocpp-conformance package root (e.g. node_modules/ocpp-conformance)';

/** Section numbers cited as "rules §N" / "rules §N.M" in a rule text, in order. */
export function citedSections(rule: string | undefined): string[] {
  if (!rule) return [];
  return [...rule.matchAll(/rules §(\d+(?:\.\d+)*)/g)].map((m) => m[1]!);
}

/** Anchor of a rules section: "5.2" → "rules-5-2". */
export function ruleAnchor(section: string): string {
  return `rules-${section.replace(/\./g, '-')}`;
}

/** `docs/rules.md#rules-5-2` for the first "rules §" section a rule cites, else undefined. */
export function ruleUrl(rule: string | undefined): string | undefined {
  const first = citedSections(rule)[0];
  return first === undefined ? undefined : `${RULES_DOC}#${ruleAnchor(first)}`;
}
