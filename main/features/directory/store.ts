import { directorySettings, type DirectoryConnector, type DirectoryReport, type DirectorySettings } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';

export interface SyncRow {
  company_id: string;
  connector: DirectoryConnector;
  settings: string;
  secret_sealed: Buffer | null;
  enabled: number;
  enabled_by: string | null;
  last_run_at: number | null;
  last_report: string | null;
  version: number;
}

export interface SyncedDepartment {
  group_id: string;
  directory_name: string;
  name: string;
  source: string;
}

/** The weekly schedule: a company's sync runs again this long after its last run. */
export const SYNC_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

export function syncOf(db: Db, companyId: string): SyncRow | undefined {
  return stmt<[string], SyncRow>(db, 'SELECT * FROM directory_sync WHERE company_id = ?').get(companyId);
}

/** The stored settings, read by the contract's own schema (migration 31 put `connector` into every row's JSON). */
export function settingsOf(row: SyncRow): DirectorySettings {
  return directorySettings.parse(JSON.parse(row.settings));
}

export function reportOf(row: SyncRow): DirectoryReport | null {
  return row.last_report ? (JSON.parse(row.last_report) as DirectoryReport) : null;
}

export function syncedDepartments(db: Db, companyId: string): SyncedDepartment[] {
  return stmt<[string], SyncedDepartment>(
    db,
    `SELECT d.group_id, d.directory_name, d.source, g.name FROM directory_departments d JOIN groups g ON g.id = d.group_id
      WHERE d.company_id = ? ORDER BY g.name COLLATE NOCASE`,
  ).all(companyId);
}

/** Companies whose sync is on and due (never run, or last run a week ago or more), for the schedule. */
export function dueSyncs(db: Db, now: number): SyncRow[] {
  return stmt<[number], SyncRow>(
    db,
    'SELECT * FROM directory_sync WHERE enabled = 1 AND (last_run_at IS NULL OR last_run_at <= ?) ORDER BY company_id',
  ).all(now - SYNC_INTERVAL_MS);
}

/** A synced department's marker: where it comes from, and whether the sync owns it now (the sync is on). */
export interface SyncMark {
  source: string;
  locked: boolean;
}

const MARKS_SQL = `SELECT d.group_id, d.source, s.enabled FROM directory_departments d JOIN directory_sync s ON s.company_id = d.company_id`;

/** Every synced department's marker, by group id (the tree shows them). */
export function syncMarks(db: Db): Map<string, SyncMark> {
  return new Map(
    stmt<[], { group_id: string; source: string; enabled: number }>(db, MARKS_SQL)
      .all()
      .map((r) => [r.group_id, { source: r.source, locked: r.enabled === 1 }]),
  );
}

/** One group's marker, or undefined when it is not a synced department. */
export function syncMark(db: Db, groupId: string): SyncMark | undefined {
  const row = stmt<[string], { source: string; enabled: number }>(db, `${MARKS_SQL} WHERE d.group_id = ?`).get(groupId);
  return row ? { source: row.source, locked: row.enabled === 1 } : undefined;
}

function groupName(db: Db, groupId: string): string {
  return stmt<[string], { name: string }>(db, 'SELECT name FROM groups WHERE id = ?').get(groupId)?.name ?? groupId;
}

/** What a change by hand would do to a synced department, as its refusal says it. */
export type OwnedChange = 'renamed' | 'given another kind' | 'moved' | 'removed';

/**
 * R29: a department synced from a directory is the directory's while its company's sync is
 * on: renaming it, giving it another kind, moving or removing it by hand is refused
 * (CONFLICT on `field`), saying why and what to do instead. Migration 31's triggers hold
 * every other writer to the same rule.
 */
export function requireNotSynced(db: Db, groupId: string, field: string, change: OwnedChange): void {
  const mark = syncMark(db, groupId);
  if (!mark?.locked) return;
  const name = groupName(db, groupId);
  throw new OpError(
    'CONFLICT',
    `“${name}” is synced from ${mark.source}: it cannot be ${change} by hand while the directory sync is on. Change it in the directory, or turn the sync off first.`,
    { field },
  );
}

/**
 * R29: who is in a synced department follows the directory while the sync is on: adding
 * `username` to it or taking them out by hand is refused (CONFLICT on `field`).
 */
export function requireMembershipNotSynced(db: Db, groupId: string, field: string, username: string): void {
  const mark = syncMark(db, groupId);
  if (!mark?.locked) return;
  const name = groupName(db, groupId);
  throw new OpError(
    'CONFLICT',
    `Who is in “${name}” is synced from ${mark.source} while the directory sync is on: change ${username}’s department in the directory, or turn the sync off first.`,
    { field },
  );
}
