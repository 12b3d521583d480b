import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface CertFiles {
  dir: string;
  caCert: string;
  otherCaCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  expiredCert: string;
  expiredKey: string;
  wrongNameCert: string;
  wrongNameKey: string;
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    priv: <forge.pki.rsa.PrivateKey>forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    pub: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

let serial = 1;
function cert(opts: {
  cn: string;
  pub: forge.pki.PublicKey;
  signer: forge.pki.rsa.PrivateKey;
  issuer?: forge.pki.Certificate;
  ca?: boolean;
  altIps?: string[];
  altDns?: string[];
  notBefore?: Date;
  notAfter?: Date;
  clientAuth?: boolean;
}): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = opts.pub;
  c.serialNumber = (serial++).toString(16).padStart(2, '0');
  c.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
  c.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 86400_000);
  const subject = [{ name: 'commonName', value: opts.cn }];
  c.setSubject(subject);
  c.setIssuer(opts.issuer ? opts.issuer.subject.attributes : subject);
  const ext: object[] = [{ name: 'basicConstraints', cA: !!opts.ca }];
  if (opts.ca) ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else {
    ext.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
    ext.push({ name: 'extKeyUsage', serverAuth: !opts.clientAuth, clientAuth: !!opts.clientAuth });
    const alt = [...(opts.altIps ?? []).map((ip) => ({ type: 7, ip })), ...(opts.altDns ?? []).map((value) => ({ type: 2, value }))];
    if (alt.length) ext.push({ name: 'subjectAltName', altNames: alt });
  }
  c.setExtensions(ext);
  c.sign(opts.signer, forge.md.sha256.create());
  return c;
}

/** A CA, a server certificate for 127.0.0.1, a client certificate, and broken variants — all fresh per call. */
export function makeCerts(): CertFiles {
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-certs-'));
  const caKey = keyPair();
  const ca = cert({ cn: 'Test CA', pub: caKey.pub, signer: caKey.priv, ca: true });
  const otherKey = keyPair();
  const other = cert({ cn: 'Other CA', pub: otherKey.pub, signer: otherKey.priv, ca: true });
  const srvKey = keyPair();
  const srv = cert({ cn: '127.0.0.1', pub: srvKey.pub, signer: caKey.priv, issuer: ca, altIps: ['127.0.0.1'], altDns: ['localhost'] });
  const cliKey = keyPair();
  const cli = cert({ cn: 'CS-TLS-1', pub: cliKey.pub, signer: caKey.priv, issuer: ca, clientAuth: true });
  const expKey = keyPair();
  const exp = cert({
    cn: '127.0.0.1', pub: expKey.pub, signer: caKey.priv, issuer: ca, altIps: ['127.0.0.1'],
    notBefore: new Date(Date.now() - 10 * 86400_000), notAfter: new Date(Date.now() - 86400_000),
  });
  const wnKey = keyPair();
  const wn = cert({ cn: 'csms.example', pub: wnKey.pub, signer: caKey.priv, issuer: ca, altDns: ['csms.example'] });
  const w = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const pem = (c: forge.pki.Certificate) => forge.pki.certificateToPem(c);
  return {
    dir,
    caCert: w('ca.pem', pem(ca)),
    otherCaCert: w('other-ca.pem', pem(other)),
    serverCert: w('server.pem', pem(srv)),
    serverKey: w('server.key', srvKey.pem),
    clientCert: w('client.pem', pem(cli)),
    clientKey: w('client.key', cliKey.pem),
    expiredCert: w('expired.pem', pem(exp)),
    expiredKey: w('expired.key', expKey.pem),
    wrongNameCert: w('wrongname.pem', pem(wn)),
    wrongNameKey: w('wrongname.key', wnKey.pem),
  };
}
