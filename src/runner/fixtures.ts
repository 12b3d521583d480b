import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER = /^now(?:([+-])(\d+)(ms|s|m|h|d)?)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Whole-second ISO-8601 UTC (rules §10: harness-chosen instants are whole seconds). */
export function isoSeconds(d: Date | number): string {
  const ms = typeof d === 'number' ? d : d.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Replace every string "now", "now+60s", "now-2h"… by an instant relative to `base`, deeply. */
export function resolveTimes<T>(value: T, base: Date): T {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    if (!m) return value;
    const offset = m[1] ? (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3] ?? 's']! : 0;
    return isoSeconds(base.getTime() + offset) as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveTimes(v, base)) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTimes(v, base)])) as T;
  }
  return value;
}

export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureError';
  }
}

export function loadFixture<T>(dir: string, name: string, base: Date): T {
  const file = join(dir, name.endsWith('.json') ? name : `${name}.json`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FixtureError(`fixture ${file}: ${(e as Error).message}`);
  }
  return resolveTimes(data as T, base);
}
