import type { Db } from '../db/connection';
import { stmt } from '../db/statements';
import type { ApiError } from '../../shared/result';
import type { CommandEnvelope } from './envelope';

/** One stored command: its envelope as written, the sealed part, and its audit event's seq. */
export interface LoggedCommand {
  envelope: CommandEnvelope;
  /** The envelope exactly as stored (a replay stores the same text again). */
  text: string;
  sealed: Buffer | null;
  auditSeq: number;
}

interface Row {
  envelope: string;
  sealed: Buffer | null;
  audit_seq: number;
}

/**
 * The command log (migration 14): every command that reached its handler or was refused by
 * authority, in the order its audit event was written. Written only inside the command's
 * transaction, next to its audit event.
 */
export class CommandLog {
  constructor(private readonly db: Db) {}

  /** The next sequence number of `installation`'s commands (1, 2, …, no gaps). */
  nextSeq(installation: string): number {
    const row = stmt<[string], { seq: number | null }>(this.db, 'SELECT max(origin_seq) AS seq FROM command_log WHERE origin = ?').get(
      installation,
    );
    return (row?.seq ?? 0) + 1;
  }

  /**
   * @throws Error outside a transaction: an envelope without its audit event (or the other
   *   way round) would be a command half recorded.
   */
  append(envelope: CommandEnvelope, text: string, sealed: Buffer | null, auditSeq: number, refusal: ApiError | null = null): void {
    if (!this.db.inTransaction) throw new Error('Envelopes are written inside the command transaction');
    stmt(
      this.db,
      `INSERT INTO command_log (id, origin, origin_seq, audit_seq, operation, actor_id, envelope, sealed, refusal)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      envelope.id,
      envelope.origin.installation,
      envelope.origin.seq,
      auditSeq,
      envelope.operation,
      envelope.actor?.userId ?? null,
      text,
      sealed,
      refusal ? JSON.stringify({ code: refusal.code, message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) }) : null,
    );
  }

  /**
   * The answer to `installation`'s command `seq` as recorded here: applied (null), refused
   * (the error), or undefined when it is not held. A hub answers a push again from this.
   */
  outcome(installation: string, seq: number): { refusal: ApiError | null } | undefined {
    const row = stmt<[string, number], { refusal: string | null }>(
      this.db,
      'SELECT refusal FROM command_log WHERE origin = ? AND origin_seq = ?',
    ).get(installation, seq);
    if (!row) return undefined;
    return { refusal: row.refusal === null ? null : (JSON.parse(row.refusal) as ApiError) };
  }

  /** The highest sequence of `installation`'s commands held here; 0 when none. */
  lastSeq(installation: string): number {
    return this.nextSeq(installation) - 1;
  }

  /** Whether a command with this origin and sequence is already held (a hub skips it). */
  has(installation: string, seq: number): boolean {
    return !!stmt<[string, number], { one: number }>(this.db, 'SELECT 1 AS one FROM command_log WHERE origin = ? AND origin_seq = ?').get(
      installation,
      seq,
    );
  }

  /**
   * Retention (R23, with audit.prune): the envelopes whose audit events were pruned lose their
   * input and sealed part. The row stays, keeping its origin's sequence (exactly once) and its
   * operation. Answers how many were emptied.
   */
  forgetPruned(): number {
    return stmt(
      this.db,
      `UPDATE command_log SET envelope = '', sealed = NULL
       WHERE envelope <> '' AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = command_log.audit_seq)`,
    ).run().changes;
  }

  /** Every stored command in the order it was recorded (its audit event's seq), but those retention emptied. */
  *all(): Generator<LoggedCommand> {
    for (const row of stmt<[], Row>(
      this.db,
      "SELECT envelope, sealed, audit_seq FROM command_log WHERE envelope <> '' ORDER BY audit_seq",
    ).iterate()) {
      yield { envelope: JSON.parse(row.envelope) as CommandEnvelope, text: row.envelope, sealed: row.sealed, auditSeq: row.audit_seq };
    }
  }
}
