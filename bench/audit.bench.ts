import { linkNewGroup } from '../main/features/access/tree';
import { AuditLog, GENESIS_HASH, hashRow, type StoredRow } from '../main/features/audit/audit-log';
import { installationId } from '../main/sync/installation';
import { SessionStore } from '../main/features/auth/sessions';
import { benchSteward } from './fixture';
import { measure, report } from './measure';

const EVENTS = 1_000_000;
const ACTIONS = [
  'auth.signIn.password',
  'auth.verifyCode',
  'groups.update',
  'users.update',
  'users.setRoles',
  'invitations.create',
  'devices.assign',
];

/** Issue 7: a filtered page over a million events against the same raw SQL; and what the audit write costs a command. */
export async function auditBench(): Promise<string[]> {
  const { steward, db, dispose } = benchSteward('audit');
  try {
    const start = Date.UTC(2026, 0, 1);
    db.transaction(() => {
      for (let c = 0; c < 20; c++) {
        db.prepare("INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, 'root', 'customer', ?, 0, 0)").run(
          `c${c}`,
          `Customer ${c}`,
        );
        linkNewGroup(db, `c${c}`, 'root');
      }
      const insert = db.prepare(
        `INSERT INTO audit_events (seq, origin, origin_seq, hash_format, at, actor_id, actor_name, client, action, target_type, target_id, target_name, group_id, before, after, outcome, error_code, prev_hash, hash)
         VALUES (@seq, @origin, @origin_seq, @hash_format, @at, @actor_id, @actor_name, @client, @action, @target_type, @target_id, @target_name, @group_id, @before, @after, @outcome, @error_code, @prev_hash, @hash)`,
      );
      const origin = installationId(db);
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= EVENTS; seq++) {
        const row: Omit<StoredRow, 'hash'> = {
          seq,
          origin,
          origin_seq: seq,
          hash_format: 2,
          at: start + seq * 30_000,
          actor_id: `u${seq % 500}`,
          actor_name: `user${seq % 500}`,
          client: 'web',
          action: ACTIONS[seq % ACTIONS.length] ?? 'groups.update',
          target_type: 'user',
          target_id: `t${seq % 5000}`,
          target_name: `Target ${seq % 5000}`,
          group_id: `c${seq % 20}`,
          before: null,
          after: '{"name":"x"}',
          outcome: seq % 13 === 0 ? 'denied' : 'success',
          error_code: null,
          prev_hash: prev,
        };
        prev = hashRow(row) ?? '';
        insert.run({ ...row, hash: prev });
      }
    })();
    db.pragma('optimize');
    const token = 'bench-session';
    new SessionStore(db).create(token, 'owner', 'active', 'cli', Date.now());
    const from = start + 200_000 * 30_000;
    const to = start + 800_000 * 30_000;
    const filter = { action: 'users.update', from, to, groupId: 'c7', outcome: 'success' as const, limit: 50 };
    // The floor's plan is fixed to the best one for this filter (one action in one group over a period): left to the
    // sampled statistics, SQLite sometimes walked every users.update newest first, and the floor moved from 8 to 40 ms.
    const rawPage = db.prepare(
      `SELECT e.*, g.name AS group_name FROM audit_events e INDEXED BY audit_action_group_at JOIN groups g ON g.id = e.group_id
       WHERE e.action = 'users.update' AND e.group_id = 'c7' AND e.at >= @from AND e.at <= @to AND e.outcome = 'success' ORDER BY e.seq DESC LIMIT 50`,
    );
    const rawCount = db.prepare(
      `SELECT count(*) FROM (SELECT 1 FROM audit_events e INDEXED BY audit_action_group_at WHERE e.action = 'users.update' AND e.group_id = 'c7' AND e.at >= @from AND e.at <= @to AND e.outcome = 'success' LIMIT 100001)`,
    );
    const floor = await measure(`raw SQL: count (capped) + newest page of 50, of ${EVENTS.toLocaleString('en')} events`, 20, () => {
      rawCount.get({ from, to });
      rawPage.all({ from, to });
    });
    const api = await measure('audit.list through the dispatcher (scope, same filter)', 20, async () => {
      const out = await steward.dispatcher.dispatch('audit.list', filter, { token, client: 'cli' });
      if (!out.result.ok) throw new Error(out.result.error.message);
    });

    // What the audit write costs a command: the whole command, and the append alone in its own transaction.
    let n = 0;
    const command = await measure('groups.update (rename) through the dispatcher, audited', 300, async () => {
      // Each rename makes the next version, which the next call is based on.
      const version = ++n;
      const out = await steward.dispatcher.dispatch(
        'groups.update',
        { id: 'c3', baseVersion: version, name: `Customer 3 v${version}` },
        { token, client: 'cli' },
      );
      if (!out.result.ok) throw new Error(out.result.error.message);
    });
    // The command's transaction commits (and syncs) once either way, so the audit write's cost is
    // its marginal work inside a transaction: many appends in one transaction, divided.
    const log = new AuditLog(db);
    const event = {
      actor: { userId: 'owner', username: 'owner' },
      client: 'cli' as const,
      action: 'groups.update',
      outcome: 'success' as const,
      target: { type: 'group', id: 'c3', name: 'Customer 3' },
      groupId: 'c3',
      before: { name: 'a' },
      after: { name: 'b' },
    };
    const batch = db.transaction(() => {
      for (let i = 0; i < 300; i++) log.append({ ...event, at: Date.now() });
    });
    const batchRun = await measure('300 audit appends in one transaction', 3, () => batch.immediate());
    const auditOnly = { label: 'one audit append inside a transaction', perOpMicros: batchRun.perOpMicros / 300, ops: 900 };
    const without = {
      label: 'the same command less its audit write',
      perOpMicros: command.perOpMicros - auditOnly.perOpMicros,
      ops: command.ops,
    };
    // Issue 12: what each command's envelope adds to the data folder (the text and its sealed part; indexes not counted).
    const envelopes = db
      .prepare(
        "SELECT count(*) AS n, avg(length(CAST(envelope AS BLOB))) AS text, avg(coalesce(length(sealed), 0)) AS sealed FROM command_log WHERE operation = 'groups.update'",
      )
      .get() as { n: number; text: number; sealed: number };
    return [
      report(`Audit view, filtered page over ${EVENTS.toLocaleString('en')} events`, api, floor, 1.6),
      report('Cost of auditing a command', command, without),
      `  of which the audit write: ${auditOnly.perOpMicros.toFixed(1)} µs`,
      `Envelope storage per command (${envelopes.n} groups.update): ${Math.round(envelopes.text + envelopes.sealed)} bytes ` +
        `(envelope ${Math.round(envelopes.text)} B, sealed part ${Math.round(envelopes.sealed)} B)`,
    ];
  } finally {
    dispose();
  }
}
