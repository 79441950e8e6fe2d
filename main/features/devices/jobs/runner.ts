import { performance } from 'node:perf_hooks';
import { JOB_STEP_MAX, type OperationName } from '../../../../shared/contract';
import type { Result } from '../../../../shared/result';
import { refreshStatistics, type Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { log } from '../../../log';
import { jobsToRecover } from './steps';
import { ACTIVE_STATES, type JobRow } from './store';

export interface JobRunnerOptions {
  /** Devices per chunk, at most JOB_STEP_MAX. Unset (or below 1): sized as it runs so that each chunk takes about `chunkBudgetMs`. */
  chunkSize?: number;
  chunkBudgetMs?: number;
  /** A pause between chunks (tests use it to stop a process mid-job); 0 yields with setImmediate only. */
  pauseBetweenChunksMs?: number;
  /** false: jobs wait until `start()` (tests that inspect a queued job; a replay, whose log holds the steps). */
  autoStart?: boolean;
}

/** How the runner reaches the dispatcher: a system command, run synchronously (Dispatcher.runSystem). */
export type SystemCommands = (name: OperationName, input: unknown) => Result<unknown>;

const MIN_CHUNK = 50;
const MAX_CHUNK = JOB_STEP_MAX;

/**
 * Runs bulk jobs in the main process without holding the event loop: one chunk at a time,
 * each chunk a system command (devices.jobStep, main/features/devices/jobs/steps.ts) in its
 * own short transaction with its audit event, then the loop is given back. Progress and the
 * cursor are in the database, so a job survives a crash: `recover()` at start-up resumes it,
 * or rolls it back when its starter can no longer assign devices. Cancel is honoured
 * between chunks. The runner itself only reads: it picks the next job and sizes chunks.
 */
/** What the runner needs of the WAL checkpoint thread. */
export interface RunnerCheckpointer {
  active(): boolean;
  behind(): boolean;
  now(): Promise<void>;
}

export class JobRunner {
  private timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private closed = false;
  private started: boolean;
  /** The configured size, or the first step's size of each job and phase when sized as it runs. */
  private readonly initial: number;
  /** Sizes as they run, per job and phase (planning, applying, undoing): each costs its own per device. */
  private readonly sizes = new Map<string, number>();
  private readonly fixed: boolean;
  private commands: SystemCommands | null = null;
  private checkpointer: RunnerCheckpointer | null = null;
  private settling = false;

  constructor(
    private readonly db: Db,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.started = options.autoStart !== false;
    // A configured size is held to what a step takes (1..JOB_STEP_MAX), so no step can be refused for its size;
    // one below 1 means none was given (sized as it runs).
    this.fixed = options.chunkSize !== undefined && options.chunkSize >= 1;
    // Sized as it runs, a job starts small: a size another job (or phase) grew to says nothing of this one's cost.
    this.initial = this.fixed ? Math.min(JOB_STEP_MAX, Math.round(options.chunkSize ?? 500)) : MIN_CHUNK;
  }

  /**
   * WAL checkpoints by a thread of their own (main/db/checkpointer.ts): a job that just ended
   * is made durable by asking it, and while the WAL is behind the runner waits for it between
   * steps (the event loop free meanwhile), so SQLite can start the WAL over.
   */
  checkpointWith(checkpointer: RunnerCheckpointer): void {
    this.checkpointer = checkpointer;
  }

  /** The dispatcher is built after the handlers that hold this runner: it is handed over here. */
  attach(commands: SystemCommands): void {
    this.commands = commands;
  }

  /** After a restart: settle what a crash interrupted (one devices.jobRecover command, when there is anything), then carry on. */
  recover(): void {
    if (jobsToRecover(this.db)) {
      const result = this.command('devices.jobRecover', {});
      if (!result.ok) log.error(`recovering device jobs failed: ${result.error.message}`);
    }
    this.kick();
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  private holds = 0;

  /**
   * Stops running chunks until the returned release is called (each hold released once); a
   * chunk already scheduled waits. A replica holds the runner while it rebases.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.kick();
    };
  }

  /** Something may need doing: schedule a step unless one is pending. */
  kick(): void {
    if (this.closed || !this.started || this.timer || this.settling || this.holds > 0) return;
    if (this.checkpointer?.behind()) {
      this.settling = true;
      void this.checkpointer.now().then(() => {
        this.settling = false;
        this.kick();
      });
      return;
    }
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
    if (this.closed || this.holds > 0) return;
    if (this.runOne() !== false) this.kick();
  }

  /**
   * Runs chunks right now, without yielding, until no job has work or `chunks` have run;
   * answers how many ran. For tests that need a job stopped at an exact point. A job's own
   * planning steps (its dry run, before its first chunk) run as they come and are not counted.
   */
  drain(chunks = Number.POSITIVE_INFINITY): number {
    let ran = 0;
    while (ran < chunks && !this.closed) {
      const step = this.runOne();
      if (!step) break;
      if (step === 'chunk') ran++;
    }
    return ran;
  }

  private command(name: OperationName, input: unknown): Result<unknown> {
    if (!this.commands) throw new Error('The job runner has no dispatcher yet');
    return this.commands(name, input);
  }

  /** One step of the job first in line: a planning step or a chunk; false when there was nothing to do. */
  private runOne(): 'planning' | 'chunk' | false {
    const job = this.nextJob();
    if (!job) return false;
    const phase = `${job.id}:${job.plan_state === 'planning' ? 'plan' : job.state === 'rolling_back' ? 'undo' : 'apply'}`;
    const size = this.sizes.get(phase) ?? this.initial;
    const started = performance.now();
    const result = this.command('devices.jobStep', { jobId: job.id, size });
    if (!result.ok) {
      log.error(`device job ${job.id} failed: ${result.error.message}`);
      const failed = this.command('devices.jobFail', { jobId: job.id });
      if (!failed.ok) {
        // Neither a step nor the failure could be written: stop rather than spin on the same job.
        log.error(`device job ${job.id} could not be marked failed (${failed.error.message}); the job runner stops`);
        this.close();
        return false;
      }
    } else if (!ACTIVE_STATES.includes((result.value as { state: JobRow['state'] }).state)) {
      for (const key of this.sizes.keys()) if (key.startsWith(`${job.id}:`)) this.sizes.delete(key);
      // Chunks commit without waiting for the disk; a job that just ended is made durable at once,
      // and the planner's statistics catch up with what it wrote.
      if (this.checkpointer?.active()) void this.checkpointer.now();
      else this.db.pragma('wal_checkpoint(PASSIVE)');
      refreshStatistics(this.db, 'writes');
    }
    const state = result.ok ? (result.value as { state: JobRow['state'] }).state : 'failed';
    if (!this.fixed && ACTIVE_STATES.includes(state)) this.sizes.set(phase, this.resized(size, performance.now() - started));
    return job.plan_state === 'planning' ? 'planning' : 'chunk';
  }

  /** Aims each step at the budget, so a slow disk or a large tree does not turn into a long stall; at most doubling a step. */
  private resized(size: number, elapsedMs: number): number {
    const budget = this.options.chunkBudgetMs ?? 8;
    const scaled = Math.round((size * budget) / Math.max(elapsedMs, 0.5));
    return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.min(scaled, size * 2)));
  }
}
