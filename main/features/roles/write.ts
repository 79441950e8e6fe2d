import { permission as lookup } from '../../../shared/access/catalog';
import { escalationGaps } from '../../../shared/access/escalation';
import type { RoleContent } from '../../../shared/access/role-diff';
import type { ScopeKind } from '../../../shared/access/templates';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Actor, CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { requireOwnerRule } from '../users/guards';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { bindingsOf } from '../access/access';
import { allRoles, invalidateRoles, type RoleRecord } from '../access/roles-cache';
import { groupPath } from '../access/tree';
import { requireRoleBase } from '../versions/role-base';
import { holdersOf, recordVersion, roleNeeds, versionsOf, visibleHoldersOf } from './records';

/** Unknown keys are named; seed 002's names are accepted and stored under the catalog key. */
export function canonicalKeys(keys: readonly string[]): string[] {
  const out = new Set<string>();
  keys.forEach((key, i) => {
    const def = lookup(key);
    if (!def) throw new OpError('VALIDATION', `“${key}” is not a permission Steward knows`, { field: `permissions.${i}` });
    out.add(def.key);
  });
  return [...out].sort();
}

/** R5: a role can only hand out what its editor holds, at the role's own group. */
function requireHeld(
  db: Db,
  actorId: string,
  ownerGroupId: string,
  keys: Iterable<string>,
  deviceVisibility: 'scope' | 'assigned',
  field = 'permissions',
): void {
  const path = groupPath(db, ownerGroupId);
  const gaps = escalationGaps(bindingsOf(db, actorId), { permissions: keys, deviceVisibility }, { path: path?.ids ?? [] });
  if (gaps.length > 0)
    throw new OpError('FORBIDDEN', `You do not hold ${gaps.join(', ')} there yourself, so this role cannot include it`, { field });
}

/** Refuses a role name that reads the same (R24) as another role defined at `ownerGroupId`; served by roles_name_key (migration 20). */
function requireFreeName(db: Db, ownerGroupId: string, name: string, exceptId = '', field = 'name'): void {
  const clash = stmt<[string, string, string], { name: string }>(
    db,
    "SELECT name FROM roles WHERE coalesce(owner_group_id, '') = ? AND name_key(name) = name_key(?) AND id <> ? LIMIT 1",
  ).get(ownerGroupId, name, exceptId);
  if (clash) throw new OpError('CONFLICT', `A role named “${clash.name}” already exists there`, { field });
}

function writeKeys(db: Db, roleId: string, keys: readonly string[]): void {
  stmt(db, 'DELETE FROM role_permissions WHERE role_id = ?').run(roleId);
  const insert = stmt(db, 'INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)');
  for (const key of keys) insert.run(roleId, key);
}

function contentOf(role: RoleRecord): RoleContent {
  return {
    name: role.name,
    description: role.description,
    deviceVisibility: role.deviceVisibility,
    scopeKind: role.scopeKind,
    permissions: [...role.permissions].sort(),
  };
}

/**
 * Writes a role's next content as a new version: roles.update and roles.revert both come
 * here, so a revert passes the same escalation guard, name check and scope check as an edit.
 */
function saveVersion(
  db: Db,
  ctx: CommandContext,
  actor: Actor,
  role: RoleRecord,
  ownerGroupId: string,
  next: RoleContent,
  revertedTo?: number,
): { id: string; version: number } {
  const before = contentOf(role);
  const keys = [...new Set(next.permissions)].sort();
  // A revert's content comes from the version it names: its refusals are about that input field.
  const about = (field: string) => (revertedTo === undefined ? field : 'version');
  // R5 and R7: editing a role acts on everyone holding it, so the editor holds every key of it, before and after,
  // seeing devices as widely as the wider of the two visibilities.
  const widest = next.deviceVisibility === 'scope' || role.deviceVisibility === 'scope' ? 'scope' : 'assigned';
  requireHeld(db, actor.userId, ownerGroupId, [...new Set([...keys, ...before.permissions])], widest, about('permissions'));
  // R10: a role that means Owner changes its holders' rights, so only an Owner above each of them edits it.
  if (role.meaning === 'owner') {
    for (const holder of stmt<[string], { id: string; username: string }>(
      db,
      'SELECT DISTINCT u.id, u.username FROM role_bindings b JOIN users u ON u.id = b.user_id WHERE b.role_id = ?',
    ).all(role.id))
      requireOwnerRule(db, actor.userId, { id: holder.id, name: holder.username }, 'id');
  }
  if (next.name !== role.name) requireFreeName(db, ownerGroupId, next.name, role.id, about('name'));
  if (next.scopeKind !== role.scopeKind) requireBindingsFit(db, role, next.scopeKind, actor.userId, about('scopeKind'));
  const now = ctx.clock.now();
  // A role without history (written outside roles.create) is at version 1 as it stands: keep that before changing it.
  if (versionsOf(db, role.id).length === 0) recordVersion(db, role.id, now, '');
  stmt(db, 'UPDATE roles SET name = ?, description = ?, device_visibility = ?, scope_kind = ?, updated_at = ? WHERE id = ?').run(
    next.name,
    next.description,
    next.deviceVisibility,
    next.scopeKind,
    now,
    role.id,
  );
  writeKeys(db, role.id, keys);
  const version = recordVersion(db, role.id, now, actor.username);
  invalidateRoles(db);
  ctx.audit({
    target: { type: 'role', id: role.id, name: next.name },
    groupId: ownerGroupId,
    before: { ...before },
    after: {
      ...next,
      permissions: keys,
      version,
      ...(revertedTo === undefined ? {} : { revertedTo }),
    },
  });
  return { id: role.id, version };
}

/**
 * A role newly limited to one kind of group must not already be bound elsewhere. Holders
 * are named only where the editor may see people (users.view); the rest are counted.
 */
function requireBindingsFit(db: Db, role: RoleRecord, scopeKind: ScopeKind | null, editorId: string, field: string): void {
  if (scopeKind === null) return;
  const misplaced = stmt<[string, string], { user_id: string; group_id: string; username: string; group_name: string }>(
    db,
    `SELECT b.user_id, b.group_id, u.username, g.name AS group_name FROM role_bindings b JOIN users u ON u.id = b.user_id
     JOIN groups g ON g.id = b.group_id WHERE b.role_id = ? AND g.kind <> ? ORDER BY u.username`,
  ).all(role.id, scopeKind);
  if (misplaced.length === 0) return;
  const visible = new Set(visibleHoldersOf(db, role.id, editorId).map((h) => `${h.userId}\t${h.groupId}`));
  const shown = misplaced.filter((m) => visible.has(`${m.user_id}\t${m.group_id}`)).slice(0, 10);
  const names = shown.map((m) => `${m.username} at ${m.group_name}`);
  const rest = misplaced.length - shown.length;
  const more =
    rest > 0 ? `${names.length > 0 ? ' and ' : ''}${rest} ${names.length > 0 ? 'more ' : ''}binding${rest === 1 ? '' : 's'}` : '';
  throw new OpError('CONFLICT', `“${role.name}” is held outside a ${scopeKind} (${names.join(', ')}${more}); move those bindings first`, {
    field,
  });
}

/** The role an edit names, after its rule (roleNeeds) found it visible and the key held. */
function editable(db: Db, ctx: CommandContext & { actor: Actor }, roleId: string) {
  const { actor } = ctx;
  const role = allRoles(db).get(roleId);
  if (role?.builtin)
    throw new OpError('FORBIDDEN', `${role.name} is a built-in role and cannot be changed; copy it into a custom role instead`, {
      field: 'id',
    });
  if (!role?.ownerGroupId) throw new Error('role vanished inside a transaction');
  ctx.audit({
    target: { type: 'role', id: role.id, name: role.name },
    groupId: role.ownerGroupId,
  });
  return { actor, role, ownerGroupId: role.ownerGroupId };
}

export function roleWriteHandlers(): RegisteredHandler[] {
  return [
    handler('roles.create', {
      access: {
        kind: 'scoped',
        keys: ['roles.create'],
        needs: (input) => [{ permission: 'roles.create', on: { type: 'group', id: input.ownerGroupId, field: 'ownerGroupId' } }],
      },
      run(ctx, input) {
        const { actor, db } = ctx;
        const keys = canonicalKeys(input.permissions);
        requireHeld(db, actor.userId, input.ownerGroupId, keys, input.deviceVisibility);
        // R9: an Owner or Admin in meaning sees every device of its company and is held at a company as a whole.
        if (input.meaning && (input.deviceVisibility !== 'scope' || input.scopeKind))
          throw new OpError(
            'VALIDATION',
            `A role that means ${input.meaning === 'owner' ? 'Owner' : 'Admin'} sees every device and is held at a company`,
            {
              field: 'meaning',
            },
          );
        requireFreeName(db, input.ownerGroupId, input.name);
        const id = ctx.entropy.id();
        const now = ctx.clock.now();
        stmt(
          db,
          'INSERT INTO roles (id, owner_group_id, name, description, device_visibility, scope_kind, meaning, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          id,
          input.ownerGroupId,
          input.name,
          input.description ?? '',
          input.deviceVisibility,
          input.scopeKind ?? null,
          input.meaning ?? null,
          now,
          now,
        );
        writeKeys(db, id, keys);
        recordVersion(db, id, now, actor.username);
        invalidateRoles(db);
        ctx.audit({
          target: { type: 'role', id, name: input.name },
          groupId: input.ownerGroupId,
          after: {
            name: input.name,
            deviceVisibility: input.deviceVisibility,
            scopeKind: input.scopeKind ?? null,
            permissions: keys,
          },
        });
        return { id };
      },
    }),
    handler('roles.update', {
      access: roleNeeds('roles.edit'),
      run(ctx, input) {
        const { db } = ctx;
        const { actor, role, ownerGroupId } = editable(db, ctx, input.id);
        // Before anything else: a save from a stale copy would silently undo whatever came after it.
        requireRoleBase(db, actor.userId, role, input.baseVersion);
        const current = contentOf(role);
        return saveVersion(db, ctx, actor, role, ownerGroupId, {
          name: input.name ?? current.name,
          description: input.description ?? current.description,
          deviceVisibility: input.deviceVisibility ?? current.deviceVisibility,
          scopeKind: input.scopeKind === undefined ? current.scopeKind : input.scopeKind,
          permissions: input.permissions ? canonicalKeys(input.permissions) : current.permissions,
        });
      },
    }),
    handler('roles.revert', {
      access: roleNeeds('roles.edit'),
      run(ctx, input) {
        const { db } = ctx;
        const { actor, role, ownerGroupId } = editable(db, ctx, input.id);
        requireRoleBase(db, actor.userId, role, input.baseVersion);
        const old = versionsOf(db, role.id).find((v) => v.version === input.version);
        if (!old) throw new OpError('NOT_FOUND', `“${role.name}” has no version ${input.version}`, { field: 'version' });
        // Keys that have left the catalog since are dropped rather than refused: the old version cannot be edited.
        const permissions = old.permissions.filter((k) => lookup(k) !== undefined);
        return saveVersion(db, ctx, actor, role, ownerGroupId, { ...old, permissions }, input.version);
      },
    }),
    handler('roles.remove', {
      access: roleNeeds('roles.delete'),
      run(ctx, input) {
        const { db } = ctx;
        const { role, ownerGroupId, actor } = editable(db, ctx, input.id);
        const bindings = holdersOf(db, role.id).length;
        if (bindings > 0) {
          // Names only of people the caller may see; the rest are counted, not named.
          const shown = visibleHoldersOf(db, role.id, actor.userId).slice(0, 10);
          const names = shown.map((h) => `${h.username} at ${h.groupName}`);
          const rest = bindings - shown.length;
          const more = rest > 0 ? `${names.length > 0 ? ' and' : ''} ${rest} more binding${rest === 1 ? '' : 's'}` : '';
          throw new OpError('CONFLICT', `“${role.name}” is in use and cannot be deleted. Held by: ${names.join(', ')}${more}.`, {
            field: 'id',
          });
        }
        if (stmt(db, "SELECT 1 FROM invitations WHERE role_id = ? AND status = 'pending'").get(role.id)) {
          throw new OpError('CONFLICT', `“${role.name}” is offered by a pending invitation; revoke it first`, { field: 'id' });
        }
        // Used and revoked invitations only point at the role; their story is in the audit trail.
        const invitations = stmt(db, "DELETE FROM invitations WHERE role_id = ? AND status <> 'pending'").run(role.id).changes;
        stmt(db, 'DELETE FROM roles WHERE id = ?').run(role.id);
        invalidateRoles(db);
        ctx.audit({
          target: { type: 'role', id: role.id, name: role.name },
          groupId: ownerGroupId,
          before: {
            name: role.name,
            permissions: [...role.permissions].sort(),
            closedInvitationsRemoved: invitations,
          },
        });
        return { removed: true as const };
      },
    }),
  ];
}
