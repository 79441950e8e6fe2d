import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Actor, CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { allRoles } from '../access/roles-cache';
import { findGroup } from '../access/tree';
import { SessionStore } from '../auth/sessions';
import { bindingSummaries } from './bindings';
import { checkGrant, type BindingInput } from './grants';
import { recordChange, requireBase } from '../versions/object-versions';
import { personNeeds, requireOwnerRule } from './guards';

const key = (b: BindingInput) => `${b.roleId}@${b.groupId}`;

/**
 * Replaces a user's role bindings. Every binding added or removed goes through the
 * escalation guard at its scope; Owner bindings change only by ownership transfer.
 */
function setRoles(
  db: Db,
  ctx: CommandContext & { actor: Actor },
  input: { userId: string; baseVersion: number; bindings: BindingInput[] },
) {
  const actor = ctx.actor;
  const user = {
    name: stmt<[string], { username: string }>(db, 'SELECT username FROM users WHERE id = ?').get(input.userId)?.username ?? '',
  };
  ctx.audit({ target: { type: 'user', id: input.userId, name: user.name } });
  requireOwnerRule(db, actor.userId, { id: input.userId, name: user.name }, 'userId');
  const account = stmt<[string], { protected: number; home_group_id: string }>(
    db,
    'SELECT protected, home_group_id FROM users WHERE id = ?',
  ).get(input.userId);
  if (account?.protected)
    throw new OpError('FORBIDDEN', `${user.name} is the first admin: their role cannot be changed`, { field: 'userId' });
  const current = stmt<[string], BindingInput>(
    db,
    'SELECT role_id AS roleId, group_id AS groupId FROM role_bindings WHERE user_id = ?',
  ).all(input.userId);
  const wanted = [...new Map(input.bindings.map((b) => [key(b), b])).values()];
  const currentKeys = new Set(current.map(key));
  const wantedKeys = new Set(wanted.map(key));
  const added = wanted.filter((b) => !currentKeys.has(key(b)));
  const removed = current.filter((b) => !wantedKeys.has(key(b)));
  const grantee = { name: user.name, homeGroupId: account?.home_group_id ?? '' };
  added.forEach((binding) =>
    checkGrant(db, actor.userId, grantee, binding, 'grant', `bindings.${input.bindings.findIndex((b) => key(b) === key(binding))}`),
  );
  removed.forEach((binding) => checkGrant(db, actor.userId, grantee, binding, 'take away', 'bindings'));
  const roles = allRoles(db);
  const ownerBindings = current.filter((b) => roles.get(b.roleId)?.meaning === 'owner');
  if (ownerBindings.some((o) => !wantedKeys.has(key(o)))) {
    throw new OpError('FORBIDDEN', `${user.name} is an Owner; hand ownership over first`, { field: 'bindings' });
  }
  // R12: authority first, so a refused caller hears FORBIDDEN whatever copy they started from; then the copy's age.
  requireBase(db, ctx, { type: 'user', id: input.userId }, input.baseVersion, `The account “${user.name}”`);

  const del = stmt(db, 'DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?');
  const ins = stmt(db, 'INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
  for (const b of removed) del.run(input.userId, b.roleId, b.groupId);
  for (const b of added) ins.run(input.userId, b.roleId, b.groupId);
  const before = bindingSummariesFrom(db, current);
  const after = bindingSummaries(db, input.userId);
  // R18: a change of role ends the user's sessions.
  if ((added.length > 0 || removed.length > 0) && input.userId !== actor.userId) new SessionStore(db).deleteAllOf(input.userId);
  const version = recordChange(db, ctx, { type: 'user', id: input.userId }, added.length > 0 || removed.length > 0 ? ['roles'] : []);
  ctx.audit({
    target: { type: 'user', id: input.userId, name: user.name },
    groupId: account?.home_group_id ?? '',
    before: { bindings: before },
    after: { bindings: after, version },
  });
  return { bindings: after, version };
}

function bindingSummariesFrom(db: Db, bindings: BindingInput[]) {
  const roles = allRoles(db);
  return bindings.map((b) => ({ role: roles.get(b.roleId)?.name ?? b.roleId, group: findGroup(db, b.groupId)?.name ?? b.groupId }));
}

export const setRolesHandler = () =>
  handler('users.setRoles', {
    access: {
      kind: 'scoped',
      keys: ['users.edit', 'groups.view'],
      needs: (input) => [
        ...personNeeds('users.edit', input.userId, 'userId'),
        // Every group named must be one the caller sees (NOT_FOUND first); the grant rule (R5) follows in the transaction.
        ...input.bindings.map((b, i) => ({
          permission: 'groups.view',
          on: { type: 'group' as const, id: b.groupId, field: `bindings.${i}.groupId` },
        })),
      ],
    },
    run: (ctx, input) => setRoles(ctx.db, ctx, input),
  });
