/**
 * Take the peer offline for a known time (harness as CSMS): close its connection, refuse its
 * reconnection attempts for a while, then wait, bounded, for it to connect again. Generic connection
 * control for cases about offline behaviour (2.1 maxOfflineDuration, issue #16); what the offline period
 * means is the case's business, not this module's.
 */
import type { PeerLink } from './link';

export interface OfflineOptions {
  /** How long reconnection attempts are refused after the close (ms; 0 = the station may come back at once). */
  refuseMs: number;
  /** How long after the refusal window the station may take to reconnect (ms). */
  reconnectTimeoutMs: number;
}

export interface OfflineOutcome {
  /** Whether the station connected again within refuseMs + reconnectTimeoutMs. */
  reconnected: boolean;
  /** From the close to the new session (or to giving up), as the harness measured it. */
  offlineMs: number;
}

/** Raised when the endpoint cannot gate connections (harness as station: the CSMS is the server). */
export class OfflineUnsupported extends Error {
  constructor() {
    super('taking the peer offline needs the harness to be the server (harness as CSMS)');
    this.name = 'OfflineUnsupported';
  }
}

export async function takeOffline(link: PeerLink, opts: OfflineOptions, signal?: AbortSignal): Promise<OfflineOutcome> {
  const gate = link.gate;
  const session = link.session;
  if (!gate) throw new OfflineUnsupported();
  // Refuse before closing: a station that reconnects at once must meet the refusal too.
  gate.refuseUntil(Date.now() + opts.refuseMs);
  const closedAt = Date.now();
  if (session?.isOpen) await session.close(1001, 'going offline (test of offline behaviour)');
  const next = await link.waitForSession(opts.refuseMs + opts.reconnectTimeoutMs, signal);
  gate.refuseUntil(0);
  return { reconnected: next !== undefined && next !== session, offlineMs: Date.now() - closedAt };
}
