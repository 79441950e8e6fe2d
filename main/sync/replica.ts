import { z } from 'zod';
import type { ApiError, Result } from '../../shared/result';
import type { SyncStatus } from '../../shared/contract/sync';
import type { Db } from '../db/connection';
import { stmt } from '../db/statements';
import type { Clock } from '../dispatch/context';
import type { Dispatcher } from '../dispatch/dispatcher';
import { validationError } from '../dispatch/validation';
import { log } from '../log';
import type { SecretBox } from '../security/secret-box';
import { httpsLink, HubUnreachable, hubUrl, normalizeFingerprint, type HubLink, type HubPin, type HubTransport } from './hub-client';
import type { Connected, HubJob } from './hub';
import type { CommandAnswer, PullAnswer } from './pull';
import {
  applyPull,
  forgetVerifier,
  jobsAwaitingResults,
  keepHubJob,
  keepStep,
  hubRow,
  needsHub,
  ownCommandsAfter,
  recordAnswers,
  syncCounts,
  type HubRow,
} from './replica-store';
import { REPLICATED_TABLES } from './replicated';
import { installUndo, undoPending } from './undo';
import { refreshCapture } from './capture';

const PUSH_BATCH = 200;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 15_000];

const answerShape = z.object({
  seq: z.number().int().min(1),
  operation: z.string(),
  refusal: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).passthrough().nullable(),
});
const pullShape = z.object({
  reset: z.boolean(),
  cursor: z.number().int().min(0),
  rows: z.array(
    z.object({ table: z.enum(REPLICATED_TABLES), pk: z.string(), row: z.string().nullable(), gone: z.literal(true).optional() }),
  ),
  answers: z.array(answerShape),
  totpLastStep: z.number().int().nullable(),
});
const pushShape = z.object({
  answers: z.array(answerShape),
  stopped: z.object({ code: z.string(), message: z.string(), seq: z.number() }).passthrough().optional(),
});

export interface ReplicaDeps {
  db: Db;
  dispatcher: Dispatcher;
  secrets: SecretBox;
  clock: Clock;
  installationId: string;
  /** Stops bulk-job chunks while a pull rebases (JobRunner.hold). */
  holdJobs: () => () => void;
  /** Drops the read caches a pull may have made stale (roles, places). */
  invalidate: () => void;
  /** How the hub is reached: HTTPS unless a test of sync itself links in-process. */
  link?: HubLink;
}

/**
 * A desktop (or headless web console) working against a hub (DESIGN 6, docs/sync.md): its
 * database is the hub's state as its person may see it, plus its own commands the hub has not
 * answered yet (the outbox: its command log after `answered_seq`). Each sync pushes the outbox
 * in order, pulls, puts the hub's state back and runs the pending commands again on it.
 * Offline, commands run locally and wait; the hub decides when it is reached again.
 */
export class Replica {
  private client: HubTransport | null = null;
  /** Whether this data folder has a hub (sync_hub holds its row). */
  private connected: boolean;
  private readonly link: HubLink;
  private state: SyncStatus['state'] = 'not-connected';
  private lastError: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopListening: (() => void) | null = null;
  private closed = false;

  constructor(private readonly deps: ReplicaDeps) {
    this.link = deps.link ?? httpsLink;
    // Once a replica, always one: standalone calls skip the lookup (this check runs before every call).
    this.connected = hubRow(deps.db) !== undefined;
    deps.dispatcher.restrict((name, input) => {
      if (!this.connected) return null;
      if (name === 'auth.signIn') {
        const hub = hubRow(deps.db);
        return hub ? this.offlineSignIn(hub) : null;
      }
      const why = needsHub(name, input);
      return why ? { code: 'FORBIDDEN', message: `${name} is done in the hub's console, not on a replica: ${why}` } : null;
    });
    deps.dispatcher.onCommitted(() => this.request());
  }

  /** Picks up where a stopped process left off (a rebase half done), then syncs when online. */
  async start(): Promise<void> {
    const hub = hubRow(this.deps.db);
    if (!hub) return;
    this.client = this.link.open(this.pin(hub), this.token());
    this.state = hub.work_offline ? 'working-offline' : this.token() ? 'offline' : 'signed-out';
    if (hub.rebase_from !== null) await this.rebase();
    this.request();
  }

  /**
   * Connects this installation to a hub (the "Connect to a hub" form): fetches the hub's
   * certificate and refuses unless its fingerprint is the one the person compared, signs the
   * person in at the hub with password and code, and pulls what they may see. A replica
   * connects once; afterwards only its own person may sign in to the hub again.
   *
   * @returns the person's id here; VALIDATION naming `url` or `fingerprint`, the hub's
   *   refusal of the sign-in, or UNAVAILABLE-style FORBIDDEN when the hub cannot be reached.
   */
  async connect(input: {
    url: string;
    fingerprint: string;
    username: string;
    password: string;
    code: string;
  }): Promise<Result<{ userId: string }>> {
    const refuse = (message: string, field?: string): Result<never> => ({
      ok: false,
      error: { code: field ? 'VALIDATION' : 'FORBIDDEN', message, ...(field ? { field } : {}) },
    });
    const existing = hubRow(this.deps.db);
    let url: string;
    try {
      url = hubUrl(input.url);
    } catch (error) {
      return refuse((error as Error).message, 'url');
    }
    if (existing && existing.url !== url) return refuse(`This installation is connected to ${existing.url}; it cannot change hubs`, 'url');
    const wanted = normalizeFingerprint(input.fingerprint);
    if (wanted.length !== 95)
      return refuse('fingerprint: the SHA-256 fingerprint has 32 pairs of hex digits, as the hub printed it', 'fingerprint');
    let presented: { certificate: string; fingerprint: string };
    try {
      presented = await this.link.certificate(url);
    } catch (error) {
      return refuse((error as Error).message);
    }
    if (presented.fingerprint !== wanted) {
      return refuse(
        `The hub presented a certificate with fingerprint ${presented.fingerprint}, not the one entered: do not connect, and ask the hub's administrator`,
        'fingerprint',
      );
    }
    const pin: HubPin = { url, fingerprint: presented.fingerprint, certificate: presented.certificate };
    const client = this.link.open(pin, null);
    let connected: Result<Connected>;
    try {
      connected = await client.post<Connected>('sync/connect', {
        installation: this.deps.installationId,
        username: input.username,
        password: input.password,
        code: input.code,
      });
    } catch (error) {
      client.close();
      return refuse((error as Error).message);
    }
    if (!connected.ok) {
      client.close();
      return connected;
    }
    const value = connected.value;
    if (existing?.user_id && existing.user_id !== value.userId) {
      client.close();
      return refuse('This installation holds another person’s work; it connects only for them', 'username');
    }
    installUndo(this.deps.db);
    stmt(
      this.deps.db,
      `INSERT INTO sync_hub (one, url, fingerprint, certificate, user_id, token_sealed, verifier_sealed, offline_window_ms) VALUES (1, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (one) DO UPDATE SET certificate = excluded.certificate, fingerprint = excluded.fingerprint, user_id = excluded.user_id,
         token_sealed = excluded.token_sealed, verifier_sealed = excluded.verifier_sealed, offline_window_ms = excluded.offline_window_ms,
         cursor = 0, work_offline = 0`,
    ).run(
      url,
      pin.fingerprint,
      pin.certificate,
      value.userId,
      this.deps.secrets.seal(Buffer.from(value.token, 'utf8')),
      this.deps.secrets.seal(Buffer.from(JSON.stringify(value.verifier), 'utf8')),
      value.offlineWindowMs,
    );
    // A replica's capture triggers stand aside while a pull writes (isReplica); it holds no rows yet, so nothing is logged again.
    this.deps.db.transaction(() => refreshCapture(this.deps.db)).immediate();
    this.connected = true;
    this.client?.close();
    this.client = client;
    client.setToken(value.token);
    this.state = 'syncing';
    await this.syncNow();
    if (this.status().state !== 'online') {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: `Connected, but the first sync failed: ${this.lastError ?? 'unknown reason'}` },
      };
    }
    return { ok: true, value: { userId: value.userId } };
  }

  private suggested: string | null = null;
  /** SyncStatus.changes: counted where the hub's rows or a rebase changed the data, beside every invalidate. */
  private changes = 0;

  /**
   * Signing in here checks the person's offline verifier, for as long as the offline window
   * allows since the last contact with the hub (DESIGN 6); after that, or once the hub ended
   * this replica's connection, signing in needs the hub ("Connect to a hub" again).
   */
  private offlineSignIn(hub: HubRow): ApiError | null {
    const needHub = (why: string): ApiError => ({
      code: 'FORBIDDEN',
      message: `Signing in here needs the hub: ${why}. Connect to the hub and sign in there.`,
    });
    if (!hub.verifier_sealed) return needHub('the hub ended this installation’s connection');
    const since = this.deps.clock.now() - (hub.last_contact ?? 0);
    if (since > hub.offline_window_ms) {
      const days = (ms: number) => `${Math.round((ms / 86_400_000) * 10) / 10} days`;
      return needHub(`the last contact with the hub was ${days(since)} ago, beyond the offline window of ${days(hub.offline_window_ms)}`);
    }
    return null;
  }

  /** The hub this console was started for (`--hub URL`): the connect form offers it. */
  suggest(url: string): void {
    this.suggested = url;
  }

  status(): SyncStatus {
    const hub = hubRow(this.deps.db);
    const counts = syncCounts(this.deps.db, this.deps.installationId);
    return {
      state: hub ? this.state : 'not-connected',
      hub: hub?.url ?? this.suggested,
      fingerprint: hub?.fingerprint ?? null,
      pending: counts.pending,
      rejected: counts.rejected,
      asOf: hub?.last_contact ?? null,
      changes: this.changes,
      error: this.lastError,
      offlineWindowMs: hub?.offline_window_ms ?? null,
    };
  }

  /** "Work offline": no contact with the hub until turned off again; commands wait in the outbox. */
  setWorkOffline(offline: boolean): void {
    stmt(this.deps.db, 'UPDATE sync_hub SET work_offline = ? WHERE one = 1').run(offline ? 1 : 0);
    if (offline) {
      this.stopListening?.();
      this.stopListening = null;
      this.state = 'working-offline';
    } else {
      this.state = 'offline';
      this.failures = 0;
      this.request();
    }
  }

  /** Asks for a sync soon (after a local command, an event from the hub, a retry). */
  request(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.request();
      }
    });
  }

  /** Syncs now and waits for it (and for any sync already running). */
  async syncNow(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.cycle().finally(() => (this.running = null));
    await this.running;
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.stopListening?.();
    this.client?.close();
  }

  private pin(hub: { url: string; fingerprint: string; certificate: string }): HubPin {
    return { url: hub.url, fingerprint: hub.fingerprint, certificate: hub.certificate };
  }

  private token(): string | null {
    const sealed = hubRow(this.deps.db)?.token_sealed;
    return sealed ? this.deps.secrets.open(sealed).toString('utf8') : null;
  }

  private async cycle(): Promise<void> {
    const hub = hubRow(this.deps.db);
    if (!hub || !this.client || hub.work_offline || !this.token()) return;
    this.state = 'syncing';
    try {
      await this.push();
      await this.pull();
      await this.fetchJobs();
      this.state = 'online';
      this.lastError = null;
      this.failures = 0;
      this.listen();
    } catch (error) {
      if (error instanceof HubRefused) return this.refused(error.error);
      this.state = 'offline';
      this.lastError = error instanceof Error ? error.message : String(error);
      if (!(error instanceof HubUnreachable)) log.error('sync with the hub failed', error);
      this.scheduleRetry();
    }
  }

  private async push(): Promise<void> {
    const client = this.client as HubTransport;
    for (;;) {
      const hub = hubRow(this.deps.db);
      if (!hub) return;
      const pending = ownCommandsAfter(this.deps.db, this.deps.installationId, hub.answered_seq)
        .filter((c) => c.pushable)
        .slice(0, PUSH_BATCH);
      if (pending.length === 0) return;
      const commands = pending.map((c, i) => ({ envelope: c.envelope, follows: i === 0 ? hub.answered_seq : (pending[i - 1]?.seq ?? 0) }));
      const answer = checked(pushShape, await client.post('sync/push', { commands }), 'push');
      this.keepAnswers(answer.answers as CommandAnswer[]);
      if (answer.stopped) throw new Error(`The hub stopped at command ${answer.stopped.seq}: ${answer.stopped.message}`);
      if (answer.answers.length < pending.length) throw new Error('The hub answered fewer commands than were pushed');
    }
  }

  private keepAnswers(answers: CommandAnswer[]): void {
    const { db } = this.deps;
    db.transaction(() => {
      const answered = recordAnswers(db, answers, this.deps.clock.now());
      stmt(db, 'UPDATE sync_hub SET answered_seq = ? WHERE one = 1').run(answered);
    }).immediate();
  }

  private async pull(): Promise<void> {
    const hub = hubRow(this.deps.db);
    if (!hub) return;
    const answer = checked(
      pullShape,
      await (this.client as HubTransport).post('sync/pull', { cursor: hub.cursor, answered: hub.answered_seq }),
      'pull',
    );
    // Nothing new from the hub still leaves the replica's own refused commands to undo (every command pushed was refused).
    const nothingNew = !answer.reset && answer.rows.length === 0 && answer.answers.length === 0 && answer.cursor === hub.cursor;
    if (nothingNew && !undoPending(this.deps.db)) {
      this.deps.db
        .transaction(() => {
          stmt(this.deps.db, 'UPDATE sync_hub SET last_contact = ? WHERE one = 1').run(this.deps.clock.now());
          keepStep(this.deps.db, hub.user_id, answer.totpLastStep);
        })
        .immediate();
      return;
    }
    await this.deps.dispatcher.exclusive(async () => {
      const release = this.deps.holdJobs();
      try {
        const person = hub.user_id ?? '';
        const before = bindingsOf(this.deps.db, person);
        applyPull(this.deps.db, this.deps.installationId, answer as PullAnswer, this.deps.clock.now(), this.deps.secrets);
        // A role given or taken on the hub ends the person's sessions here too, as it does there.
        // Before the screens are told to reload, so that what they reload already finds the session gone.
        if (bindingsOf(this.deps.db, person) !== before) stmt(this.deps.db, 'DELETE FROM sessions WHERE user_id = ?').run(person);
        this.deps.invalidate();
        this.changes += 1;
        await this.rerun();
      } finally {
        release();
      }
    });
  }

  /**
   * The hub's results of bulk jobs this replica started (docs/sync.md, "Bulk work offline"):
   * once the hub has answered the command and finished the job, its row and per-device
   * results (refused devices included) replace the local run, which the rebase undid.
   */
  private async fetchJobs(): Promise<void> {
    const { db, installationId } = this.deps;
    for (const jobId of jobsAwaitingResults(db, installationId)) {
      const got = await (this.client as HubTransport).post<HubJob | null>('sync/job', { jobId });
      if (!got.ok) {
        if (got.error.code === 'NOT_FOUND') continue;
        throw new HubRefused(got.error);
      }
      if (got.value) db.transaction(() => keepHubJob(db, got.value as HubJob)).immediate();
    }
  }

  /** After a stop mid-rebase: the same, from where it stopped, with new calls held back. */
  private async rebase(): Promise<void> {
    await this.deps.dispatcher.exclusive(async () => {
      const release = this.deps.holdJobs();
      try {
        await this.rerun();
      } finally {
        release();
      }
    });
  }

  /** The pending commands again, in sequence, on the state a pull left (docs/sync.md, "Rebase"). */
  private async rerun(): Promise<void> {
    const { db, dispatcher, installationId } = this.deps;
    const from = hubRow(db)?.rebase_from;
    if (from === null || from === undefined) return;
    const mark = stmt(db, 'UPDATE sync_hub SET rebase_from = ? WHERE one = 1');
    for (const c of ownCommandsAfter(db, installationId, from - 1)) {
      if (!c.rerun) continue;
      const ran = await dispatcher.dispatchAs({ envelope: c.envelope, sealed: c.sealed }, 'rebase', { within: () => mark.run(c.seq + 1) });
      // Refused on the newer state: it still waits for the hub, which decides.
      if (!ran.result.ok) mark.run(c.seq + 1);
    }
    mark.run(null);
    this.deps.invalidate();
    this.changes += 1;
  }

  private listen(): void {
    if (this.stopListening || !this.client || this.closed) return;
    this.stopListening = this.client.listen(
      () => this.request(),
      () => {
        this.stopListening = null;
        if (!this.closed && this.state !== 'working-offline') {
          this.state = 'offline';
          this.scheduleRetry();
        }
      },
    );
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] ?? 15_000;
    this.failures++;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.request();
    }, wait);
    this.retry.unref();
  }

  /** The hub ended this replica's connection (disabled, password changed, out of touch too long): sign in to the hub again. */
  private refused(error: ApiError): void {
    this.lastError = error.message;
    if (error.code === 'UNAUTHENTICATED') {
      this.state = 'signed-out';
      const { db } = this.deps;
      db.transaction(() => forgetVerifier(db)).immediate();
      this.client?.setToken(null);
      this.stopListening?.();
      this.stopListening = null;
      return;
    }
    this.state = 'offline';
    this.scheduleRetry();
  }
}

/** The hub refused a sync call itself (not a command in it). */
class HubRefused extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

function checked<T>(shape: z.ZodType<T>, result: Result<unknown>, what: string): T {
  if (!result.ok) throw new HubRefused(result.error);
  const parsed = shape.safeParse(result.value);
  if (!parsed.success) throw new Error(`The hub's ${what} answer is malformed: ${validationError(parsed.error).message}`);
  return parsed.data;
}

function bindingsOf(db: Db, userId: string): string {
  return (
    stmt<[string], { b: string | null }>(
      db,
      "SELECT group_concat(role_id || '@' || group_id, ',') AS b FROM (SELECT role_id, group_id FROM role_bindings WHERE user_id = ? ORDER BY 1, 2)",
    ).get(userId)?.b ?? ''
  );
}
