import type { Db } from '../db/connection';
import { scopeCondition } from '../features/access/access';
import { keySql } from './capture';
import { REPLICATED_TABLES, type ReplicatedTable } from './replicated';
import { tableShape } from './shape';

/**
 * What one person's replica may hold (docs/sync.md, "What a replica holds"), as keys in
 * `temp.sync_visible (tbl, pk)`, pk as the change log writes it (a JSON array in key order).
 *
 * - people: those the person may view (users.view, R4's list rule), and the person;
 * - devices: those they may view (devices.view, with each role's device visibility);
 * - invitations: those at groups where they may view people;
 * - roles: built-in ones, those at groups where they may view roles, and every role a held
 *   binding or invitation names, with their permissions and history;
 * - groups: those they may view, every group a held row names, and all of their ancestors
 *   (the access rules walk the path from the root); contacts and activities only where they
 *   may view the group itself;
 * - saved filters: the person's own;
 * - pairs (bindings, departments, assignments) only when both ends are held; settings whole
 *   (their secret parts are never logged); object histories of held objects.
 *
 * Answers the number of keys. Call inside the caller's transaction: the set is of this moment.
 */
export function computeVisible(db: Db, userId: string): number {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS sync_visible (tbl TEXT NOT NULL, pk TEXT NOT NULL, PRIMARY KEY (tbl, pk)) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS sync_ids (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
    DELETE FROM temp.sync_visible; DELETE FROM temp.sync_ids;`);
  const ids = (kind: string, sql: string, params: Record<string, unknown> = {}) =>
    db.prepare(`INSERT OR IGNORE INTO temp.sync_ids (kind, id) SELECT '${kind}', x.id FROM (${sql}) x WHERE x.id IS NOT NULL`).run(params);

  const people = scopeCondition(db, userId, 'users.view', { group: 'u.home_group_id', kind: 'hg.kind', user: 'u.id' }, 'pv');
  ids('user', `SELECT u.id FROM users u JOIN groups hg ON hg.id = u.home_group_id WHERE ${people.sql} OR u.id = @self`, {
    ...people.params,
    self: userId,
  });
  ids('self', 'SELECT @self AS id', { self: userId });
  const devices = scopeCondition(db, userId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' }, 'dv');
  ids('device', `SELECT d.id FROM devices d JOIN groups g ON g.id = d.group_id WHERE ${devices.sql}`, devices.params);
  const invites = scopeCondition(db, userId, 'users.view', { group: 'i.group_id', kind: 'g.kind' }, 'iv');
  ids('invitation', `SELECT i.id FROM invitations i JOIN groups g ON g.id = i.group_id WHERE ${invites.sql}`, invites.params);
  const roles = scopeCondition(db, userId, 'roles.view', { group: 'r.owner_group_id', kind: 'g.kind' }, 'rv');
  ids(
    'role',
    `SELECT r.id FROM roles r LEFT JOIN groups g ON g.id = r.owner_group_id WHERE r.owner_group_id IS NULL OR ${roles.sql}`,
    roles.params,
  );
  ids('role', `SELECT b.role_id AS id FROM role_bindings b WHERE b.user_id IN (SELECT id FROM temp.sync_ids WHERE kind = 'user')`);
  ids('role', `SELECT i.role_id AS id FROM invitations i WHERE i.id IN (SELECT id FROM temp.sync_ids WHERE kind = 'invitation')`);
  const groups = scopeCondition(db, userId, 'groups.view', { group: 'g.id', kind: 'g.kind' }, 'gv');
  ids('viewed-group', `SELECT g.id FROM groups g WHERE ${groups.sql}`, groups.params);
  const held = (kind: string) => `(SELECT id FROM temp.sync_ids WHERE kind = '${kind}')`;
  for (const named of [
    `SELECT id FROM temp.sync_ids WHERE kind = 'viewed-group'`,
    `SELECT home_group_id AS id FROM users WHERE id IN ${held('user')}`,
    `SELECT group_id AS id FROM user_departments WHERE user_id IN ${held('user')}`,
    `SELECT group_id AS id FROM role_bindings WHERE user_id IN ${held('user')}`,
    `SELECT group_id AS id FROM devices WHERE id IN ${held('device')}`,
    `SELECT group_id AS id FROM invitations WHERE id IN ${held('invitation')}`,
    `SELECT owner_group_id AS id FROM roles WHERE id IN ${held('role')}`,
  ]) {
    ids('group', `SELECT c.ancestor AS id FROM group_closure c WHERE c.descendant IN (${named})`);
  }

  const where: Record<ReplicatedTable, string> = {
    groups: `t.id IN ${held('group')}`,
    group_closure: `t.descendant IN ${held('group')}`,
    group_contacts: `t.group_id IN ${held('viewed-group')}`,
    group_activities: `t.group_id IN ${held('viewed-group')}`,
    users: `t.id IN ${held('user')}`,
    user_departments: `t.user_id IN ${held('user')}`,
    roles: `t.id IN ${held('role')}`,
    role_permissions: `t.role_id IN ${held('role')}`,
    role_versions: `t.role_id IN ${held('role')}`,
    role_bindings: `t.user_id IN ${held('user')}`,
    devices: `t.id IN ${held('device')}`,
    device_assignments: `t.device_id IN ${held('device')} AND t.user_id IN ${held('user')}`,
    invitations: `t.id IN ${held('invitation')}`,
    settings: '1',
    settings_version: '1',
    object_changes:
      `(t.object_type = 'settings' OR (t.object_type = 'group' AND t.object_id IN ${held('group')})` +
      ` OR (t.object_type = 'user' AND t.object_id IN ${held('user')}) OR (t.object_type = 'invitation' AND t.object_id IN ${held('invitation')}))`,
    // Single sign-on and directory sync are set up and run on the hub (a replica signs in with its offline verifier).
    sso_providers: '0',
    sso_identities: '0',
    directory_sync: '0',
    directory_departments: '0',
    // Saved filters are their person's alone.
    saved_filters: `t.user_id IN ${held('self')}`,
  };
  let count = 0;
  for (const table of REPLICATED_TABLES) {
    const shape = tableShape(db, table);
    count += db
      .prepare(`INSERT INTO temp.sync_visible (tbl, pk) SELECT '${table}', ${keySql(shape, 't.')} FROM "${table}" t WHERE ${where[table]}`)
      .run().changes;
  }
  return count;
}

/** The SQL join condition of `table` aliased `t` to a key held in `pkColumn` (a JSON array), using the table's key index. */
export function keyJoin(db: Db, table: ReplicatedTable, pkColumn: string): string {
  return tableShape(db, table)
    .key.map((c, i) => `t."${c.name}" = json_extract(${pkColumn}, '$[${i}]')`)
    .join(' AND ');
}
