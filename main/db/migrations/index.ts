import type Database from 'better-sqlite3';
import { foundation } from './001-foundation';
import { treeAndAccess } from './002-tree-and-access';
import { team } from './003-team';
import { auditTrail } from './004-audit-trail';
import { roleHistory } from './005-role-history';
import { devices } from './006-devices';
import { roleScopeKind } from './007-role-scope-kind';
import { roleMeaning } from './008-role-meaning';
import { jobAuthority } from './009-job-authority';
import { removedGroupPlaces } from './010-removed-group-places';
import { recoveryCodesKeyedHash } from './011-recovery-codes-keyed-hash';
import { objectVersions } from './012-object-versions';
import { CHANGE_LOG_VERSION, changeLog } from './013-change-log';
import { commandLog } from './014-command-log';
import { auditOrigins } from './015-audit-origins';
import { captureBatch } from './016-capture-batch';
import { sync } from './017-sync';
import { nameKeys } from './020-name-keys';
import { singleSignOn } from './022-single-sign-on';
import { directoryDepartments } from './023-directory-departments';
import { statusHistory } from './028-status-history';
import { directoryConnectors } from './031-directory-connectors';
import { savedFiltersTemplateWords } from './032-saved-filters-template-words';
import { deviceSearch } from './033-device-search';
import { deviceTally } from './034-device-tally';
import { jobPlanning } from './035-job-planning';
import { dashboardAggregates } from './036-dashboard-aggregates';
import { memberTally } from './037-member-tally';
import { unassignedSubtrees } from './038-unassigned-subtrees';
import { refreshCapture, tablesOutOfStep } from '../../sync/capture';
import type { SecretBox } from '../../security/secret-box';

/** What a migration may need beyond SQL. */
export interface MigrationEnv {
  /** The data folder's key; absent when a bare database file is opened (tests of the schema itself). */
  secrets?: SecretBox;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql`, in the same transaction, for steps SQL cannot express (hashing with the key). */
  run?(db: Database.Database, env: MigrationEnv): void;
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
  roleMeaning,
  jobAuthority,
  removedGroupPlaces,
  recoveryCodesKeyedHash,
  objectVersions,
  changeLog,
  commandLog,
  auditOrigins,
  captureBatch,
  sync,
  nameKeys,
  singleSignOn,
  directoryDepartments,
  statusHistory,
  directoryConnectors,
  savedFiltersTemplateWords,
  deviceSearch,
  deviceTally,
  jobPlanning,
  dashboardAggregates,
  memberTally,
  unassignedSubtrees,
];

// The highest number, not the count: numbers are reserved when work starts, so one may land before a lower one.
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

export function runMigrations(db: Database.Database, env: MigrationEnv = {}): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(current, SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) {
    // Nothing to migrate, but capture triggers someone dropped or left stale are put back (and their tables re-logged).
    if (current >= CHANGE_LOG_VERSION && tablesOutOfStep(db).length > 0) db.transaction(() => refreshCapture(db)).immediate();
    // A batch's flag lives only inside its transaction; one found committed would silently stop capture of its table.
    if (current >= 16 && db.prepare('SELECT 1 FROM capture_batch LIMIT 1').get()) db.prepare('DELETE FROM capture_batch').run();
    // The same for the directory sync's flag: one left committed would let anyone change what a sync owns (R29).
    if (current >= 31 && db.prepare('SELECT 1 FROM directory_applying LIMIT 1').get()) db.prepare('DELETE FROM directory_applying').run();
    // And the tallies' batch flag: one left committed would stop counting unassigned devices.
    if (current >= 38 && db.prepare('SELECT 1 FROM tally_batch LIMIT 1').get()) db.prepare('DELETE FROM tally_batch').run();
    return;
  }
  // All pending steps in one transaction: a failed upgrade leaves the old schema whole.
  db.transaction(() => {
    let capturing = current >= CHANGE_LOG_VERSION;
    for (const migration of pending) {
      db.exec(migration.sql);
      migration.run?.(db, env);
      capturing ||= migration.version === CHANGE_LOG_VERSION;
      // After each step, not once at the end: the next step's writes must be captured with the columns this one left.
      if (capturing) refreshCapture(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
