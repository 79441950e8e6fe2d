import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PERMISSION_KEYS } from '../../../shared/access/catalog';
import { allowedChildKinds, type GroupKind } from '../../../shared/access/groups';
import { invalidateRoles } from '../../../main/features/access/roles-cache';
import { recordVersion } from '../../../main/features/roles/records';
import { digest } from '../../../main/security/tokens';
import { tempSteward } from '../temp-steward';
import { ROLE, World } from '../world';

/** The keys that decide who can act on people, roles, groups and devices; custom roles draw mostly from these. */
export const CORE_KEYS = [
  'users.view',
  'users.create',
  'users.edit',
  'users.delete',
  'roles.view',
  'roles.create',
  'roles.edit',
  'roles.delete',
  'groups.view',
  'groups.manage',
  'locations.manage',
  'devices.view',
  'devices.assign',
  'devices.manage',
  'ownership.transfer',
  'settings.manage',
  'audit.export',
];

const COMPANY_KINDS = ['distributor', 'reseller', 'customer'] as const;

/** One world password for everyone (hashed once per file); the model never lets the actor use anyone's but its own. */
export const WORLD_PASSWORD = 'correct horse battery staple 42';
/** 20 bytes in base32: every account's authenticator key, sealed per world. Codes are still checked per account. */
export const WORLD_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

// Shrinks towards 0: an active, enrolled member, so shrunk worlds read as ordinary.
const tenth = fc.integer({ min: 0, max: 9 });

/** What fast-check draws: indices into lists that exist only once the world is built, so every shape builds. */
export const worldShape = fc.record({
  companies: fc.array(fc.record({ parent: fc.nat(), kind: fc.constantFrom(...COMPANY_KINDS) }), { minLength: 1, maxLength: 2 }),
  places: fc.array(fc.record({ parent: fc.nat(), kind: fc.constantFrom<GroupKind>('location', 'department') }), { maxLength: 3 }),
  customRoles: fc.array(
    fc.record({
      keys: fc.tuple(fc.subarray(CORE_KEYS), fc.subarray([...PERMISSION_KEYS], { maxLength: 3 })),
      assigned: fc.boolean(),
      owner: fc.nat(),
      scopeKind: fc.constantFrom<'location' | 'department' | null>(null, null, 'location', 'department'),
      /** A second version with other keys, so that roles.revert has something to go back to. */
      edit: fc.option(fc.subarray(CORE_KEYS), { nil: null }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  users: fc.array(
    fc.record({
      home: fc.nat(),
      bindings: fc.array(fc.record({ role: fc.nat(), group: fc.option(fc.nat(), { nil: null }) }), { maxLength: 2 }),
      departments: fc.array(fc.nat(), { maxLength: 2 }),
      disabled: tenth.map((n) => n === 9),
      enrolled: tenth.map((n) => n !== 9),
      external: tenth.map((n) => n === 9),
    }),
    { minLength: 3, maxLength: 7 },
  ),
  /** Per company, which of its members is its Owner (one Owner per company, DESIGN 3.11). */
  owners: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
  devices: fc.array(fc.record({ group: fc.nat(), assignees: fc.array(fc.nat(), { maxLength: 2 }) }), { minLength: 1, maxLength: 12 }),
  invitations: fc.array(fc.record({ inviter: fc.nat(), role: fc.nat(), group: fc.nat(), external: fc.boolean() }), { maxLength: 3 }),
  job: fc.option(
    fc.record({
      devices: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      members: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
      unassign: fc.boolean(),
    }),
    { nil: null },
  ),
});

export type WorldShape = typeof worldShape extends fc.Arbitrary<infer T> ? T : never;

export interface BuiltGroup {
  id: string;
  name: string;
  kind: GroupKind;
  parentId: string | null;
}

/** A built world: the real Steward plus the ids fast-check's indices resolve to. */
export interface BuiltWorld {
  w: World;
  groups: BuiltGroup[];
  companies: BuiltGroup[];
  roles: Array<{ id: string; name: string; versions: number }>;
  users: Array<{ id: string; username: string }>;
  devices: Array<{ id: string; name: string }>;
  invitations: Array<{ id: string; token: string }>;
  jobId: string | null;
  cleanup(): void;
}

let template: string | undefined;

/**
 * Worlds live on a RAM-backed folder where there is one: still real SQLite files under the
 * product's own pragmas (synchronous=FULL), without waiting for a disk on every commit.
 */
const scratch = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** A migrated, empty data folder made once per file; each case copies it (opening a fresh one costs ~30 ms). */
function templateDir(): string {
  if (template) return template;
  const dir = mkdtempSync(join(scratch(), 'steward-escalation-template-'));
  tempSteward({ dir }).close();
  template = dir;
  return dir;
}

export function removeTemplate(): void {
  if (template) rmSync(template, { recursive: true, force: true });
  template = undefined;
}

const pick = <T>(list: readonly T[], index: number): T => {
  const item = list[index % list.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

/**
 * Builds `shape` into a real Steward: rows straight into SQLite where the product path
 * would hash passwords, and custom roles through roles.create/roles.update as the root
 * Owner so that they carry their version history. Every account has `passwordHash` and,
 * unless the shape says otherwise, an enrolled authenticator.
 */
export async function buildWorld(shape: WorldShape, passwordHash: string, options: { withJob: boolean }): Promise<BuiltWorld> {
  const dir = mkdtempSync(join(scratch(), 'steward-escalation-'));
  cpSync(templateDir(), dir, { recursive: true });
  const w = new World(tempSteward({ dir, jobs: { autoStart: false } }));
  const db = w.steward.db;
  // One transaction for all direct rows: each autocommit would wait for the disk.
  const rows = db.transaction(() => {
    const root: BuiltGroup = { id: w.rootId, name: 'Provider', kind: 'provider', parentId: null };
    const groups: BuiltGroup[] = [root];
    const companies: BuiltGroup[] = [];
    const addGroup = (parent: BuiltGroup, kind: GroupKind, name: string) => {
      const group = { id: w.group(parent.id, kind, name), name, kind, parentId: parent.id };
      groups.push(group);
      return group;
    };
    for (const [i, c] of shape.companies.entries()) {
      const candidates = [root, ...companies].filter((g) => allowedChildKinds(g.kind).includes(c.kind));
      companies.push(addGroup(pick(candidates, c.parent), c.kind, `${c.kind}-${i}`));
    }
    for (const [i, p] of shape.places.entries()) {
      const candidates = groups.filter((g) => allowedChildKinds(g.kind).includes(p.kind));
      if (candidates.length > 0) addGroup(pick(candidates, p.parent), p.kind, `${p.kind}-${i}`);
    }

    const secret = w.steward.secrets.seal(Buffer.from(WORLD_TOTP_SECRET, 'utf8'));
    const now = Date.now();
    const setAccount = db.prepare(
      'UPDATE users SET username = ?, password_hash = ?, totp_secret = ?, mfa_enrolled_at = ?, status = ?, kind = ? WHERE id = ?',
    );
    setAccount.run('root-owner', passwordHash, secret, now, 'active', 'member', w.ownerId);
    const users = [{ id: w.ownerId, username: 'root-owner' }];
    const homes: string[] = [w.rootId];
    for (const [i, u] of shape.users.entries()) {
      const home = pick(groups, u.home);
      const username = `user${i}`;
      const id = w.user(username, home.id);
      setAccount.run(
        username,
        passwordHash,
        u.enrolled ? secret : null,
        u.enrolled ? now : null,
        u.disabled ? 'disabled' : 'active',
        u.external ? 'external' : 'member',
        id,
      );
      users.push({ id, username });
      homes.push(home.id);
    }

    const roles: BuiltWorld['roles'] = [
      { id: ROLE.admin, name: 'Admin', versions: 1 },
      { id: ROLE.operator, name: 'Operator', versions: 1 },
      { id: ROLE.viewer, name: 'Viewer', versions: 1 },
    ];
    const scopeKinds = new Map<string, 'location' | 'department' | null>();
    // A custom role is visible, and so bindable, only inside its owner group's subtree.
    const roleOwners = new Map<string, string>();
    const setKeys = (roleId: string, keys: readonly string[]) => {
      db.prepare('DELETE FROM role_permissions WHERE role_id = ?').run(roleId);
      for (const key of new Set(keys)) db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)').run(roleId, key);
    };
    for (const [i, r] of shape.customRoles.entries()) {
      const name = `custom-${i}`;
      const id = w.role(pick(groups, r.owner).id, [], r.assigned ? 'assigned' : 'scope', name);
      db.prepare('UPDATE roles SET scope_kind = ? WHERE id = ?').run(r.scopeKind, id);
      setKeys(id, [...r.keys[0], ...r.keys[1]]);
      recordVersion(db, id, now, 'root-owner');
      let versions = 1;
      if (r.edit) {
        setKeys(id, r.edit);
        versions = recordVersion(db, id, now, 'root-owner');
      }
      roles.push({ id, name, versions });
      scopeKinds.set(id, r.scopeKind);
      roleOwners.set(id, pick(groups, r.owner).id);
    }

    const bind = db.prepare('INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
    for (const [i, u] of shape.users.entries()) {
      const user = users[i + 1];
      if (!user) continue;
      for (const b of u.bindings) {
        const role = pick(roles, b.role);
        const group = b.group === null ? groups.find((g) => g.id === homes[i + 1]) : pick(groups, b.group);
        const scopeKind = scopeKinds.get(role.id);
        const owner = roleOwners.get(role.id);
        if (!group || (scopeKind && group.kind !== scopeKind) || (owner && !isWithin(groups, group.id, owner))) continue;
        bind.run(user.id, role.id, group.id);
      }
      const departments = groups.filter((g) => g.kind === 'department');
      for (const d of u.departments) {
        if (departments.length > 0)
          db.prepare('INSERT OR IGNORE INTO user_departments (user_id, group_id) VALUES (?, ?)').run(user.id, pick(departments, d).id);
      }
    }
    // Each company with members gets exactly one Owner, chosen among the people homed in it.
    for (const [i, company] of companies.entries()) {
      const inside = users.filter((_, u) => isWithin(groups, homes[u] ?? '', company.id));
      if (inside.length > 0) bind.run(pick(inside, shape.owners[i] ?? 0).id, ROLE.owner, company.id);
    }

    const devices = shape.devices.map((d, i) => {
      const name = `device-${i}`;
      const id = w.device(pick(groups, d.group).id, name);
      for (const assignee of new Set(d.assignees.map((a) => pick(users, a).id))) w.assign(id, assignee);
      return { id, name };
    });

    const invitationRoles = roles;
    const invitations = shape.invitations.map((inv, i) => {
      const token = `invitation-token-${i}-${'x'.repeat(24)}`;
      const id = `inv-${i}`;
      const inviter = pick(users, inv.inviter);
      db.prepare(
        `INSERT INTO invitations (id, email, kind, role_id, group_id, token_hash, expires_at, status, invited_by, invited_by_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      ).run(
        id,
        `invitee${i}@example.test`,
        inv.external ? 'external' : 'member',
        pick(invitationRoles, inv.role).id,
        pick(groups, inv.group).id,
        digest(token),
        now + 24 * 3600_000,
        inviter.id,
        inviter.username,
        now,
      );
      return { id, token };
    });

    return { groups, companies, users, roles, devices, invitations };
  })();
  const { groups, companies, users, roles, devices, invitations } = rows;
  invalidateRoles(db);
  let jobId: string | null = null;
  // A job costs a dispatcher call and a drain; only the job commands need one.
  if (shape.job && options.withJob) {
    const job = await w.call<{ id: string }>(w.ownerId, 'devices.bulkAssign', {
      selection: { deviceIds: [...new Set(shape.job.devices.map((d) => pick(devices, d).id))] },
      userIds: [...new Set(shape.job.members.map((m) => pick(users, m).id))],
      action: shape.job.unassign ? 'unassign' : 'assign',
    });
    if (job.ok) {
      jobId = job.value.id;
      w.steward.jobs.drain();
    }
  }
  // The builder's own sessions and audit events are not part of the world.
  db.prepare('DELETE FROM sessions').run();

  return {
    w,
    groups,
    companies,
    roles,
    users,
    devices,
    invitations,
    jobId,
    cleanup: () => {
      w.steward.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function isWithin(groups: readonly BuiltGroup[], groupId: string, ancestorId: string): boolean {
  for (let g = groups.find((x) => x.id === groupId); g; g = groups.find((x) => x.id === g?.parentId)) {
    if (g.id === ancestorId) return true;
  }
  return false;
}
