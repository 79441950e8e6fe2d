import { generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PERIOD_SECONDS = 30;
/** One step either side, for authenticator clocks that drift. */
const TOLERANCE_SECONDS = 30;

/** RFC 4648 base32 without padding: what authenticator apps expect for the key. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export async function enrollmentArtifacts(secret: string, account: string, issuer: string) {
  const otpauthUri = generateURI({ issuer, label: account, secret });
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUri, qrSvg };
}

export type CodeCheck = { kind: 'valid'; timeStep: number } | { kind: 'reused' } | { kind: 'invalid' };

/**
 * Checks a code against the secret, refusing any step at or before `lastStep`
 * (otplib's `afterTimeStep`), and tells a replayed code from a wrong one.
 */
export async function checkCode(secret: string, code: string, nowMs: number, lastStep: number | null): Promise<CodeCheck> {
  const base = { secret, token: code, epoch: Math.floor(nowMs / 1000), epochTolerance: TOLERANCE_SECONDS, period: PERIOD_SECONDS };
  const fresh = await verify(lastStep === null ? base : { ...base, afterTimeStep: lastStep });
  if (fresh.valid && 'timeStep' in fresh) return { kind: 'valid', timeStep: fresh.timeStep };
  if (lastStep === null) return { kind: 'invalid' };
  const any = await verify(base);
  return any.valid ? { kind: 'reused' } : { kind: 'invalid' };
}
