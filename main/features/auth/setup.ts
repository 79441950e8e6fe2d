import { stmt } from '../../db/statements';
import { OpError, refuse } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { OWNER_ROLE_ID } from '../access/roles-cache';
import { hasAccounts, sessionUser } from './accounts';
import { startSession, type AuthDeps } from './deps';
import { hashPassword, passwordProblem } from './passwords';
import { lockedOut, wrongSecret } from './secret-check';
import { SETUP_CODE_FILE, SETUP_CODE_THROTTLE_KEY, type FirstRunGate, type SetupCodeVerdict } from './setup-code';

const WHERE_THE_CODE_IS = `the hub printed it when it started, and keeps it in the file ${SETUP_CODE_FILE} in its data folder`;

/**
 * First run: the provider root and its Owner, who is protected (R14) and goes straight to MFA
 * enrollment. Taken only from whom `firstRun` lets in (R35): a hub wants its one-time setup code
 * (`setupCode`: VALIDATION when missing, FORBIDDEN when wrong, THROTTLED per source as sign-in
 * is), a desktop or web console a caller on its own machine. The code is judged in `prepare`,
 * so a replay, whose envelope never holds it, takes the recorded verdict.
 */
export const setupHandler = (deps: AuthDeps, firstRun: FirstRunGate) =>
  handler('auth.setup', {
    access: { kind: 'public' },
    async prepare(ctx, input): Promise<{ code: SetupCodeVerdict; passwordHash: string | null }> {
      if (hasAccounts(ctx.db)) throw setupDone();
      const locked = deps.throttle.check(SETUP_CODE_THROTTLE_KEY, ctx.source, ctx.clock.now()).locked;
      const code = locked ? 'wrong' : firstRun.check(ctx.source, input.setupCode);
      if (code !== 'right' && code !== 'not-needed') return { code, passwordHash: null };
      const problem = passwordProblem(input.password, input);
      if (problem) throw new OpError('WEAK_PASSWORD', problem, { field: 'password' });
      return { code, passwordHash: await hashPassword(input.password, ctx.entropy.bytes(16)) };
    },
    run(ctx, input, { code, passwordHash }) {
      if (hasAccounts(ctx.db)) throw setupDone();
      if (code === 'local-only')
        return refuse('FORBIDDEN', 'Steward takes its first-run setup only on the machine it runs on. Set it up there.');
      if (code !== 'not-needed') {
        const locked = lockedOut(deps.throttle, SETUP_CODE_THROTTLE_KEY, ctx, 'setupCode');
        if (locked) return locked;
      }
      if (code === 'missing')
        return refuse('VALIDATION', `setupCode: this hub is set up only with its one-time setup code; ${WHERE_THE_CODE_IS}`, {
          field: 'setupCode',
        });
      if (code === 'wrong') {
        return wrongSecret(deps.throttle, SETUP_CODE_THROTTLE_KEY, ctx, {
          code: 'FORBIDDEN',
          message: `That is not this hub's setup code; ${WHERE_THE_CODE_IS}`,
          field: 'setupCode',
        });
      }
      if (passwordHash === null) throw new Error('auth.setup: a setup without a password hash passed its code check');
      if (code === 'right') deps.throttle.reset(SETUP_CODE_THROTTLE_KEY, ctx.source);
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
