/**
 * Unit conversion between A (current per phase) and W (total power), rules §5.5:
 * P = V × I × numberPhases with the nominal line voltage (1.6 §7.12; 2.0.1 K01.FR.50), numberPhases
 * defaulting to 3 when absent (1.6 §7.12/§7.14; 2.0.1 K01.FR.49).
 */
import type { RateUnit } from './profile';

export const DEFAULT_NOMINAL_VOLTAGE = 230;
export const DEFAULT_NUMBER_PHASES = 3;

/**
 * Value reported for "no limit" intervals by `toPeriods` when the caller gives none: libocpp's
 * `CompositeScheduleDefaultLimitAmps` (48) / `…Watts` (33120) (rules §9.2, §5.2 step 7). These are
 * vendor defaults, so the comparison never validates them (unvalidated intervals accept any value ≥ 0).
 */
export const DEFAULT_LIMIT: Readonly<Record<RateUnit, number>> = { A: 48, W: 33120 };

/** Convert `limit` from one unit to another for a period with `numberPhases` (absent → 3). */
export function convertLimit(
  limit: number,
  from: RateUnit,
  to: RateUnit,
  numberPhases: number | undefined,
  nominalVoltage: number = DEFAULT_NOMINAL_VOLTAGE,
): number {
  if (from === to) return limit;
  const phases = numberPhases ?? DEFAULT_NUMBER_PHASES;
  return from === 'A' ? limit * nominalVoltage * phases : limit / (nominalVoltage * phases);
}

/**
 * Round to one decimal (rules §8: "Accepts at most one digit fraction"). Done with an integer step so
 * the result is the nearest double to the decimal value (8.1, not 8.100000000000001).
 */
export function round1(v: number): number {
  return Math.round(v * 10 + (v >= 0 ? 1e-9 : -1e-9)) / 10;
}

/**
 * Round to `decimals` places (1: rules §8 for 1.6/2.0.1; 6: 2.1 Part 2 §2.1.4, "SHALL NOT have more than
 * six decimal places"), with the same integer step as `round1`.
 */
export function roundTo(v: number, decimals: number): number {
  if (decimals === 1) return round1(v);
  const f = 10 ** decimals;
  return Math.round(v * f + (v >= 0 ? 1e-9 : -1e-9)) / f;
}

/** At most `decimals` decimal places, robust to binary floating point. */
export function atMostDecimals(v: number, decimals: number): boolean {
  const x = v * 10 ** decimals;
  return Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, Math.abs(x));
}

/** At most one decimal (rules §8), robust to binary floating point (8.1 * 10 = 80.99999999999999). */
export function atMostOneDecimal(v: number): boolean {
  return Math.abs(v * 10 - Math.round(v * 10)) < 1e-6 * Math.max(1, Math.abs(v));
}
