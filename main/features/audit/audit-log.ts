import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection';
import type { AuditDetails, Client } from '../../dispatch/context';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent extends AuditDetails {
  at: number;
  /** `userId` null: Steward's own work, named by `username`. */
  actor: { userId: string | null; username: string } | null;
  client: Client;
  action: string;
  outcome: 'success' | 'denied';
  errorCode?: string;
}

export interface StoredRow {
  seq: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  client: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  group_id: string | null;
  before: string | null;
  after: string | null;
  outcome: string;
  error_code: string | null;
  prev_hash: string;
  hash: string;
}

/** The fields a hash covers, in a fixed order, so that any edit to a stored row shows. */
export function hashRow(row: Omit<StoredRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor_name,
    row.client,
    row.action,
    row.target_type,
    row.target_id,
    row.target_name,
    row.group_id,
    row.before,
    row.after,
    row.outcome,
    row.error_code,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends hash-chained events. Must be called inside the command's transaction,
 * which is what makes "the change happened" and "the change was recorded" one fact.
 */
export class AuditLog {
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      `INSERT INTO audit_events (seq, at, actor_id, actor_name, client, action, target_type, target_id, target_name,
         group_id, before, after, outcome, error_code, prev_hash, hash)
       VALUES (@seq, @at, @actor_id, @actor_name, @client, @action, @target_type, @target_id, @target_name,
         @group_id, @before, @after, @outcome, @error_code, @prev_hash, @hash)`,
    );
  }

  append(event: AuditEvent): number {
    if (!this.db.inTransaction) throw new Error('Audit events are written inside the command transaction');
    const last = this.lastStmt.get();
    const row: Omit<StoredRow, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      at: event.at,
      actor_id: event.actor?.userId ?? null,
      actor_name: event.actor?.username ?? null,
      client: event.client,
      action: event.action,
      target_type: event.target?.type ?? null,
      target_id: event.target?.id ?? null,
      target_name: event.target?.name ?? null,
      group_id: event.groupId ?? null,
      before: event.before ? JSON.stringify(event.before) : null,
      after: event.after ? JSON.stringify(event.after) : null,
      outcome: event.outcome,
      error_code: event.errorCode ?? null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    this.insertStmt.run({ ...row, hash: hashRow(row) });
    return row.seq;
  }

  /**
   * Walks the chain from the oldest kept event (or the anchor left by pruning) and names
   * the first event whose stored hash or link does not match.
   */
  verify(): { checked: number; broken: { seq: number; reason: string } | null; prunedThrough: number | null } {
    const anchor = this.db
      .prepare<[], { through_seq: number; anchor_hash: string }>(
        'SELECT through_seq, anchor_hash FROM audit_prunes ORDER BY through_seq DESC LIMIT 1',
      )
      .get();
    let prev = anchor?.anchor_hash ?? GENESIS_HASH;
    let checked = 0;
    for (const row of this.db
      .prepare<[number], StoredRow>('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq')
      .iterate(anchor?.through_seq ?? 0)) {
      checked++;
      if (row.prev_hash !== prev)
        return {
          checked,
          broken: { seq: row.seq, reason: 'its link to the previous event is broken (an event before it was removed or changed)' },
          prunedThrough: anchor?.through_seq ?? null,
        };
      const { hash, ...rest } = row;
      if (hashRow(rest) !== hash)
        return {
          checked,
          broken: { seq: row.seq, reason: 'its contents were changed after it was written' },
          prunedThrough: anchor?.through_seq ?? null,
        };
      prev = hash;
    }
    return { checked, broken: null, prunedThrough: anchor?.through_seq ?? null };
  }

  /** Retention: removes events older than `cutoff`, anchoring the chain at the last one removed. Returns how many. */
  prune(cutoff: number, now: number): number {
    const last = this.db
      .prepare<[number], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events WHERE at < ? ORDER BY seq DESC LIMIT 1')
      .get(cutoff);
    if (!last) return 0;
    this.db.prepare('INSERT INTO audit_prunes (through_seq, anchor_hash, at) VALUES (?, ?, ?)').run(last.seq, last.hash, now);
    return this.db.prepare('DELETE FROM audit_events WHERE seq <= ?').run(last.seq).changes;
  }
}
