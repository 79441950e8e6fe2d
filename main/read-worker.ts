import { randomBytes, randomUUID } from 'node:crypto';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runCheckpointer, type CheckpointerSetup } from './db/checkpointer';
import { openReadConnection } from './db/connection';
import type { ReadAnswer, ReadRequest, WorkerJob, WorkerMessage, WorkerSetup } from './db/read-pool';
import { stmt } from './db/statements';
import type { CommandContext } from './dispatch/context';
import { OpError } from './dispatch/errors';
import type { RegisteredHandler } from './dispatch/registry';
import { forgetConnectionCaches, poolReadHandlers } from './read-handlers';
import type { SecretBox } from './security/secret-box';

/**
 * A worker of the read pool (main/db/read-pool.ts; docs/architecture.md, "The read pool"): its
 * own read-only connection, one read at a time, each in its own read transaction.
 */
const port = parentPort;
if (!port) throw new Error('main/read-worker.ts runs only as a worker thread of the read pool');
const started = workerData as WorkerSetup | CheckpointerSetup;
// The same bundle is the WAL checkpoint thread (main/db/checkpointer.ts): one script to build and ship.
if ('role' in started) runCheckpointer(port, started);
else serveReads(port, started);

function serveReads(port: MessagePort, setup: WorkerSetup): void {
  const db = openReadConnection(setup.file, setup.nativeBinding ? { nativeBinding: setup.nativeBinding } : {});
  const handlers = new Map(poolReadHandlers().map((h) => [h.name as string, h]));
  let seenVersion: unknown = null;

  /** Pool reads never unseal: a handler that needs the data key stays on the main thread. */
  const noKey = (): never => {
    throw new Error('A read in the pool has no access to the data key');
  };
  const noSecrets: SecretBox = { seal: noKey, open: noKey, mac: noKey };

  function context(request: ReadRequest): CommandContext {
    return {
      db,
      // The call's time as the main thread read it: a read sees one instant, as it would there.
      clock: { now: () => request.now },
      entropy: { bytes: (n) => randomBytes(n), id: () => randomUUID() },
      secrets: noSecrets,
      actor: request.actor,
      client: request.client,
      source: request.source,
      origin: request.origin,
      audit: () => {
        throw new Error(`Read "${request.name}" tried to write an audit event`);
      },
      setSession: () => {
        throw new Error(`Read "${request.name}" tried to change the session`);
      },
    };
  }

  async function read(handler: RegisteredHandler, request: ReadRequest): Promise<unknown> {
    const ctx = context(request);
    const prepared = handler.prepare ? await handler.prepare(ctx, request.input) : undefined;
    return request.phase === 'prepare' ? prepared : handler.run(ctx, request.input, prepared);
  }

  async function answer(request: ReadRequest): Promise<ReadAnswer> {
    const handler = handlers.get(request.name);
    if (!handler) throw new Error(`"${request.name}" is not a read of the pool`);
    // One snapshot for the whole read, begun now: everything committed before the call was sent is
    // in it (read your writes), and nothing committed while it runs tears it.
    db.exec('BEGIN');
    try {
      stmt(db, 'SELECT 1 FROM sqlite_schema LIMIT 1').get();
      // Inside the snapshot, data_version moves when another connection committed since the last read.
      const version = db.pragma('data_version', { simple: true });
      if (version !== seenVersion) {
        forgetConnectionCaches(db);
        seenVersion = version;
      }
      return { ok: true, value: await read(handler, request) };
    } catch (error) {
      if (error instanceof OpError) return { ok: false, error: error.toApiError() };
      throw error;
    } finally {
      // A read transaction ends whatever happened: the next read must not keep this snapshot.
      db.exec('COMMIT');
    }
  }

  port.on('message', (job: WorkerJob) => {
    if (job.type === 'close') {
      db.close();
      port.close();
      return;
    }
    const failed = (error: unknown) =>
      post({
        type: 'failed',
        id: job.id,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? (error.stack ?? '') : '',
      });
    answer(job.request).then((result) => {
      // An answer that cannot cross to the main thread (a value structured cloning refuses) is a bug, said as one.
      try {
        post({ type: 'done', id: job.id, answer: result });
      } catch (error) {
        failed(error);
      }
    }, failed);
  });

  function post(message: WorkerMessage): void {
    port?.postMessage(message);
  }

  post({ type: 'ready', names: [...handlers.keys()] });
}
