import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ApiError } from '../../shared/result';
import type { Actor, Client } from '../dispatch/context';
import { log } from '../log';

/**
 * One read for a worker: an authorized call of an operation whose handler is marked `readPool`
 * (main/dispatch/registry.ts). The dispatcher has done everything but the reading.
 */
export interface ReadRequest {
  name: string;
  /** `run`: a query's prepare and run; `prepare`: a command's prepare (its run writes on the main thread). */
  phase: 'run' | 'prepare';
  /** Parsed by the dispatcher. */
  input: unknown;
  actor: Actor | null;
  client: Client;
  source: string;
  origin: string | null;
  /** Milliseconds since the epoch: the call's time as the main thread's clock read it (ctx.clock in the worker). */
  now: number;
}

export type ReadAnswer = { ok: true; value: unknown } | { ok: false; error: ApiError };

/** What a worker posts back. `internal`: the handler threw something other than OpError (a bug). */
export type WorkerMessage =
  | { type: 'ready'; names: string[] }
  | { type: 'done'; id: number; answer: ReadAnswer }
  | { type: 'failed'; id: number; message: string; stack: string };

/** What the main thread posts to a worker: a read, or `close` (end the connection and the thread). */
export type WorkerJob = { type: 'read'; id: number; request: ReadRequest } | { type: 'close' };

/** What a worker is started with (workerData). */
export interface WorkerSetup {
  file: string;
  nativeBinding?: string;
}

export interface ReadPoolOptions extends WorkerSetup {
  /** The worker's script: the bundle of main/read-worker.ts (read-worker.js beside the entry point's bundle). */
  script: string | URL;
  /** How many workers at most; default: the cores less one, at least 2 and at most 4. */
  workers?: number;
  /** true: start every worker now (a console); otherwise each starts when a read first needs it. */
  warm?: boolean;
}

/** The pool's counters since it started: for tests and the bench, not for decisions. */
export interface ReadPoolStats {
  workers: number;
  /** Workers started and waiting for reads or reading. */
  ready: number;
  busy: number;
  queued: number;
  answered: number;
  cancelled: number;
  /** Workers that stopped on their own (a crash) while running or starting. */
  crashed: number;
}

interface Job {
  id: number;
  request: ReadRequest;
  done: (answer: ReadAnswer) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** Set when the pool itself stops the worker (cancel, close): its exit is not a crash. */
  stopping: boolean;
}

/** Workers that stop before they are ready this many times in a row: the pool gives up and says why. */
const START_FAILURES_MAX = 3;

/**
 * The read pool (docs/architecture.md, "The read pool"): reads that can take long run in worker
 * threads, each with its own read-only connection (WAL), so the main thread (and with it every
 * other request, the one writer and, under Electron, the desktop's main process) never waits
 * for them. One read per worker at a time, first come first served.
 *
 * Cancellation: an aborted `signal` takes a queued read off the queue, and stops the worker of
 * a running one (SQLite cannot be interrupted from another thread through better-sqlite3), which
 * is replaced at once. Either way the read answers CANCELLED.
 *
 * A worker that dies while reading answers that read with INTERNAL, saying so, and is replaced.
 */
export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  private broken: string | null = null;
  private readonly counts = { answered: 0, cancelled: 0, crashed: 0 };
  private readonly size: number;

  constructor(private readonly options: ReadPoolOptions) {
    this.size = Math.max(1, options.workers ?? Math.min(4, Math.max(2, availableParallelism() - 1)));
    if (options.warm) for (let i = 0; i < this.size; i++) this.spawn();
  }

  /**
   * Runs one authorized read in a worker. Never rejects: a refusal is the handler's ApiError,
   * a crash or a pool that could not start is INTERNAL with a reference, an aborted signal is
   * CANCELLED.
   */
  read(request: ReadRequest, signal?: AbortSignal): Promise<ReadAnswer> {
    if (this.closed) return Promise.resolve(failure('INTERNAL', 'Steward is closing; the read did not run'));
    if (this.broken) return Promise.resolve(this.brokenAnswer());
    if (signal?.aborted) return Promise.resolve(cancelled());
    return new Promise<ReadAnswer>((resolve) => {
      const job: Job = {
        id: this.nextId++,
        request,
        signal,
        onAbort: () => this.cancel(job),
        done: (answer) => {
          signal?.removeEventListener('abort', job.onAbort);
          resolve(answer);
        },
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  stats(): ReadPoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((s) => s.ready).length,
      busy: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
      ...this.counts,
    };
  }

  /** The worker threads, for tests that stop one as a crash would. */
  threads(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /**
   * Stops every worker; reads still queued or running answer INTERNAL. An idle worker closes its
   * connection and ends itself (one still starting does so once started); a busy one is stopped.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.done(failure('INTERNAL', 'Steward is closing; the read did not run'));
    const stops = this.slots.map((slot) => {
      slot.stopping = true;
      const busy = slot.job !== null;
      slot.job?.done(failure('INTERNAL', 'Steward is closing; the read was stopped'));
      slot.job = null;
      if (busy) return slot.worker.terminate();
      const closing: WorkerJob = { type: 'close' };
      slot.worker.postMessage(closing);
      return new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
    });
    this.slots.length = 0;
    await Promise.allSettled(stops);
  }

  private spawn(): void {
    const setup: WorkerSetup = {
      file: this.options.file,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
    };
    const worker = new Worker(this.options.script, { workerData: setup });
    // A forgotten pool never keeps a process alive; a pending read keeps its caller's request open anyway.
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, stopping: false };
    this.slots.push(slot);
    let reason: Error | null = null;
    worker.on('message', (message: WorkerMessage) => this.received(slot, message));
    worker.on('error', (error) => (reason = error));
    worker.on('exit', (code) => this.exited(slot, code, reason));
  }

  private received(slot: Slot, message: WorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    slot.job = null;
    this.counts.answered++;
    if (message.type === 'done') job.done(message.answer);
    else job.done(internal(`${job.request.name} failed in the read pool: ${message.stack || message.message}`));
    this.pump();
  }

  private exited(slot: Slot, code: number, reason: Error | null): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    if (slot.stopping || this.closed) return;
    this.counts.crashed++;
    const why = reason ? `${reason.message}` : `exit code ${code}`;
    if (slot.job) {
      const { name } = slot.job.request;
      slot.job.done(internal(`The read worker stopped while answering ${name} (${why}); nothing was changed. Try again.`, reason, true));
      slot.job = null;
    } else if (!slot.ready && ++this.startFailures >= START_FAILURES_MAX) {
      this.broken = why;
      log.error(`the read pool could not start its workers (${why})`, reason ?? undefined);
      for (const job of this.queue.splice(0)) job.done(this.brokenAnswer());
      return;
    } else log.error(`a read worker stopped (${why}); another takes its place`, reason ?? undefined);
    if (this.options.warm) this.spawn();
    this.pump();
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else {
      const slot = this.slots.find((s) => s.job === job);
      if (!slot) return;
      // Its transaction and statement go with the thread; a fresh worker takes its place.
      slot.stopping = true;
      slot.job = null;
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      void slot.worker.terminate();
      if (!this.closed && this.options.warm) this.spawn();
    }
    this.counts.cancelled++;
    job.done(cancelled());
    this.pump();
  }

  private pump(): void {
    // Workers start as reads need them, up to the pool's size; one starting counts as free.
    let free = this.slots.filter((s) => !s.job).length;
    while (!this.closed && !this.broken && this.queue.length > free && this.slots.length < this.size) {
      this.spawn();
      free++;
    }
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift() as Job;
      slot.job = job;
      const message: WorkerJob = { type: 'read', id: job.id, request: job.request };
      slot.worker.postMessage(message);
    }
  }

  private brokenAnswer(): ReadAnswer {
    return failure(
      'INTERNAL',
      `Steward’s read workers could not start (${this.broken ?? 'unknown'}); reads that can take long are unavailable`,
    );
  }
}

function failure(code: ApiError['code'], message: string): ReadAnswer {
  return { ok: false, error: { code, message } };
}

function cancelled(): ReadAnswer {
  return failure('CANCELLED', 'The caller went away before the answer; the read was stopped');
}

/** Logged with a reference the answer names, as the dispatcher does for its own internal errors. */
function internal(detail: string, error: Error | null = null, tellCaller = false): ReadAnswer {
  const ref = randomBytes(4).toString('hex');
  log.error(`${detail} (ref ${ref})`, error ?? undefined);
  return failure(
    'INTERNAL',
    tellCaller ? `${detail} (reference ${ref})` : `Something went wrong inside Steward and nothing was changed (reference ${ref}).`,
  );
}
