import type { ApiError } from '../../shared/result';
import type { Db } from '../db/connection';
import { stmt } from '../db/statements';
import { keySql, rowSql } from './capture';
import { REPLICATED_TABLES, type ReplicatedTable } from './replicated';
import { tableShape } from './shape';
import { computeVisible, keyJoin } from './visibility';

/** One row a replica must hold (`row`: its logged columns as JSON, null for a key-only table) or let go (`row` undefined and `gone`). */
export interface PulledRow {
  table: ReplicatedTable;
  pk: string;
  row: string | null;
  gone?: true;
}

/** The hub's answer to one of this installation's commands (docs/sync.md, "Push"). */
export interface CommandAnswer {
  seq: number;
  operation: string;
  /** null: applied on the hub. */
  refusal: ApiError | null;
}

/**
 * A pull's answer (docs/sync.md, "Pull").
 * - `reset`: the replica drops every replicated row first (its first pull, or one whose cursor
 *   the hub did not hand out last: an answer was lost, and what the replica holds is unknown).
 * - `rows`: parents before children for rows to hold; children before parents for rows to let go.
 * - `cursor`: where the next pull starts.
 * - `answers`: the hub's answers to this installation's commands after the one the replica said it has.
 */
export interface PullAnswer {
  reset: boolean;
  cursor: number;
  rows: PulledRow[];
  answers: CommandAnswer[];
  /**
   * The person's last authenticator step taken on the hub (RFC 6238 time step; null: none):
   * a code used there is not taken again on the replica. Not a secret; the only sign-in state that leaves.
   */
  totpLastStep: number | null;
}

interface Replica {
  user_id: string;
  served_cursor: number;
}

/**
 * What `installation` (belonging to `userId`) must change to hold what its person may see now,
 * after `cursor` (the last answer's cursor), and the hub's answers after `answered`.
 *
 * Rows are sent whole, as they are now (state, not history): a row changed ten times since the
 * cursor is sent once. A row the person stopped seeing (a role removed, a device unassigned, a
 * group moved away) is let go, and what they started seeing is sent, whatever the log says.
 * Secret columns never leave (R26): the row form is the change log's, without them.
 *
 * Runs in one IMMEDIATE transaction that also records what the replica now holds. Throws
 * for an installation not connected here (the caller checked the token first).
 */
export function pullFor(db: Db, installation: string, cursor: number, answered: number, now: number): PullAnswer {
  return db
    .transaction((): PullAnswer => {
      const replica = stmt<[string], Replica>(db, 'SELECT user_id, served_cursor FROM sync_replicas WHERE installation = ?').get(
        installation,
      );
      if (!replica) throw new Error(`installation ${installation} is not connected here`);
      const head = stmt<[], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM changes').get()?.seq ?? 0;
      const reset = cursor !== replica.served_cursor;
      const answers = answersAfter(db, installation, answered);
      stmt(db, 'UPDATE sync_replicas SET last_contact = ?, served_cursor = ? WHERE installation = ?').run(now, head, installation);
      const totpLastStep =
        stmt<[string], { step: number | null }>(db, 'SELECT totp_last_step AS step FROM users WHERE id = ?').get(replica.user_id)?.step ??
        null;
      if (!reset && head === cursor) return { reset, cursor: head, rows: [], answers, totpLastStep };

      computeVisible(db, replica.user_id);
      db.exec(
        'CREATE TEMP TABLE IF NOT EXISTS sync_send (tbl TEXT NOT NULL, pk TEXT NOT NULL, PRIMARY KEY (tbl, pk)) WITHOUT ROWID; DELETE FROM temp.sync_send;',
      );
      const rows: PulledRow[] = [];
      // A reset sends everything visible: read it where it is, rather than copy it first.
      const send = reset ? 'temp.sync_visible' : 'temp.sync_send';
      if (reset) {
        stmt(db, 'DELETE FROM sync_held WHERE installation = ?').run(installation);
      } else {
        // Gone: held and no longer visible, children first.
        const gone = stmt<[string], { tbl: ReplicatedTable; pk: string }>(
          db,
          `SELECT h.tbl, h.pk FROM sync_held h WHERE h.installation = ?
             AND NOT EXISTS (SELECT 1 FROM temp.sync_visible v WHERE v.tbl = h.tbl AND v.pk = h.pk)`,
        ).all(installation);
        const order = (t: string) => REPLICATED_TABLES.indexOf(t as ReplicatedTable);
        gone.sort((a, b) => order(b.tbl) - order(a.tbl));
        const forget = stmt(db, 'DELETE FROM sync_held WHERE installation = ? AND tbl = ? AND pk = ?');
        for (const g of gone) {
          rows.push({ table: g.tbl, pk: g.pk, row: null, gone: true });
          forget.run(installation, g.tbl, g.pk);
        }
        // Sent: visible and not held yet, or touched since the cursor.
        stmt(
          db,
          `INSERT OR IGNORE INTO temp.sync_send (tbl, pk) SELECT v.tbl, v.pk FROM temp.sync_visible v
             WHERE NOT EXISTS (SELECT 1 FROM sync_held h WHERE h.installation = ? AND h.tbl = v.tbl AND h.pk = v.pk)`,
        ).run(installation);
        stmt(
          db,
          `INSERT OR IGNORE INTO temp.sync_send (tbl, pk)
           SELECT c.tbl, CASE WHEN c.op IN ('insert_many', 'delete_many') THEN k.value ELSE c.pk END
           FROM changes c LEFT JOIN json_each(CASE WHEN c.op IN ('insert_many', 'delete_many') THEN c.pk ELSE '[]' END) k
           WHERE c.seq > ? AND (c.op NOT IN ('insert_many', 'delete_many') OR k.value IS NOT NULL)
             AND EXISTS (SELECT 1 FROM temp.sync_visible v WHERE v.tbl = c.tbl
                         AND v.pk = CASE WHEN c.op IN ('insert_many', 'delete_many') THEN k.value ELSE c.pk END)`,
        ).run(cursor);
      }
      for (const table of REPLICATED_TABLES) {
        const shape = tableShape(db, table);
        const found = stmt<[], { pk: string; row: string | null }>(
          db,
          `SELECT ${keySql(shape, 't.')} AS pk, ${rowSql(shape, 't.')} AS row FROM ${send} s JOIN "${table}" t ON ${keyJoin(db, table, 's.pk')}
           WHERE s.tbl = '${table}'`,
        ).all();
        for (const f of found) rows.push({ table, pk: f.pk, row: f.row });
      }
      stmt(db, `INSERT OR IGNORE INTO sync_held (installation, tbl, pk) SELECT ?, tbl, pk FROM ${send}`).run(installation);
      return { reset, cursor: head, rows, answers, totpLastStep };
    })
    .immediate();
}

/** The hub's answers to `installation`'s commands after `answered`, in sequence. */
export function answersAfter(db: Db, installation: string, answered: number): CommandAnswer[] {
  return stmt<[string, number], { seq: number; operation: string; refusal: string | null }>(
    db,
    'SELECT origin_seq AS seq, operation, refusal FROM command_log WHERE origin = ? AND origin_seq > ? ORDER BY origin_seq',
  )
    .all(installation, answered)
    .map((a) => ({ seq: a.seq, operation: a.operation, refusal: a.refusal === null ? null : (JSON.parse(a.refusal) as ApiError) }));
}
