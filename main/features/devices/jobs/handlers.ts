import type { BulkSelection, JobInfo, JobItemStatus, JobResultRow, RefusalReason } from '../../../../shared/contract';
import type { Actor } from '../../../dispatch/context';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { OpError } from '../../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../../dispatch/registry';
import { actorSees, actorSubject, loadAssignments, loadMembers, loadPlaces, REFUSAL_MESSAGES } from '../classify';
import { countDevices } from '../list';
import { DEVICE_FILTER_KEYS, deviceFilterNeeds, deviceWhere } from '../query';
import { heldAnywhere } from '../read';
import { authorityText } from './authority';
import { describeSelection, planBulk } from './plan';
import { dropSelection } from './steps';
import { homeGroupOf } from '../../users/directory';
import type { JobRunner } from './runner';
import { canSeeJob, HIDDEN_MEMBER, jobInfoFor, maskMembers, parseMembers, readJob, requireJob, toJobInfo, type JobRow } from './store';
import { emptyTally, maxDeviceRowid, normalizeSelection } from './selection';

/** A bulk call's rule: devices.assign somewhere, and what its filter names (picked devices are classified one by one). */
const bulkRule = {
  kind: 'scoped',
  anywhere: 'devices.assign',
  keys: DEVICE_FILTER_KEYS,
  needs: (input: { selection: BulkSelection }, actor: Actor) =>
    'filter' in input.selection ? deviceFilterNeeds(input.selection.filter, 'selection.filter', actor) : [],
} as const;

/** Jobs are read (and stopped) by whoever canSeeJob admits: their starter, or who may assign every device at the starter's home. */
const READ_JOBS = { kind: 'list', permission: 'devices.assign' } as const;

/**
 * The rule was decided before the dry run; the job is written after it, in another
 * transaction, so losing devices.assign meanwhile still refuses.
 */
function requireAssigner(db: Db, actorId: string): void {
  const held = heldAnywhere(db, actorId, 'devices.assign');
  if (!held.allowed) throw new OpError('FORBIDDEN', held.reason ?? 'You may not assign devices');
}

/** The devices among a page of results that the reader may see now (devices.view, seed 000's assignment rule). */
function visibleDevices(db: Db, readerId: string, items: ReadonlyArray<{ device_id: string; group_id: string | null }>): Set<string> {
  const reader = actorSubject(db, readerId);
  const places = loadPlaces(
    db,
    items.flatMap((i) => (i.group_id ? [i.group_id] : [])),
  );
  const assigned = loadAssignments(
    db,
    items.map((i) => i.device_id),
    [readerId],
  );
  const seen = new Set<string>();
  for (const i of items) {
    const place = i.group_id ? places.get(i.group_id) : undefined;
    if (place && actorSees(reader, i.device_id, place, assigned)) seen.add(i.device_id);
  }
  return seen;
}

/** How many devices a selection holds now: picked ids as given, a filter's matches less the rows left out. */
function selectedNow(db: Db, actorId: string, selection: BulkSelection): number {
  if ('deviceIds' in selection) return selection.deviceIds.length;
  const matching = countDevices(db, actorId, selection.filter);
  if (!selection.exceptIds?.length) return matching;
  const q = deviceWhere(db, actorId, selection.filter);
  const left =
    stmt<Record<string, string | number>, { n: number }>(
      db,
      `SELECT count(*) AS n ${q.from} WHERE d.id IN (SELECT value FROM json_each(@exceptIds)) AND ${q.where}`,
    ).get({ ...q.params, exceptIds: JSON.stringify(selection.exceptIds) })?.n ?? 0;
  return matching - left;
}

const countsOf = (text: string) => {
  const tally = JSON.parse(text) as ReturnType<typeof emptyTally>;
  return { willChange: tally.willChange, unchanged: tally.unchanged, refused: tally.refused };
};

export function deviceJobHandlers(runner: JobRunner): RegisteredHandler[] {
  return [
    handler('devices.bulkPlan', {
      readPool: true,
      access: bulkRule,
      prepare: async (ctx, input) => (await planBulk(ctx.db, ctx.actor.userId, input)).plan,
      run: (_ctx, _input, plan) => plan,
    }),
    handler('devices.bulkAssign', {
      access: bulkRule,
      /**
       * Records the job and answers: nothing here grows with the selection but the count of
       * what matches now (from the tallies for a facet filter). The job plans itself in its
       * first steps (steps.ts), with the rights recorded here.
       */
      run(ctx, input) {
        const { db } = ctx;
        const { actor } = ctx;
        requireAssigner(db, actor.userId);
        const home = homeGroupOf(db, actor.userId);
        if (!home) throw new OpError('NOT_FOUND', 'Your account no longer exists');
        const id = ctx.entropy.id();
        const selection = normalizeSelection(input.selection);
        const selectionText = describeSelection(db, selection);
        const starter = actorSubject(db, actor.userId);
        const members = loadMembers(db, starter, [...new Set(input.userIds)]).map((m) => ({
          userId: m.userId,
          username: m.visible ? m.username : HIDDEN_MEMBER,
        }));
        const total = selectedNow(db, actor.userId, selection);
        stmt(
          db,
          `INSERT INTO device_jobs (id, action, state, actor_id, actor_name, actor_home_group_id, selection, selection_text, members,
             max_rowid, total, planned, counts, created_at, authority, plan_state, plan_cursor)
           VALUES (@id, @action, 'queued', @actorId, @actorName, @home, @selection, @selectionText, @members, @maxRowid, @total, @planned,
             @counts, @now, @authority, 'planning', 0)`,
        ).run({
          id,
          action: input.action,
          actorId: actor.userId,
          actorName: actor.username,
          home,
          selection: JSON.stringify(selection),
          selectionText,
          members: JSON.stringify(members),
          maxRowid: maxDeviceRowid(db),
          total,
          planned: JSON.stringify(emptyTally()),
          counts: JSON.stringify(emptyTally()),
          now: ctx.clock.now(),
          // What the starter may do now, inside the transaction that records the job: each step is held to it.
          authority: authorityText(starter.bindings),
        });
        // The person's one event for the job: what was asked, of how many devices. The step that ends planning records the plan.
        ctx.audit({
          action: 'devices.bulkAssign',
          target: { type: 'job', id, name: selectionText },
          groupId: ('filter' in selection && selection.filter.groupId) || home,
          after: { jobId: id, action: input.action, selection: selectionText, devices: total, members: members.map((m) => m.username) },
        });
        const row = readJob(db, id);
        if (!row) throw new Error('job row vanished inside its own transaction');
        return toJobInfo(row);
      },
      after: (_ctx, output) => {
        runner.kick();
        return Promise.resolve(output);
      },
    }),
    handler('devices.jobGet', {
      access: READ_JOBS,
      run: (ctx, input) => {
        const actorId = ctx.actor.userId;
        return jobInfoFor(ctx.db, actorId, requireJob(ctx.db, actorId, input.jobId));
      },
    }),
    handler('devices.jobs', {
      access: READ_JOBS,
      run(ctx, input) {
        const { db } = ctx;
        const actorId = ctx.actor.userId;
        const limit = input.limit ?? 20;
        // Newest first until `limit` visible ones: someone whose jobs are old still finds them.
        const jobs: JobInfo[] = [];
        const page = stmt<[number], JobRow>(db, 'SELECT * FROM device_jobs ORDER BY created_at DESC, id DESC LIMIT 200 OFFSET ?');
        for (let offset = 0; jobs.length < limit; offset += 200) {
          const rows = page.all(offset);
          for (const row of rows) if (jobs.length < limit && canSeeJob(db, actorId, row)) jobs.push(jobInfoFor(db, actorId, row));
          if (rows.length < 200) break;
        }
        return { jobs };
      },
    }),
    handler('devices.jobResults', {
      readPool: true,
      access: READ_JOBS,
      run(ctx, input) {
        const { db } = ctx;
        const actorId = ctx.actor.userId;
        const job = requireJob(db, actorId, input.jobId);
        const window = input.window ?? { offset: 0, limit: 100 };
        const status = input.status ?? '';
        const total =
          stmt<{ job: string; status: string }, { n: number }>(
            db,
            "SELECT count(*) AS n FROM device_job_items WHERE job_id = @job AND (@status = '' OR status = @status)",
          ).get({ job: job.id, status })?.n ?? 0;
        const names = new Map(maskMembers(db, actorId, parseMembers(job)).map((m) => [m.userId, m.username]));
        const items = stmt<
          { job: string; status: string; limit: number; offset: number },
          {
            seq: number;
            device_id: string;
            status: JobItemStatus;
            changed: string | null;
            unchanged: number;
            refused: string | null;
            undone: number;
            name: string | null;
            group_id: string | null;
            group_name: string | null;
          }
        >(
          db,
          `SELECT i.seq, i.device_id, i.status, i.changed, i.unchanged, i.refused, i.undone, d.name, d.group_id, g.name AS group_name
           FROM device_job_items i LEFT JOIN devices d ON d.id = i.device_id LEFT JOIN groups g ON g.id = d.group_id
           WHERE i.job_id = @job AND (@status = '' OR i.status = @status) ORDER BY i.seq LIMIT @limit OFFSET @offset`,
        ).all({ job: job.id, status, limit: window.limit, offset: window.offset });
        const member = (userId: string) => ({ userId, username: names.get(userId) ?? userId });
        const seen = visibleDevices(db, actorId, items);
        const rows: JobResultRow[] = items.map((i) => ({
          seq: i.seq,
          deviceId: i.device_id,
          // A picked id the reader may not see (or no longer sees) stays unnamed, like a removed device.
          deviceName: seen.has(i.device_id) ? i.name : null,
          groupName: seen.has(i.device_id) ? i.group_name : null,
          status: i.status,
          changed: i.changed ? (JSON.parse(i.changed) as string[]).map(member) : [],
          unchanged: i.unchanged,
          refused: i.refused
            ? (JSON.parse(i.refused) as Array<{ userId: string; reason: RefusalReason }>).map((r) => ({
                ...member(r.userId),
                reason: r.reason,
                message: REFUSAL_MESSAGES[r.reason],
              }))
            : [],
          undone: i.undone === 1,
        }));
        return { total, offset: window.offset, rows };
      },
    }),
    // Stopping a job undoes nothing and grants nothing: whoever sees the job may stop it.
    handler('devices.jobCancel', {
      access: READ_JOBS,
      run(ctx, input) {
        const { db } = ctx;
        const actorId = ctx.actor.userId;
        const job = requireJob(db, actorId, input.jobId);
        if (job.state !== 'queued' && job.state !== 'running')
          throw new OpError('CONFLICT', `The job is ${job.state.replace('_', ' ')}; only a queued or running job can be cancelled`, {
            field: 'jobId',
          });
        const now = ctx.clock.now();
        if (job.state === 'queued') {
          stmt(db, "UPDATE device_jobs SET state = 'cancelled', finished_at = ? WHERE id = ?").run(now, job.id);
          dropSelection(db, job.id);
        } else stmt(db, "UPDATE device_jobs SET state = 'cancelling' WHERE id = ?").run(job.id);
        ctx.audit({
          target: { type: 'job', id: job.id, name: job.selection_text },
          groupId: job.actor_home_group_id,
          after: { jobId: job.id, processed: job.processed, total: job.total, counts: countsOf(job.counts) },
        });
        const row = readJob(db, job.id);
        if (!row) throw new Error('job row vanished inside its own transaction');
        return jobInfoFor(db, actorId, row);
      },
    }),
    handler('devices.jobUndo', {
      access: { kind: 'anywhere', permission: 'devices.assign' },
      run(ctx, input) {
        const { db } = ctx;
        const actorId = ctx.actor.userId;
        const job = requireJob(db, actorId, input.jobId);
        if (!toJobInfo(job).canUndo)
          throw new OpError(
            'CONFLICT',
            job.state === 'done' || job.state === 'cancelled' || job.state === 'failed'
              ? 'This job changed no assignments; there is nothing to undo'
              : `The job is ${job.state.replace('_', ' ')}; only a finished or cancelled job can be undone, once`,
            { field: 'jobId' },
          );
        stmt(db, "UPDATE device_jobs SET state = 'rolling_back', undo_actor_id = ?, undo_cursor = 0 WHERE id = ?").run(actorId, job.id);
        ctx.audit({
          target: { type: 'job', id: job.id, name: job.selection_text },
          groupId: job.actor_home_group_id,
          after: { jobId: job.id, devicesToRestore: toJobInfo(job).counts.devicesChanged },
        });
        const row = readJob(db, job.id);
        if (!row) throw new Error('job row vanished inside its own transaction');
        return jobInfoFor(db, actorId, row);
      },
      after: (_ctx, output) => {
        runner.kick();
        return Promise.resolve(output);
      },
    }),
  ];
}
