import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/db/connection';
import { applyChanges, appliedCursor, readChanges } from '../../main/sync/apply';
import { REPLICATED_TABLES } from '../../main/sync/replicated';

/**
 * The columns a replica must never receive, stated here independently of the product's
 * list, so a column dropped from (or added to) main/sync/replicated.ts shows up as a
 * difference instead of being left out on both sides.
 */
export const WITHHELD: Readonly<Record<string, readonly string[]>> = {
  users: ['password_hash', 'totp_secret', 'totp_last_step'],
  invitations: ['token_hash'],
};

/** An empty replica: a new database file with every migration and no rows beyond what migrations write. */
export function openReplica(): { db: Db; cleanup(): void } {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'steward-replica-'));
  const db = openDatabase(join(dir, 'replica.db'));
  return {
    db,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pulls `source`'s log after the replica's cursor, `batch` changes at a time, until none is left. */
export function pullAll(source: Db, replica: Db, batch: number): void {
  for (;;) {
    const changes = readChanges(source, appliedCursor(replica, 'hub'), batch);
    if (changes.length === 0) return;
    applyChanges(replica, changes);
  }
}

/** The SMTP setting as a replica may hold it: everything but the sealed password. */
function withoutSmtpPassword(value: string): string {
  const parsed = JSON.parse(value) as unknown;
  if (parsed && typeof parsed === 'object' && 'passwordSealed' in parsed) return JSON.stringify({ ...parsed, passwordSealed: null });
  return value;
}

/**
 * Every replicated table's rows as sorted JSON lines, withheld columns reduced to "set or
 * not" and the SMTP password blanked (on both sides, so the comparison is about what a
 * replica may hold).
 */
export function replicatedRows(db: Db): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const table of REPLICATED_TABLES) {
    const withheld = new Set(WITHHELD[table] ?? []);
    out[table] = (db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>)
      .map((row) => {
        // A withheld column is compared by whether it is set: that much a replica must know (who has an authenticator).
        const kept = Object.fromEntries(Object.entries(row).map(([column, v]) => [column, withheld.has(column) ? v !== null : v]));
        if (table === 'settings' && kept.key === 'smtp') kept.value = withoutSmtpPassword(String(kept.value));
        return JSON.stringify(kept);
      })
      .sort();
  }
  return out;
}
