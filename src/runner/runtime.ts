import type { CsmsStationState } from '../csms';
import type { DeviceCapabilities, RunConfig } from './config';
import type { PeerLink } from './link';
import type { CallbackServer } from './trigger/callbacks';
import type { QuietPeriod } from './quiet';

/** What every case of a run shares. */
export interface RunRuntime {
  config: RunConfig;
  caps: DeviceCapabilities;
  link: PeerLink;
  csmsState: CsmsStationState;
  builtin: boolean;
  /** Quiet periods from the device's measured latency (issue #14). */
  quiet: QuietPeriod;
  fixturesDir: string;
  /** Operator input for manual actions (tests inject a stream; default stdin when it is a TTY). */
  input?: NodeJS.ReadableStream;
  promptOutput?: NodeJS.WritableStream;
  /** Loopback endpoint for asynchronous trigger results (issue #13); started on first use. */
  callbacks?: CallbackServer;
}
