import type Database from 'better-sqlite3';
import { foundation } from './001-foundation';
import { treeAndAccess } from './002-tree-and-access';
import { team } from './003-team';
import { auditTrail } from './004-audit-trail';
import { roleHistory } from './005-role-history';
import { devices } from './006-devices';
import { roleScopeKind } from './007-role-scope-kind';
import { removedGroupPlaces } from './010-removed-group-places';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Append only: a shipped migration is never edited, a new one is added. */
export const MIGRATIONS: readonly Migration[] = [
  foundation,
  treeAndAccess,
  team,
  auditTrail,
  roleHistory,
  devices,
  roleScopeKind,
  removedGroupPlaces,
];

// The highest version, not the count: numbers may be reserved by work merged separately.
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `This data folder was written by a newer Steward (database schema ${found}; this version knows up to ${known}). ` +
        'Update Steward, or open a different data folder.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export function runMigrations(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(current, SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  // All pending steps in one transaction: a failed upgrade leaves the old schema whole.
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
