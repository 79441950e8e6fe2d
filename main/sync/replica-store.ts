import { contract, isOperationName } from '../../shared/contract';
import type { Db } from '../db/connection';
import { stmt } from '../db/statements';
import type { CommandEnvelope } from '../dispatch/envelope';
import { rowWriter } from './apply';
import type { CommandAnswer, PullAnswer } from './pull';
import { isReplicatedTable, REPLICATED_TABLES } from './replicated';
import { restoreUndo } from './undo';
import type { SecretBox } from '../security/secret-box';
import type { HubJob, OfflineVerifier } from './hub';

/** The replica's one row in `sync_hub` (migration 17). */
export interface HubRow {
  url: string;
  fingerprint: string;
  certificate: string;
  user_id: string | null;
  token_sealed: Buffer | null;
  verifier_sealed: Buffer | null;
  cursor: number;
  answered_seq: number;
  last_contact: number | null;
  offline_window_ms: number;
  rebase_from: number | null;
  work_offline: number;
}

export function hubRow(db: Db): HubRow | undefined {
  return stmt<[], HubRow>(db, 'SELECT * FROM sync_hub WHERE one = 1').get();
}

/**
 * Operations whose effects stay on the installation that ran them (its sessions, its sync
 * bookkeeping): never pushed, and not undone by a pull.
 */
export function staysLocal(name: string): boolean {
  return name === 'auth.signIn' || name === 'auth.verifyCode' || name === 'auth.signOut' || name.startsWith('sync.');
}

/** Commands whose answer hands over a secret drawn as they run (a temporary password, an invitation link). */
const DRAWS_WHAT_IT_SHOWS: ReadonlySet<string> = new Set([
  'users.create',
  'users.resetPassword',
  'invitations.create',
  'invitations.resend',
]);

/**
 * Why a replica refuses a command, or null when it runs it (docs/sync.md, "What works offline"):
 * - its input holds a secret the hub must check itself (a password, an authenticator code:
 *   changing a password, a step-up for an ownership transfer, the SMTP password), so the hub
 *   could never re-run it;
 * - its answer shows a secret it draws (a temporary password, an invitation's link): the hub
 *   draws its own when it re-runs the command, so what the replica showed would not work.
 */
export function needsHub(name: string, input: unknown): string | null {
  if (!isOperationName(name) || staysLocal(name)) return null;
  const spec = contract[name];
  if (spec.kind !== 'command') return null;
  if ((spec.secrets?.length ?? 0) > 0) return 'it checks a password or a fresh authenticator code, which only the hub can do';
  const invitesOwner = name === 'groups.create' && typeof input === 'object' && input !== null && 'owner' in input;
  if (DRAWS_WHAT_IT_SHOWS.has(name) || invitesOwner) return 'it shows a password or an invitation link that the hub draws itself';
  return null;
}

interface LoggedRow {
  seq: number;
  operation: string;
  envelope: string;
  sealed: Buffer | null;
  actor_id: string | null;
  refusal: string | null;
}

export interface OwnCommand {
  seq: number;
  envelope: CommandEnvelope;
  sealed: Buffer | null;
  /** A person's command that goes to the hub (not local work, not refused here). */
  pushable: boolean;
  /** Run again by a rebase: everything not refused here whose effects a pull undoes (local sign-ins are not). */
  rerun: boolean;
}

/** This installation's commands after `after`, in sequence, with what each is for the hub. */
export function ownCommandsAfter(db: Db, installation: string, after: number): OwnCommand[] {
  return stmt<[string, number], LoggedRow>(
    db,
    `SELECT origin_seq AS seq, operation, envelope, sealed, actor_id, refusal FROM command_log
     WHERE origin = ? AND origin_seq > ? AND envelope <> '' ORDER BY origin_seq`,
  )
    .all(installation, after)
    .map((r) => {
      const envelope = JSON.parse(r.envelope) as CommandEnvelope;
      return {
        seq: r.seq,
        envelope,
        sealed: r.sealed,
        pushable: r.refusal === null && !staysLocal(r.operation) && envelope.actor !== null && envelope.actor.system === undefined,
        rerun: r.refusal === null && !staysLocal(r.operation),
      };
    });
}

/**
 * Applies a pull (docs/sync.md, "Rebase", first half) in one IMMEDIATE transaction: puts back
 * what the replica's own commands changed since the last pull, applies the hub's rows (all of
 * them after dropping everything, for a reset), records the hub's answers, and moves the
 * cursor. Afterwards the database is the hub's state as this person may see it; the
 * commands still pending are re-run by the caller from `rebase_from`.
 *
 * Throws, applying nothing, for a row of a table that is not replicated or one the schema
 * refuses.
 */
export function applyPull(db: Db, installation: string, answer: PullAnswer, now: number, secrets: SecretBox): void {
  db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    // A code taken here since the last pull stays taken, though the undo log puts the row back.
    const person = hubRow(db)?.user_id ?? null;
    const localStep = person ? stepOf(db, person) : null;
    stmt(db, 'INSERT OR IGNORE INTO sync_quiet (one) VALUES (1)').run();
    restoreUndo(db);
    if (answer.reset) for (const table of [...REPLICATED_TABLES].reverse()) db.exec(`DELETE FROM "${table}"`);
    for (const row of answer.rows) {
      if (!isReplicatedTable(row.table)) throw new Error(`the hub sent a row of ${String(row.table)}, which is not replicated`);
      const w = rowWriter(db, row.table);
      if (row.gone) w.remove(row.pk);
      else w.upsert(row.pk, row.row);
    }
    keepVerifier(db, secrets);
    keepStep(db, person, localStep);
    keepStep(db, person, answer.totpLastStep);
    stmt(db, 'DELETE FROM sync_quiet').run();
    // What the replica logs of its own writes is never pulled from it; the hub's rows are the hub's to log.
    stmt(db, 'DELETE FROM changes').run();
    // Groups that came back (or were never gone: a reset removes and re-adds them) are not removed.
    stmt(db, 'DELETE FROM removed_groups WHERE id IN (SELECT id FROM groups)').run();
    const answered = recordAnswers(db, answer.answers, now);
    const next = stmt<[string, number], { seq: number | null }>(
      db,
      'SELECT min(origin_seq) AS seq FROM command_log WHERE origin = ? AND origin_seq > ?',
    ).get(installation, answered)?.seq;
    stmt(db, 'UPDATE sync_hub SET cursor = ?, answered_seq = ?, last_contact = ?, rebase_from = ? WHERE one = 1').run(
      answer.cursor,
      answered,
      now,
      next ?? null,
    );
  }).immediate();
}

/**
 * Puts the person's offline verifier (sealed in sync_hub) into their own row, where signing in
 * reads it: a pulled row carries only stand-ins for those columns (R26). The authenticator key
 * is sealed again with this installation's key, as enrollment stores it.
 */
export function keepVerifier(db: Db, secrets: SecretBox): void {
  const hub = hubRow(db);
  if (!hub?.user_id || !hub.verifier_sealed) return;
  const verifier = JSON.parse(secrets.open(hub.verifier_sealed).toString('utf8')) as OfflineVerifier;
  // A code taken here since (a local sign-in) stays taken: the later of the two steps.
  stmt(db, 'UPDATE users SET password_hash = ?, totp_secret = ?, totp_last_step = max(coalesce(totp_last_step, 0), ?) WHERE id = ?').run(
    verifier.passwordHash,
    secrets.seal(Buffer.from(verifier.totpSecret, 'utf8')),
    verifier.totpLastStep ?? 0,
    hub.user_id,
  );
}

function stepOf(db: Db, userId: string): number | null {
  return stmt<[string], { step: number | null }>(db, 'SELECT totp_last_step AS step FROM users WHERE id = ?').get(userId)?.step ?? null;
}

/**
 * Raises the person's last authenticator step to `step` where it is later: a code taken on the
 * hub, or here before a pull, is not taken again here (RFC 6238 section 5.2: a verified code is
 * not accepted twice). Never lowers it. Writes as a pull does: nothing for the undo log or the change log.
 */
export function keepStep(db: Db, userId: string | null, step: number | null): void {
  if (userId === null || step === null) return;
  quietly(db, () =>
    stmt(db, 'UPDATE users SET totp_last_step = ? WHERE id = ? AND coalesce(totp_last_step, 0) < ?').run(step, userId, step),
  );
}

/** Runs `write` with the undo and capture triggers standing aside (`sync_quiet`): the hub's state, not a local command's. */
function quietly<T>(db: Db, write: () => T): T {
  const already = stmt<[], { one: number }>(db, 'SELECT 1 AS one FROM sync_quiet').get() !== undefined;
  if (already) return write();
  stmt(db, 'INSERT INTO sync_quiet (one) VALUES (1)').run();
  try {
    return write();
  } finally {
    stmt(db, 'DELETE FROM sync_quiet').run();
  }
}

/** Forgets the verifier (the hub ended this replica's connection): the person signs in at the hub again before working here. */
export function forgetVerifier(db: Db): void {
  const hub = hubRow(db);
  stmt(db, 'UPDATE sync_hub SET verifier_sealed = NULL, token_sealed = NULL WHERE one = 1').run();
  if (!hub?.user_id) return;
  const person = hub.user_id;
  quietly(db, () => stmt(db, "UPDATE users SET password_hash = 'withheld:ended', totp_secret = NULL WHERE id = ?").run(person));
  stmt(db, 'DELETE FROM sessions').run();
}

/** How many of the newest answered bulk jobs a replica still asks the hub about. */
const JOBS_ASKED = 20;

/**
 * Bulk jobs this installation started that the hub accepted, whose results are not here yet:
 * the job id is the first id the starting command drew (the hub re-runs it with the same ids).
 */
export function jobsAwaitingResults(db: Db, installation: string): string[] {
  const answered = hubRow(db)?.answered_seq ?? 0;
  return stmt<[string, number, number], { id: string | null }>(
    db,
    `SELECT json_extract(c.envelope, '$.draws.ids[0]') AS id FROM command_log c
     WHERE c.origin = ? AND c.operation = 'devices.bulkAssign' AND c.refusal IS NULL AND c.origin_seq <= ?
       AND NOT EXISTS (SELECT 1 FROM sync_results r WHERE r.seq = c.origin_seq)
     ORDER BY c.origin_seq DESC LIMIT ?`,
  )
    .all(installation, answered, JOBS_ASKED)
    .map((r) => r.id)
    .filter(
      (id): id is string => id !== null && !stmt<[string], { one: number }>(db, 'SELECT 1 AS one FROM device_jobs WHERE id = ?').get(id),
    );
}

/** Stores a job the hub finished, as the hub has it; outside the undo log, so a later pull keeps it. */
export function keepHubJob(db: Db, hubJob: HubJob): void {
  const columnsOf = (table: string) =>
    new Set(
      stmt<[string], { name: string }>(db, 'SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((c) => c.name),
    );
  // The columns both sides have: a hub a version ahead may have more. Read once, not once per result row.
  const local = { device_jobs: columnsOf('device_jobs'), device_job_items: columnsOf('device_job_items') };
  const insert = (table: 'device_jobs' | 'device_job_items', row: Record<string, unknown>) => {
    const columns = Object.keys(row).filter((c) => local[table].has(c));
    stmt(
      db,
      `INSERT OR REPLACE INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ).run(columns.map((c) => row[c] as never));
  };
  quietly(db, () => {
    // The starter may be a person this replica no longer holds; the job keeps their name.
    const actor = hubJob.job.actor_id;
    if (typeof actor === 'string' && !stmt<[string], { one: number }>(db, 'SELECT 1 AS one FROM users WHERE id = ?').get(actor))
      hubJob.job.actor_id = null;
    insert('device_jobs', hubJob.job);
    for (const item of hubJob.items) insert('device_job_items', item);
  });
}

/** Keeps the hub's refusals (the Sync issues panel) and answers the highest answered sequence. */
export function recordAnswers(db: Db, answers: readonly CommandAnswer[], now: number): number {
  let answered = hubRow(db)?.answered_seq ?? 0;
  const keep = stmt(
    db,
    `INSERT INTO sync_results (seq, operation, code, message, field, input, at)
     SELECT ?, ?, ?, ?, ?, coalesce((SELECT json_extract(envelope, '$.input') FROM command_log
                                     WHERE origin = (SELECT id FROM installation) AND origin_seq = ?), 'null'), ?
     ON CONFLICT (seq) DO NOTHING`,
  );
  for (const a of answers) {
    if (a.refusal) keep.run(a.seq, a.operation, a.refusal.code, a.refusal.message, a.refusal.field ?? null, a.seq, now);
    answered = Math.max(answered, a.seq);
  }
  return answered;
}

/** Counts for the status chip: commands waiting for the hub, and refusals not dismissed. */
export function syncCounts(db: Db, installation: string): { pending: number; rejected: number } {
  const hub = hubRow(db);
  const pending = hub ? ownCommandsAfter(db, installation, hub.answered_seq).filter((c) => c.pushable).length : 0;
  const rejected = stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM sync_results WHERE dismissed = 0').get()?.n ?? 0;
  return { pending, rejected };
}
