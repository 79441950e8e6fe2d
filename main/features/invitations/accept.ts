import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { allRoles } from '../access/roles-cache';
import { companyOf } from '../access/tree';
import { sessionUser } from '../auth/accounts';
import { startSession, type AuthDeps } from '../auth/deps';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { requireMayInvite } from './authority';
import { uniqueAccountProblem } from '../users/guards';
import { requireSeat } from '../users/seats';
import { usableInvitation, usableInvitationById, type InvitationRow } from './records';
import { recordChange } from '../versions/object-versions';

/** R6: whoever sent the link, first and last, must still be able to issue it now; else the link is refused. */
function requireSenders(db: Db, row: InvitationRow): void {
  for (const [by, name] of [
    [row.invited_by, row.invited_by_name],
    [row.resent_by, row.resent_by_name],
  ] as const) {
    if (!by) continue;
    try {
      requireMayInvite(db, by, { email: row.email, roleId: row.role_id, groupId: row.group_id, kind: row.kind }, 'token');
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      throw new OpError(
        'FORBIDDEN',
        `${name ?? 'The sender'} can no longer grant this access, so the invitation cannot be used. Ask for a new invitation.`,
        {
          field: 'token',
        },
      );
    }
  }
}

/**
 * The invitee's side, reached without a session. Acceptance checks the inviter's
 * authority again (they may have lost it since), creates the account and leads straight
 * into MFA enrollment.
 */
export function invitationPublicHandlers(deps: AuthDeps): RegisteredHandler[] {
  return [
    handler('invitations.preview', {
      access: { kind: 'public' },
      run(ctx, input) {
        const { db } = ctx;
        const row = usableInvitation(db, input.token, ctx.clock.now());
        return {
          email: row.email,
          companyName: companyOf(db, row.group_id)?.name ?? '',
          roleName: allRoles(db).get(row.role_id)?.name ?? '',
          kind: row.kind,
          invitedBy: row.invited_by_name,
          expiresAt: row.expires_at,
        };
      },
    }),
    handler('invitations.accept', {
      access: { kind: 'public' },
      async prepare(ctx, input) {
        const { db } = ctx;
        const row = usableInvitation(db, input.token, ctx.clock.now());
        const problem = passwordProblem(input.password, { username: input.username, email: row.email });
        if (problem) throw new OpError('WEAK_PASSWORD', problem, { field: 'password' });
        // R12: the senders' authority is decided before the password is hashed, and again in the transaction.
        requireSenders(db, row);
        // The link's token is a secret the envelope never holds: `run` finds the invitation by the id read here.
        return { hash: await hashPassword(input.password, ctx.entropy.bytes(16)), invitationId: row.id };
      },
      run(ctx, input, { hash, invitationId }) {
        const { db } = ctx;
        const now = ctx.clock.now();
        const row = usableInvitationById(db, invitationId, now);
        ctx.audit({ action: 'invitations.accept', target: { type: 'invitation', id: row.id, name: row.email }, groupId: row.group_id });
        const conflict = uniqueAccountProblem(db, { username: input.username, email: row.email });
        if (conflict) throw conflict;
        requireSenders(db, row);
        requireSeat(db, row.group_id, now, 'token', 1);
        const id = ctx.entropy.id();
        stmt(
          db,
          `INSERT INTO users (id, username, email, full_name, home_group_id, kind, status, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
        ).run(id, input.username, row.email, input.fullName, row.group_id, row.kind, hash, now, now);
        stmt(db, 'INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)').run(id, row.role_id, row.group_id);
        stmt(db, "UPDATE invitations SET status = 'accepted', accepted_user_id = ? WHERE id = ?").run(id, row.id);
        recordChange(db, ctx, { type: 'invitation', id: row.id }, ['status']);
        startSession(ctx, deps, id, 'enroll');
        ctx.audit({
          action: 'invitations.accept',
          target: { type: 'user', id, name: input.username },
          groupId: row.group_id,
          after: { username: input.username, email: row.email, invitedBy: row.invited_by_name },
        });
        return {
          stage: 'enroll' as const,
          user: sessionUser({ id, username: input.username, full_name: input.fullName, email: row.email }),
        };
      },
    }),
  ];
}
