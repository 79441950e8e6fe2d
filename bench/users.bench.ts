import type { Input } from '../shared/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSteward } from '../main/app';
import { linkNewGroup } from '../main/features/access/tree';
import { SessionStore } from '../main/features/auth/sessions';
import { measure, report } from './measure';

/** Issue 4: one page of a 20,000-user list, filtered and sorted, against the same raw SQL. */
export async function usersBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-users-'));
  const steward = openSteward({ dataDir: dir });
  try {
    const db = steward.db;
    const now = Date.now();
    db.transaction(() => {
      db.prepare(
        "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('root', NULL, 'provider', 'Provider', ?, ?)",
      ).run(now, now);
      db.prepare("INSERT INTO group_closure VALUES ('root', 'root', 0)").run();
      const group = db.prepare(
        "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, 'root', 'customer', ?, ?, ?)",
      );
      for (let c = 0; c < 50; c++) {
        group.run(`c${c}`, `Customer ${c}`, now, now);
        linkNewGroup(db, `c${c}`, 'root');
      }
      const user = db.prepare(
        'INSERT INTO users (id, username, email, full_name, company, home_group_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const bind = db.prepare('INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
      user.run('owner', 'owner', 'owner@x.test', 'Owner', '', 'root', 'active', now, now);
      bind.run('owner', 'builtin-owner', 'root');
      const roles = ['builtin-admin', 'builtin-operator', 'builtin-viewer'];
      for (let i = 0; i < 20_000; i++) {
        const id = `u${i}`;
        user.run(
          id,
          `user${i}`,
          `user${i}@example.test`,
          `Person ${(i * 7919) % 20_000}`,
          `Company ${i % 97}`,
          `c${i % 50}`,
          i % 10 === 0 ? 'disabled' : 'active',
          now,
          now,
        );
        bind.run(id, roles[i % 3] ?? 'builtin-viewer', `c${i % 50}`);
      }
    })();
    db.pragma('optimize');
    const token = 'bench-session';
    new SessionStore(db).create(token, 'owner', 'active', 'cli', Date.now());
    const input: Input<'users.list'> = { query: 'Person 1', statuses: ['active'], sort: 'fullName', offset: 100, limit: 50 };
    // The floor: the same page by hand, same filter, order and bindings per row, no access rule.
    const rawPage = db.prepare(
      `SELECT u.id, u.username, u.full_name, u.email, u.company, hg.name FROM users u JOIN groups hg ON hg.id = u.home_group_id
       WHERE u.status = 'active' AND (u.username LIKE @like OR u.full_name LIKE @like OR u.email LIKE @like OR u.company LIKE @like)
       ORDER BY u.full_name COLLATE NOCASE, u.id LIMIT 50 OFFSET 100`,
    );
    const rawCount = db.prepare(
      `SELECT count(*) FROM users u WHERE u.status = 'active' AND (u.username LIKE @like OR u.full_name LIKE @like OR u.email LIKE @like OR u.company LIKE @like)`,
    );
    const rawBindings = db.prepare(
      'SELECT b.role_id, b.group_id, g.name FROM role_bindings b JOIN groups g ON g.id = b.group_id WHERE b.user_id = ?',
    );
    const floor = await measure('raw SQL: count + page + bindings of each row', 30, () => {
      rawCount.get({ like: '%Person 1%' });
      for (const row of rawPage.all({ like: '%Person 1%' }) as Array<{ id: string }>) rawBindings.all(row.id);
    });
    const api = await measure('users.list through the dispatcher (scope, filter, sort, page of 50)', 30, async () => {
      const out = await steward.dispatcher.dispatch('users.list', input, { token, client: 'cli' });
      if (!out.result.ok) throw new Error(out.result.error.message);
    });
    return [report('Users list, 20,000 users, filtered and sorted page', api, floor)];
  } finally {
    steward.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
