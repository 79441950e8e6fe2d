import type { GroupKind } from '../../shared/access/groups';
import { invalidateRoles } from '../../main/features/access/roles-cache';
import { linkNewGroup } from '../../main/features/access/tree';
import { SessionStore } from '../../main/features/auth/sessions';
import { currentVersion, type VersionedType } from '../../main/features/versions/object-versions';
import { currentRoleVersion } from '../../main/features/versions/role-base';
import { tempSteward, type TestSteward } from './temp-steward';

export const ROLE = { owner: 'builtin-owner', admin: 'builtin-admin', operator: 'builtin-operator', viewer: 'builtin-viewer' } as const;

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

/**
 * Builds trees, people, roles and devices straight into a real Steward database, so
 * access tests can set up many shapes quickly. Sign-in itself is tested elsewhere; here a
 * session is written directly, the way a completed sign-in leaves it.
 */
export class World {
  readonly steward: TestSteward;
  readonly rootId: string;
  readonly ownerId: string;

  constructor(
    steward = tempSteward(),
    private readonly clock: { now(): number } = { now: () => Date.now() },
  ) {
    this.steward = steward;
    const now = Date.now();
    this.rootId = nextId('root');
    steward.db
      .prepare("INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, NULL, 'provider', 'Provider', ?, ?)")
      .run(this.rootId, now, now);
    steward.db.prepare('INSERT INTO group_closure (ancestor, descendant, depth) VALUES (?, ?, 0)').run(this.rootId, this.rootId);
    this.ownerId = this.user('owner', this.rootId, { protected: true });
    this.bind(this.ownerId, ROLE.owner, this.rootId);
  }

  group(parentId: string, kind: GroupKind, name = nextId(kind)): string {
    const id = nextId('g');
    const now = Date.now();
    this.steward.db
      .prepare('INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, parentId, kind, name, now, now);
    linkNewGroup(this.steward.db, id, parentId);
    return id;
  }

  user(username: string, homeGroupId: string, options: { protected?: boolean; kind?: 'member' | 'external' } = {}): string {
    const id = nextId('u');
    const now = Date.now();
    this.steward.db
      .prepare(
        'INSERT INTO users (id, username, email, full_name, home_group_id, kind, protected, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        `${username}-${id}`,
        `${id}@example.test`,
        username,
        homeGroupId,
        options.kind ?? 'member',
        options.protected ? 1 : 0,
        now,
        now,
      );
    return id;
  }

  bind(userId: string, roleId: string, groupId: string): void {
    this.steward.db.prepare('INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)').run(userId, roleId, groupId);
  }

  role(
    ownerGroupId: string,
    permissions: readonly string[],
    deviceVisibility: 'scope' | 'assigned' = 'scope',
    name = nextId('role'),
  ): string {
    const id = nextId('r');
    const now = Date.now();
    this.steward.db
      .prepare('INSERT INTO roles (id, owner_group_id, name, device_visibility, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, ownerGroupId, name, deviceVisibility, now, now);
    const insert = this.steward.db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)');
    for (const key of permissions) insert.run(id, key);
    invalidateRoles(this.steward.db);
    return id;
  }

  device(groupId: string, name = nextId('device')): string {
    const id = nextId('d');
    const now = Date.now();
    this.steward.db
      .prepare(
        "INSERT INTO devices (id, group_id, name, kind, os, status, created_at, updated_at) VALUES (?, ?, ?, 'workstation', 'Windows 11', 'ok', ?, ?)",
      )
      .run(id, groupId, name, now, now);
    return id;
  }

  assign(deviceId: string, userId: string): void {
    this.steward.db.prepare('INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)').run(deviceId, userId);
  }

  /** An active session for `userId`, as a completed sign-in would leave. */
  session(userId: string): string {
    const token = nextId('token');
    new SessionStore(this.steward.db).create(token, userId, 'active', 'cli', this.clock.now());
    return token;
  }

  async call<T = unknown>(
    userId: string,
    name: string,
    input: unknown,
  ): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } }> {
    const outcome = await this.steward.call(name, input, this.session(userId));
    return outcome.result as { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
  }

  async ok<T = unknown>(userId: string, name: string, input: unknown): Promise<T> {
    const result = await this.call<T>(userId, name, input);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  /**
   * The stored version of an object, for tests whose subject is not concurrency: what an
   * editor would have loaded just now and pass as `baseVersion`.
   */
  version(type: VersionedType | 'role', id = 'installation'): number {
    return type === 'role' ? currentRoleVersion(this.steward.db, id) : currentVersion(this.steward.db, { type, id });
  }

  cleanup(): void {
    this.steward.cleanup();
  }
}

/** A `world()` factory for a test file: every world it makes is cleaned up after each test (call at the file's top level). */
export function worldPerTest(afterEach: (fn: () => void) => void): () => World {
  const worlds: World[] = [];
  afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
  return () => {
    const w = new World();
    worlds.push(w);
    return w;
  };
}
