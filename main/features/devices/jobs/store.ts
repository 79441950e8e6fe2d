import type { BulkAction, BulkSelection, JobInfo, JobState } from '../../../../shared/contract';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { OpError } from '../../../dispatch/errors';
import { check, resolveTarget } from '../../access/access';
import { actorSubject, loadMembers } from '../classify';
import { toCounts, type Tally } from './selection';
import { survivingGroupId } from '../../groups/removed';

export interface JobRow {
  id: string;
  action: BulkAction;
  state: JobState;
  actor_id: string | null;
  actor_name: string;
  actor_home_group_id: string;
  selection: string;
  selection_text: string;
  members: string;
  max_rowid: number;
  cursor: string;
  total: number;
  processed: number;
  planned: string;
  counts: string;
  undo_cursor: number;
  undo_actor_id: string | null;
  undo_restored: number;
  undo_skipped: number;
  note: string | null;
  /** The starter's job keys when the job started (authority.ts); null for jobs recorded before it was kept. */
  authority: string | null;
  /** The seq of the device at which the job stopped because its starter lost a right; null while it has not. */
  stopped_at: number | null;
  /** 'planning' while the job makes its own dry run, 'planned' after; null for jobs planned by the call that started them (before migration 35). */
  plan_state: 'planning' | 'planned' | null;
  /** How far planning has read: the last device rowid of a filter, or the count of picked devices planned. */
  plan_cursor: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  undone_at: number | null;
}

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'running', 'cancelling', 'rolling_back'];

export function readJob(db: Db, id: string): JobRow | undefined {
  return stmt<[string], JobRow>(db, 'SELECT * FROM device_jobs WHERE id = ?').get(id);
}

export const parseSelection = (row: JobRow) => JSON.parse(row.selection) as BulkSelection;
export const parseMembers = (row: JobRow) => JSON.parse(row.members) as Array<{ userId: string; username: string }>;
export const parseTally = (text: string) => JSON.parse(text) as Tally;

/**
 * A job is seen by its starter, and by whoever may assign every device at the starter's
 * home group (a colleague can follow, cancel or undo it); to anyone else it does not
 * exist. A role that assigns only the devices it holds does not qualify: the job's
 * devices are mostly not its own. A starter's home group removed since counts as its
 * nearest surviving ancestor, so the job does not vanish with it.
 */
export function canSeeJob(db: Db, actorId: string, row: JobRow): boolean {
  if (row.actor_id === actorId) return true;
  // A home group removed since still places the job: at its nearest surviving ancestor.
  const place = survivingGroupId(db, row.actor_home_group_id);
  const home = place === undefined ? undefined : resolveTarget(db, 'group', place, actorId);
  return home !== undefined && check(db, actorId, 'devices.assign', { ...home, type: 'device', assignedToSubject: false }).allowed;
}

/** Member names only for members the viewer may see (the starter's own view was masked when planned). */
export function maskMembers(
  db: Db,
  viewerId: string,
  members: ReadonlyArray<{ userId: string; username: string }>,
): Array<{ userId: string; username: string }> {
  const viewer = actorSubject(db, viewerId);
  const seen = new Set(
    loadMembers(
      db,
      viewer,
      members.map((m) => m.userId),
    )
      .filter((m) => m.visible)
      .map((m) => m.userId),
  );
  return members.map((m) => (seen.has(m.userId) ? m : { userId: m.userId, username: HIDDEN_MEMBER }));
}

export const HIDDEN_MEMBER = '(not visible to you)';

/** The job as `viewerId` may read it: members, and whom refusals are about, named only where the viewer may see them. */
export function jobInfoFor(db: Db, viewerId: string, row: JobRow): JobInfo {
  return toJobInfo(row, maskMembers(db, viewerId, parseMembers(row)));
}

export function requireJob(db: Db, actorId: string, id: string): JobRow {
  const row = readJob(db, id);
  if (!row || !canSeeJob(db, actorId, row))
    throw new OpError('NOT_FOUND', `No job with id ${id} exists, or you may not see it`, { field: 'jobId' });
  return row;
}

/** The job as its starter saw it when planning (`members` as stored), or with the members given (masked for a viewer). */
export function toJobInfo(row: JobRow, members = parseMembers(row)): JobInfo {
  const counts = toCounts(parseTally(row.counts), members);
  return {
    id: row.id,
    action: row.action,
    state: row.state,
    selection: row.selection_text,
    members,
    total: row.total,
    processed: row.processed,
    planned: toCounts(parseTally(row.planned), members),
    counts,
    undo:
      row.state === 'rolling_back' || row.state === 'rolled_back'
        ? { total: counts.devicesChanged, restored: row.undo_restored, skipped: row.undo_skipped }
        : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    undoneAt: row.undone_at,
    by: { userId: row.actor_id, username: row.actor_name },
    note: row.note,
    planning: row.plan_state === 'planning' && row.state === 'queued',
    canCancel: row.state === 'queued' || row.state === 'running',
    canUndo: (row.state === 'done' || row.state === 'cancelled' || row.state === 'failed') && counts.devicesChanged > 0,
  };
}
