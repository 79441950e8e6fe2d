import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** A string answer longer than this (UTF-16 code units) is written in slices: a 1,000,000-device export is about 100 MB. */
export const LARGE_STRING = 1 << 20;
/** Characters escaped and written per turn of the event loop (about 2 ms each). */
const SLICE = 1 << 18;

/**
 * The JSON text of `body` as the pieces to write: plain text, and the strings longer than
 * LARGE_STRING left out for `writeJsonPieces` to escape a slice at a time. JSON.stringify of
 * a 100 MB export took 1.5–2 s of the event loop in one block, during which no other request
 * was answered (issue 17: no request waits behind another). Returns null when no string is
 * that long (the caller writes `JSON.stringify(body)` as before, the text made once).
 */
export function jsonPieces(body: unknown): Array<{ text: string } | { large: string }> | null {
  // Most answers hold no such string: found by a walk, so they are stringified once, without a replacer, by the caller.
  if (!holdsLargeString(body)) return null;
  const large: string[] = [];
  // A marker no stored string can forge: random per answer, and control characters JSON escapes.
  const nonce = randomBytes(9).toString('base64url');
  const text = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'string' && value.length > LARGE_STRING ? `\u0000${nonce}:${large.push(value) - 1}\u0000` : value,
  );
  if (large.length === 0) return null;
  const marker = new RegExp(`"\\\\u0000${nonce}:(\\d+)\\\\u0000"`, 'g');
  const pieces: Array<{ text: string } | { large: string }> = [];
  let at = 0;
  for (const match of text.matchAll(marker)) {
    pieces.push({ text: text.slice(at, match.index) }, { large: large[Number(match[1])] ?? '' });
    at = match.index + match[0].length;
  }
  pieces.push({ text: text.slice(at) });
  return pieces;
}

/** Whether `value` holds a string longer than LARGE_STRING at any depth; stops at the first. */
function holdsLargeString(value: unknown): boolean {
  if (typeof value === 'string') return value.length > LARGE_STRING;
  if (value === null || typeof value !== 'object') return false;
  for (const inner of Array.isArray(value) ? value : Object.values(value)) if (holdsLargeString(inner)) return true;
  return false;
}

/**
 * Writes the pieces of `jsonPieces` to `res` and ends it: each long string quoted and escaped
 * SLICE characters at a time (a slice never ends between the two halves of a surrogate pair),
 * yielding to the event loop between slices and waiting for the socket to drain when it is
 * full. Resolves when the answer is written or the connection is gone.
 */
export async function writeJsonPieces(res: ServerResponse, pieces: ReadonlyArray<{ text: string } | { large: string }>): Promise<void> {
  const write = async (chunk: string) => {
    if (res.destroyed) return;
    if (res.write(chunk)) return new Promise<void>((resolve) => setImmediate(resolve));
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
  for (const piece of pieces) {
    if ('text' in piece) {
      await write(piece.text);
      continue;
    }
    const s = piece.large;
    await write('"');
    for (let at = 0; at < s.length;) {
      let end = Math.min(s.length, at + SLICE);
      const last = s.charCodeAt(end - 1);
      if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
      await write(JSON.stringify(s.slice(at, end)).slice(1, -1));
      at = end;
    }
    await write('"');
  }
  if (!res.destroyed) res.end();
}
