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

/**
 * Issue 14: a department synced from a directory is the directory's while its company's sync
 * is on: renaming or removing it by hand is refused (CONFLICT on `field`), saying why.
 */
export function requireNotSynced(db: Db, groupId: string, field: string): void {
  const synced = stmt<[string], { source: string }>(
    db,
    `SELECT d.source FROM directory_departments d JOIN directory_sync s ON s.company_id = d.company_id
      WHERE d.group_id = ? AND s.enabled = 1`,
  ).get(groupId);
  if (synced)
    throw new OpError(
      'CONFLICT',
      `This department is synced from ${synced.source}: change it there, or turn the directory sync off first`,
      { field },
    );
}
