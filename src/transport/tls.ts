import { readFileSync } from 'node:fs';

/** TLS material from PEM files (security profiles 2 and 3). */
export interface TlsFiles {
  /** Own certificate chain (server: required; client: for mutual TLS, profile 3). */
  cert?: string;
  key?: string;
  /** CA bundle used to verify the peer. */
  ca?: string;
  /** Server side: require and verify a client certificate (security profile 3). */
  requestClientCert?: boolean;
}

export interface TlsMaterial {
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer;
}

export function loadTls(files: TlsFiles): TlsMaterial {
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  return { cert: read(files.cert), key: read(files.key), ca: read(files.ca) };
}

/** TLS 1.2 or later only (OCPP security profiles 2/3 require it). */
export const MIN_TLS_VERSION = 'TLSv1.2' as const;

/** One line saying what failed in a TLS handshake, without secrets. */
export function describeTlsError(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS: certificate signed by an unknown CA (${code})`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: certificate name mismatch (${err.message.split('\n')[0]})`;
    case 'CERT_HAS_EXPIRED':
      return 'TLS: certificate expired (CERT_HAS_EXPIRED)';
    case 'CERT_NOT_YET_VALID':
      return 'TLS: certificate not yet valid (CERT_NOT_YET_VALID)';
    default:
      return code ? `${err.message.split('\n')[0]} (${code})` : err.message.split('\n')[0]!;
  }
}
