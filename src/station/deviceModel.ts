/**
 * The 2.0.1 device model of the harness station (issue #13 item 6): what it reports in NotifyReport
 * when a CSMS asks GetBaseReport (B07) or GetReport (B08), so a CSMS that learns EVSEs, connectors and
 * SmartCharging limits from the report (e.g. CitrineOS) needs no manual set-up. Pure functions over the
 * advertised limits and the station's current state.
 */
import type { Payload } from '../ocppj/messages';
import type { DeviceLimits } from '../smartcharging';
import { SMART_CHARGING_CTRLR } from './answers';

export interface ModelComponent {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

export interface ModelVariable {
  component: ModelComponent;
  variable: { name: string; instance?: string };
  value: string;
  mutability: 'ReadOnly' | 'ReadWrite';
  dataType: 'string' | 'decimal' | 'integer' | 'boolean' | 'OptionList' | 'MemberList';
  unit?: string;
  maxLimit?: number;
  valuesList?: string;
}

export interface ModelState {
  /** Profiles the station holds (SmartChargingCtrlr.Entries[ChargingProfiles]). */
  profiles: number;
  /** EVSEs with a transaction (AvailabilityState Occupied). */
  busyEvses: readonly number[];
  /** DeviceDataCtrlr.ItemsPerMessage[GetReport]: reportData entries per NotifyReport. */
  itemsPerMessage: number;
}

const bool = (b: boolean) => (b ? 'true' : 'false');

/** Every variable of the station, components in a stable order (station, EVSEs, connectors, controllers). */
export function deviceModel(limits: DeviceLimits, state: ModelState): ModelVariable[] {
  const out: ModelVariable[] = [];
  const add = (component: ModelComponent, name: string, value: string, dataType: ModelVariable['dataType'], extra: Partial<Omit<ModelVariable, 'variable' | 'component'>> & { instance?: string } = {}) => {
    const { instance, ...rest } = extra;
    out.push({ component, variable: instance ? { name, instance } : { name }, value, dataType, mutability: 'ReadOnly', ...rest });
  };
  const availability = 'Available,Occupied,Reserved,Unavailable,Faulted';
  add({ name: 'ChargingStation' }, 'AvailabilityState', state.busyEvses.length ? 'Occupied' : 'Available', 'OptionList', { valuesList: availability });
  add({ name: 'ChargingStation' }, 'Available', 'true', 'boolean');
  add({ name: 'ChargingStation' }, 'SupplyPhases', '3', 'integer');
  const maxW = Math.round(32 * limits.nominalVoltage * 3);
  for (let e = 1; e <= limits.evses; e++) {
    const busy = state.busyEvses.includes(e);
    const evse = { name: 'EVSE', evse: { id: e } };
    add(evse, 'AvailabilityState', busy ? 'Occupied' : 'Available', 'OptionList', { valuesList: availability });
    add(evse, 'Available', 'true', 'boolean');
    add(evse, 'Power', '0', 'decimal', { unit: 'W', maxLimit: maxW });
    add(evse, 'SupplyPhases', '3', 'integer');
    const connector = { name: 'Connector', evse: { id: e, connectorId: 1 } };
    add(connector, 'AvailabilityState', busy ? 'Occupied' : 'Available', 'OptionList', { valuesList: availability });
    add(connector, 'Available', 'true', 'boolean');
    add(connector, 'ConnectorType', 'cType2', 'OptionList', { valuesList: 'cType2,sType2' });
    add(connector, 'SupplyPhases', '3', 'integer');
  }
  // SmartChargingCtrlr (rules §9.2): the values the station role enforces in its checks.
  const sc = { name: SMART_CHARGING_CTRLR };
  add(sc, 'Enabled', 'true', 'boolean', { mutability: 'ReadWrite' });
  add(sc, 'Available', 'true', 'boolean');
  add(sc, 'Entries', String(state.profiles), 'integer', { instance: 'ChargingProfiles', maxLimit: limits.maxProfiles });
  add(sc, 'LimitChangeSignificance', '1.0', 'decimal', { mutability: 'ReadWrite' });
  add(sc, 'RateUnit', limits.rateUnits.join(','), 'MemberList', { valuesList: 'A,W' });
  add(sc, 'PeriodsPerSchedule', String(limits.maxPeriods), 'integer');
  add(sc, 'ProfileStackLevel', String(limits.maxStackLevel), 'integer');
  add(sc, 'ExternalControlSignalsEnabled', 'false', 'boolean', { mutability: 'ReadWrite' });
  add(sc, 'NotifyChargingLimitWithSchedules', 'false', 'boolean', { mutability: 'ReadWrite' });
  add(sc, 'Phases3to1', 'false', 'boolean');
  // 2.1 (rules §9; issue #16): set only on a 2.1 station (src/station/v21.ts advertised21).
  if (limits.dynamicProfiles !== undefined) {
    add(sc, 'SupportsFeature', String(limits.dynamicProfiles), 'boolean', { instance: 'DynamicProfiles' });
    add(sc, 'SupportedAdditionalPurposes', (limits.additionalPurposes ?? []).join(','), 'MemberList', { valuesList: 'PriorityCharging,LocalGeneration' });
  }
  const dd = { name: 'DeviceDataCtrlr' };
  for (const instance of ['GetReport', 'GetVariables', 'SetVariables']) {
    add(dd, 'ItemsPerMessage', String(instance === 'GetReport' ? state.itemsPerMessage : 16), 'integer', { instance });
    add(dd, 'BytesPerMessage', '65000', 'integer', { instance });
  }
  return out;
}

/** One ReportDataType entry (NotifyReportRequest.reportData). */
export function reportDatum(v: ModelVariable): Payload {
  return {
    component: { ...v.component },
    variable: { ...v.variable },
    variableAttribute: [{ type: 'Actual', value: v.value, mutability: v.mutability, persistent: true, constant: v.mutability === 'ReadOnly' }],
    variableCharacteristics: {
      dataType: v.dataType,
      ...(v.unit ? { unit: v.unit } : {}),
      ...(v.maxLimit !== undefined ? { maxLimit: v.maxLimit } : {}),
      ...(v.valuesList ? { valuesList: v.valuesList } : {}),
      supportsMonitoring: false,
    },
  };
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** B07: the variables of a base report. */
export function baseReportSelection(model: readonly ModelVariable[], reportBase: string): ModelVariable[] {
  switch (reportBase) {
    case 'FullInventory':
      return [...model];
    // B07: "ConfigurationInventory": every variable the operator can set.
    case 'ConfigurationInventory':
      return model.filter((v) => v.mutability === 'ReadWrite');
    // B07: "SummaryInventory": the availability of each component.
    case 'SummaryInventory':
      return model.filter((v) => v.variable.name === 'AvailabilityState');
    default:
      return [];
  }
}

/**
 * B08: the variables a GetReport selects. componentVariable: a component (all its variables unless a
 * variable is named; EVSE/instance narrow it when given). componentCriteria: components having that
 * variable (Active, Available, Enabled, Problem) true. Both given: both must hold.
 */
export function reportSelection(model: readonly ModelVariable[], request: Payload): ModelVariable[] {
  const cvs = request.componentVariable as Payload[] | undefined;
  const criteria = request.componentCriteria as string[] | undefined;
  const key = (c: ModelComponent) => `${c.name}|${c.instance ?? ''}|${c.evse?.id ?? ''}|${c.evse?.connectorId ?? ''}`;
  const matchesCv = (v: ModelVariable) =>
    !cvs ||
    cvs.some((cv) => {
      const c = cv.component as Payload;
      const evse = c.evse as Payload | undefined;
      const wantVar = cv.variable as Payload | undefined;
      if (!same(c.name as string, v.component.name)) return false;
      if (c.instance !== undefined && !same(c.instance as string, v.component.instance)) return false;
      if (evse && (evse.id !== v.component.evse?.id || (evse.connectorId !== undefined && evse.connectorId !== v.component.evse?.connectorId))) return false;
      if (wantVar && !same(wantVar.name as string, v.variable.name)) return false;
      if (wantVar?.instance !== undefined && !same(wantVar.instance as string, v.variable.instance)) return false;
      return true;
    });
  const withCriterion = new Set(model.filter((v) => criteria?.some((c) => same(c, v.variable.name)) && v.value === 'true').map((v) => key(v.component)));
  return model.filter((v) => matchesCv(v) && (!criteria || withCriterion.has(key(v.component))));
}

/** NotifyReport requests for `selected`, `perMessage` entries each: seqNo from 0, tbc on all but the last. */
export function notifyReportFrames(selected: readonly ModelVariable[], requestId: number, perMessage: number, generatedAt: string): Payload[] {
  const frames: Payload[] = [];
  for (let i = 0; i < selected.length; i += perMessage) frames.push({ requestId, generatedAt, seqNo: frames.length, reportData: selected.slice(i, i + perMessage).map(reportDatum) });
  frames.forEach((f, i) => (f.tbc = i < frames.length - 1));
  return frames;
}
