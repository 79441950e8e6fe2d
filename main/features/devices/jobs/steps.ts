import type { BulkSelection } from '../../../../shared/contract';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import type { CommandContext } from '../../../dispatch/context';
import { OpError } from '../../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../../dispatch/registry';
import { findGroup } from '../../access/tree';
import { homeGroupOf } from '../../users/directory';
import { actorSubject, classifyDevice, loadAssignments, loadMembers, loadPlaces, type Member, type Place, type Subject } from '../classify';
import { writeAssignments } from '../assignment-batch';
import { authorityText, bindingsFromText, type Loss } from './authority';
import { addPairs, classifyPage, planPage, plannedPage, selectionPage, toCounts } from './selection';
import { ACTIVE_STATES, parseMembers, parseSelection, parseTally, readJob, type JobRow } from './store';

/**
 * A bulk job's work as commands (issue 12: every change of stored state is a command), run
 * by the job runner as the system actor "job runner". Each step is one chunk in its own
 * transaction, with its audit event; the chunk's size is in the input, so a replay takes
 * the same chunk. What a step does on the starter's behalf is decided on the starter's
 * rights, read again for every chunk (R12).
 */
export function jobStepHandlers(): RegisteredHandler[] {
  return [
    handler('devices.jobStep', {
      access: { kind: 'system' },
      // A chunk resumes from its cursor after a power cut: it need not wait for the disk (the runner syncs when a job ends).
      durability: 'relaxed',
      // Writes assignments, job rows and results only: the roles and places caches stay valid.
      keepsCaches: true,
      run(ctx, input) {
        const job = requireActiveJob(ctx, input.jobId);
        if (job.plan_state === 'planning') {
          const planning = planChunk(ctx, job, input.size);
          ctx.audit({ target: jobTarget(job), ...homeOf(ctx.db, job), after: { state: job.state, ...planning } });
          return { state: job.state, processed: job.processed };
        }
        const from = job.state === 'rolling_back' ? job.undo_cursor : job.processed;
        if (job.state === 'rolling_back') undoChunk(ctx, job, input.size);
        else forwardChunk(ctx, job, input.size);
        const after = readJob(ctx.db, job.id) ?? job;
        const processed = after.state === 'rolling_back' || after.state === 'rolled_back' ? after.undo_cursor : after.processed;
        ctx.audit({
          target: jobTarget(job),
          ...homeOf(ctx.db, job),
          after: { state: after.state, from, to: processed },
        });
        return { state: after.state, processed };
      },
    }),
    handler('devices.jobFail', {
      access: { kind: 'system' },
      run(ctx, input) {
        const job = requireActiveJob(ctx, input.jobId);
        setState(
          ctx.db,
          job.id,
          'failed',
          ctx.clock.now(),
          'Stopped by an internal error; devices already processed stay processed and can be undone',
        );
        ctx.audit({ target: jobTarget(job), ...homeOf(ctx.db, job), after: { state: 'failed' } });
        return { state: 'failed' };
      },
    }),
    handler('devices.jobRecover', {
      access: { kind: 'system' },
      run(ctx) {
        const counts = recover(ctx);
        ctx.audit({ after: counts });
        return counts;
      },
    }),
  ];
}

/** Whether a crash left any job to settle: the runner dispatches devices.jobRecover only then. */
export function jobsToRecover(db: Db): boolean {
  return !!stmt<[], { one: number }>(db, "SELECT 1 AS one FROM device_jobs WHERE state IN ('queued','running','cancelling') LIMIT 1").get();
}

function requireActiveJob(ctx: CommandContext, jobId: string): JobRow {
  const job = readJob(ctx.db, jobId);
  if (!job || !ACTIVE_STATES.includes(job.state))
    throw new OpError('NOT_FOUND', 'There is no job in progress with this id', { field: 'jobId' });
  return job;
}

function jobTarget(job: JobRow): { type: string; id: string; name: string } {
  return {
    type: 'job',
    id: job.id,
    name: `${job.action === 'assign' ? 'Assign' : 'Unassign'} job of ${job.actor_name ?? 'a removed person'}`,
  };
}

/** The job's events belong where its starter's belong, so whoever may read those reads these. */
function homeOf(db: Db, job: JobRow): { groupId?: string } {
  const home = job.actor_id ? homeGroupOf(db, job.actor_id) : undefined;
  return home ? { groupId: home } : {};
}

/** After a restart: settle what a crash interrupted. Answers how many jobs went which way. */
function recover(ctx: CommandContext): { resumed: number; rolledBack: number; cancelled: number } {
  const db = ctx.db;
  const now = ctx.clock.now();
  const counts = { resumed: 0, rolledBack: 0, cancelled: 0 };
  for (const row of stmt<[], JobRow>(db, "SELECT * FROM device_jobs WHERE state IN ('queued','running','cancelling')").all()) {
    if (row.state === 'cancelling') {
      setState(db, row.id, 'cancelled', now, 'Cancelled; Steward restarted while the job was stopping');
      counts.cancelled++;
      continue;
    }
    const actor = row.actor_id ? actorSubject(db, row.actor_id) : null;
    if (!actor || !actor.bindings.some((b) => b.role.permissions.has('devices.assign'))) {
      // What was applied on the starter's authority no longer has it: put it back.
      stmt(db, "UPDATE device_jobs SET state = 'rolling_back', undo_actor_id = NULL, plan_state = NULL, note = ? WHERE id = ?").run(
        `Rolled back after a restart: ${row.actor_name} can no longer assign devices`,
        row.id,
      );
      dropSelection(db, row.id);
      counts.rolledBack++;
    } else if (row.state === 'running' && row.stopped_at === null) {
      stmt(db, 'UPDATE device_jobs SET note = ? WHERE id = ?').run(
        `Resumed after a restart at device ${row.processed.toLocaleString('en')} of ${row.total.toLocaleString('en')}`,
        row.id,
      );
      counts.resumed++;
    } else counts.resumed++;
  }
  return counts;
}

/** Ends a job (done, cancelled, failed): its planned selection is no longer needed. */
function setState(db: Db, id: string, state: JobRow['state'], now: number, note?: string): void {
  stmt(db, 'UPDATE device_jobs SET state = ?, finished_at = ?, note = coalesce(?, note) WHERE id = ?').run(state, now, note ?? null, id);
  dropSelection(db, id);
}

/**
 * One step of a job's own dry run (plan_state 'planning', state queued): a page of its
 * selection classified as devices.bulkPlan classifies it, with the starter's rights now, the
 * selection read with their rights at the start (as the job will read it). A filter's
 * matches are recorded in device_job_selection, in id order, for the job to apply. Answers
 * what the step's audit event records: the counts so far, and whether planning is over.
 */
function planChunk(
  ctx: CommandContext,
  job: JobRow,
  size: number,
): { planned: ReturnType<typeof toCounts>; planning: 'continues' | 'done' } {
  const db = ctx.db;
  const actor = actorSubject(db, job.actor_id);
  const start = startOf(job, actor);
  const selection = parseSelection(job);
  const members = loadMembers(
    db,
    actor,
    parseMembers(job).map((m) => m.userId),
  );
  const page = planPage(db, { userId: start.userId, asOfStart: start.bindings }, selection, job.max_rowid, job.plan_cursor ?? 0, size);
  const tally = parseTally(job.planned);
  for (const { pairs } of classifyPage(db, job.action, actor, members, page.devices)) addPairs(tally, pairs);
  if ('filter' in selection && page.devices.length > 0)
    stmt(db, 'INSERT OR IGNORE INTO device_job_selection (job_id, device_id) SELECT ?, value FROM json_each(?)').run(
      job.id,
      JSON.stringify(page.devices.map((d) => d.id)),
    );
  // Planned: the total becomes what the dry run selected (devices may have come and gone since the start).
  const total = !page.done
    ? job.total
    : 'filter' in selection
      ? (stmt<[string], { n: number }>(db, 'SELECT count(*) AS n FROM device_job_selection WHERE job_id = ?').get(job.id)?.n ?? 0)
      : selection.deviceIds.length;
  stmt(db, 'UPDATE device_jobs SET planned = ?, plan_cursor = ?, plan_state = ?, total = ? WHERE id = ?').run(
    JSON.stringify(tally),
    page.done ? null : page.next,
    page.done ? 'planned' : 'planning',
    total,
    job.id,
  );
  return { planned: toCounts(tally, parseMembers(job)), planning: page.done ? 'done' : 'continues' };
}

/** Who a job acts as when it started: the rights recorded then (jobs from before they were kept: the rights of the moment). */
function startOf(job: JobRow, now: Subject): Subject {
  return { userId: job.actor_id ?? '', bindings: job.authority === null ? now.bindings : bindingsFromText(job.authority) };
}

/** A job's planned selection, once nothing will read it again. */
export function dropSelection(db: Db, jobId: string): void {
  stmt(db, 'DELETE FROM device_job_selection WHERE job_id = ?').run(jobId);
}

/**
 * One chunk forward. The starter's rights are read again for every chunk and compared,
 * device by device, with those they had when the job started: at the first device on which
 * they lost one (devices.view, devices.assign, users.view over a member), the job stops
 * applying; that device and every one after it are recorded as refused
 * (starter-lost-authority), the note says why, and the job ends failed. The selection is
 * read with the rights of the start, so the devices the starter no longer sees are refused
 * one by one instead of silently dropping out of it.
 */
function forwardChunk(ctx: CommandContext, job: JobRow, size: number): void {
  const db = ctx.db;
  const now = ctx.clock.now();
  if (job.state === 'cancelling') return setState(db, job.id, 'cancelled', now);
  if (job.state === 'queued') stmt(db, "UPDATE device_jobs SET state = 'running', started_at = ? WHERE id = ?").run(now, job.id);
  const actor = actorSubject(db, job.actor_id);
  const memberIds = parseMembers(job).map((m) => m.userId);
  const members = loadMembers(db, actor, memberIds);
  const start = startOf(job, actor);
  const selection = parseSelection(job);
  const asStarted = { userId: start.userId, asOfStart: start.bindings };
  // A filter the job planned itself is read from what planning selected; jobs planned before (migration 35) read the filter.
  const planned = job.plan_state === 'planned' && 'filter' in selection;
  const page = planned
    ? plannedPage(db, job.id, asStarted, selection.filter, job.cursor, size)
    : selectionPage(db, asStarted, selection, job.max_rowid, job.cursor, size);
  // The selection behind the cursor is never read again: each chunk removes its own part, so the
  // job's end has no 100,000-row delete to do in one step (the event loop's stall, issue 17).
  if (planned)
    stmt(db, 'DELETE FROM device_job_selection WHERE job_id = ? AND device_id > ? AND device_id <= ?').run(job.id, job.cursor, page.next);
  const changed = job.stopped_at === null && job.authority !== null && job.authority !== authorityText(actor.bindings);
  const startMembers = changed ? loadMembers(db, start, memberIds) : members;
  const classified =
    job.stopped_at === null
      ? classifyPage(db, job.action, actor, members, page.devices, changed ? { actor: start, members: startMembers } : undefined)
      : null;
  const lostAssignee = changed ? assigneeLoss(db, selection, start, actor) : null;
  const tally = parseTally(job.counts);
  // Written after the loop as one batch (../assignment-batch.ts): a change row, or a count update, per pair would cost more than the pair.
  const pairsToWrite: Array<[string, string]> = [];
  const record = stmt(
    db,
    'INSERT INTO device_job_items (job_id, seq, device_id, status, changed, unchanged, refused) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  let seq = job.processed;
  let stoppedAt = job.stopped_at;
  let note: string | null = null;
  for (const [index, device] of page.devices.entries()) {
    seq++;
    const entry = classified?.[index];
    const loss = entry?.loss ?? (index === 0 ? lostAssignee : null);
    if (stoppedAt === null && loss) {
      stoppedAt = seq;
      note = stopNote(db, job, seq, loss);
    }
    if (stoppedAt !== null || !entry) {
      const refused = memberIds.map((userId) => ({ userId, reason: 'starter-lost-authority' as const }));
      record.run(job.id, seq, device.id, 'refused', null, 0, JSON.stringify(refused));
      addPairs(tally, { change: [], unchanged: 0, refused });
      continue;
    }
    const { pairs } = entry;
    for (const userId of pairs.change) pairsToWrite.push([device.id, userId]);
    const status = pairs.change.length > 0 ? 'changed' : pairs.refused.length > 0 && pairs.unchanged === 0 ? 'refused' : 'unchanged';
    record.run(
      job.id,
      seq,
      device.id,
      status,
      pairs.change.length > 0 ? JSON.stringify(pairs.change) : null,
      pairs.unchanged,
      pairs.refused.length > 0 ? JSON.stringify(pairs.refused) : null,
    );
    addPairs(tally, pairs);
  }
  writeAssignments(db, job.action === 'assign' ? 'insert' : 'delete', pairsToWrite);
  stmt(db, 'UPDATE device_jobs SET cursor = ?, processed = ?, counts = ?, stopped_at = ?, note = coalesce(?, note) WHERE id = ?').run(
    page.next,
    seq,
    JSON.stringify(tally),
    stoppedAt,
    note,
    job.id,
  );
  if (page.done) setState(db, job.id, stoppedAt === null ? 'done' : 'failed', now);
}

/** A filter "held by X" reads X's devices on the starter's behalf: losing sight of X is losing a right the job needs. */
function assigneeLoss(db: Db, selection: BulkSelection, start: Subject, now: Subject): Loss | null {
  const assigneeId = 'filter' in selection ? selection.filter.assigneeId : undefined;
  if (!assigneeId || assigneeId === start.userId) return null;
  const [then] = loadMembers(db, start, [assigneeId]);
  const [current] = loadMembers(db, now, [assigneeId]);
  return then?.visible && !current?.visible ? { key: 'users.view', groupId: null } : null;
}

/** "Stopped at device 5,147 of 100,000: ana no longer holds devices.assign at Acme; the remaining devices were refused". */
function stopNote(db: Db, job: JobRow, seq: number, loss: Loss): string {
  const status = job.actor_id
    ? stmt<[string], { status: string }>(db, 'SELECT status FROM users WHERE id = ?').get(job.actor_id)?.status
    : undefined;
  const why =
    status === undefined
      ? `${job.actor_name} was removed`
      : status !== 'active'
        ? `${job.actor_name} was disabled`
        : loss.key === 'users.view'
          ? `${job.actor_name} no longer holds users.view over a member this job names`
          : loss.key === 'dominance'
            ? `${job.actor_name} no longer holds every right a member this job names holds there`
            : `${job.actor_name} no longer holds ${loss.key}${loss.groupId ? ` at ${findGroup(db, loss.groupId)?.name ?? 'the group where they held it'}` : ''}`;
  return `Stopped at device ${seq.toLocaleString('en')} of ${job.total.toLocaleString('en')}: ${why}; the remaining devices were refused`;
}

/** Why an undo left devices as the job made them, for the job's note. */
function undoNote(db: Db, undoerId: string, left: number): string {
  const name =
    stmt<[string], { username: string }>(db, 'SELECT username FROM users WHERE id = ?').get(undoerId)?.username ?? 'The person undoing';
  return (
    `Undone except ${left.toLocaleString('en')} device${left === 1 ? '' : 's'}, which keep the job’s change: ` +
    `${name} may not see or assign ${left === 1 ? 'it' : 'them'} (devices.view, devices.assign), may not see a member the job gave ${left === 1 ? 'it' : 'them'} to (users.view), ` +
    'or that member holds rights there that they do not'
  );
}

/**
 * Reverses the changed pairs in processing order. A person's undo is checked chunk by
 * chunk against their rights now, as a direct unassign would be (they see and may assign
 * the device and see each member): a device they may not is left as the job made it,
 * counted as skipped, and the note says why.
 */
function undoChunk(ctx: CommandContext, job: JobRow, size: number): void {
  const db = ctx.db;
  const items = stmt<[string, number, number], { seq: number; device_id: string; changed: string }>(
    db,
    `SELECT seq, device_id, changed FROM device_job_items WHERE job_id = ? AND status = 'changed' AND undone = 0 AND seq > ?
       ORDER BY seq LIMIT ?`,
  ).all(job.id, job.undo_cursor, size);
  const undoer = job.undo_actor_id ? actorSubject(db, job.undo_actor_id) : null;
  const devices = stmt<[string], { id: string; group_id: string }>(
    db,
    'SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(items.map((i) => i.device_id)));
  const groupOf = new Map(devices.map((d) => [d.id, d.group_id]));
  const places = undoer ? loadPlaces(db, groupOf.values()) : new Map<string, Place>();
  const memberIds = parseMembers(job).map((m) => m.userId);
  const assigned = undoer
    ? loadAssignments(
        db,
        items.map((i) => i.device_id),
        [undoer.userId, ...memberIds],
      )
    : new Set<string>();
  // Undoing an assignment deletes its pairs in one batch (main/sync/batch.ts); undoing a removal re-adds them row by row, only where both ends still exist.
  const pairsToDelete: Array<[string, string]> = [];
  const reverse =
    job.action === 'assign'
      ? null
      : stmt(
          db,
          `INSERT OR IGNORE INTO device_assignments (device_id, user_id) SELECT @device, @user
             WHERE EXISTS (SELECT 1 FROM users WHERE id = @user) AND EXISTS (SELECT 1 FROM devices WHERE id = @device)`,
        );
  const mark = stmt(db, 'UPDATE device_job_items SET undone = 1 WHERE job_id = ? AND seq = ?');
  // Undoing a pair is the opposite change made by hand now: the same rule (classifyDevice) decides it.
  const members = new Map<string, Member>(undoer ? loadMembers(db, undoer, memberIds).map((m) => [m.userId, m]) : []);
  const opposite = job.action === 'assign' ? 'unassign' : 'assign';
  let restored = 0;
  let skipped = 0;
  for (const item of items) {
    const group = groupOf.get(item.device_id);
    const place = group ? places.get(group) : undefined;
    const users = JSON.parse(item.changed) as string[];
    if (undoer) {
      const named = users.flatMap((u) => members.get(u) ?? []);
      const pairs = classifyDevice(opposite, undoer, item.device_id, place, named, assigned);
      if (named.length < users.length || pairs.refused.length > 0) {
        skipped++;
        continue;
      }
    }
    for (const user of users) {
      if (reverse) reverse.run({ device: item.device_id, user });
      else pairsToDelete.push([item.device_id, user]);
    }
    mark.run(job.id, item.seq);
    restored++;
  }
  writeAssignments(db, 'delete', pairsToDelete);
  const last = items[items.length - 1];
  stmt(db, 'UPDATE device_jobs SET undo_cursor = ?, undo_restored = undo_restored + ?, undo_skipped = undo_skipped + ? WHERE id = ?').run(
    last ? last.seq : job.undo_cursor,
    restored,
    skipped,
    job.id,
  );
  if (items.length < size) {
    const now = ctx.clock.now();
    const left = job.undo_skipped + skipped;
    const note = undoer && left > 0 ? undoNote(db, job.undo_actor_id ?? '', left) : null;
    stmt(
      db,
      "UPDATE device_jobs SET state = 'rolled_back', undone_at = ?, finished_at = coalesce(finished_at, ?), note = coalesce(?, note) WHERE id = ?",
    ).run(now, now, note, job.id);
  }
}
