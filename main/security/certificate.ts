import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { ensurePrivateFile } from './private-files';

export const HUB_CERT_FILE = 'hub-certificate.pem';
export const HUB_KEY_FILE = 'hub-key.pem';

export interface HubCertificate {
  cert: string;
  key: string;
  /** SHA-256 over the DER certificate, as colon-separated upper-case hex (what browsers and `openssl x509 -fingerprint -sha256` show). */
  fingerprint: string;
  /** true: generated just now, on this first start. */
  generated: boolean;
}

/** The SHA-256 fingerprint of a PEM certificate (see HubCertificate.fingerprint); throws for text that is not one. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * The hub's TLS certificate (DESIGN 6): the administrator's, when `given` names the files
 * (read as they are, never copied), else the data folder's own, generated self-signed on the
 * first start (EC P-256, ten years, the names and addresses given as subject alternative
 * names beside localhost and 127.0.0.1) and kept at 0600. Desktops pin its fingerprint.
 *
 * @throws Error naming the file when a given certificate or key cannot be read or is not PEM.
 */
export async function hubCertificate(
  dataDir: string,
  names: readonly string[],
  given?: { cert: string; key: string },
): Promise<HubCertificate> {
  if (given) {
    const read = (file: string, what: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        throw new Error(`--${what} ${file}: the file cannot be read`);
      }
    };
    const cert = read(given.cert, 'cert');
    const key = read(given.key, 'key');
    let fingerprint: string;
    try {
      fingerprint = fingerprintOf(cert);
    } catch {
      throw new Error(`--cert ${given.cert}: not a PEM certificate`);
    }
    return { cert, key, fingerprint, generated: false };
  }
  const certFile = join(dataDir, HUB_CERT_FILE);
  const keyFile = join(dataDir, HUB_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: fingerprintOf(cert), generated: false };
  }
  const all = [...new Set(['localhost', '127.0.0.1', ...names])];
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + 10 * 365 * 24 * 3_600_000);
  const pems = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: all.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    ],
  });
  for (const [file, text] of [
    [keyFile, pems.private],
    [certFile, pems.cert],
  ] as const) {
    ensurePrivateFile(file);
    writeFileSync(file, text, { mode: 0o600 });
  }
  return { cert: pems.cert, key: pems.private, fingerprint: fingerprintOf(pems.cert), generated: true };
}
