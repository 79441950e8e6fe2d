import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/app';
import { OWNER, setUpOwner, tempDir, tempSteward, tokenOf, type TestSteward } from '../helpers/temp-steward';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const KEYED_SCHEMA = 11;
const sha256 = (code: string) => createHash('sha256').update(code.replace('-', ''), 'utf8').digest('hex');
const storedHashes = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT code_hash FROM recovery_codes').all() as Array<{ code_hash: string }>).map((r) => r.code_hash);
  } finally {
    db.close();
  }
};

async function signInWithRecoveryCode(steward: TestSteward, code: string) {
  const token = tokenOf(await steward.call('auth.signIn', { login: OWNER.username, password: OWNER.password }));
  return steward.call('auth.verifyCode', { recoveryCode: code }, token);
}

describe('recovery codes at rest', () => {
  it('are stored keyed with the installation key, never as their SHA-256', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const steward = tempSteward({ dir: temp.dir });
    const { recoveryCodes } = await setUpOwner(steward);
    steward.close();
    const stored = storedHashes(join(temp.dir, DATABASE_FILE));
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes) expect(stored).not.toContain(sha256(code));
  });

  it('a code issued before schema 11 (stored as SHA-256) still works once after the migration', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const first = tempSteward({ dir: temp.dir });
    const { recoveryCodes } = await setUpOwner(first);
    // Put the database back as the previous version left it: plain digests, schema below 11.
    const ownerId = (first.db.prepare('SELECT id FROM users').get() as { id: string }).id;
    first.db.prepare('DELETE FROM recovery_codes').run();
    const insert = first.db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
    for (const code of recoveryCodes) insert.run(ownerId, sha256(code));
    first.db.pragma(`user_version = ${KEYED_SCHEMA - 1}`);
    first.close();

    const second = tempSteward({ dir: temp.dir });
    cleanups.push(() => second.close());
    expect(second.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(KEYED_SCHEMA);
    const stored = (second.db.prepare('SELECT code_hash FROM recovery_codes').all() as Array<{ code_hash: string }>).map(
      (r) => r.code_hash,
    );
    for (const code of recoveryCodes) expect(stored).not.toContain(sha256(code));
    const code = recoveryCodes[2] ?? '';
    expect((await signInWithRecoveryCode(second, code.toLowerCase())).result).toMatchObject({ ok: true, value: { stage: 'active' } });
    expect((await signInWithRecoveryCode(second, code)).result).toMatchObject({ ok: false, error: { code: 'INVALID_CODE' } });
  });

  it('a copy of the database without the key cannot check a guess, even the right code', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const original = tempSteward({ dir: temp.dir });
    const { recoveryCodes } = await setUpOwner(original);
    original.close();
    // The thief's copy: the database alone, opened where a different key is made.
    const stolen = join(temp.dir, 'stolen');
    mkdirSync(stolen);
    copyFileSync(join(temp.dir, DATABASE_FILE), join(stolen, DATABASE_FILE));
    const copy = tempSteward({ dir: stolen });
    cleanups.push(() => copy.close());
    const code = recoveryCodes[0] ?? '';
    expect((await signInWithRecoveryCode(copy, code)).result).toMatchObject({ ok: false, error: { code: 'INVALID_CODE' } });
    expect(storedHashes(join(stolen, DATABASE_FILE))).not.toContain(sha256(code));
    expect(copy.db.prepare('SELECT count(*) AS n FROM recovery_codes WHERE used_at IS NULL').get()).toEqual({ n: 10 });
  });
});
