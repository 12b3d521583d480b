import type { TraceFrame } from '../../report/types';
import { CallErrorResponse } from '../../ocppj/errors';
import { discoverCapabilities } from '../discovery';
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
  if (ctx.builtin && caps.features.reset === undefined) caps.features.reset = true;
  if (config.stationActions?.reboot) caps.features.rebootAction = true;
  const session = link.session;
  if (!session?.isOpen || signal.aborted) return;
  try {
    const d = await discoverCapabilities(session, caps, config.timing.callTimeoutMs);
    Object.assign(caps, d.effective);
    Object.assign(capabilities, { discovered: d.reported, effective: d.effective, mismatches: d.mismatches, unknown: d.unknown });
    for (const m of d.mismatches) {
      notice(`capability mismatch: ${m}`);
      collector.warn(`capability mismatch: ${m}`, 'rules §9.3');
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
}
