import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Actor, CommandContext } from '../../dispatch/context';
import { OpError, refuse, type Refusal } from '../../dispatch/errors';
import { handler, type AccessRule } from '../../dispatch/registry';
import { companyOf, findGroup } from '../access/tree';
import { findAccount } from '../auth/accounts';
import { throttleKeys } from '../auth/deps';
import { SessionStore } from '../auth/sessions';
import type { Throttle } from '../auth/throttle';
import { throttledMessage } from '../auth/throttle';
import { checkCode, type CodeCheck } from '../auth/totp';
import { recordChange } from '../versions/object-versions';

/**
 * Seed 000 and R10: the Owner hands the company to an active, MFA-enrolled,
 * internal Admin of the same company, confirmed with a fresh authenticator code for this
 * transfer. One transaction: the new Owner takes the Owner binding, the old Owner becomes Admin.
 */
/**
 * The fresh authenticator code that confirms an ownership change (step-up): throttled per
 * person, never accepted twice. Returns the refusal to answer with, or null once the code
 * is spent (its time step recorded, inside the command's transaction).
 */
export function confirmStepUp(
  db: Db,
  ctx: CommandContext & { actor: Actor },
  throttle: Throttle,
  check: CodeCheck,
  notDone: string,
): Refusal | null {
  const now = ctx.clock.now();
  const key = throttleKeys.code(ctx.actor.userId);
  const throttled = throttle.check(key, ctx.source, now);
  if (throttled.locked)
    return refuse('THROTTLED', throttledMessage(throttled.retryAfterSeconds), {
      field: 'code',
      retryAfterSeconds: throttled.retryAfterSeconds,
    });
  const last = findAccount(db, ctx.actor.userId)?.totp_last_step ?? null;
  if (check.kind !== 'valid' || (last !== null && check.timeStep <= last)) {
    throttle.fail(key, ctx.source, now);
    return check.kind === 'invalid'
      ? refuse('INVALID_CODE', `That code is not right; ${notDone}`, { field: 'code' })
      : refuse('CODE_REUSED', 'This code was already used. Wait for the next code.', { field: 'code' });
  }
  throttle.reset(key, ctx.source);
  stmt(db, 'UPDATE users SET totp_last_step = ? WHERE id = ?').run(check.timeStep, ctx.actor.userId);
  return null;
}

/** Reads the caller's authenticator and checks `code` outside the transaction (prepare of a step-up command). */
export async function stepUpCheck(db: Db, ctx: CommandContext & { actor: Actor }, code: string, action: string): Promise<CodeCheck> {
  const account = findAccount(db, ctx.actor.userId);
  if (!account?.totp_secret) throw new OpError('FORBIDDEN', `Set up your authenticator before ${action}`);
  return checkCode(ctx.secrets.open(account.totp_secret).toString('utf8'), code, ctx.clock.now(), account.totp_last_step);
}

/** Who may start an ownership change (transfer or assignment): ownership.transfer at the company, and sight of the heir. */
export const OWNERSHIP_ACCESS: Extract<AccessRule<{ companyId: string; toUserId: string }>, { kind: 'scoped' }> = {
  kind: 'scoped',
  keys: ['ownership.transfer', 'users.view'],
  needs: (input) => [
    { permission: 'ownership.transfer', on: { type: 'group', id: input.companyId, field: 'companyId' } },
    { permission: 'users.view', on: { type: 'user', id: input.toUserId, field: 'toUserId' } },
  ],
};

export const ownershipTransferHandler = (throttle: Throttle) =>
  handler('ownership.transfer', {
    access: OWNERSHIP_ACCESS,
    async prepare(ctx, input) {
      const { db } = ctx;
      return { check: await stepUpCheck(db, ctx, input.code, 'transferring ownership') };
    },
    run(ctx, input, { check }) {
      const { actor, db } = ctx;
      const company = findGroup(db, input.companyId) ?? { id: input.companyId, name: '' };
      // R9: the roles that mean Owner and Admin here, whatever role set the company uses.
      const meaningAt = (userId: string, meaning: 'owner' | 'admin') =>
        stmt<[string, string, string], { role_id: string }>(
          db,
          'SELECT b.role_id FROM role_bindings b JOIN roles r ON r.id = b.role_id WHERE b.user_id = ? AND b.group_id = ? AND r.meaning = ?',
        ).get(userId, company.id, meaning)?.role_id;
      const ownerRole = meaningAt(actor.userId, 'owner');
      if (!ownerRole)
        throw new OpError('FORBIDDEN', `Only the Owner of ${company.name} can transfer its ownership`, { field: 'companyId' });
      const heirRow = stmt<[string], { username: string }>(db, 'SELECT username FROM users WHERE id = ?').get(input.toUserId);
      const heir = { id: input.toUserId, name: heirRow?.username ?? '' };
      const heirAdminRole = meaningAt(heir.id, 'admin');
      const row = stmt<[string], { status: string; kind: string; totp_secret: Buffer | null; home_group_id: string }>(
        db,
        'SELECT status, kind, totp_secret, home_group_id FROM users WHERE id = ?',
      ).get(heir.id);
      const problem =
        heir.id === actor.userId
          ? 'You already own this company'
          : row?.kind !== 'member'
            ? 'Ownership cannot go to an external (delegated) user'
            : row.status !== 'active'
              ? `${heir.name} is disabled`
              : !row.totp_secret
                ? `${heir.name} has not set up two-step verification`
                : companyOf(db, row.home_group_id)?.id !== company.id || !heirAdminRole
                  ? `${heir.name} is not an Admin of ${company.name}`
                  : null;
      if (problem)
        throw new OpError('CONFLICT', `${problem}; ownership goes to an active, MFA-enrolled Admin of the same company`, {
          field: 'toUserId',
        });

      ctx.audit({ action: 'ownership.transfer', target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
      const refused = confirmStepUp(db, ctx, throttle, check, 'ownership was not transferred');
      if (refused) return refused;
      const unbind = stmt(db, 'DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?');
      const bind = stmt(db, 'INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
      unbind.run(actor.userId, ownerRole, company.id);
      unbind.run(heir.id, heirAdminRole ?? '', company.id);
      bind.run(heir.id, ownerRole, company.id);
      bind.run(actor.userId, heirAdminRole ?? '', company.id);
      for (const userId of [heir.id, actor.userId]) recordChange(db, ctx, { type: 'user', id: userId }, ['roles']);
      // Both parties' rights changed: their other sessions end (this one carries on as the new Admin).
      const sessions = new SessionStore(db);
      sessions.deleteAllOf(heir.id);
      sessions.deleteOthers(actor.userId, actor.sessionId);
      ctx.audit({
        action: 'ownership.transfer',
        target: { type: 'group', id: company.id, name: company.name },
        groupId: company.id,
        before: { owner: actor.username },
        after: { owner: heir.name, previousOwnerNowAdmin: actor.username },
      });
      return { newOwnerId: heir.id, companyId: company.id };
    },
  });
