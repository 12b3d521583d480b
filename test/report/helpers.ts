import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OutputStream } from '../../src/report';

export const GOLDEN_DIR = path.join(__dirname, 'golden');
export const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** Compare `actual` with golden/<name>; with UPDATE_GOLDEN=1 rewrite the golden file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual, 'utf8');
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`golden file ${file} missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

export class MemoryStream implements OutputStream {
  text = '';
  constructor(readonly isTTY?: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-report-'));
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateXML } = require('xmllint-wasm') as typeof import('xmllint-wasm');

export const XSD = fs.readFileSync(path.join(__dirname, 'junit.xsd'), 'utf8');

export async function validateJUnit(xml: string) {
  return validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
}
