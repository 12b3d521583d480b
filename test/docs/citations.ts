/**
 * Citation patterns shared by the docs tests (issue #11 items 9 and 10).
 * A 2.0.1 citation: a functional-requirement id (K01.FR.31), a use-case id (K08), an OCTT 2.0.1 test id
 * (TC_K_42_CS) or a section of the 2.0.1 parts ("Part 4 §4.1.1"). None of these may judge a 1.6 device.
 */
export const ID_201 = /\b[A-Z]\d{2}\.FR\.\d+|\bTC_[A-Z]_\d+|\b[A-O]\d{2}\b(?!\.\d)|\bPart [1-6]\b|SmartChargingCtrlr/;

/** Every "rules §N" / "rules §N.M" citation in a text (the section number only). */
export function rulesCitations(text: string): string[] {
  return [...text.matchAll(/rules §(\d+(?:\.\d+)*)/g)].map((m) => m[1]!);
}

/** Anchor id of a rules section, as docs/rules.md declares it: "5.2" → "rules-5-2". */
export const anchorOf = (section: string): string => `rules-${section.replace(/\./g, '-')}`;
