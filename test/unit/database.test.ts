import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, readPragmas } from '../../main/db/connection';
import { DatabaseTooNewError, SCHEMA_VERSION } from '../../main/db/migrations';
import { tempDir } from '../helpers/temp-steward';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function dbPath(): string {
  const temp = tempDir();
  dirs.push(temp);
  return join(temp.dir, 'steward.db');
}

describe('database', () => {
  it('has the pragmas the storage design asks for, after every reopen', () => {
    const file = dbPath();
    for (let i = 0; i < 2; i++) {
      const db = openDatabase(file);
      expect(readPragmas(db)).toEqual({ journal_mode: 'wal', synchronous: 2, foreign_keys: 1 });
      db.close();
    }
  });

  it('migrates a new file to the current schema version', () => {
    const db = openDatabase(dbPath());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses a database written by a newer Steward, with a message saying what to do, and leaves it alone', () => {
    const file = dbPath();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer Steward.*Update Steward/);
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    after.close();
  });

  it('keeps audit events append-only, each with its origin and place in that origin’s chain', () => {
    const db = openDatabase(dbPath());
    expect(() =>
      db
        .prepare(
          "INSERT INTO audit_events (seq, at, client, action, outcome, prev_hash, hash) VALUES (1, 0, 'cli', 'x', 'success', '0', '1')",
        )
        .run(),
    ).toThrow(/origin/);
    db.prepare(
      "INSERT INTO audit_events (seq, origin, origin_seq, at, client, action, outcome, prev_hash, hash) VALUES (1, 'o', 1, 0, 'cli', 'x', 'success', '0', '1')",
    ).run();
    expect(() => db.prepare("UPDATE audit_events SET action = 'y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    db.close();
  });
});
