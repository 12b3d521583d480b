import type { TraceFrame } from '../../report/types';
import { CallErrorResponse } from '../../ocppj/errors';
import { discoverCapabilities } from '../discovery';
import { effectiveProfile } from '../profile';
import { recordDeviceFailure } from '../verdict';
import type { RunContext } from './context';

const BOOT_WAIT_MS = 10_000;

/**
 * Phase 2, boot and discovery (harness as CSMS): give the station a bounded moment to boot, then ask
 * what it can tell (rules §9). Device failures on the way (a discovery request not answered, answered
 * with a CALLERROR or a broken frame) and declared-vs-discovered mismatches (WARN, rules §9.3) go to
 * SC-X-01; violations of its frames reach SC-X-01 through the link meanwhile.
 */
export async function bootAndDiscoveryPhase(ctx: RunContext): Promise<void> {
  const { config, link, signal, csmsState, caps, capabilities, notice } = ctx;
  const collector = ctx.outside.connection;
  // The station boots on connect; give it a bounded moment so vendor/model reach the report.
  if (!csmsState.boot) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, BOOT_WAIT_MS);
      function done() {
        clearTimeout(t);
        link.trace.off('frame', on);
        signal.removeEventListener('abort', done);
        resolve();
      }
      // Any BootNotification CALL ends the wait, a schema-invalid one too (it is judged in SC-X-01).
      function on(f: TraceFrame) {
        if (f.dir === 'in' && f.type === 'CALL' && f.action === 'BootNotification') setImmediate(done);
      }
      link.trace.on('frame', on);
      signal.addEventListener('abort', done);
    });
  }
  // Reboot cases (issue #12 item 8): the built-in station supports Reset; a configured reboot station
  // action lets the harness reboot any station.
  const harnessSet: Record<string, string> = {};
  if (ctx.builtin && caps.features.reset === undefined) {
    caps.features.reset = true;
    harnessSet['features.reset'] = 'the built-in reference station supports Reset';
  }
  if (config.stationActions?.reboot) {
    caps.features.rebootAction = true;
    harnessSet['features.rebootAction'] = 'stationActions.reboot is configured';
  }
  let taken: Record<string, string> | undefined;
  const session = link.session;
  if (!session?.isOpen || signal.aborted) return;
  try {
    const d = await discoverCapabilities(session, caps, config.timing.callTimeoutMs);
    Object.assign(caps, d.effective);
    taken = d.taken;
    Object.assign(capabilities, { discovered: d.reported, effective: d.effective, mismatches: d.mismatches, unknown: d.unknown });
    // Asking in parts (a request too long for the device, results left out) and later requests not answered
    // or answered invalidly: what was received is kept above; these are judged here, never dropped.
    for (const f of d.findings) {
      notice(`capability discovery: ${f.message}`);
      if (f.level === 'fail') collector.fail({ kind: 'AssertionFailure', message: f.message, rule: f.rule });
      else collector.warn(f.message, f.rule);
    }
    for (const { error, step } of d.failures) {
      notice(`capability discovery: ${(error as Error).message} (${step}); the declared profile stands in for what it asked`);
      recordDeviceFailure(error, collector, step);
    }
    for (const m of d.mismatches) {
      notice(`capability mismatch: ${m}`);
      collector.warn(`capability mismatch: ${m}`, 'rules §9.3');
    }
    // A key the version requires (1.6 §9.4 / §9.1 while SmartCharging is supported, rules §9.1) is ONE
    // finding here, never repeated per case; 2.0.1 has no SHALL for the SmartChargingCtrlr variables: WARN.
    const required = d.missing.filter((m) => m.required);
    if (required.length) {
      const rule = required.some((m) => m.rule === '1.6 §9.4') ? '1.6 §9.4' : required[0]!.rule;
      collector.fail({
        kind: 'AssertionFailure',
        message: `SmartCharging is supported but the station does not report the required configuration key${required.length > 1 ? 's' : ''} ${required.map((m) => `${m.key} (${m.rule})`).join(', ')}`,
        rule,
        expected: required.map((m) => m.key),
        actual: 'unknownKey or no value',
      });
    }
    const optional = d.missing.filter((m) => !m.required);
    if (optional.length) {
      collector.warn(`the station does not report ${optional.map((m) => m.key).join(', ')}: the limits they carry are not judged (not required by the 2.0.1 text; rules §9.2)`, 'rules §9.2');
    }
  } catch (e) {
    capabilities.discoveryError = (e as Error).message;
    notice(`capability discovery failed (${(e as Error).message}); using the declared profile`);
    // A discovery request not answered, or answered with an invalid or malformed frame, is a failure; a
    // CALLERROR is only a WARN here: the declared profile stands in, and the cases judge SmartCharging.
    if (e instanceof CallErrorResponse || !recordDeviceFailure(e, collector, 'capability discovery')) {
      collector.warn(`capability discovery failed (${(e as Error).message}); the declared profile is used`, 'rules §9');
    }
  }
  announceProfile(ctx, taken, harnessSet);
}

/**
 * Issue #12 item 7: the effective device profile and the source of every value, before the first case
 * (console via the reporter, JSON/JUnit via run.capabilities.profile); limits neither reported nor declared
 * are marked so the cases do not judge against a default.
 */
function announceProfile(ctx: RunContext, taken: Record<string, string> | undefined, harness: Record<string, string>): void {
  const { caps, capabilities, config } = ctx;
  // The built-in reference station is built from config.device; its capacity is the one value 2.0.1
  // discovery cannot read (Entries[ChargingProfiles].maxLimit is a characteristic, rules §9.2).
  if (ctx.builtin && config.ocpp !== '1.6') harness.maxProfiles ??= 'the built-in reference station is configured with it (not readable through GetVariables)';
  const { entries, unreported } = effectiveProfile({ version: config.ocpp, caps, declared: config.declaredDevice ?? [], taken, harness });
  caps.unreported = unreported;
  capabilities.profile = entries;
  ctx.reporter.onDeviceProfile?.({ entries, mismatches: (capabilities.mismatches as string[] | undefined) ?? [] });
}
