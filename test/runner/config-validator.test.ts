import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { CONFIG_AJV_OPTIONS, GENERATED_PATH, generateConfigValidator } from '../../scripts/gen-config-validator';
import { CONFIG_SCHEMA } from '../../src/runner/configSchema';
import { validateConfig } from '../../src/runner/config';

/**
 * The configuration is validated by code compiled ahead of time from CONFIG_SCHEMA (issue #14 start-up).
 * These tests keep it honest: it must be exactly what the generator makes of today's schema, and judge
 * configurations as a runtime compile with the same options does.
 */
describe('config validator compiled ahead of time (issue #14 start-up)', () => {
  test('src/runner/configValidate.generated.ts matches CONFIG_SCHEMA (run `npm run config:validator` after a schema change)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generateConfigValidator());
  });

  test('same verdicts and errors as ajv compiling the schema at run time', () => {
    const runtime = new Ajv({ ...CONFIG_AJV_OPTIONS }).compile(CONFIG_SCHEMA);
    const cases: unknown[] = [
      {},
      { ocpp: '2.0.1', as: 'csms', listen: '127.0.0.1:9000' },
      { ocpp: '3.0' },
      { timing: { callTimeoutMs: -1, graceMs: 'x' } },
      { listen: 'no-port' },
      { unknownKey: 1, device: { evses: 0 } },
      { triggers: { default: { method: 'POST' } } },
    ];
    for (const c of cases) {
      const ok = runtime(c);
      let err: Error | undefined;
      try {
        validateConfig(c, 'test');
      } catch (e) {
        err = e as Error;
      }
      expect({ c, valid: err === undefined }).toEqual({ c, valid: ok });
      for (const e of runtime.errors ?? []) expect(err?.message).toContain(e.instancePath || '/');
    }
  });
});
