import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSteward } from '../main/app';
import { linkNewGroup } from '../main/features/access/tree';
import { SessionStore } from '../main/features/auth/sessions';
import { measure, report } from './measure';

/** Issue 3: loading a 10,000-group tree through the API against a raw read of the same rows. */
export async function treeBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-tree-'));
  const steward = openSteward({ dataDir: dir });
  try {
    const db = steward.db;
    const now = Date.now();
    db.transaction(() => {
      db.prepare(
        "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('root', NULL, 'provider', 'Provider', ?, ?)",
      ).run(now, now);
      db.prepare("INSERT INTO group_closure VALUES ('root', 'root', 0)").run();
      db.prepare(
        "INSERT INTO users (id, username, email, home_group_id, protected, created_at, updated_at) VALUES ('owner', 'owner', 'o@x.test', 'root', 1, ?, ?)",
      ).run(now, now);
      db.prepare("INSERT INTO role_bindings VALUES ('owner', 'builtin-owner', 'root')").run();
      const insert = db.prepare('INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
      const add = (id: string, parent: string, kind: string) => {
        insert.run(id, parent, kind, `Group ${id}`, now, now);
        linkNewGroup(db, id, parent);
      };
      // 10 distributors × 10 resellers × 99 customers, with the root: 10,011 groups.
      for (let d = 0; d < 10; d++) {
        add(`d${d}`, 'root', 'distributor');
        for (let r = 0; r < 10; r++) {
          add(`d${d}r${r}`, `d${d}`, 'reseller');
          for (let c = 0; c < 99; c++) add(`d${d}r${r}c${c}`, `d${d}r${r}`, 'customer');
        }
      }
    })();
    const count = (db.prepare('SELECT count(*) AS n FROM groups').get() as { n: number }).n;
    const token = 'bench-session';
    new SessionStore(db).create(token, 'owner', 'active', 'cli', Date.now());
    const raw = db.prepare('SELECT id, parent_id, kind, name FROM groups ORDER BY name');
    const floor = await measure(`raw SELECT of the same ${count} rows`, 20, () => raw.all(), 3);
    const api = await measure(
      `groups.tree through the dispatcher (${count} groups, scope and counts)`,
      20,
      async () => {
        const out = await steward.dispatcher.dispatch('groups.tree', {}, { token, client: 'cli' });
        if (!out.result.ok) throw new Error(out.result.error.message);
      },
      3,
    );
    return [report('Tree load, 10,000 groups', api, floor)];
  } finally {
    steward.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
