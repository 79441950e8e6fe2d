import { performance } from 'node:perf_hooks';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import type { Clock } from '../../../dispatch/context';
import { log } from '../../../log';
import { actorAssigns, actorSubject, loadAssignments, loadMembers, loadPlaces, type Place } from '../classify';
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
          } else if (row.state === 'running') {
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

  /**
   * A chunk commits without waiting for the disk (synchronous=NORMAL, in WAL mode): a
   * process crash still loses nothing committed, and a power cut can only lose the last
   * chunks, atomically with their progress, so the job resumes from an earlier cursor.
   * Waiting for the disk on every chunk would cost more than the chunk itself. Every other
   * transaction, and the one that ends a job, keeps synchronous=FULL.
   */
  private relaxed(chunk: () => void): void {
    this.db.pragma('synchronous = NORMAL');
    try {
      chunk();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
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
      const members = loadMembers(
        db,
        actor,
        parseMembers(job).map((m) => m.userId),
      );
      const page = selectionPage(db, actor.userId, this.selectionOf(job), job.max_rowid, job.cursor, this.adaptive);
      const tally = parseTally(job.counts);
      const apply =
        job.action === 'assign'
          ? stmt(db, 'INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)')
          : stmt(db, 'DELETE FROM device_assignments WHERE device_id = ? AND user_id = ?');
      const record = stmt(
        db,
        'INSERT INTO device_job_items (job_id, seq, device_id, status, changed, unchanged, refused) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      let seq = job.processed;
      for (const { device, pairs } of classifyPage(db, job.action, actor, members, page.devices)) {
        for (const userId of pairs.change) apply.run(device.id, userId);
        const status = pairs.change.length > 0 ? 'changed' : pairs.refused.length > 0 && pairs.unchanged === 0 ? 'refused' : 'unchanged';
        record.run(
          job.id,
          ++seq,
          device.id,
          status,
          pairs.change.length > 0 ? JSON.stringify(pairs.change) : null,
          pairs.unchanged,
          pairs.refused.length > 0 ? JSON.stringify(pairs.refused) : null,
        );
        addPairs(tally, pairs);
      }
      stmt(db, 'UPDATE device_jobs SET cursor = ?, processed = ?, counts = ? WHERE id = ?').run(
        page.next,
        seq,
        JSON.stringify(tally),
        job.id,
      );
      if (page.done) {
        this.selections.delete(job.id);
        this.setState(job.id, 'done', now);
      }
    }).immediate();
  }

  /** Reverses the changed pairs in processing order; a user's undo skips devices they may no longer assign. */
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
      const assigned = undoer
        ? loadAssignments(
            db,
            items.map((i) => i.device_id),
            [undoer.userId],
          )
        : new Set<string>();
      const reverse =
        job.action === 'assign'
          ? stmt(db, 'DELETE FROM device_assignments WHERE device_id = @device AND user_id = @user')
          : stmt(
              db,
              `INSERT OR IGNORE INTO device_assignments (device_id, user_id) SELECT @device, @user
               WHERE EXISTS (SELECT 1 FROM users WHERE id = @user) AND EXISTS (SELECT 1 FROM devices WHERE id = @device)`,
            );
      const mark = stmt(db, 'UPDATE device_job_items SET undone = 1 WHERE job_id = ? AND seq = ?');
      let restored = 0;
      let skipped = 0;
      for (const item of items) {
        const group = groupOf.get(item.device_id);
        const place = group ? places.get(group) : undefined;
        if (undoer && (!place || !actorAssigns(undoer, item.device_id, place, assigned))) {
          skipped++;
          continue;
        }
        for (const user of JSON.parse(item.changed) as string[]) reverse.run({ device: item.device_id, user });
        mark.run(job.id, item.seq);
        restored++;
      }
      const last = items[items.length - 1];
      stmt(
        db,
        'UPDATE device_jobs SET undo_cursor = ?, undo_restored = undo_restored + ?, undo_skipped = undo_skipped + ? WHERE id = ?',
      ).run(last ? last.seq : job.undo_cursor, restored, skipped, job.id);
      if (items.length < this.adaptive) {
        const now = this.clock.now();
        stmt(db, "UPDATE device_jobs SET state = 'rolled_back', undone_at = ?, finished_at = coalesce(finished_at, ?) WHERE id = ?").run(
          now,
          now,
          job.id,
        );
      }
    }).immediate();
  }
}
