import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { OWNER_ROLE_ID } from '../access/roles-cache';
import { hasAccounts, sessionUser } from './accounts';
import { startSession, type AuthDeps } from './deps';
import { hashPassword, passwordProblem } from './passwords';

/** First run: the provider root and its Owner, who is protected (R14) and goes straight to MFA enrollment. */
export const setupHandler = (deps: AuthDeps) =>
  handler('auth.setup', {
    access: { kind: 'public' },
    async prepare(ctx, input) {
      if (hasAccounts(ctx.db)) throw setupDone();
      const problem = passwordProblem(input.password, input);
      if (problem) throw new OpError('WEAK_PASSWORD', problem, { field: 'password' });
      return { passwordHash: await hashPassword(input.password, ctx.entropy.bytes(16)) };
    },
    run(ctx, input, { passwordHash }) {
      if (hasAccounts(ctx.db)) throw setupDone();
      const now = ctx.clock.now();
      const groupId = ctx.entropy.id();
      const userId = ctx.entropy.id();
      stmt(ctx.db, "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, NULL, 'provider', ?, ?, ?)").run(
        groupId,
        input.rootGroupName,
        now,
        now,
      );
      stmt(
        ctx.db,
        `INSERT INTO users (id, username, email, full_name, home_group_id, kind, status, password_hash, protected, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'member', 'active', ?, 1, ?, ?)`,
      ).run(userId, input.username, input.email, input.fullName, groupId, passwordHash, now, now);
      stmt(ctx.db, 'INSERT INTO group_closure (ancestor, descendant, depth) VALUES (?, ?, 0)').run(groupId, groupId);
      stmt(ctx.db, 'INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)').run(userId, OWNER_ROLE_ID, groupId);
      startSession(ctx, deps, userId, 'enroll');
      ctx.audit({
        target: { type: 'user', id: userId, name: input.username },
        groupId,
        after: { rootGroupName: input.rootGroupName, username: input.username, email: input.email, fullName: input.fullName },
      });
      const user = { id: userId, username: input.username, full_name: input.fullName, email: input.email };
      return { stage: 'enroll' as const, user: sessionUser(user) };
    },
  });

function setupDone(): OpError {
  return new OpError('SETUP_DONE', 'Steward is already set up. Sign in instead.');
}
