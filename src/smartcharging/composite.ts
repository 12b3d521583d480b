/**
 * The composite schedule a conforming station reports for GetCompositeSchedule: rules §5.2 exactly.
 * All times are whole epoch seconds; results are offsets from the window start.
 */
import { CompositeRequestError, ModelArgumentError } from './errors';
import { toEpochSeconds } from './profile';
import type { ModelVersion, OperationMode, Profile, Purpose, RateUnit } from './profile';
import type { Installed, Transaction } from './types';
import { convertLimit } from './units';

export interface CompositeRequest {
  evseId: number;
  duration: number;
  unit?: RateUnit;
  /** window start, epoch seconds (whole) */
  start: number;
}
export interface CompositeContext {
  version: ModelVersion;
  installed: readonly Installed[];
  transactions: readonly Transaction[];
  evses: number;
  nominalVoltage: number;
  /** first = default unit when request omits it */
  rateUnits: RateUnit[];
  /**
   * 2.1: transactions for which priority charging is active (UsePriorityCharging activate=true answered
   * Accepted, or activated locally and announced with NotifyPriorityCharging). See `priorityPieces`.
   */
  priority?: readonly string[];
}
export interface Interval {
  /** offsets in s from window start */
  from: number;
  to: number;
  /** null = no profile applies: unvalidated (rules §5.2 step 7); also null under `v2x.limitAbsent` */
  limit: number | null;
  numberPhases?: number;
  /** 2.1: the interval's sole source is a period under this operationMode (see `soleSource`). */
  v2x?: V2xPart;
}

/** 2.1: what a non-ChargingOnly period puts into the composite where it is the only source. */
export interface V2xPart {
  operationMode: OperationMode;
  /** setpoint*, dischargeLimit*, … as in the profile (Period.v2x). */
  fields?: Record<string, unknown>;
  /** the period has no limit (allowed under this operationMode). */
  limitAbsent?: true;
}
export interface CompositeResult {
  unit: RateUnit;
  duration: number;
  /** contiguous, cover [0,duration), equal neighbours merged */
  intervals: Interval[];
  /**
   * Decimal places a station reports limits with (rules §8): absent = 1, for 1.6 and 2.0.1 ("at most one
   * digit fraction"); 6 for 2.1, which drops the one-decimal rule (Part 2 §2.1.4: at most six decimals).
   */
  decimals?: number;
  /** 2.1: installed profiles the model left out (Profile.outsideComposite), with the reason. */
  leftOut?: { id: number; evseId: number; reason: string }[];
}

export const DAILY_S = 86400;
export const WEEKLY_S = 604800;

/** A constant piece of one profile in absolute time, already clipped to the window and to validity. */
interface Piece {
  from: number;
  to: number;
  limit: number;
  unit: RateUnit;
  numberPhases?: number;
  stackLevel: number;
  /** installed on an EVSE (not evse 0): preferred on a stackLevel tie (IMPL, see `resolve`). */
  evseLevel: boolean;
  /** 2.1: the period's operationMode is not ChargingOnly. */
  v2x?: V2xPart;
  profileId: number;
}

/** Value of one term of the minimum at one instant, in the requested unit. */
interface Term {
  limit: number;
  numberPhases?: number;
}

/**
 * Why a request cannot be computed, mirroring a station's `Rejected` (2.0.1 K08.FR.05 unknown EVSE,
 * K08.FR.07 unsupported unit; 1.6 likewise per libocpp, rules §5.1). Undefined when computable.
 */
export function compositeRequestProblem(req: CompositeRequest, ctx: CompositeContext): CompositeRequestError | undefined {
  const v16 = ctx.version === '1.6';
  if (!Number.isInteger(req.evseId) || req.evseId < 0 || req.evseId > ctx.evses) {
    return new CompositeRequestError(v16 ? '1.6 rules §5.1 connectorId' : 'K08.FR.05', `${v16 ? 'connectorId' : 'evseId'} ${req.evseId} does not exist`);
  }
  if (req.unit !== undefined && !ctx.rateUnits.includes(req.unit)) {
    return new CompositeRequestError(v16 ? '1.6 rules §5.1 chargingRateUnit' : 'K08.FR.07', `chargingRateUnit ${req.unit} not supported`);
  }
  return undefined;
}

/**
 * Compute the composite schedule over [start, start + duration).
 *
 * Interpretation choices (all IMPL in the specification, documented in the report):
 * - Only the first chargingSchedule of a 2.0.1 profile is used (the others are ISO 15118 alternatives).
 * - Relative profiles anchor at the start of the transaction on the EVSE being computed, else at the
 *   window start (OCTT TC_K_21_CS, libocpp). Station-level Relative profiles (1.6 Max) anchor at the
 *   window start.
 * - An Absolute profile without startSchedule (1.6 lets it through) anchors at validFrom, else at the
 *   window start.
 * - Recurring occurrences start at startSchedule + k·period with k ≥ 0: nothing before startSchedule.
 * - ExternalConstraints on evse N is an EVSE-level term of the minimum next to the station-level one.
 * - Equal stackLevel within one purpose (a K01.FR.06 / FR.52/.53 conflict): the EVSE-level profile wins
 *   over the evse-0 one, then the lower limit.
 */
export function compositeSchedule(req: CompositeRequest, ctx: CompositeContext): CompositeResult {
  const problem = compositeRequestProblem(req, ctx);
  if (problem) throw problem;
  if (!Number.isInteger(req.start)) throw new ModelArgumentError(`window start must be whole seconds, got ${req.start}`);
  if (!Number.isInteger(req.duration) || req.duration < 0) throw new ModelArgumentError(`duration must be an integer ≥ 0, got ${req.duration}`);
  const unit: RateUnit = req.unit ?? ctx.rateUnits[0] ?? 'A';
  const S = req.start;
  const E = S + req.duration;
  const decimals = ctx.version === '2.1' ? { decimals: 6 } : {};
  // 2.1: profiles whose meaning the model does not cover (2.1-only purposes, Dynamic, operationModes
  // other than ChargingOnly) are left out and named, so a caller can WARN rather than judge.
  const leftOut: NonNullable<CompositeResult['leftOut']> = ctx.installed
    .filter((i) => i.profile.outsideComposite !== undefined)
    .map((i) => ({ id: i.profile.id, evseId: i.evseId, reason: i.profile.outsideComposite! }));
  if (leftOut.length > 0) ctx = { ...ctx, installed: ctx.installed.filter((i) => i.profile.outsideComposite === undefined) };
  if (req.duration === 0) return { unit, duration: 0, intervals: [], ...decimals, ...(leftOut.length > 0 ? { leftOut: [...leftOut] } : {}) };

  const toTerm = (p: Piece | undefined): Term | undefined => {
    if (!p || p.v2x?.limitAbsent) return undefined;
    const t: Term = { limit: convertLimit(p.limit, p.unit, unit, p.numberPhases, ctx.nominalVoltage) };
    if (p.numberPhases !== undefined) t.numberPhases = p.numberPhases;
    return t;
  };
  const boundaries = new Set<number>([S, E]);
  const addAll = (pieces: Piece[]): Piece[] => {
    for (const p of pieces) {
      boundaries.add(p.from);
      boundaries.add(p.to);
    }
    return pieces;
  };

  // Station-level purposes: only profiles installed on evse/connector 0 (rules §5.2 step 6).
  const stationMax = addAll(piecesOf(ctx, 0, 'ChargingStationMaxProfile', S, S, E));
  const stationExt = addAll(piecesOf(ctx, 0, 'ChargingStationExternalConstraints', S, S, E));

  // Per EVSE: EVSE-level External and the transaction limit (TxProfile else TxDefault, step 4).
  interface EvseLayers {
    ext: Piece[];
    tx: Piece[];
    txDefault: Piece[];
  }
  const layersOf = (evseId: number): EvseLayers => {
    const tx = transactionOn(ctx.transactions, evseId);
    const anchor = tx ? toEpochSeconds(tx.startedAt) : S;
    const priority = priorityPieces(ctx, evseId, tx, anchor, S, E);
    return {
      ext: addAll(piecesOf(ctx, evseId, 'ChargingStationExternalConstraints', anchor, S, E)),
      // 2.1 priority charging: the PriorityCharging profile takes the place of TxProfile and TxDefault.
      tx: addAll(priority ?? txProfilePieces(ctx, evseId, tx, anchor, S, E)),
      txDefault: priority ? [] : addAll(txDefaultPieces(ctx, evseId, anchor, S, E)),
    };
  };
  const evseIds = req.evseId === 0 ? range(1, ctx.evses) : [req.evseId];
  const layers = evseIds.map(layersOf);

  const ordered = [...boundaries].filter((b) => b >= S && b <= E).sort((a, b) => a - b);
  const intervals: Interval[] = [];
  /** 2.1: profiles whose non-ChargingOnly periods meet other limits somewhere in the window. */
  const combined = new Map<number, OperationMode>();
  for (let k = 0; k + 1 < ordered.length; k++) {
    const a = ordered[k]!;
    const b = ordered[k + 1]!;
    const terms: Term[] = [];
    const maxPiece = resolve(stationMax, a, toTerm);
    const extPiece = resolve(stationExt, a, toTerm);
    const max = toTerm(maxPiece);
    const ext = toTerm(extPiece);
    if (max) terms.push(max);
    if (ext) terms.push(ext);
    const sources: Piece[] = [maxPiece, extPiece].filter((p): p is Piece => p !== undefined);
    // Per-EVSE limit: min(EVSE-level External, TxProfile-else-TxDefault). TxProfile REPLACES TxDefault
    // (1.6 §3.13.3 "SHALL overrule"); TxDefault applies again where no TxProfile period is defined.
    const perEvse: (Term | undefined)[] = layers.map((l) => {
      const txPiece = resolve(l.tx, a, toTerm) ?? resolve(l.txDefault, a, toTerm);
      const evseExtPiece = resolve(l.ext, a, toTerm);
      for (const p of [txPiece, evseExtPiece]) if (p) sources.push(p);
      return minTerms([toTerm(txPiece), toTerm(evseExtPiece)].filter((t): t is Term => t !== undefined));
    });
    if (req.evseId === 0) {
      // 1.6 errata 3.30 / TC_K_22_CS: evse 0 = Σ over EVSEs; none if any EVSE has none in the interval.
      if (perEvse.every((t) => t !== undefined)) {
        const list = perEvse as Term[];
        const sum: Term = { limit: list.reduce((acc, t) => acc + t.limit, 0) };
        const phases = lowestPhases(list);
        if (phases !== undefined) sum.numberPhases = phases;
        terms.push(sum);
      }
    } else if (perEvse[0]) {
      terms.push(perEvse[0]);
    }
    const result = minTerms(terms);
    const iv: Interval = { from: a - S, to: b - S, limit: result ? result.limit : null };
    if (result?.numberPhases !== undefined) iv.numberPhases = result.numberPhases;
    const sole = soleSource(sources, req.evseId, unit);
    if (sole) iv.v2x = sole;
    else for (const p of sources) if (p.v2x) combined.set(p.profileId, p.v2x.operationMode);
    intervals.push(iv);
  }
  for (const [id, mode] of combined) {
    const evseId = ctx.installed.find((i) => i.profile.id === id)?.evseId ?? 0;
    leftOut.push({ id, evseId, reason: `operationMode ${mode} (2.1) meets other limits in the composite: how setpoints and limits combine could not be established` });
  }
  const out = leftOut.length > 0 ? { leftOut } : {};
  return { unit, duration: req.duration, intervals: mergeIntervals(intervals), ...decimals, ...out };
}

/**
 * 2.1 operationModes in the composite: where ONE period is the only source of the interval (no other purpose
 * layer applies, one EVSE asked for, same unit), every reading of the composite is that period — its
 * operationMode, setpoints, discharge limits and (possibly absent) limit (2.1 ChargingSchedulePeriodType is
 * used in CompositeScheduleType; an absent operationMode means ChargingOnly, OperationModeEnumType). Where
 * a non-ChargingOnly period meets another limit, how they combine was not established: undefined, and the
 * profile is named in `leftOut` (the harness WARNs).
 */
function soleSource(sources: readonly Piece[], evseId: number, unit: RateUnit): V2xPart | undefined {
  const only = sources.length === 1 ? sources[0]! : undefined;
  if (!only?.v2x || evseId === 0 || only.unit !== unit) return undefined;
  return only.v2x;
}

/** Minimum over terms; numberPhases = lowest among the contributing terms (errata 2025-01 §2.28). */
function minTerms(terms: Term[]): Term | undefined {
  if (terms.length === 0) return undefined;
  const out: Term = { limit: Math.min(...terms.map((t) => t.limit)) };
  const phases = lowestPhases(terms);
  if (phases !== undefined) out.numberPhases = phases;
  return out;
}

function lowestPhases(terms: Term[]): number | undefined {
  const explicit = terms.map((t) => t.numberPhases).filter((n): n is number => n !== undefined);
  return explicit.length > 0 ? Math.min(...explicit) : undefined;
}

/** Merge equal neighbours (same limit and numberPhases): the step function is unchanged. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const iv of list) {
    const last = out[out.length - 1];
    if (last && last.to === iv.from && last.limit === iv.limit && last.numberPhases === iv.numberPhases && JSON.stringify(last.v2x) === JSON.stringify(iv.v2x)) {
      last.to = iv.to;
    } else {
      out.push({ ...iv });
    }
  }
  return out;
}

/**
 * Within one purpose: the highest stackLevel with a piece covering `t` wins (rules §5.2 step 3); a gap
 * in a higher level falls through to lower levels. Ties: EVSE-level first, then the lower limit.
 */
function resolve(pieces: readonly Piece[], t: number, toTerm: (p: Piece) => Term | undefined): Piece | undefined {
  let best: Piece | undefined;
  for (const p of pieces) {
    if (p.from > t || t >= p.to) continue;
    if (
      !best ||
      p.stackLevel > best.stackLevel ||
      (p.stackLevel === best.stackLevel &&
        ((p.evseLevel && !best.evseLevel) ||
          (p.evseLevel === best.evseLevel && (toTerm(p)?.limit ?? Infinity) < (toTerm(best)?.limit ?? Infinity))))
    ) {
      best = p;
    }
  }
  return best;
}

function transactionOn(transactions: readonly Transaction[], evseId: number): Transaction | undefined {
  return transactions.find((t) => t.evseId === evseId);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function piecesOf(ctx: CompositeContext, evseId: number, purpose: Purpose, anchor: number, S: number, E: number): Piece[] {
  return ctx.installed
    .filter((i) => i.evseId === evseId && i.profile.purpose === purpose)
    .flatMap((i) => expand(i.profile, anchor, S, E, evseId !== 0));
}

/**
 * TxProfiles count only for the transaction running on that EVSE: bound to its id, or unbound (a
 * RemoteStart profile not yet bound) while a transaction runs (rules §5.2 step 4; SC-16-29).
 */
function txProfilePieces(ctx: CompositeContext, evseId: number, tx: Transaction | undefined, anchor: number, S: number, E: number): Piece[] {
  if (!tx) return [];
  return ctx.installed
    .filter(
      (i) =>
        i.evseId === evseId &&
        i.profile.purpose === 'TxProfile' &&
        (i.profile.transactionId === undefined || i.profile.transactionId === tx.transactionId),
    )
    .flatMap((i) => expand(i.profile, anchor, S, E, true));
}

/**
 * 2.1 priority charging, while active for the transaction on `evseId`: the pieces of the PriorityCharging
 * profiles of that EVSE (else those on evse 0, as TxDefault), resolved by stackLevel. Undefined when
 * priority charging is not active or no PriorityCharging profile exists (the station then answers
 * UsePriorityCharging with NoProfile and nothing changes).
 * Rests on the 2.1 schema texts: UsePriorityChargingRequest.activate "True to request priority charging",
 * NotifyPriorityChargingRequest.activated "False if it has stopped using the priority charging profile":
 * priority charging means charging with that profile instead of the transaction's own limit. Which
 * profiles it replaces is the model's reading (TxProfile and TxDefault: the per-transaction limit); the
 * station-wide ChargingStationMaxProfile and ExternalConstraints still cap it (a grid limit is not a
 * preference). PriorityCharging schedules have no duration (K01.FR.70, as cited by libocpp).
 */
function priorityPieces(ctx: CompositeContext, evseId: number, tx: Transaction | undefined, anchor: number, S: number, E: number): Piece[] | undefined {
  if (!tx || !(ctx.priority ?? []).includes(tx.transactionId)) return undefined;
  const of = (id: number) => ctx.installed.filter((i) => i.evseId === id && i.profile.purpose === 'PriorityCharging');
  const chosen = of(evseId).length > 0 ? of(evseId) : of(0);
  if (chosen.length === 0) return undefined;
  return chosen.flatMap((i) => expand(i.profile, anchor, S, E, i.evseId !== 0));
}

/** Whether a PriorityCharging profile applies to `evseId` (its own, or one on evse 0): UsePriorityCharging's NoProfile. */
export function hasPriorityProfile(installed: readonly Installed[], evseId: number): boolean {
  return installed.some((i) => i.profile.purpose === 'PriorityCharging' && (i.evseId === evseId || i.evseId === 0));
}

/**
 * TxDefault for an EVSE; counts with or without a transaction (OCTT TC_056_CS, TC_K_22_CS, rules §5.1).
 * 1.6 §3.13.1: a TxDefault on connector N replaces the connector-0 TxDefault "only for that specific
 * connector" — entirely, whatever its validity. 2.0.1 (K01.FR.14/.15, libocpp): evse-0 and evse-N
 * TxDefaults both apply and are resolved together by stackLevel.
 */
function txDefaultPieces(ctx: CompositeContext, evseId: number, anchor: number, S: number, E: number): Piece[] {
  const own = ctx.installed.filter((i) => i.evseId === evseId && i.profile.purpose === 'TxDefaultProfile');
  const station = ctx.installed.filter((i) => i.evseId === 0 && i.profile.purpose === 'TxDefaultProfile');
  const chosen = ctx.version === '1.6' ? (own.length > 0 ? own : station) : [...own, ...station];
  return chosen.flatMap((i) => expand(i.profile, anchor, S, E, i.evseId !== 0));
}

/**
 * Expand one profile into absolute constant pieces inside [S, E) (rules §5.2 step 2): occurrences per
 * kind, each period ending at the next period's start or at the occurrence end (anchor + duration, the
 * next recurrence, or never), clipped to [validFrom, validTo).
 */
export function expandProfile(profile: Profile, relativeAnchor: number, S: number, E: number): { from: number; to: number; limit: number; unit: RateUnit; numberPhases?: number }[] {
  return expand(profile, relativeAnchor, S, E, false).map(({ from, to, limit, unit, numberPhases }) =>
    numberPhases === undefined ? { from, to, limit, unit } : { from, to, limit, unit, numberPhases },
  );
}

function expand(profile: Profile, relativeAnchor: number, S: number, E: number, evseLevel: boolean): Piece[] {
  const schedule = profile.schedules[0];
  if (!schedule || schedule.periods.length === 0) return [];
  const validFrom = profile.validFrom !== undefined ? toEpochSeconds(profile.validFrom) : -Infinity;
  const validTo = profile.validTo !== undefined ? toEpochSeconds(profile.validTo) : Infinity;
  const lo = Math.max(S, validFrom);
  const hi = Math.min(E, validTo);
  if (lo >= hi) return [];

  const occurrences: { start: number; end: number }[] = [];
  const startSchedule = schedule.startSchedule !== undefined ? toEpochSeconds(schedule.startSchedule) : undefined;
  switch (profile.kind) {
    case 'Absolute':
      occurrences.push({ start: startSchedule ?? (Number.isFinite(validFrom) ? validFrom : S), end: Infinity });
      break;
    case 'Relative':
      occurrences.push({ start: relativeAnchor, end: Infinity });
      break;
    case 'Dynamic':
      // 2.1: one period from startPeriod 0 (K28.FR.01/.02), in force from installation on with the values of
      // its last update (libocpp anchors it at "now"); a Dynamic profile with a duration is left out (profile.ts).
      occurrences.push({ start: lo, end: Infinity });
      break;
    case 'Recurring': {
      if (startSchedule === undefined || profile.recurrencyKind === undefined) return []; // rejected at install
      const period = profile.recurrencyKind === 'Daily' ? DAILY_S : WEEKLY_S;
      // Latest occurrence not after the window start, then every following one up to the window end.
      // Each occurrence is cut at the next (errata 3.43: periods beyond the recurrence are not executed).
      for (let k = Math.max(0, Math.floor((lo - startSchedule) / period)); startSchedule + k * period < hi; k++) {
        const start = startSchedule + k * period;
        occurrences.push({ start, end: start + period });
      }
      break;
    }
  }

  const pieces: Piece[] = [];
  const periods = schedule.periods;
  for (const occ of occurrences) {
    const occEnd = Math.min(occ.end, schedule.duration !== undefined ? occ.start + schedule.duration : Infinity);
    for (let i = 0; i < periods.length; i++) {
      const p = periods[i]!;
      const next = periods[i + 1];
      const from = Math.max(occ.start + p.startPeriod, lo);
      const to = Math.min(next ? occ.start + next.startPeriod : Infinity, occEnd, hi);
      if (from < to) {
        const piece: Piece = { from, to, limit: p.limit, unit: schedule.chargingRateUnit, stackLevel: profile.stackLevel, evseLevel, profileId: profile.id };
        if (p.numberPhases !== undefined) piece.numberPhases = p.numberPhases;
        if (p.operationMode !== undefined && p.operationMode !== 'ChargingOnly') {
          piece.v2x = { operationMode: p.operationMode, ...(p.v2x ? { fields: p.v2x } : {}), ...(p.limitAbsent ? { limitAbsent: true as const } : {}) };
        }
        pieces.push(piece);
      }
    }
  }
  return pieces;
}
