import type { OcppVersion } from '../ocpp/version';
import { ValidatorSelfTestError, type Direction } from './errors';
import { getValidator, type SchemaValidator } from './validator';

/** Every one-decimal value 0.0 … 40.0 (401 values), each the double nearest its decimal literal. */
export function oneDecimalValues(): number[] {
  const out: number[] = [];
  for (let i = 0; i <= 400; i++) out.push(Number(`${Math.floor(i / 10)}.${i % 10}`));
  return out;
}

/** Values that must pass the 1.6 `multipleOf: 0.1` fields (catalogue SC-X-02 (a)). */
export const SELF_TEST_GOOD_VALUES: readonly number[] = [...oneDecimalValues(), 6, 6000, 22000, 15.2];
/** Values that must fail them. */
export const SELF_TEST_BAD_VALUES: readonly number[] = [6.25, 6.05];

const T0 = '2026-01-01T00:00:00Z';

/** 1.6 SetChargingProfile.req with `limit` and `minChargingRate` = value. */
export function setChargingProfile16(value: number): Record<string, unknown> {
  return {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: T0,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: value }],
        minChargingRate: value,
      },
    },
  };
}

/** 1.6 GetCompositeSchedule.conf with `limit` and `minChargingRate` = value. */
export function getCompositeSchedule16Response(value: number): Record<string, unknown> {
  return {
    status: 'Accepted',
    connectorId: 1,
    scheduleStart: T0,
    chargingSchedule: {
      duration: 300,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: value }],
      minChargingRate: value,
    },
  };
}

export interface SelfTestReport {
  version: OcppVersion;
  /** Number of validations performed. */
  checks: number;
}

/**
 * Start-up self-test of the validator (catalogue SC-X-02 (a), engineering notes §4). Throws
 * ValidatorSelfTestError listing every false result; the run must then abort (exit 2).
 *  - 1.6: every one-decimal value 0.0 … 40.0 plus 6, 6000, 22000, 15.2 passes `limit` / `minChargingRate` of
 *    SetChargingProfile.req and GetCompositeSchedule.conf; 6.25 and 6.05 fail with `multipleOf` and nothing else.
 *  - every version: a Heartbeat response `currentTime` without offset fails with `format` (ajv-formats active),
 *    the same with `Z` passes.
 */
export function selfTest(version: OcppVersion, validator: SchemaValidator = getValidator(version)): SelfTestReport {
  const failures: string[] = [];
  let checks = 0;
  const run = (action: string, direction: Direction, payload: unknown) => {
    checks++;
    try {
      return validator.validate(action, direction, payload);
    } catch (err) {
      failures.push(`${action} ${direction}: ${(err as Error).message}`);
      return undefined;
    }
  };

  if (version === '1.6') {
    const targets: [string, Direction, (v: number) => unknown][] = [
      ['SetChargingProfile', 'request', setChargingProfile16],
      ['GetCompositeSchedule', 'response', getCompositeSchedule16Response],
    ];
    for (const [action, direction, build] of targets) {
      for (const v of SELF_TEST_GOOD_VALUES) {
        const r = run(action, direction, build(v));
        if (r && !r.valid) failures.push(`${action} ${direction}: ${v} rejected (${r.violations[0]?.message})`);
      }
      for (const v of SELF_TEST_BAD_VALUES) {
        const r = run(action, direction, build(v));
        if (!r) continue;
        if (r.valid) failures.push(`${action} ${direction}: ${v} accepted (must violate multipleOf 0.1)`);
        else if (r.violations.some((x) => x.keyword !== 'multipleOf'))
          failures.push(`${action} ${direction}: ${v} rejected for another reason (${r.violations[0]?.message})`);
      }
    }
  }

  const noOffset = run('Heartbeat', 'response', { currentTime: '2026-01-01T00:00:00' });
  if (noOffset) {
    if (noOffset.valid) failures.push('date-time without offset accepted (ajv-formats not active?)');
    else if (!noOffset.violations.some((x) => x.keyword === 'format' && x.pointer === '/currentTime'))
      failures.push(`date-time without offset rejected for another reason (${noOffset.violations[0]?.message})`);
  }
  const withOffset = run('Heartbeat', 'response', { currentTime: T0 });
  if (withOffset && !withOffset.valid) failures.push(`date-time ${T0} rejected (${withOffset.violations[0]?.message})`);

  if (failures.length) throw new ValidatorSelfTestError(version, failures);
  return { version, checks };
}
