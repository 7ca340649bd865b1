import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface ServerCertificates {
  /** PEM of the CA, written to disk so a child process can trust it through NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  caCert: string;
  serverKey: string;
  serverCert: string;
}

/**
 * A throw-away CA and a server certificate it signs for 127.0.0.1 and localhost. A real CA chain
 * (rather than one self-signed leaf) is what NODE_EXTRA_CA_CERTS and `ca` options expect, and
 * msal refuses anything but https. EC keys keep start-up in the tens of milliseconds.
 */
export async function createServerCertificates(certDir: string): Promise<ServerCertificates> {
  // Back-dated so a child process with a slightly different clock still accepts the certificate.
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'Fake Microsoft Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const caCertPath = join(certDir, 'ca.pem');
  await mkdir(certDir, { recursive: true });
  await writeFile(caCertPath, ca.cert);
  return { caCertPath, caCert: ca.cert, serverKey: server.private, serverCert: server.cert };
}
