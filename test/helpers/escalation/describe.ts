import type { Db } from '../../../main/db/connection';

/**
 * The world as a person would draw it, from the stored rows: the tree with kinds, every
 * role with its keys, every person with bindings, departments, status and MFA, devices
 * with assignees, pending invitations. Used only in a failing case's message.
 */
export function describeWorld(db: Db): string {
  const groups = db.prepare('SELECT id, parent_id AS parent, kind, name FROM groups').all() as Array<{
    id: string;
    parent: string | null;
    kind: string;
    name: string;
  }>;
  const name = new Map(groups.map((g) => [g.id, g.name]));
  const lines: string[] = ['groups:'];
  const walk = (parent: string | null, depth: number) => {
    for (const g of groups.filter((x) => x.parent === parent)) {
      lines.push(`  ${'  '.repeat(depth)}${g.name} (${g.kind})`);
      walk(g.id, depth + 1);
    }
  };
  walk(null, 0);
  lines.push('roles:');
  const roles = db
    .prepare(
      `SELECT r.id, r.name, r.device_visibility AS vis, r.scope_kind AS scopeKind, r.owner_group_id AS owner, group_concat(p.permission, ' ') AS keys
       FROM roles r LEFT JOIN role_permissions p ON p.role_id = r.id GROUP BY r.id ORDER BY r.name`,
    )
    .all() as Array<{ id: string; name: string; vis: string; scopeKind: string | null; owner: string | null; keys: string | null }>;
  const roleName = new Map(roles.map((r) => [r.id, r.name]));
  for (const r of roles.filter((x) => !x.id.startsWith('builtin-'))) {
    lines.push(
      `  ${r.name}: owned by ${name.get(r.owner ?? '') ?? 'root'}, sees ${r.vis} devices${r.scopeKind ? `, binds only at ${r.scopeKind}s` : ''}; keys ${r.keys ?? '(none)'}`,
    );
  }
  lines.push('people:');
  const users = db
    .prepare('SELECT id, username, home_group_id AS home, status, kind, totp_secret IS NOT NULL AS mfa FROM users ORDER BY rowid')
    .all() as Array<{
    id: string;
    username: string;
    home: string;
    status: string;
    kind: string;
    mfa: number;
  }>;
  const userName = new Map(users.map((u) => [u.id, u.username]));
  for (const u of users) {
    const bindings = (
      db.prepare('SELECT role_id AS role, group_id AS g FROM role_bindings WHERE user_id = ?').all(u.id) as Array<{
        role: string;
        g: string;
      }>
    )
      .map((b) => `${roleName.get(b.role) ?? b.role} at ${name.get(b.g) ?? b.g}`)
      .join(', ');
    const departments = (db.prepare('SELECT group_id AS g FROM user_departments WHERE user_id = ?').all(u.id) as Array<{ g: string }>)
      .map((d) => name.get(d.g) ?? d.g)
      .join(', ');
    lines.push(
      `  ${u.username} (${u.kind}, ${u.status}${u.mfa ? '' : ', no MFA'}) homed at ${name.get(u.home) ?? u.home}: ${bindings || 'no roles'}${departments ? `; departments ${departments}` : ''}`,
    );
  }
  lines.push('devices:');
  for (const d of db
    .prepare(
      `SELECT d.name, d.group_id AS g, group_concat(a.user_id, ' ') AS assignees FROM devices d LEFT JOIN device_assignments a ON a.device_id = d.id GROUP BY d.id ORDER BY d.name`,
    )
    .all() as Array<{ name: string; g: string; assignees: string | null }>) {
    const to = (d.assignees ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => userName.get(id) ?? id);
    lines.push(`  ${d.name} in ${name.get(d.g) ?? d.g}${to.length > 0 ? `, assigned to ${to.join(', ')}` : ''}`);
  }
  const invitations = db
    .prepare("SELECT id, email, role_id AS role, group_id AS g, invited_by AS by, kind FROM invitations WHERE status = 'pending'")
    .all() as Array<{
    id: string;
    email: string;
    role: string;
    g: string;
    by: string;
    kind: string;
  }>;
  if (invitations.length > 0) lines.push('pending invitations:');
  for (const i of invitations) {
    lines.push(
      `  ${i.id}: ${i.email} (${i.kind}) as ${roleName.get(i.role) ?? i.role} at ${name.get(i.g) ?? i.g}, sent by ${userName.get(i.by) ?? i.by}`,
    );
  }
  return lines.join('\n');
}

/** An input with ids replaced by names, so the failing call reads like the world above. */
export function describeInput(db: Db, input: unknown): string {
  const names = new Map<string, string>();
  for (const sql of [
    'SELECT id, name FROM groups',
    'SELECT id, username AS name FROM users',
    'SELECT id, name FROM roles',
    'SELECT id, name FROM devices',
  ]) {
    for (const row of db.prepare(sql).all() as Array<{ id: string; name: string }>) names.set(row.id, row.name);
  }
  return JSON.stringify(input, (_key, value: unknown) =>
    typeof value === 'string' && names.has(value) ? `${names.get(value)} <${value}>` : value,
  );
}
