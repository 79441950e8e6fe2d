import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { AuditEvent, AuditSink } from '../../dispatch/services';
import { installationId } from '../../sync/installation';
import { planAdoption, type Adoption } from './adopt';
import { CURRENT_HASH_FORMAT, GENESIS_HASH, hashRow, type ChainEnd, type ChainedEvent, type StoredRow } from './chain';

export { GENESIS_HASH, hashRow, type ChainedEvent, type StoredRow } from './chain';

export type { AuditEvent } from '../../dispatch/services';

export interface ChainCheck {
  checked: number;
  broken: { seq: number; reason: string } | null;
  /** The highest sequence number retention has removed, or null when it never removed any. */
  prunedThrough: number | null;
}

const INSERT = `INSERT INTO audit_events (seq, origin, origin_seq, hash_format, at, actor_id, actor_name, client, action, target_type,
   target_id, target_name, group_id, before, after, outcome, error_code, prev_hash, hash)
 VALUES (@seq, @origin, @origin_seq, @hash_format, @at, @actor_id, @actor_name, @client, @action, @target_type,
   @target_id, @target_name, @group_id, @before, @after, @outcome, @error_code, @prev_hash, @hash)`;

/**
 * The audit trail: one hash chain per origin (the installation that made the events), and
 * the global `seq` that orders them as they reached this database (docs/architecture.md,
 * "An audit chain that merges"). Writes must happen inside the command's transaction, which
 * is what makes "the change happened" and "the change was recorded" one fact.
 */
export class AuditLog implements AuditSink {
  private origin: string | null = null;

  constructor(private readonly db: Db) {}

  /** This installation's id; read once, since it never changes. */
  private here(): string {
    this.origin ??= installationId(this.db);
    return this.origin;
  }

  /** The next global sequence number. Never one retention removed, so a number names one event for good. */
  private nextSeq(): number {
    const row = stmt<[], { last: number }>(
      this.db,
      `SELECT max(coalesce((SELECT max(seq) FROM audit_events), 0), coalesce((SELECT max(through_seq) FROM audit_prunes), 0)) AS last`,
    ).get();
    return (row?.last ?? 0) + 1;
  }

  /** Where `origin`'s chain ends here, which is what its next event must link to. */
  chainEnd(origin: string): ChainEnd {
    const last = stmt<[string], ChainEnd>(
      this.db,
      'SELECT origin_seq AS originSeq, hash FROM audit_events WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1',
    ).get(origin);
    return last ?? this.anchor(origin) ?? { originSeq: 0, hash: GENESIS_HASH };
  }

  /** The newest prune anchor of `origin`: the last of its events retention removed, or null. */
  private anchor(origin: string): ChainEnd | null {
    return (
      stmt<[string], ChainEnd>(
        this.db,
        'SELECT origin_seq AS originSeq, anchor_hash AS hash FROM audit_prunes WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1',
      ).get(origin) ?? null
    );
  }

  /** Appends an event made here, at the end of this installation's chain. Returns its global `seq`. */
  append(event: AuditEvent): number {
    if (!this.db.inTransaction) throw new Error('Audit events are written inside the command transaction');
    const origin = this.here();
    const end = this.chainEnd(origin);
    const row: Omit<ChainedEvent, 'hash'> = {
      origin,
      origin_seq: end.originSeq + 1,
      hash_format: CURRENT_HASH_FORMAT,
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
      prev_hash: end.hash,
    };
    const hash = hashRow(row);
    if (hash === null) throw new Error(`Hash format ${row.hash_format} is unknown`);
    const seq = this.nextSeq();
    stmt(this.db, INSERT).run({ ...row, seq, hash });
    return seq;
  }

  /**
   * Merges events made by other installations (a replica's push, on the hub) into this
   * database, after the events already held, in the order given.
   *
   * @param events rows of another database's audit_events without their `seq` (ChainedEvent),
   *   each origin's events in chain order; several origins may be interleaved.
   * @returns how many were appended (with the next global seqs) and how many were already held.
   * @throws OpError VALIDATION naming `events.<i>.<field>` for a malformed event, or CONFLICT
   *   naming the origin and origin_seq of the first event that does not match its hash, does
   *   not link to the end of its origin's chain here (or to the event before it in the batch),
   *   leaves a gap, comes twice, differs from the event held at its place, or claims to be
   *   this installation's without being held. A refused batch writes nothing. Re-sending
   *   events already held (same origin, origin_seq and hash) changes nothing.
   */
  adopt(events: readonly unknown[]): Adoption {
    if (!this.db.inTransaction) throw new Error('Audit events are written inside the command transaction');
    const plan = planAdoption(events, {
      here: this.here(),
      end: (origin) => this.chainEnd(origin),
      anchor: (origin) => this.anchor(origin),
      held: (origin, originSeq) =>
        stmt<[string, number], { hash: string }>(this.db, 'SELECT hash FROM audit_events WHERE origin = ? AND origin_seq = ?').get(
          origin,
          originSeq,
        )?.hash ?? null,
    });
    // A savepoint, so an unexpected failure part way leaves the caller's transaction as it was.
    this.db.transaction(() => {
      let seq = this.nextSeq();
      for (const event of plan.append) stmt(this.db, INSERT).run({ ...event, seq: seq++ });
    })();
    return { adopted: plan.append.length, skipped: plan.skipped };
  }

  /**
   * Walks every origin's chain, each from its prune anchor (or the genesis), in global order,
   * and names the first event (by `seq`) whose link, contents or place does not match.
   */
  verify(): ChainCheck {
    const ends = new Map<string, ChainEnd>();
    for (const anchor of stmt<[], { origin: string; originSeq: number; hash: string }>(
      this.db,
      `SELECT origin, origin_seq AS originSeq, anchor_hash AS hash FROM audit_prunes p
       WHERE origin_seq = (SELECT max(origin_seq) FROM audit_prunes q WHERE q.origin = p.origin)`,
    ).all())
      ends.set(anchor.origin, { originSeq: anchor.originSeq, hash: anchor.hash });
    const prunedThrough =
      stmt<[], { through: number | null }>(this.db, 'SELECT max(through_seq) AS through FROM audit_prunes').get()?.through ?? null;
    let checked = 0;
    const broken = (seq: number, reason: string): ChainCheck => ({ checked, broken: { seq, reason }, prunedThrough });
    for (const row of this.db.prepare<[], StoredRow>('SELECT * FROM audit_events ORDER BY seq').iterate()) {
      checked++;
      const end = ends.get(row.origin) ?? { originSeq: 0, hash: GENESIS_HASH };
      if (row.prev_hash !== end.hash)
        return broken(row.seq, 'its link to the previous event is broken (an event before it was removed or changed)');
      if (hashRow(row) !== row.hash) return broken(row.seq, 'its contents were changed after it was written');
      if (row.origin_seq !== end.originSeq + 1)
        return broken(row.seq, 'its number in its installation’s chain does not follow the event before it');
      ends.set(row.origin, { originSeq: row.origin_seq, hash: row.hash });
    }
    return { checked, broken: null, prunedThrough };
  }

  /**
   * Retention: for each origin, removes its events up to the last one older than `cutoff`
   * (milliseconds since the epoch), after recording that event's hash as the origin's anchor,
   * which verification and the origin's next event start from. Returns how many were removed.
   */
  prune(cutoff: number, now: number): number {
    // Each chain is cut only through its oldest run of events older than the cutoff: an event that
    // looks older (a replica's clock was behind) never takes a younger one before it along.
    const lasts = stmt<{ cutoff: number }, { origin: string; origin_seq: number }>(
      this.db,
      `SELECT o.origin,
         coalesce((SELECT min(y.origin_seq) FROM audit_events y WHERE y.origin = o.origin AND y.at >= @cutoff) - 1,
                  (SELECT max(z.origin_seq) FROM audit_events z WHERE z.origin = o.origin)) AS origin_seq
       FROM (SELECT DISTINCT origin FROM audit_events WHERE at < @cutoff) o ORDER BY o.origin`,
    ).all({ cutoff });
    let removed = 0;
    for (const { origin, origin_seq } of lasts) {
      const anchor = stmt<[string, number], { seq: number; hash: string }>(
        this.db,
        'SELECT seq, hash FROM audit_events WHERE origin = ? AND origin_seq = ?',
      ).get(origin, origin_seq);
      if (!anchor) continue;
      stmt(this.db, 'INSERT INTO audit_prunes (through_seq, anchor_hash, at, origin, origin_seq) VALUES (?, ?, ?, ?, ?)').run(
        anchor.seq,
        anchor.hash,
        now,
        origin,
        origin_seq,
      );
      removed += stmt(this.db, 'DELETE FROM audit_events WHERE origin = ? AND origin_seq <= ?').run(origin, origin_seq).changes;
    }
    return removed;
  }
}
