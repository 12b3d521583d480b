/** OCPP versions the harness speaks, and the WebSocket subprotocol of each (OCPP-J 1.6 §3.1.2; 2.0.1 Part 4 §3.1.2). */
export type OcppVersion = '1.6' | '2.0.1' | '2.1';

export const OCPP_VERSIONS: readonly OcppVersion[] = ['1.6', '2.0.1', '2.1'];

export function subprotocolOf(version: OcppVersion): string {
  return `ocpp${version}`;
}

export function versionOfSubprotocol(protocol: string): OcppVersion | undefined {
  return OCPP_VERSIONS.find((v) => subprotocolOf(v) === protocol);
}

export function isOcppVersion(value: unknown): value is OcppVersion {
  return typeof value === 'string' && (OCPP_VERSIONS as readonly string[]).includes(value);
}

/** Folder name under schemas/ for a version. */
export function schemaDirOf(version: OcppVersion): string {
  return `ocpp${version}`;
}
