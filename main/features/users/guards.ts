import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import type { AccessRule, Need } from '../../dispatch/registry';
import { mayActOnOwner } from '../../../shared/access/owner';
import type { Actor, CommandContext } from '../../dispatch/context';
import { bindingsOf } from '../access/access';
import { placedBindingsOf } from '../access/authorize';
import { companyOf } from '../access/tree';

/** R2 and R7 on one person: the permission on them, then dominance over every role they hold. */
export function personNeeds(permission: string, id: string, field: string): Need[] {
  const ref = { type: 'user' as const, id, field };
  return [{ permission, on: ref }, { dominate: ref }];
}

/** The declared rule of an operation that acts on one person, whose id is in `input.id`. */
export function onPerson(permission: string): Extract<AccessRule<{ id: string }>, { kind: 'scoped' }> {
  return { kind: 'scoped', keys: [permission], needs: (input) => personNeeds(permission, input.id, 'id') };
}

export interface TargetAccount {
  id: string;
  username: string;
  kind: 'member' | 'external';
  status: 'active' | 'disabled';
  protected: boolean;
  isOwner: boolean;
  homeGroupId: string;
}

/** Whether the person holds a role that means Owner (R9), at any company. */
export function isOwner(db: Db, userId: string): boolean {
  return (
    stmt(db, "SELECT 1 FROM role_bindings b JOIN roles r ON r.id = b.role_id WHERE b.user_id = ? AND r.meaning = 'owner' LIMIT 1").get(
      userId,
    ) !== undefined
  );
}

/**
 * Loads a person the dispatcher has already authorized the actor to act on (R2 and R7) and
 * applies R10: an Owner is changed only by themselves or by an Owner of a company above.
 * Names the person in the audit event first, so a refused attempt is recorded against them.
 */
export function actOnUser(db: Db, ctx: CommandContext & { actor: Actor }, userId: string): TargetAccount {
  const row = stmt<
    [string],
    { id: string; username: string; kind: TargetAccount['kind']; status: TargetAccount['status']; protected: number; home_group_id: string }
  >(db, 'SELECT id, username, kind, status, protected, home_group_id FROM users WHERE id = ?').get(userId);
  if (!row) throw new OpError('NOT_FOUND', 'That user no longer exists', { field: 'id' });
  ctx.audit({ target: { type: 'user', id: userId, name: row.username } });
  requireOwnerRule(db, ctx.actor.userId, { id: row.id, name: row.username }, 'id');
  return {
    id: row.id,
    username: row.username,
    kind: row.kind,
    status: row.status,
    protected: row.protected === 1,
    isOwner: isOwner(db, row.id),
    homeGroupId: row.home_group_id,
  };
}

/** R10, for any path that changes a person: refuses unless the actor may act on them as an Owner. */
export function requireOwnerRule(db: Db, actorId: string, person: { id: string; name: string }, field: string): void {
  const allowed = mayActOnOwner(
    { userId: actorId, bindings: bindingsOf(db, actorId) },
    { userId: person.id, bindings: placedBindingsOf(db, person.id) },
  );
  if (!allowed)
    throw new OpError('FORBIDDEN', `${person.name} is an Owner; only they, or an Owner of a company above theirs, change their account`, {
      field,
    });
}

export function uniqueAccountProblem(db: Db, fields: { username?: string; email?: string }, exceptId = ''): OpError | null {
  // R24: compared as they read (name_key; the users_username_key and users_email_key indexes, migration 20).
  if (
    fields.username &&
    stmt(db, 'SELECT 1 FROM users WHERE name_key(username) = name_key(?) AND id <> ?').get(fields.username, exceptId)
  ) {
    return new OpError('CONFLICT', `The username “${fields.username}” is taken`, { field: 'username' });
  }
  if (fields.email && stmt(db, 'SELECT 1 FROM users WHERE name_key(email) = name_key(?) AND id <> ?').get(fields.email, exceptId)) {
    return new OpError('CONFLICT', `An account with the email ${fields.email} already exists`, { field: 'email' });
  }
  return null;
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A 20-character password from an unambiguous alphabet (no 0/O, 1/l/I), unbiased by rejection. */
export function generatePassword(bytes: (n: number) => Buffer): string {
  let out = '';
  while (out.length < 20) {
    for (const b of bytes(32)) {
      if (b < 256 - (256 % ALPHABET.length) && out.length < 20) out += ALPHABET[b % ALPHABET.length];
    }
  }
  return out;
}

/** The company's Owner (R9, R11): who holds a role meaning Owner bound at it, and with which role; undefined while it has none. */
export function companyOwner(db: Db, companyId: string): { user_id: string; role_id: string; username: string } | undefined {
  return stmt<[string], { user_id: string; role_id: string; username: string }>(
    db,
    `SELECT b.user_id, b.role_id, u.username FROM role_bindings b JOIN roles r ON r.id = b.role_id JOIN users u ON u.id = b.user_id
     WHERE b.group_id = ? AND r.meaning = 'owner'`,
  ).get(companyId);
}

/**
 * R11: every company with members has exactly one Owner. A company without one (created,
 * its Owner invitation still pending) takes no other member until its Owner has joined.
 */
export function requireCompanyOwner(db: Db, groupId: string, field: string): void {
  const company = companyOf(db, groupId);
  if (!company) return;
  const owned = companyOwner(db, company.id) !== undefined;
  if (!owned)
    throw new OpError(
      'CONFLICT',
      `“${company.name}” has no Owner yet: its Owner joins first (through the Owner invitation, or an Owner above assigns one)`,
      { field },
    );
}
