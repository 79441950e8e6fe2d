import { withRelaxedSync } from '../../../db/connection';
import { performance } from 'node:perf_hooks';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import type { Clock } from '../../../dispatch/context';
import { log } from '../../../log';
import { captureBatch } from '../../../sync/batch';
import type { BulkSelection } from '../../../../shared/contract';
import { findGroup } from '../../access/tree';
import { actorSubject, classifyDevice, loadAssignments, loadMembers, loadPlaces, type Member, type Place, type Subject } from '../classify';
import { authorityText, bindingsFromText, type Loss } from './authority';
import { addPairs, classifyPage, selectionPage } from './selection';
import { ACTIVE_STATES, parseMembers, parseSelection, parseTally, type JobRow } from './store';

export interface JobRunnerOptions {
  /** Devices per chunk. Unset: sized as it runs so that each chunk takes about `chunkBudgetMs`. */
  chunkSize?: number;
  chunkBudgetMs?: number;
  /** A pause between chunks (tests use it to stop a process mid-job); 0 yields with setImmediate only. */
  pauseBetweenChunksMs?: number;
  /** false: jobs wait until `start()` (tests that inspect a queued job). */
  autoStart?: boolean;
}

const MIN_CHUNK = 50;
const MAX_CHUNK = 2000;

/**
 * Runs bulk jobs in the main process without holding the event loop: one chunk at a time,
 * each chunk its own short IMMEDIATE transaction in which every device is applied
 * together with its result row (so a device is fully applied or not at all), then the
 * loop is given back. Progress and the cursor are in the database, so a job survives a
 * crash: `recover()` at start-up resumes it, or rolls it back when its starter can no
 * longer assign devices. Cancel is honoured between chunks.
 */
export class JobRunner {
  private timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private closed = false;
  private started: boolean;
  private adaptive: number;
  private readonly selections = new Map<string, ReturnType<typeof parseSelection>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.started = options.autoStart !== false;
    this.adaptive = options.chunkSize ?? 500;
  }

  /** After a restart: settle what a crash interrupted, then carry on. */
  recover(): void {
    const now = this.clock.now();
    this.db
      .transaction(() => {
        for (const row of stmt<[], JobRow>(this.db, "SELECT * FROM device_jobs WHERE state IN ('queued','running','cancelling')").all()) {
          if (row.state === 'cancelling') {
            this.setState(row.id, 'cancelled', now, 'Cancelled; Steward restarted while the job was stopping');
            continue;
          }
          const actor = row.actor_id ? actorSubject(this.db, row.actor_id) : null;
          if (!actor || !actor.bindings.some((b) => b.role.permissions.has('devices.assign'))) {
            // What was applied on the starter's authority no longer has it: put it back.
            stmt(this.db, "UPDATE device_jobs SET state = 'rolling_back', undo_actor_id = NULL, note = ? WHERE id = ?").run(
              `Rolled back after a restart: ${row.actor_name} can no longer assign devices`,
              row.id,
            );
          } else if (row.state === 'running' && row.stopped_at === null) {
            stmt(this.db, 'UPDATE device_jobs SET note = ? WHERE id = ?').run(
              `Resumed after a restart at device ${row.processed.toLocaleString('en')} of ${row.total.toLocaleString('en')}`,
              row.id,
            );
          }
        }
      })
      .immediate();
    this.kick();
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  /** Something may need doing: schedule a step unless one is pending. */
  kick(): void {
    if (this.closed || !this.started || this.timer) return;
    const pause = this.options.pauseBetweenChunksMs ?? 0;
    this.timer = pause > 0 ? setTimeout(() => this.step(), pause) : setImmediate(() => this.step());
  }

  close(): void {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = null;
  }

  /** True while some job still has work; tests and the bench wait on it. */
  busy(): boolean {
    return this.nextJob() !== undefined;
  }

  private nextJob(): JobRow | undefined {
    return stmt<[], JobRow>(
      this.db,
      `SELECT * FROM device_jobs WHERE state IN ('running','cancelling','rolling_back','queued')
       ORDER BY state = 'queued', created_at, id LIMIT 1`,
    ).get();
  }

  private step(): void {
    this.timer = null;
    if (this.closed) return;
    if (this.runOne()) this.kick();
  }

  /**
   * Runs chunks right now, without yielding, until no job has work or `chunks` have run;
   * answers how many ran. For tests that need a job stopped at an exact point.
   */
  drain(chunks = Number.POSITIVE_INFINITY): number {
    let ran = 0;
    while (ran < chunks && !this.closed && this.runOne()) ran++;
    return ran;
  }

  /** One chunk of the job first in line; false when there was nothing to do. */
  private runOne(): boolean {
    const job = this.nextJob();
    if (!job) return false;
    const started = performance.now();
    try {
      this.relaxed(() => (job.state === 'rolling_back' ? this.undoChunk(job) : this.forwardChunk(job)));
      // A job that just ended is made durable at once, with one synced commit.
      const after = stmt<[string], { state: JobRow['state'] }>(this.db, 'SELECT state FROM device_jobs WHERE id = ?').get(job.id);
      if (after && !ACTIVE_STATES.includes(after.state))
        this.db.transaction(() => stmt(this.db, 'UPDATE device_jobs SET finished_at = finished_at WHERE id = ?').run(job.id)).immediate();
    } catch (error) {
      log.error(`device job ${job.id} failed`, error);
      this.setState(
        job.id,
        'failed',
        this.clock.now(),
        'Stopped by an internal error; devices already processed stay processed and can be undone',
      );
    }
    this.resize(performance.now() - started);
    return true;
  }

  /** A chunk commits without waiting for the disk (withRelaxedSync): it resumes from its cursor after a power cut. */
  private relaxed(chunk: () => void): void {
    withRelaxedSync(this.db, chunk);
  }

  /** Aims each chunk at the budget, so a slow disk or a large tree does not turn into a long stall. */
  private resize(elapsedMs: number): void {
    if (this.options.chunkSize !== undefined) return;
    const budget = this.options.chunkBudgetMs ?? 8;
    const scaled = Math.round((this.adaptive * budget) / Math.max(elapsedMs, 0.5));
    this.adaptive = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.min(scaled, this.adaptive * 2)));
  }

  private setState(id: string, state: JobRow['state'], now: number, note?: string): void {
    const run = () =>
      stmt(this.db, 'UPDATE device_jobs SET state = ?, finished_at = ?, note = coalesce(?, note) WHERE id = ?').run(
        state,
        now,
        note ?? null,
        id,
      );
    if (this.db.inTransaction) run();
    else this.db.transaction(run).immediate();
  }

  private selectionOf(job: JobRow) {
    let selection = this.selections.get(job.id);
    if (!selection) {
      selection = parseSelection(job);
      this.selections.set(job.id, selection);
    }
    return selection;
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
  private forwardChunk(snapshot: JobRow): void {
    const db = this.db;
    db.transaction(() => {
      const job = stmt<[string], JobRow>(db, 'SELECT * FROM device_jobs WHERE id = ?').get(snapshot.id);
      if (!job) return;
      const now = this.clock.now();
      if (job.state === 'cancelling') {
        this.selections.delete(job.id);
        return this.setState(job.id, 'cancelled', now);
      }
      if (job.state === 'queued') stmt(db, "UPDATE device_jobs SET state = 'running', started_at = ? WHERE id = ?").run(now, job.id);
      const actor = actorSubject(db, job.actor_id);
      const memberIds = parseMembers(job).map((m) => m.userId);
      const members = loadMembers(db, actor, memberIds);
      // Jobs recorded before the start was kept are held to the rights of the moment, as they were.
      const start: Subject = {
        userId: job.actor_id ?? '',
        bindings: job.authority === null ? actor.bindings : bindingsFromText(job.authority),
      };
      const selection = this.selectionOf(job);
      const page = selectionPage(
        db,
        { userId: start.userId, asOfStart: start.bindings },
        selection,
        job.max_rowid,
        job.cursor,
        this.adaptive,
      );
      const changed = job.stopped_at === null && job.authority !== null && job.authority !== authorityText(actor.bindings);
      const startMembers = changed ? loadMembers(db, start, memberIds) : members;
      const classified =
        job.stopped_at === null
          ? classifyPage(db, job.action, actor, members, page.devices, changed ? { actor: start, members: startMembers } : undefined)
          : null;
      const assigneeLoss = changed ? this.assigneeLoss(selection, start, actor) : null;
      const tally = parseTally(job.counts);
      // Written after the loop as one batch (main/sync/batch.ts): a change row per pair would cost more than the pair.
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
        const loss = entry?.loss ?? (index === 0 ? assigneeLoss : null);
        if (stoppedAt === null && loss) {
          stoppedAt = seq;
          note = this.stopNote(job, seq, loss);
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
      captureBatch(db, 'device_assignments', job.action === 'assign' ? 'insert' : 'delete', pairsToWrite);
      stmt(db, 'UPDATE device_jobs SET cursor = ?, processed = ?, counts = ?, stopped_at = ?, note = coalesce(?, note) WHERE id = ?').run(
        page.next,
        seq,
        JSON.stringify(tally),
        stoppedAt,
        note,
        job.id,
      );
      if (page.done) {
        this.selections.delete(job.id);
        this.setState(job.id, stoppedAt === null ? 'done' : 'failed', now);
      }
    }).immediate();
  }

  /** A filter "held by X" reads X's devices on the starter's behalf: losing sight of X is losing a right the job needs. */
  private assigneeLoss(selection: BulkSelection, start: Subject, now: Subject): Loss | null {
    const assigneeId = 'filter' in selection ? selection.filter.assigneeId : undefined;
    if (!assigneeId || assigneeId === start.userId) return null;
    const [then] = loadMembers(this.db, start, [assigneeId]);
    const [current] = loadMembers(this.db, now, [assigneeId]);
    return then?.visible && !current?.visible ? { key: 'users.view', groupId: null } : null;
  }

  /** "Stopped at device 5,147 of 100,000: ana no longer holds devices.assign at Acme; the remaining devices were refused". */
  private stopNote(job: JobRow, seq: number, loss: Loss): string {
    const status = job.actor_id
      ? stmt<[string], { status: string }>(this.db, 'SELECT status FROM users WHERE id = ?').get(job.actor_id)?.status
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
              : `${job.actor_name} no longer holds ${loss.key}${loss.groupId ? ` at ${findGroup(this.db, loss.groupId)?.name ?? 'the group where they held it'}` : ''}`;
    return `Stopped at device ${seq.toLocaleString('en')} of ${job.total.toLocaleString('en')}: ${why}; the remaining devices were refused`;
  }

  /** Why an undo left devices as the job made them, for the job's note. */
  private undoNote(undoerId: string, left: number): string {
    const name =
      stmt<[string], { username: string }>(this.db, 'SELECT username FROM users WHERE id = ?').get(undoerId)?.username ??
      'The person undoing';
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
  private undoChunk(snapshot: JobRow): void {
    const db = this.db;
    db.transaction(() => {
      const job = stmt<[string], JobRow>(db, 'SELECT * FROM device_jobs WHERE id = ?').get(snapshot.id);
      if (!job || job.state !== 'rolling_back') return;
      const items = stmt<[string, number, number], { seq: number; device_id: string; changed: string }>(
        db,
        `SELECT seq, device_id, changed FROM device_job_items WHERE job_id = ? AND status = 'changed' AND undone = 0 AND seq > ?
         ORDER BY seq LIMIT ?`,
      ).all(job.id, job.undo_cursor, this.adaptive);
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
      captureBatch(db, 'device_assignments', 'delete', pairsToDelete);
      const last = items[items.length - 1];
      stmt(
        db,
        'UPDATE device_jobs SET undo_cursor = ?, undo_restored = undo_restored + ?, undo_skipped = undo_skipped + ? WHERE id = ?',
      ).run(last ? last.seq : job.undo_cursor, restored, skipped, job.id);
      if (items.length < this.adaptive) {
        const now = this.clock.now();
        const left = job.undo_skipped + skipped;
        const note = undoer && left > 0 ? this.undoNote(job.undo_actor_id ?? '', left) : null;
        stmt(
          db,
          "UPDATE device_jobs SET state = 'rolled_back', undone_at = ?, finished_at = coalesce(finished_at, ?), note = coalesce(?, note) WHERE id = ?",
        ).run(now, now, note, job.id);
      }
    }).immediate();
  }
}
