/**
 * Nonconformances the reference peers can inject (mutation self-test, issues #5 and #6). Each names one
 * rule; the self-test shows that the cases targeting the rule fail and nothing else breaks.
 */
export const STATION_FAULTS = {
  // pagination (2.0.1 K09)
  'tbc-never-false': 'every ReportChargingProfiles frame says tbc=true, so the report never ends (K09.FR.03)',
  'report-drops-profile': 'one matching profile is left out of the reports (K09.FR.01, set equality)',
  'wrong-request-id': 'ReportChargingProfiles carries requestId + 1 (K09.FR.01)',
  'report-before-response': 'reports are sent before the GetChargingProfiles response (rules §6.2)',
  'interleaved-reports': 'all reports are sent at once without waiting for the CSMS answers (Part 4 §4.1.1)',
  // filters
  'clear-ignores-stacklevel': 'ClearChargingProfile ignores the stackLevel criterion (1.6 errata 3.25, K10.FR.04)',
  'clear-or-instead-of-and': 'ClearChargingProfile criteria are ORed instead of ANDed (rules §7.3)',
  'clear-unknown-as-accepted': 'ClearChargingProfile answers Accepted when nothing matched (K10.FR.01, errata 3.25)',
  'get-ignores-evse': 'GetChargingProfiles ignores evseId (K09.FR.04/.05/.06)',
  // set-up faults (issue #11): met by the clean slate of the first case, which fails; the rest are blocked
  'get-profiles-not-implemented': 'GetChargingProfiles is answered with CALLERROR NotImplemented although SmartCharging is advertised (K09.FR.02)',
  'reports-never-sent': 'GetChargingProfiles is always answered Accepted and no ReportChargingProfiles ever follows (K09.FR.01, K09.FR.02)',
  'report-stream-stops': 'GetChargingProfiles is always answered Accepted; one ReportChargingProfiles with tbc=true follows, then nothing (K09.FR.01)',
  'late-extra-report': 'an extra ReportChargingProfiles follows the terminal frame 80 ms after its answer (rules §6.2; caught within the quiet period however fast the station, issue #14)',
  // rejections
  'accept-txprofile-without-transaction': 'a TxProfile without a running transaction is accepted (K01.FR.09, 1.6 §3.13.1)',
  'accept-max-on-evse': 'a station-max profile on an EVSE/connector > 0 is accepted (1.6 §3.13.1, K01 placement)',
  'accept-first-period-nonzero': 'a schedule whose first startPeriod is not 0 is accepted (K01.FR.31, 1.6 §7.13)',
  // composite
  'composite-ignores-max': 'the composite ignores the station-max profile (rules §5.2 step 5)',
  'composite-txdefault-over-txprofile': 'the composite uses TxDefault although a TxProfile applies (1.6 §3.13.3, K02)',
  'composite-no-limit-lagging':
    'every composite is one period of -1 ("no limit") from a scheduleStart 0.6 s before the station\'s now, as MicroOcpp 1.6 reports TxDefault profiles outside a transaction with a clock set from a whole-second currentTime (rules §5.1, §5.2): the leading fraction of a second where no profile applies yet must not hide the rest',
  'composite-wrong-anchor': 'the composite is computed for an instant 30 s before the scheduleStart it reports (rules §10)',
  'composite-truncated': 'the composite stops where the highest-priority profile ends, dropping the fall-back to the lower stack level; duration shortened to match (1.6 §5.7, rules §5.6)',
  'relative-anchored-at-install': 'a Relative profile installed before the transaction is laid from its installation, not from the transaction start (rules §5.2 step 2)',
  'composite-offsets-not-rebased': 'period offsets counted from each profile\'s own start (startSchedule, occurrence or transaction start), not rebased to scheduleStart (rules §5.2 step 8)',
  // schema
  'extra-property': 'SetChargingProfile response carries an undeclared property (schema additionalProperties)',
  'wrong-enum': 'ClearChargingProfile response status is "Ok" (schema enum)',
  'wrong-type': 'GetCompositeSchedule response: 2.0.1 schedule.duration / 1.6 connectorId sent as a string (schema type)',
  // lenient answers (issue #11 item 7)
  'decimal-accepted-not-applied':
    'a limit with more than one decimal is Accepted and stored (1.6: despite the schema multipleOf 0.1) but left out of the composite (rules §8)',
  'composite-rejected-when-empty': 'GetCompositeSchedule is answered Rejected while no profile is installed (1.6: undefined, WARN; 2.0.1: TC_K_39_CS)',
  // framing
  'wrong-message-id': 'the SetChargingProfile CALLRESULT carries another messageId (OCPP-J correlation)',
  'garbage-frame': 'ClearChargingProfile is answered with a frame that is not JSON (OCPP-J framing)',
  silence: 'GetCompositeSchedule is never answered (OCPP-J: every CALL gets a response)',
  // outside cases and malformed responses (issue #11)
  'garbage-after-boot': 'a non-JSON text frame right after the BootNotification answer (OCPP-J framing, judged by SC-X-01)',
  'wrong-message-id-first-answer': 'the first CALLRESULT after the boot (the capability discovery answer) carries another messageId (OCPP-J correlation, SC-X-01)',
  'callerror-details-string': 'a ClearChargingProfile with a stackLevel criterion is answered with a CALLERROR whose errorDetails is a JSON string (OCPP-J framing)',
  // reboot persistence (issue #12 item 8)
  'profiles-lost-on-reboot': 'installed profiles are forgotten when the station reboots after a Reset (1.6 errata 3.37, K01.FR.27)',
  // Replacement by id (issue #12, OCTT coverage: TC_K_04_CS).
  'replace-by-id-same-evse-only': '2.0.1: a Set with an installed id replaces it only on the same EVSE and purpose; the old profile with that id stays elsewhere (K01.FR.05)',
} as const;

export type StationFault = keyof typeof STATION_FAULTS;

/**
 * Legitimate variations of a conforming station (not faults): the suites must still reach a correct
 * verdict on them — PASS, or ERROR/skip with the reason where a precondition cannot be reached.
 */
export const STATION_QUIRKS = {
  'operation-modes-21':
    '2.1: takes profiles with operationMode CentralSetpoint / ExternalSetpoint / ExternalLimits (a V2X-capable station); the model leaves them out of the composite, so the harness WARNs and does not judge such composites',
  'priority-on-local-request-21':
    '2.1: a driver asks for priority charging at the station: once a PriorityCharging profile is installed for an EVSE with a running transaction, the station activates it and sends NotifyPriorityCharging (activated=true)',
  'dynamic-min-interval-21':
    '2.1: a minimum dynUpdateInterval of 10 s: a Dynamic profile with a shorter (non-zero) interval is answered CALLERROR PropertyConstraintViolation — no text sets a minimum, so SC-21-04/05 WARN and do not judge the pull',
  'slow-pull-21':
    '2.1: pulls on its own, slower period: PullDynamicScheduleUpdate comes 3 × dynUpdateInterval + 3 s after the last update instead of dynUpdateInterval (K28.FR.10 sets no tolerance): SC-21-04 WARNs naming the observed delay, never FAILs',
  'variables-21-loose':
    '2.1: reports SmartChargingCtrlr.Available as "1", SupportsFeature[...] as "1" / "True" and SupportedAdditionalPurposes as " priorityCharging ,LOCALGENERATION" (spacing and casing): discovery still reads every flag',
  'priority-notify-late-21':
    '2.1: as priority-on-local-request-21, but NotifyPriorityCharging (activated=true) leaves 150 ms after the station applied priority charging, and activated=false follows the end of a transaction that had it: the harness waits a quiet period for a late notification before judging',
  'randomized-delay-21':
    '2.1: applies ChargingScheduleType.randomizedDelay — the start of an Absolute schedule with randomizedDelay d is delayed by d/2 s (a "random" pick, fixed for CI): the composite shows the lower stack level meanwhile; SC-21-33 WARNs in the first d s, never FAILs',
  'slow-reconnect':
    'after a lost connection the first reconnect attempt comes 2 s later and the back-off doubles (to 5 s) while refused, as a fleet device\'s RetryBackOffWaitMinimum would: offline cases (SC-21-30…32) take longer than a short caseTimeoutMs and must still reach their verdict',
  'priority-no-profile-rejected-21': '2.1: UsePriorityCharging without a PriorityCharging profile is answered Rejected (reasonCode NoProfile) instead of status NoProfile — schema-valid, a WARN',
  'no-ev': 'accepts a remote start and then waits for an EV that never comes: no transaction starts (1.6 §5.11 "will attempt"; the case cannot reach its subject)',
  'composite-start-schedule-16': '1.6: the composite chargingSchedule carries startSchedule (= scheduleStart); errata 3.57 says omit it — schema-valid, a WARN',
  'composite-phases-unknown-16': '1.6: every composite period carries numberPhases −1 (MicroOcpp\'s "unknown"); 1.6 §7.14 sets no range — a WARN, never a failure',
  'composite-any-unit-16':
    '1.6: a composite asked in a unit the station does not take for profiles (ChargingScheduleAllowedChargingRateUnit) is converted and Accepted, not Rejected (MicroOcpp, W only, answers in A): 1.6 has no SHALL here — SC-16-18 WARNs',
  'needs-plugin': 'accepts a remote start and waits for an EV: the transaction starts only after plugIn (the bench\'s station action)',
  // units (issue #12 item 1): a station may support one rate unit only (1.6 §9.4
  // ChargingScheduleAllowedChargingRateUnit, 2.0.1 SmartChargingCtrlr.RateUnit) and rejects the other
  // (1.6 §9.4, K01.FR.26; composites K08.FR.07).
  'watt-only': 'advertises and accepts only W (Power): A profiles and A composites are Rejected',
  'amp-only': 'advertises and accepts only A (Current): W profiles and W composites are Rejected',
  // transactions and identifiers (issue #12 items 2, 3, 4, 6)
  'uuid-transaction-ids': '2.0.1 transactionIds are UUIDs (36 characters, the identifierString maximum)',
  'large-transaction-ids': '1.6: the harness as CSMS assigns transactionIds from 2^31−201 up to the schema integer limit; 2.0.1: ids are decimal strings near 2^31−1',
  'finishing-after-stop': 'the connector stays Finishing (2.0.1 Occupied) for 2.5 s after a transaction and rejects remote starts meanwhile',
  'settles-after-available':
    'with finishing-after-stop: a remote start that arrives within 100 ms after the CSMS answered the Available StatusNotification is Rejected (SAP simulator: it updates its connector only once that answer is processed); the harness retries once after a quiet period',
  'finishing-until-unplug': 'the connector stays Finishing (2.0.1 Occupied) after a transaction until the EV is unplugged (station action unplug) and rejects remote starts meanwhile (MicroOcpp)',
  'own-transactions': 'every other remote start: the station starts a transaction of its own on that connector (idTag OWNTAG0001) just before the requested one, and ends it locally just after',
  // timing (issue #14)
  'short-message-timeout':
    '2.0.1: reports OCPPCommCtrlr.MessageTimeout = 2 s and gives up on a ReportChargingProfiles not answered within 2 s (the rest of the report is not sent): SC-X-07 must hold its answers less than that',
  // device profile (issue #12 item 7)
  'no-21-features':
    '2.1: advertises no SupportsFeature[...] flag and no SupportedAdditionalPurposes (all false / empty) and rejects those features: the 2.1-only cases that need them skip with the reason',
  // capability discovery in parts (src/reference/discovery-limits.ts)
  'items-per-message-3':
    'DeviceDataCtrlr.ItemsPerMessage[GetVariables] = 3 (2.x) / GetConfigurationMaxKeys = 3 (1.6): a GetVariables or GetConfiguration of more items is answered CALLERROR OccurrenceConstraintViolation (B06.FR.16): discovery asks again one item per request, WARN in SC-X-01, the device values taken',
  'max-keys-3-16':
    '1.6: GetConfigurationMaxKeys = 3 and a GetConfiguration of more keys is answered for the first 3 only, the rest left out (1.6 §9.1 does not say what happens): discovery asks the rest again one per request, WARN in SC-X-01',
  'unreported-limits':
    'does not report its SmartCharging limits (SAP 1.6: the four keys unknown; MicroOcpp/VCP 2.0.1: SmartChargingCtrlr variables unknown): 2.0.1 WARN in SC-X-01 (rules §9.2); 1.6 misses keys §9.4 requires — ONE failure in SC-X-01, no case judged against a default',
} as const;

export type StationQuirk = keyof typeof STATION_QUIRKS;

export const CSMS_FAULTS = {
  'invalid-payload': 'a SetChargingProfile request that violates the schema (extra property)',
  'bad-framing': 'a CALL frame with a numeric messageId',
  'second-call-while-outstanding': 'a second CALL before the first is answered (Part 4 §4.1.1)',
  'reused-message-id': 'the same messageId for two different CALLs',
  'report-not-answered': 'ReportChargingProfiles is never answered',
  'report-answered-with-error': 'ReportChargingProfiles is answered with a CALLERROR',
  'relative-max-profile': 'a station-max profile of kind Relative (K01.FR.38)',
  'txprofile-without-transaction': 'a TxProfile without transactionId (K01.FR.03)',
  // OCPP 1.6 CSMS-side cases SC-CSMS-16-xx (issue #13); applied to 1.6 sessions only (src/reference/csms-v16-faults.ts).
  'txdefault-on-connector-0': '1.6: every TxDefaultProfile is sent for connector 0, whatever connector was asked (TC_056_CSMS, 1.6 §3.13.1)',
  'stale-transaction-id': '1.6: a TxProfile carries the transactionId before the running one (1.6 §3.13.1, TC_057_CSMS)',
  'txprofile-without-validity': '1.6: an Absolute TxProfile without validFrom, validTo and duration (legal in 1.6 §7.8; OCTT TC_057_CSMS expects them: WARN)',
  'remote-start-profile-transaction-id': '1.6: the RemoteStartTransaction profile carries a transactionId (errata 3.41, TC_059_CSMS)',
  'remote-start-without-connector': '1.6: RemoteStartTransaction with a charging profile but no connectorId (legal, 1.6 §6.33: WARN)',
  'composite-unit-fixed-amps': '1.6: GetCompositeSchedule always asks for chargingRateUnit A (TC_066_CSMS)',
  'composite-decimals-refused': '1.6: a composite answer with one-decimal limits (9.1, 8.1) is refused by a division multipleOf check (1.6 §7.14, rules §8)',
  'clear-wrong-id': '1.6: ClearChargingProfile by id names the id after the one asked (TC_067_CSMS)',
  'clear-criteria-dropped': '1.6: ClearChargingProfile criteria lose their stackLevel, so more is cleared (errata 3.25, TC_067_CSMS)',
  'limit-float-noise': '1.6: limits sent as tenths × 0.1 (8.1 → 8.100000000000001; 1.6 §7.14 at most one fractional digit)',
  'limit-rounded': '1.6: limits and minChargingRate rounded to whole numbers (8.1 → 8; one fractional digit is legal, 1.6 §7.14)',
  'stack-level-one-based': '1.6: stackLevel counted from 1 (asked + 1): above ChargeProfileMaxStackLevel at the top (1.6 §9.4)',
  'schedule-in-amps': '1.6: every schedule converted to A whatever the station allows (1.6 §9.4 ChargingScheduleAllowedChargingRateUnit)',
  'composite-rejected-closes': '1.6: the CSMS closes the connection when a station answers GetCompositeSchedule Rejected (a legal answer, 1.6 §6.22)',
  'remote-start-connector-0': '1.6: RemoteStartTransaction with a charging profile for connectorId 0 (1.6 §6.33: connectorId SHALL be > 0)',
  'clear-all-by-purpose': '1.6: "clear all" is sent as ClearChargingProfile for TxDefaultProfile only (errata 3.25: no field clears all; TC_067_CSMS)',
  'composite-discarded': 'the composite schedule a station answered is neither kept nor relayed (GetCompositeSchedule results lost)',
  'composite-altered': 'composite limits are rounded to integers when stored (15.2 → 15, 0.1 → 0; mobilityhouse #217 class)',
  'txprofile-stale-transaction': "a TxProfile naming the station's previous transaction instead of the running one (K01.FR.03)",
  // OCTT 2.0.1 CSMS coverage (issue #13, suites/csms/octt-k.ts).
  'replace-with-new-id': 'every SetChargingProfile gets a new chargingProfile.id, so a limit change installs a second profile instead of replacing the first (K01.FR.05, TC_K_04_CSMS)',
  'criteria-drop-evse': 'GetChargingProfiles and ClearChargingProfile are sent without the evseId they were asked for (TC_K_08/29/30/33–36_CSMS)',
  'fixed-composite-duration': 'GetCompositeSchedule always asks for 86400 s, whatever duration it was asked for (TC_K_43/44_CSMS)',
  'charging-limit-callerror': 'NotifyChargingLimit and ClearedChargingLimit are answered with CALLERROR InternalError (K12/K13, TC_K_48/50/51_CSMS)',
  'needs-reaction-missing': 'NotifyEVChargingNeeds is answered Accepted, but no SetChargingProfile follows (K15.FR.03, TC_K_53_CSMS)',
  'needs-reaction-wrong-transaction': 'the TxProfile sent in reaction to NotifyEVChargingNeeds names another transaction (K01.FR.03, TC_K_53_CSMS)',
  'needs-reaction-after-ended': 'the reaction to NotifyEVChargingNeeds is sent only after the CSMS answered the TransactionEvent(Ended) of that transaction (K01.FR.03)',
  'transaction-updated-callerror': 'TransactionEvent Updated is answered with CALLERROR InternalError (a CSMS that handles only Started/Ended; K13 / TC_K_51_CSMS steps 3-4)',
  'ev-schedule-always-accepted': 'NotifyEVChargingSchedule is answered Accepted even when the EV schedule exceeds the CSMS limits (K15.FR.12, TC_K_55_CSMS)',
  // CitrineOS-like refresh (the refresh-profiles quirk, src/reference/csms.ts), answered wrongly (citrine-run3 B).
  'refresh-report-callerror': 'refreshes like the refresh-profiles quirk, but answers the ReportChargingProfiles of its own GetChargingProfiles with CALLERROR RpcFrameworkError (rules §6.2: every report answered)',
  'no-renegotiation': 'after rejecting an EV schedule that exceeds its limits the CSMS starts no renegotiation (K15.FR.13, TC_K_55_CSMS)',
} as const;

export type CsmsFault = keyof typeof CSMS_FAULTS;

/**
 * Reference-station faults that exist only on an OCPP 2.1 connection (issue #16). Kept apart from
 * STATION_FAULTS, whose 1.6 / 2.0.1 mutation matrix runs every entry; `test/mutation/station-21.test.ts`
 * shows each of these caught on 2.1.
 */
export const STATION_FAULTS_21 = {
  'composite-limit-omitted-21':
    '2.1: composite periods carry no limit although their operationMode (ChargingOnly) needs one (2.1 schema ChargingSchedulePeriodType.limit: optional only under setpoint/external/local modes)',
  // Dynamic profiles (K28; src/reference/station21-dynamic.ts).
  'dynamic-update-ignored': '2.1: UpdateDynamicSchedule is answered Accepted but the Dynamic profile keeps its values, so the composite does not follow (K28.FR.06)',
  'dynamic-update-unknown-accepted': '2.1: UpdateDynamicSchedule for a profile id the station does not hold is answered Accepted (K28.FR.11)',
  'dynamic-pull-never': '2.1: no PullDynamicScheduleUpdate is ever sent, whatever the dynUpdateInterval (K28.FR.10)',
  'dynamic-shape-unchecked': '2.1: a Dynamic profile with more than one period, and a non-Dynamic profile with dynUpdateInterval, are Accepted (K28.FR.01, K01.FR.122)',
  'dynamic-pull-after-clear': '2.1: PullDynamicScheduleUpdate goes on for a Dynamic profile after it was cleared (no text read says it must stop: WARN in SC-21-05)',
  'dynamic-pull-wrong-id': '2.1: PullDynamicScheduleUpdate names chargingProfileId + 1 instead of the Dynamic profile\'s id, so no pull is ever made for it (K28.FR.10 "with chargingProfileId = chargingProfile.id")',
  'dynamic-pull-ignored': '2.1: the scheduleUpdate of an Accepted PullDynamicScheduleUpdate answer is not applied (K28.FR.08)',
  'offline-duration-ignored':
    '2.1: maxOfflineDuration is ignored: a profile with invalidAfterOfflineDuration true still applies after the station was offline longer than its maxOfflineDuration (2.1 ChargingProfileType.maxOfflineDuration)',
  'offline-invalid-revived':
    '2.1: a profile made permanently invalid (invalidAfterOfflineDuration true, offline longer than maxOfflineDuration) applies again after a later, shorter offline period (2.1 ChargingProfileType.invalidAfterOfflineDuration "permanently invalid")',
  'drops-21-profile-fields':
    '2.1: ReportChargingProfiles leaves out the chargingSchedule fields randomizedDelay, limitAtSoC and useLocalTime the profile was set with (rules §6.2: reported as sent)',
  // Priority charging and the new purposes (issue #16; src/reference/station21-priority.ts).
  'priority-not-applied':
    '2.1: UsePriorityCharging(activate) is answered Accepted but the composite keeps the TxProfile/TxDefault limit (NotifyPriorityChargingRequest.activated: priority charging = using the priority charging profile)',
  'local-generation-not-reported': '2.1: GetChargingProfiles leaves LocalGeneration profiles out of the reports (K09.FR.01, rules §6.2)',
  'setpoint-dropped-in-report': '2.1: reported profiles lose their setpoints and discharge limits (rules §6.2: a report echoes the profile as sent)',
  'setpoint-dropped-in-composite':
    '2.1: composite periods with a limit lose operationMode and setpoints although their sole source is a CentralSetpoint period (OperationModeEnumType: absent = ChargingOnly)',
  'discovery-21-unanswered':
    '2.1: a GetVariables that asks SmartChargingCtrlr.SupportsFeature[...] is never answered (OCPP-J CALL/CALLRESULT): SC-X-01 FAILS naming it, the 2.0.1 variables discovered before are kept',
  'notify-priority-unknown-tx': '2.1 (with quirk priority-on-local-request-21): NotifyPriorityCharging names a transaction the station never ran',
} as const;

export type StationFault21 = keyof typeof STATION_FAULTS_21;

export class UnknownFaultError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`unknown fault "${name}"; known: ${known.join(', ')}`);
    this.name = 'UnknownFaultError';
  }
}

export function checkFaults<T extends string>(names: readonly string[], table: Record<T, string>): Set<T> {
  const known = Object.keys(table);
  for (const n of names) if (!known.includes(n)) throw new UnknownFaultError(n, known);
  return new Set(names as T[]);
}
