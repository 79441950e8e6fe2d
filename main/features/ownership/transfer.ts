import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError, refuse } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { requirePermission } from '../access/access';
import { ADMIN_ROLE_ID, OWNER_ROLE_ID } from '../access/roles-cache';
import { companyOf } from '../access/tree';
import { findAccount } from '../auth/accounts';
import { requireActor, throttleKeys } from '../auth/deps';
import type { Throttle } from '../auth/throttle';
import { throttledMessage } from '../auth/throttle';
import { checkCode } from '../auth/totp';

/**
 * Seed 000 and DESIGN.md 3.7: the Owner hands the company to an active, MFA-enrolled,
 * internal Admin of the same company, confirmed with a fresh authenticator code for this
 * transfer. One transaction: the new Owner takes the Owner binding, the old Owner becomes Admin.
 */
export const ownershipTransferHandler = (db: Db, throttle: Throttle) =>
  handler('ownership.transfer', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const account = findAccount(db, requireActor(ctx).userId);
      if (!account?.totp_secret) throw new OpError('FORBIDDEN', 'Set up your authenticator before transferring ownership');
      return {
        check: await checkCode(ctx.secrets.open(account.totp_secret).toString('utf8'), input.code, ctx.clock.now(), account.totp_last_step),
      };
    },
    run(ctx, input, { check }) {
      const actor = requireActor(ctx);
      const now = ctx.clock.now();
      const company = requirePermission(db, actor.userId, 'ownership.transfer', 'group', input.companyId);
      const hasBinding = (userId: string, roleId: string) =>
        stmt(db, 'SELECT 1 FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?').get(userId, roleId, company.id) !==
        undefined;
      if (!hasBinding(actor.userId, OWNER_ROLE_ID))
        throw new OpError('FORBIDDEN', `Only the Owner of ${company.name} can transfer its ownership`, { field: 'companyId' });
      const heir = requirePermission(db, actor.userId, 'users.view', 'user', input.toUserId);
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
                : companyOf(db, row.home_group_id)?.id !== company.id || !hasBinding(heir.id, ADMIN_ROLE_ID)
                  ? `${heir.name} is not an Admin of ${company.name}`
                  : null;
      if (problem)
        throw new OpError('CONFLICT', `${problem}; ownership goes to an active, MFA-enrolled Admin of the same company`, {
          field: 'toUserId',
        });

      const key = throttleKeys.code(actor.userId);
      ctx.audit({ action: 'ownership.transfer', target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
      const throttled = throttle.check(key, ctx.source, now);
      if (throttled.locked)
        return refuse('THROTTLED', throttledMessage(throttled.retryAfterSeconds), {
          field: 'code',
          retryAfterSeconds: throttled.retryAfterSeconds,
        });
      const last = findAccount(db, actor.userId)?.totp_last_step ?? null;
      if (check.kind !== 'valid' || (last !== null && check.timeStep <= last)) {
        throttle.fail(key, ctx.source, now);
        return check.kind === 'invalid'
          ? refuse('INVALID_CODE', 'That code is not right; ownership was not transferred', { field: 'code' })
          : refuse('CODE_REUSED', 'This code was already used. Wait for the next code.', { field: 'code' });
      }
      throttle.reset(key, ctx.source);
      stmt(db, 'UPDATE users SET totp_last_step = ? WHERE id = ?').run(check.timeStep, actor.userId);
      stmt(db, 'DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?').run(actor.userId, OWNER_ROLE_ID, company.id);
      stmt(db, 'DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?').run(heir.id, ADMIN_ROLE_ID, company.id);
      stmt(db, 'INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)').run(heir.id, OWNER_ROLE_ID, company.id);
      stmt(db, 'INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)').run(
        actor.userId,
        ADMIN_ROLE_ID,
        company.id,
      );
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
