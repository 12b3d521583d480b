import {
  AJV_OPTIONS,
  MissingSchemaError,
  SchemaLoadError,
  SchemaValidator,
  SELF_TEST_GOOD_VALUES,
  ValidatorSelfTestError,
  codeForKeyword,
  errorCodeFor,
  getValidator,
  oneDecimalValues,
  selfTest,
  type Violation,
} from '../../src/validation';
import { isValidCode } from '../../src/ocppj/errorCodes';
import { OCPP_VERSIONS } from '../../src/ocpp/version';

const PERIOD16 = '/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/0';

function set16(limit: unknown = 6): Record<string, any> {
  return {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: '2026-01-01T00:00:00Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      },
    },
  };
}

function composite16(limit: unknown): Record<string, any> {
  return {
    status: 'Accepted',
    connectorId: 1,
    scheduleStart: '2026-01-01T00:00:00Z',
    chargingSchedule: { duration: 300, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  };
}

function set201(limit: unknown = 8.1): Record<string, any> {
  return {
    evseId: 1,
    chargingProfile: {
      id: 7,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      validFrom: '2026-01-01T00:00:00Z',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: '2026-01-01T00:00:00Z',
          duration: 300,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit }],
        },
      ],
    },
  };
}

function only(violations: Violation[], keyword: string): Violation {
  const matching = violations.filter((v) => v.keyword === keyword);
  expect(matching).toHaveLength(1);
  return matching[0];
}

describe('SC-X-02 decimal-safe validation (rules §8)', () => {
  const v16 = getValidator('1.6');

  test('SC-X-02 oneDecimalValues is 0.0 … 40.0, 401 values', () => {
    const values = oneDecimalValues();
    expect(values).toHaveLength(401);
    expect(values[0]).toBe(0);
    expect(values[3]).toBe(0.3);
    expect(values[81]).toBe(8.1);
    expect(values[400]).toBe(40);
    expect(SELF_TEST_GOOD_VALUES).toEqual(expect.arrayContaining([6, 6000, 22000, 15.2]));
  });

  test('SC-X-02 all 401 one-decimal values pass as 1.6 limits (SetChargingProfile req, GetCompositeSchedule conf)', () => {
    const rejected: string[] = [];
    for (const x of oneDecimalValues()) {
      if (!v16.validate('SetChargingProfile', 'request', set16(x)).valid) rejected.push(`set ${x}`);
      if (!v16.validate('GetCompositeSchedule', 'response', composite16(x)).valid) rejected.push(`composite ${x}`);
    }
    expect(rejected).toEqual([]);
  });

  test.each([7.3, 0.3, 8.1, 9.1, 15.2, 16.7, 6, 6000, 22000])('SC-X-02 %p passes as a 1.6 limit', (x) => {
    expect(v16.validate('SetChargingProfile', 'request', set16(x))).toEqual({ valid: true, violations: [] });
    expect(v16.validate('GetCompositeSchedule', 'response', composite16(x)).valid).toBe(true);
  });

  test.each([6.25, 6.05])('SC-X-02/SC-X-03 %p fails as a 1.6 limit (multipleOf 0.1)', (x) => {
    for (const r of [
      v16.validate('SetChargingProfile', 'request', set16(x)),
      v16.validate('GetCompositeSchedule', 'response', composite16(x)),
    ]) {
      expect(r.valid).toBe(false);
      expect(r.violations.map((v) => v.keyword)).toEqual(['multipleOf']);
    }
  });

  test('SC-X-02 minChargingRate is decimal-safe too', () => {
    const p = set16(6);
    p.csChargingProfiles.chargingSchedule.minChargingRate = 8.1;
    expect(v16.validate('SetChargingProfile', 'request', p).valid).toBe(true);
    p.csChargingProfiles.chargingSchedule.minChargingRate = 8.15;
    expect(v16.validate('SetChargingProfile', 'request', p).violations[0].pointer).toBe(
      '/csChargingProfiles/chargingSchedule/minChargingRate',
    );
  });

  test.each(OCPP_VERSIONS)('SC-X-02 (a) start-up self-test passes for %s', (version) => {
    const report = selfTest(version);
    expect(report.version).toBe(version);
    expect(report.checks).toBeGreaterThanOrEqual(version === '1.6' ? 2 * (405 + 2) + 2 : 2);
  });

  test('SC-X-02 (a) self-test fails with ValidatorSelfTestError on a validator without ajv-formats / precision', () => {
    const broken = new SchemaValidator('1.6');
    // Simulate a validator that lost multipleOfPrecision and formats: swap its Ajv for a bare one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv').default;
    (broken as unknown as { ajvInstance: unknown }).ajvInstance = new Ajv({ strict: false, allErrors: true, logger: false });
    let error: unknown;
    try {
      selfTest('1.6', broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidatorSelfTestError);
    const err = error as ValidatorSelfTestError;
    expect(err.version).toBe('1.6');
    expect(err.failures.some((f) => /0\.3 rejected/.test(f))).toBe(true);
    expect(err.failures.some((f) => /date-time without offset accepted/.test(f))).toBe(true);
    expect(err.message.split('\n')).toHaveLength(1);
  });
});

describe('SCHEMA-04 validator set-up', () => {
  test('SCHEMA-04 ajv options are exactly strict:false, allErrors:true, multipleOfPrecision:6', () => {
    expect(AJV_OPTIONS).toEqual({ strict: false, allErrors: true, multipleOfPrecision: 6 });
  });

  test('SCHEMA-04 getValidator caches one validator per version', () => {
    expect(getValidator('1.6')).toBe(getValidator('1.6'));
    expect(getValidator('2.0.1')).not.toBe(getValidator('2.1'));
    expect(getValidator('2.0.1').version).toBe('2.0.1');
  });

  test.each([
    ['1.6', 78, 39],
    ['2.0.1', 128, 64],
    ['2.1', 181, 91],
  ] as const)('SCHEMA-04 %s: %i schemas, %i request actions; compileAll compiles every one', (version, files, actions) => {
    const v = new SchemaValidator(version);
    expect(v.size).toBe(files);
    expect(v.actions()).toHaveLength(actions);
    expect(v.actions()).toContain('SetChargingProfile');
    expect(() => v.compileAll()).not.toThrow();
  });

  test('SCHEMA-04 2.1 SEND message NotifyPeriodicEventStream has a request schema and no response schema', () => {
    const v = getValidator('2.1');
    expect(v.has('NotifyPeriodicEventStream', 'request')).toBe(true);
    expect(v.has('NotifyPeriodicEventStream', 'response')).toBe(false);
  });

  test('SCHEMA-04 has() knows directions', () => {
    const v = getValidator('1.6');
    expect(v.has('SetChargingProfile', 'request')).toBe(true);
    expect(v.has('SetChargingProfile', 'response')).toBe(true);
    expect(v.has('TransactionEvent', 'request')).toBe(false);
    expect(getValidator('2.0.1').has('TransactionEvent', 'request')).toBe(true);
  });

  test('SCHEMA-05 a missing schema throws MissingSchemaError (never a silent pass)', () => {
    const v = getValidator('1.6');
    expect(() => v.validate('TransactionEvent', 'request', {})).toThrow(MissingSchemaError);
    expect(() => v.validate('Bogus', 'response', {})).toThrow(
      expect.objectContaining({ constructor: MissingSchemaError, version: '1.6', action: 'Bogus', direction: 'response' }),
    );
    expect(() => getValidator('2.1').validate('NotifyPeriodicEventStream', 'response', {})).toThrow(MissingSchemaError);
  });

  test('SCHEMA-05 a missing schemas folder is a SchemaLoadError', () => {
    expect(() => new SchemaValidator('1.6', { schemasDir: '/nonexistent/schemas' })).toThrow(SchemaLoadError);
  });
});

describe('SC-X-04 violation details (pointer, keyword, value, message, code)', () => {
  const v16 = getValidator('1.6');
  const v201 = getValidator('2.0.1');

  test('SC-X-04 1.6 type: limit as the string "6" → TypeConstraintViolation (never coerced)', () => {
    const r = v16.validate('SetChargingProfile', 'request', set16('6'));
    expect(r.valid).toBe(false);
    const v = only(r.violations, 'type');
    expect(v).toMatchObject({
      pointer: `${PERIOD16}/limit`,
      value: '6',
      params: { type: 'number' },
      code: 'TypeConstraintViolation',
    });
    expect(v.message).toBe(`${PERIOD16}/limit must be number (got string "6")`);
    expect(r.violations).toHaveLength(1);
    expect(errorCodeFor(r)).toBe('TypeConstraintViolation');
  });

  test('SC-X-04 1.6 required → OccurenceConstraintViolation (1.6 spelling), pointer at the missing property', () => {
    const p = set16();
    delete p.csChargingProfiles.chargingProfileId;
    const r = v16.validate('SetChargingProfile', 'request', p);
    const v = only(r.violations, 'required');
    expect(v.pointer).toBe('/csChargingProfiles/chargingProfileId');
    expect(v.value).toBeUndefined();
    expect(v.params).toEqual({ missingProperty: 'chargingProfileId' });
    expect(v.code).toBe('OccurenceConstraintViolation');
    expect(v.message).toBe('/csChargingProfiles/chargingProfileId is required (got nothing: property missing)');
    expect(isValidCode('1.6', v.code)).toBe(true);
  });

  test('SC-X-04 (a) 1.6 additionalProperties → PropertyConstraintViolation, pointer at the extra property', () => {
    const p = set16();
    p.csChargingProfiles.bogus = { x: 1 };
    const r = v16.validate('SetChargingProfile', 'request', p);
    const v = only(r.violations, 'additionalProperties');
    expect(v).toMatchObject({
      pointer: '/csChargingProfiles/bogus',
      value: { x: 1 },
      params: { additionalProperty: 'bogus' },
      code: 'PropertyConstraintViolation',
    });
    expect(v.message).toBe('/csChargingProfiles/bogus is not allowed: additional property (got {"x":1})');
  });

  test('SC-X-04 additional property names are JSON-pointer escaped', () => {
    const p = set16();
    p.csChargingProfiles['a/b~c'] = 1;
    const v = only(v16.validate('SetChargingProfile', 'request', p).violations, 'additionalProperties');
    expect(v.pointer).toBe('/csChargingProfiles/a~1b~0c');
    expect(v.value).toBe(1);
  });

  test('SC-X-04 (b) 1.6 enum → FormationViolation (1.6 spelling), expected values listed', () => {
    const p = set16();
    p.csChargingProfiles.chargingProfilePurpose = 'BogusProfile';
    const v = only(v16.validate('SetChargingProfile', 'request', p).violations, 'enum');
    expect(v.pointer).toBe('/csChargingProfiles/chargingProfilePurpose');
    expect(v.value).toBe('BogusProfile');
    expect(v.code).toBe('FormationViolation');
    expect(v.message).toBe(
      '/csChargingProfiles/chargingProfilePurpose must be one of ["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"] (got "BogusProfile")',
    );
  });

  test('SC-X-04 1.6 multipleOf → FormationViolation with expected vs actual', () => {
    const r = v16.validate('SetChargingProfile', 'request', set16(6.25));
    const v = only(r.violations, 'multipleOf');
    expect(v).toMatchObject({ pointer: `${PERIOD16}/limit`, value: 6.25, params: { multipleOf: 0.1 }, code: 'FormationViolation' });
    expect(v.message).toBe(`${PERIOD16}/limit must be multiple of 0.1 (got 6.25)`);
    const c = only(v16.validate('GetCompositeSchedule', 'response', composite16(6.05)).violations, 'multipleOf');
    expect(c.message).toBe('/chargingSchedule/chargingSchedulePeriod/0/limit must be multiple of 0.1 (got 6.05)');
  });

  test('SC-X-08 1.6 format: date-time without offset → FormationViolation', () => {
    const p = set16();
    p.csChargingProfiles.chargingSchedule.startSchedule = '2026-01-01T00:00:00';
    const v = only(v16.validate('SetChargingProfile', 'request', p).violations, 'format');
    expect(v).toMatchObject({
      pointer: '/csChargingProfiles/chargingSchedule/startSchedule',
      value: '2026-01-01T00:00:00',
      params: { format: 'date-time' },
      code: 'FormationViolation',
    });
    expect(v.message).toBe('/csChargingProfiles/chargingSchedule/startSchedule must match format "date-time" (got "2026-01-01T00:00:00")');
  });

  test('SC-X-04 1.6 maxLength → FormationViolation with length', () => {
    const idTag = 'X'.repeat(21);
    const r = v16.validate('Authorize', 'request', { idTag });
    const v = only(r.violations, 'maxLength');
    expect(v).toMatchObject({ pointer: '/idTag', value: idTag, params: { limit: 20 }, code: 'FormationViolation' });
    expect(v.message).toBe(`/idTag must NOT have more than 20 characters (got 21: "${idTag}")`);
    expect(v16.validate('Authorize', 'request', { idTag: 'X'.repeat(20) }).valid).toBe(true);
  });

  test('SC-X-04 root type violation has pointer "" and names the root', () => {
    const r = v16.validate('Authorize', 'request', 'hello');
    const v = only(r.violations, 'type');
    expect(v.pointer).toBe('');
    expect(v.message).toBe('(root) must be object (got string "hello")');
  });

  test('SC-X-04 2.0.1 type / required / additionalProperties / enum / format / maxLength with 2.0.1 spellings', () => {
    const p = set201();
    p.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit = '6';
    delete p.chargingProfile.id;
    p.chargingProfile.bogus = true;
    p.chargingProfile.chargingProfilePurpose = 'Nope';
    p.chargingProfile.validFrom = '2026-01-01T00:00:00';
    const r = v201.validate('SetChargingProfile', 'request', p);
    expect(r.valid).toBe(false);
    const byKeyword = Object.fromEntries(r.violations.map((v) => [v.keyword, v]));
    expect(Object.keys(byKeyword).sort()).toEqual(['additionalProperties', 'enum', 'format', 'required', 'type']);
    expect(byKeyword.type).toMatchObject({
      pointer: '/chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit',
      value: '6',
      code: 'TypeConstraintViolation',
    });
    expect(byKeyword.required).toMatchObject({ pointer: '/chargingProfile/id', value: undefined, code: 'OccurrenceConstraintViolation' });
    expect(byKeyword.additionalProperties).toMatchObject({
      pointer: '/chargingProfile/bogus',
      value: true,
      code: 'PropertyConstraintViolation',
    });
    expect(byKeyword.enum).toMatchObject({ pointer: '/chargingProfile/chargingProfilePurpose', value: 'Nope', code: 'FormatViolation' });
    expect(byKeyword.enum.message).toMatch(/^\/chargingProfile\/chargingProfilePurpose must be one of \[.*"TxDefaultProfile".*\] \(got "Nope"\)$/);
    expect(byKeyword.format).toMatchObject({ pointer: '/chargingProfile/validFrom', code: 'FormatViolation' });
    for (const v of r.violations) {
      expect(isValidCode('2.0.1', v.code)).toBe(true);
      expect(v.message).not.toMatch(/\n/);
    }

    const idToken = 'T'.repeat(37);
    const a = v201.validate('Authorize', 'request', { idToken: { idToken, type: 'ISO14443' } });
    const ml = only(a.violations, 'maxLength');
    expect(ml).toMatchObject({ pointer: '/idToken/idToken', value: idToken, params: { limit: 36 }, code: 'FormatViolation' });
    expect(ml.message).toBe(`/idToken/idToken must NOT have more than 36 characters (got 37: "${idToken}")`);
  });

  test('SC-X-04 2.0.1 has no multipleOf: 6.25 is schema-valid there (the one-decimal rule is semantic)', () => {
    expect(v201.validate('SetChargingProfile', 'request', set201(6.25)).valid).toBe(true);
  });

  test('SC-X-04 keyword → code table, spelled per version', () => {
    expect(['type', 'required', 'additionalProperties', 'enum', 'multipleOf', 'format', 'maxLength', 'minItems'].map((k) => codeForKeyword('1.6', k))).toEqual([
      'TypeConstraintViolation',
      'OccurenceConstraintViolation',
      'PropertyConstraintViolation',
      'FormationViolation',
      'FormationViolation',
      'FormationViolation',
      'FormationViolation',
      'FormationViolation',
    ]);
    expect(['type', 'required', 'additionalProperties', 'enum', 'someUnknownKeyword'].map((k) => codeForKeyword('2.1', k))).toEqual([
      'TypeConstraintViolation',
      'OccurrenceConstraintViolation',
      'PropertyConstraintViolation',
      'FormatViolation',
      'FormatViolation',
    ]);
    expect(errorCodeFor({ valid: true, violations: [] })).toBeUndefined();
  });

  test('SC-X-04 allErrors: every violation is reported, not just the first', () => {
    const p = set16(6.25);
    p.connectorId = 'one';
    p.csChargingProfiles.extra = 1;
    const r = v16.validate('SetChargingProfile', 'request', p);
    expect(r.violations.map((v) => v.keyword).sort()).toEqual(['additionalProperties', 'multipleOf', 'type']);
  });
});

describe('SC-X-08 / SCHEMA-06 other versions and payload safety', () => {
  test('SCHEMA-06 a valid 2.0.1 SetChargingProfileRequest validates', () => {
    const r = getValidator('2.0.1').validate('SetChargingProfile', 'request', set201());
    expect(r).toEqual({ valid: true, violations: [] });
  });

  test('SCHEMA-06 a valid 2.1 SetChargingProfileRequest validates; an extra property does not', () => {
    const v21 = getValidator('2.1');
    expect(v21.validate('SetChargingProfile', 'request', set201(16.7))).toEqual({ valid: true, violations: [] });
    const p = set201();
    p.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].bogus = 1;
    const v = only(v21.validate('SetChargingProfile', 'request', p).violations, 'additionalProperties');
    expect(v.pointer).toBe('/chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/bogus');
    expect(v.code).toBe('PropertyConstraintViolation');
  });

  test.each(OCPP_VERSIONS)('SC-X-08 %s: date-time without offset fails, with Z or offset passes', (version) => {
    const v = getValidator(version);
    const bad = v.validate('Heartbeat', 'response', { currentTime: '2026-01-01T00:00:00' });
    expect(bad.valid).toBe(false);
    expect(only(bad.violations, 'format').pointer).toBe('/currentTime');
    expect(v.validate('Heartbeat', 'response', { currentTime: '2026-01-01T00:00:00Z' }).valid).toBe(true);
    expect(v.validate('Heartbeat', 'response', { currentTime: '2026-01-01T01:00:00.123+01:00' }).valid).toBe(true);
  });

  test('SCHEMA-07 validation never mutates the payload (extra property stays, no defaults inserted)', () => {
    const p = set16(6.25);
    p.csChargingProfiles.extra = 'stays';
    const before = structuredClone(p);
    getValidator('1.6').validate('SetChargingProfile', 'request', p);
    expect(p).toEqual(before);
    expect(p.csChargingProfiles.extra).toBe('stays');

    // 2.0.1 ReportChargingProfiles has `tbc` with `default: false`: useDefaults would insert it.
    const report: Record<string, any> = {
      requestId: 1,
      chargingLimitSource: 'CSO',
      evseId: 1,
      chargingProfile: [set201().chargingProfile],
    };
    const reportBefore = structuredClone(report);
    const r = getValidator('2.0.1').validate('ReportChargingProfiles', 'request', report);
    expect(r.valid).toBe(true);
    expect(report).toEqual(reportBefore);
    expect('tbc' in report).toBe(false);
  });

  test('SCHEMA-07 the validator never coerces: "6" for a number fails, 6 passes, true for an integer fails', () => {
    const v = getValidator('2.0.1');
    const p = set201('6');
    const r = v.validate('SetChargingProfile', 'request', p);
    expect(r.valid).toBe(false);
    expect(r.violations[0].keyword).toBe('type');
    expect(p.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit).toBe('6');
    expect(v.validate('SetChargingProfile', 'request', set201(6)).valid).toBe(true);
    const q = set201();
    q.evseId = true;
    expect(v.validate('SetChargingProfile', 'request', q).violations[0]).toMatchObject({ keyword: 'type', value: true });
  });
});
