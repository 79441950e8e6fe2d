import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../main/db/connection';
import { MIGRATIONS } from '../../main/db/migrations';
import { tempDir } from '../helpers/temp-steward';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

it('upgrading keeps the place of groups removed before: each is re-filed at its nearest surviving ancestor, unknown ones at the root', () => {
  const temp = tempDir();
  dirs.push(temp);
  const file = join(temp.dir, 'steward.db');
  // A data folder as the release before removed-group places left it.
  const old = new Database(file);
  for (const m of MIGRATIONS.filter((m) => m.version < 10)) old.exec(m.sql);
  old.pragma('user_version = 9');
  const group = old.prepare('INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
  group.run('root', null, 'provider', 'Provider');
  group.run('acme', 'root', 'customer', 'Acme');
  group.run('site', 'acme', 'location', 'Site');
  group.run('dept', 'site', 'department', 'Dept');
  const event = old.prepare(
    `INSERT INTO audit_events (seq, at, client, action, target_type, target_id, target_name, group_id, before, outcome, prev_hash, hash)
     VALUES (?, 0, 'cli', ?, ?, ?, ?, ?, ?, 'success', '', '')`,
  );
  event.run(1, 'devices.export', 'devices', 'export', 'CSV export', 'dept', null);
  event.run(2, 'devices.export', 'devices', 'export', 'CSV export', 'lost', null);
  old.prepare('DELETE FROM groups WHERE id = ?').run('dept');
  event.run(3, 'groups.remove', 'group', 'dept', 'Dept', 'site', '{"kind":"department"}');
  old.prepare('DELETE FROM groups WHERE id = ?').run('site');
  event.run(4, 'groups.remove', 'group', 'site', 'Site', 'acme', '{"kind":"location"}');
  old.close();

  const db = openDatabase(file);
  expect(db.prepare('SELECT id, parent_id, surviving_id, kind, name FROM removed_groups ORDER BY id').all()).toEqual([
    { id: 'dept', parent_id: 'site', surviving_id: 'acme', kind: 'department', name: 'Dept' },
    { id: 'lost', parent_id: 'root', surviving_id: 'root', kind: null, name: 'Removed group' },
    { id: 'site', parent_id: 'acme', surviving_id: 'acme', kind: 'location', name: 'Site' },
  ]);
  // From now on the trigger keeps the table: removing Acme re-files both at the root.
  db.prepare('DELETE FROM group_closure WHERE descendant = ?').run('acme');
  db.prepare('DELETE FROM groups WHERE id = ?').run('acme');
  expect(db.prepare("SELECT id FROM removed_groups WHERE surviving_id = 'root' ORDER BY id").pluck().all()).toEqual([
    'acme',
    'dept',
    'lost',
    'site',
  ]);
  db.close();
});
