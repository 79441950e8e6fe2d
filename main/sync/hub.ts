import { z } from 'zod';
import type { ApiError, Result } from '../../shared/result';
import type { Db } from '../db/connection';
import { stmt } from '../db/statements';
import { CommandLog } from '../dispatch/command-log';
import type { Clock, Entropy } from '../dispatch/context';
import type { Dispatcher } from '../dispatch/dispatcher';
import type { CommandEnvelope } from '../dispatch/envelope';
import type { SecretBox } from '../security/secret-box';
import { validationError } from '../dispatch/validation';
import { installationId } from './installation';
import { pullFor, type CommandAnswer, type PullAnswer } from './pull';

export const DEFAULT_OFFLINE_WINDOW_MS = 7 * 24 * 3_600_000;

/** Where a push reached the hub: its own origin as the caller named it (Host-checked), and the caller's address (`ip:…`). */
export interface PushOrigin {
  origin: string | null;
  source: string;
}

/** A replica's calls, as the hub has authenticated them. */
export interface ReplicaCaller {
  installation: string;
  userId: string;
}

export const connectInput = z
  .object({
    installation: z.string().uuid(),
    username: z.string().min(1).max(254),
    password: z.string().min(1).max(1024),
    code: z.string().regex(/^\d{6}$/, 'six digits from the authenticator app'),
  })
  .strict();

export const pushInput = z
  .object({
    commands: z
      .array(z.object({ envelope: z.unknown(), follows: z.number().int().min(0) }).strict())
      .max(1000, 'at most 1,000 commands per push'),
  })
  .strict();

export const jobInput = z.object({ jobId: z.string().uuid() }).strict();

/** A finished bulk job as the hub ran it: its row and its per-device results, as stored (device_jobs, device_job_items). */
export interface HubJob {
  job: Record<string, unknown>;
  items: Array<Record<string, unknown>>;
}

/** Job states after which nothing changes any more (a job still under way is asked for again later). */
const FINISHED = ['done', 'cancelled', 'rolled_back', 'failed'];

export const pullInput = z.object({ cursor: z.number().int().min(0), answered: z.number().int().min(0) }).strict();

/**
 * The person's own offline verifier (DESIGN 6): what signing in checks, so the replica can sign
 * them in while the hub is out of reach. The one secret that leaves the hub, to its own person.
 */
export interface OfflineVerifier {
  /** The password hash as the hub stores it (scrypt, with its salt). */
  passwordHash: string;
  /** The authenticator key, base32. */
  totpSecret: string;
  /** The last code's time step the hub took: an older code is not taken here either. */
  totpLastStep: number | null;
}

export interface Connected {
  token: string;
  userId: string;
  username: string;
  verifier: OfflineVerifier;
  /** How long the replica may sign its person in without reaching the hub, in ms (DESIGN 6). */
  offlineWindowMs: number;
}

/**
 * The hub's side of sync (DESIGN 6, docs/sync.md): a replica connects with its person's
 * password and code, then pushes its commands and pulls what its person may see.
 *
 * A replica's token is the transport's bookkeeping, like a session: kept only as a keyed hash,
 * bound to one installation and one person, ended when that person is no longer active, when
 * their password or authenticator changed since the connect, or when the replica has not been
 * in touch for longer than the offline window.
 */
export class SyncHub {
  private readonly log: CommandLog;

  constructor(
    private readonly deps: {
      db: Db;
      dispatcher: Dispatcher;
      secrets: SecretBox;
      clock: Clock;
      entropy: Entropy;
      offlineWindowMs?: number;
      /** A pause after each pushed command, for tests that stop a hub mid-push (as JobRunnerOptions.pauseBetweenChunksMs). */
      pauseBetweenCommandsMs?: number;
    },
  ) {
    this.log = new CommandLog(deps.db);
  }

  get offlineWindowMs(): number {
    return this.deps.offlineWindowMs ?? DEFAULT_OFFLINE_WINDOW_MS;
  }

  /**
   * Signs the person in as the console does (auth.signIn, then auth.verifyCode: throttled and
   * audited there), ends that console session, and hands the installation a token. An
   * installation belongs to the first person who connects it (FORBIDDEN for anyone else), and
   * never is the hub's own or one whose commands here are another's: the answers to an
   * installation's commands go to whoever holds it.
   */
  async connect(raw: unknown, source: string): Promise<Result<Connected>> {
    const parsed = connectInput.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    const input = parsed.data;
    const { dispatcher, db } = this.deps;
    const meta = { client: 'desktop' as const, source };
    const signIn = await dispatcher.dispatch('auth.signIn', { login: input.username, password: input.password }, { ...meta, token: null });
    if (!signIn.result.ok) return signIn.result;
    let token = signIn.session?.kind === 'set' ? signIn.session.token : null;
    const stage = (signIn.result.value as { stage?: string }).stage;
    if (stage !== 'mfa') {
      if (token) await dispatcher.dispatch('auth.signOut', {}, { ...meta, token });
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Set up your authenticator app in the console first; a replica connects with a code' },
      };
    }
    const verified = await dispatcher.dispatch('auth.verifyCode', { code: input.code }, { ...meta, token });
    if (verified.session?.kind === 'set') token = verified.session.token;
    if (!verified.result.ok) {
      if (token) await dispatcher.dispatch('auth.signOut', {}, { ...meta, token });
      return { ok: false, error: { ...verified.result.error, ...(verified.result.error.field ? { field: 'code' } : {}) } };
    }
    const userId = dispatcher.signedInUser(token);
    await dispatcher.dispatch('auth.signOut', {}, { ...meta, token });
    if (!userId) return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'The sign-in did not complete; try again' } };

    const owner = stmt<[string], { user_id: string }>(db, 'SELECT user_id FROM sync_replicas WHERE installation = ?').get(
      input.installation,
    );
    // The hub's own id (public: its health answer) and any origin whose commands here are someone else's belong to no replica of this person.
    const othersCommands =
      input.installation === installationId(db) ||
      stmt<[string, string], { one: number }>(
        db,
        'SELECT 1 AS one FROM command_log WHERE origin = ? AND (actor_id IS NULL OR actor_id <> ?) LIMIT 1',
      ).get(input.installation, userId) !== undefined;
    if ((owner && owner.user_id !== userId) || othersCommands) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'This installation is connected for another person', field: 'installation' },
      };
    }
    const replicaToken = this.deps.entropy.bytes(32).toString('base64url');
    const now = this.deps.clock.now();
    stmt(
      db,
      `INSERT INTO sync_replicas (installation, user_id, connected_at, last_contact, served_cursor, token_hash, credential)
       VALUES (?, ?, ?, ?, -1, ?, ?)
       ON CONFLICT (installation) DO UPDATE SET last_contact = excluded.last_contact, served_cursor = -1,
         token_hash = excluded.token_hash, credential = excluded.credential`,
    ).run(input.installation, userId, now, now, this.tokenHash(replicaToken), this.credential(userId) ?? '');
    const person = stmt<
      [string],
      { username: string; password_hash: string | null; totp_secret: Buffer | null; totp_last_step: number | null }
    >(db, 'SELECT username, password_hash, totp_secret, totp_last_step FROM users WHERE id = ?').get(userId);
    if (!person?.password_hash || !person.totp_secret) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This account has no password or authenticator to sign in with offline' } };
    }
    const verifier = {
      passwordHash: person.password_hash,
      totpSecret: this.deps.secrets.open(person.totp_secret).toString('utf8'),
      totpLastStep: person.totp_last_step,
    };
    return { ok: true, value: { token: replicaToken, userId, username: person.username, verifier, offlineWindowMs: this.offlineWindowMs } };
  }

  /** The caller behind a replica token, or why there is none (UNAUTHENTICATED: connect again). */
  authenticate(token: string | null): Result<ReplicaCaller> {
    const ended = (message: string): Result<ReplicaCaller> => ({ ok: false, error: { code: 'UNAUTHENTICATED', message } });
    if (!token) return ended('Connect this installation to the hub first');
    const row = stmt<[string], { installation: string; user_id: string; last_contact: number; credential: string }>(
      this.deps.db,
      'SELECT installation, user_id, last_contact, credential FROM sync_replicas WHERE token_hash = ?',
    ).get(this.tokenHash(token));
    if (!row) return ended('This replica is not connected to the hub (or its connection was ended); sign in to the hub again');
    if (this.deps.clock.now() - row.last_contact > this.offlineWindowMs)
      return ended('This replica was out of touch for longer than the offline window; sign in to the hub again');
    const credential = this.credential(row.user_id);
    if (credential === undefined) return ended('Your account is disabled or removed on the hub');
    if (credential !== row.credential) return ended('Your password or authenticator changed on the hub; sign in to the hub again');
    return { ok: true, value: { installation: row.installation, userId: row.user_id } };
  }

  /**
   * Re-runs the replica's commands in order as their person, against the hub's state, with
   * full authorization (dispatchAs `revalidate`). A command the hub already holds is answered
   * from its record (exactly once); a business refusal is recorded and answered, and the next
   * command goes on. Processing stops, with the reason, at a command that is not this
   * replica's person's, not from this installation, or out of sequence (a gap).
   *
   * `from` is where the push reached the hub: the commands' mail links and sources are the
   * hub's, never what an envelope says. A recorded id that names anything the hub knows (a live
   * object, a removed group, a person or object in the audit trail) is refused (CONFLICT on
   * `draws.ids.N`): taking it would hand the replica's person that object's history.
   */
  async push(
    caller: ReplicaCaller,
    raw: unknown,
    from: PushOrigin = { origin: null, source: 'local' },
  ): Promise<Result<{ answers: CommandAnswer[]; stopped?: ApiError & { seq: number } }>> {
    const parsed = pushInput.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    const answers: CommandAnswer[] = [];
    const { dispatcher } = this.deps;
    for (const [index, item] of parsed.data.commands.entries()) {
      const envelope = item.envelope as CommandEnvelope;
      const at = `commands.${index}.envelope`;
      const seq = typeof envelope?.origin?.seq === 'number' ? envelope.origin.seq : -1;
      const stop = (error: ApiError) => ({ ok: true as const, value: { answers, stopped: { ...error, seq } } });
      if (envelope?.origin?.installation !== caller.installation) {
        return stop({
          code: 'VALIDATION',
          message: `${at}.origin.installation: not the installation this token belongs to`,
          field: `${at}.origin.installation`,
        });
      }
      if (envelope.actor?.userId !== caller.userId) {
        return stop({ code: 'FORBIDDEN', message: `${at}.actor: a replica pushes only its own person's commands`, field: `${at}.actor` });
      }
      const held = this.log.outcome(caller.installation, seq);
      if (held) {
        answers.push({ seq, operation: String(envelope.operation), refusal: held.refusal });
        continue;
      }
      const ran = await dispatcher.dispatchAs({ envelope, sealed: null }, 'revalidate', {
        follows: item.follows,
        webOrigin: from.origin,
        source: from.source,
      });
      dispatcher.flushRefusals();
      const recorded = this.log.outcome(caller.installation, seq);
      if (!recorded) return stop(ran.result.ok ? { code: 'INTERNAL', message: 'The command ran but was not recorded' } : ran.result.error);
      answers.push({ seq, operation: String(envelope.operation), refusal: recorded.refusal });
      const pause = this.deps.pauseBetweenCommandsMs ?? 0;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    return { ok: true, value: { answers } };
  }

  /** pullFor, for an authenticated replica. */
  pull(caller: ReplicaCaller, raw: unknown): Result<PullAnswer> {
    const parsed = pullInput.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    return { ok: true, value: pullFor(this.deps.db, caller.installation, parsed.data.cursor, parsed.data.answered, this.deps.clock.now()) };
  }

  /**
   * A bulk job the caller started from their replica, once the hub has finished running it:
   * its per-device results, refused devices included (docs/sync.md, "Bulk work offline").
   * Only the job's own starter gets it (NOT_FOUND otherwise); `null` while it still runs.
   */
  job(caller: ReplicaCaller, raw: unknown): Result<HubJob | null> {
    const parsed = jobInput.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    const { db } = this.deps;
    const job = stmt<[string, string], Record<string, unknown>>(db, 'SELECT * FROM device_jobs WHERE id = ? AND actor_id = ?').get(
      parsed.data.jobId,
      caller.userId,
    );
    if (!job)
      return { ok: false, error: { code: 'NOT_FOUND', message: `No job ${parsed.data.jobId} of yours on the hub`, field: 'jobId' } };
    if (!FINISHED.includes(String(job.state))) return { ok: true, value: null };
    const items = stmt<[string], Record<string, unknown>>(db, 'SELECT * FROM device_job_items WHERE job_id = ? ORDER BY seq').all(
      parsed.data.jobId,
    );
    return { ok: true, value: { job, items } };
  }

  /** The change log's head: the hub tells listening replicas when it moves. */
  head(): number {
    return stmt<[], { seq: number | null }>(this.deps.db, 'SELECT max(seq) AS seq FROM changes').get()?.seq ?? 0;
  }

  private tokenHash(token: string): string {
    return this.deps.secrets.mac('sync-token', token);
  }

  /** A keyed hash of what signing in checks (password, authenticator, status); undefined when the person is not active. */
  private credential(userId: string): string | undefined {
    const row = stmt<[string], { password_hash: string | null; totp_secret: Buffer | string | null; status: string }>(
      this.deps.db,
      'SELECT password_hash, totp_secret, status FROM users WHERE id = ?',
    ).get(userId);
    if (!row || row.status !== 'active') return undefined;
    const totp = row.totp_secret === null ? '' : Buffer.isBuffer(row.totp_secret) ? row.totp_secret.toString('hex') : row.totp_secret;
    return this.deps.secrets.mac('sync-credential', `${row.password_hash ?? ''}|${totp}`);
  }
}
