import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import type { CommandContext } from '../../dispatch/context';
import { requirePermission, type ResolvedTarget } from '../access/access';
import { requireActor } from '../auth/deps';
import { OWNER_ROLE_ID } from '../access/roles-cache';

export interface TargetAccount {
  target: ResolvedTarget;
  id: string;
  username: string;
  kind: 'member' | 'external';
  status: 'active' | 'disabled';
  protected: boolean;
  isOwner: boolean;
  homeGroupId: string;
}

/**
 * Loads a user the actor may act on with `permission`, applying DESIGN.md 3.6: an Owner
 * is modified only by themselves (an Admin cannot modify or remove the Owner).
 */
export function actOnUser(db: Db, ctx: CommandContext, userId: string, permission: string): TargetAccount {
  const actorId = requireActor(ctx).userId;
  const target = requirePermission(db, actorId, permission, 'user', userId);
  // Named before any refusal, so a refused attempt is recorded against this user too.
  ctx.audit({ target: { type: 'user', id: userId, name: target.name } });
  const row = stmt<
    [string],
    { id: string; username: string; kind: TargetAccount['kind']; status: TargetAccount['status']; protected: number; home_group_id: string }
  >(db, 'SELECT id, username, kind, status, protected, home_group_id FROM users WHERE id = ?').get(userId);
  if (!row) throw new OpError('NOT_FOUND', 'That user no longer exists', { field: 'id' });
  const isOwner = stmt(db, 'SELECT 1 FROM role_bindings WHERE user_id = ? AND role_id = ?').get(userId, OWNER_ROLE_ID) !== undefined;
  if (isOwner && userId !== actorId)
    throw new OpError('FORBIDDEN', `${row.username} is the Owner; only the Owner changes their own account`, { field: 'id' });
  return {
    target,
    id: row.id,
    username: row.username,
    kind: row.kind,
    status: row.status,
    protected: row.protected === 1,
    isOwner,
    homeGroupId: row.home_group_id,
  };
}

export function uniqueAccountProblem(db: Db, fields: { username?: string; email?: string }, exceptId = ''): OpError | null {
  if (fields.username && stmt(db, 'SELECT 1 FROM users WHERE username = ? COLLATE NOCASE AND id <> ?').get(fields.username, exceptId)) {
    return new OpError('CONFLICT', `The username “${fields.username}” is taken`, { field: 'username' });
  }
  if (fields.email && stmt(db, 'SELECT 1 FROM users WHERE email = ? COLLATE NOCASE AND id <> ?').get(fields.email, exceptId)) {
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
