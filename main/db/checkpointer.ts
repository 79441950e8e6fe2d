import Database from 'better-sqlite3';
import { Worker, type MessagePort } from 'node:worker_threads';
import { log } from '../log';
import type { Db } from './connection';

/**
 * WAL checkpoints off the main thread (issue 17; docs/scale.md, "Bulk jobs"). SQLite's own
 * automatic checkpoint runs inside the commit that passes 1,000 WAL pages: on the main thread,
 * it copies those pages back to the database file and waits for the disk, 20–35 ms every few
 * chunks of a bulk job. A worker thread with its own connection checkpoints instead (WAL lets
 * one checkpointer work beside the writer and the readers, https://sqlite.org/wal.html#ckpt),
 * and the writer's automatic checkpoint is raised to a backstop that bounds the WAL should the
 * thread stop.
 */

/** The writer's automatic checkpoint while the thread runs (pages, ~40 MiB): the WAL's bound if the thread stops. */
export const BACKSTOP_PAGES = 10_000;
/** SQLite's default, restored when the thread is gone. */
const DEFAULT_PAGES = 1_000;
/** How often the thread checkpoints, in milliseconds: a job's chunks write about 1,000 pages in 50 ms. */
const INTERVAL_MS = 50;

/** What the thread is started with (workerData): `role` tells the read worker's bundle to checkpoint instead. */
export interface CheckpointerSetup {
  role: 'checkpoint';
  file: string;
  nativeBinding?: string;
  intervalMs: number;
}

type ToThread = { type: 'now'; id: number } | { type: 'close' };
/** `log`: frames in the WAL; `checkpointed`: how many of them are in the database file (wal_checkpoint's answer). */
type FromThread = { type: 'ready' } | { type: 'checkpointed'; id: number | null; log: number; checkpointed: number };

/** Frames the WAL may hold before a bulk job waits for the thread to catch up (about 16 MiB). */
export const SETTLE_FRAMES = 4_000;

export interface CheckpointerOptions {
  file: string;
  /** The bundle of main/read-worker.ts (it checkpoints when started with `role: 'checkpoint'`). */
  script: string | URL;
  nativeBinding?: string;
  intervalMs?: number;
}

/** The main thread's side: starts the thread, sets the writer's backstop once it runs, and restores it when it ends. */
export class Checkpointer {
  private worker: Worker | null;
  private running = false;
  private readonly exited: Promise<void>;
  private nextId = 1;
  private readonly waiting = new Map<number, () => void>();
  /** The WAL's frames at the thread's last checkpoint. */
  private frames = 0;

  constructor(
    private readonly writer: Db,
    options: CheckpointerOptions,
  ) {
    const setup: CheckpointerSetup = {
      role: 'checkpoint',
      file: options.file,
      intervalMs: options.intervalMs ?? INTERVAL_MS,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    };
    const worker = new Worker(options.script, { workerData: setup });
    this.worker = worker;
    // Never keeps a process alive by itself.
    worker.unref();
    worker.on('message', (message: FromThread) => {
      if (message.type === 'ready') {
        if (!this.writer.open) return;
        this.running = true;
        this.writer.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
        return;
      }
      // Asked for and copied whole, the WAL starts over at the writer's next transaction; a tick says how long it is.
      this.frames = message.id !== null && message.checkpointed === message.log ? 0 : message.log;
      if (message.id === null) return;
      this.waiting.get(message.id)?.();
      this.waiting.delete(message.id);
    });
    worker.on('error', (error) => log.error('the checkpoint thread failed; the writer checkpoints by itself again', error));
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        this.worker = null;
        this.running = false;
        for (const done of this.waiting.values()) done();
        this.waiting.clear();
        if (this.writer.open) this.writer.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
        resolve();
      }),
    );
  }

  /** True once the thread checkpoints (and the writer's own checkpoint is only the backstop). */
  active(): boolean {
    return this.running;
  }

  /**
   * Asks for a checkpoint at once; resolves when it is done (at once when the thread is not
   * running). A writer that waits for it between transactions finds the WAL copied whole, and
   * SQLite starts the WAL over at its next transaction instead of letting it grow to the backstop.
   */
  now(): Promise<void> {
    if (!this.worker || !this.running) return Promise.resolve();
    const id = this.nextId++;
    const message: ToThread = { type: 'now', id };
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker?.postMessage(message);
    });
  }

  /** True when the WAL has grown past SETTLE_FRAMES since the thread last caught up: a bulk writer should wait for now(). */
  behind(): boolean {
    return this.running && this.frames > SETTLE_FRAMES;
  }

  /** Ends the thread after a last checkpoint; the writer checkpoints by itself again. */
  async close(): Promise<void> {
    if (this.worker) {
      const message: ToThread = { type: 'close' };
      this.worker.postMessage(message);
    }
    await this.exited;
  }
}

/**
 * The thread's side, run by main/read-worker.ts for `role: 'checkpoint'`: a read-write
 * connection that only checkpoints (PASSIVE: it never waits for the writer or the readers,
 * and copies what it can), every `intervalMs` and when asked.
 */
export function runCheckpointer(port: MessagePort, setup: CheckpointerSetup): void {
  const db = new Database(setup.file, { fileMustExist: true, ...(setup.nativeBinding ? { nativeBinding: setup.nativeBinding } : {}) });
  // A checkpoint that meets the writer's lock gives up at once and comes again next time.
  db.pragma('busy_timeout = 0');
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('The checkpoint thread needs the database in WAL mode');
  let last = -1;
  const checkpoint = (id: number | null) => {
    let row: { busy: number; log: number; checkpointed: number } | undefined;
    try {
      [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    } catch (error) {
      // SQLITE_BUSY: another checkpoint (the writer's backstop) is running; the next tick tries again.
      if (!(error instanceof Error && /busy|locked/i.test(error.message))) throw error;
    }
    const log = row?.log ?? last;
    // Ticks that find nothing new say nothing; an asked-for checkpoint always answers.
    if (id !== null || log !== last) post({ type: 'checkpointed', id, log, checkpointed: row?.checkpointed ?? 0 });
    last = log;
  };
  const post = (message: FromThread) => port.postMessage(message);
  const timer = setInterval(() => checkpoint(null), setup.intervalMs);
  port.on('message', (message: ToThread) => {
    if (message.type === 'now') return checkpoint(message.id);
    clearInterval(timer);
    checkpoint(null);
    db.close();
    port.close();
  });
  post({ type: 'ready' });
}
