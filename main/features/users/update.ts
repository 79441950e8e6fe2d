import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { closeInvitationsOf } from '../invitations/records';
import { recordChange, requireBase } from '../versions/object-versions';
import { actOnUser, onPerson, uniqueAccountProblem } from './guards';

const COLUMNS = { username: 'username', email: 'email', fullName: 'full_name', company: 'company' } as const;

export const usersUpdateHandler = () =>
  handler('users.update', {
    access: onPerson('users.edit'),
    run(ctx, input) {
      const { db } = ctx;
      const user = actOnUser(db, ctx, input.id);
      requireBase(db, ctx, { type: 'user', id: user.id }, input.baseVersion, `The account “${user.username}”`);
      const conflict = uniqueAccountProblem(db, input, input.id);
      if (conflict) throw conflict;
      const current =
        stmt<[string], Record<string, string>>(db, 'SELECT username, email, full_name, company FROM users WHERE id = ?').get(input.id) ??
        {};
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [field, column] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, string]>) {
        const value = input[field];
        if (value === undefined || value === current[column]) continue;
        before[field] = current[column];
        after[field] = value;
        stmt(db, `UPDATE users SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, ctx.clock.now(), input.id);
      }
      // A pending invitation to the new email can no longer be accepted (issue 16).
      const invitationsClosed = typeof after.email === 'string' ? closeInvitationsOf(db, ctx, after.email) : 0;
      const version = recordChange(db, ctx, { type: 'user', id: input.id }, Object.keys(after));
      ctx.audit({
        target: { type: 'user', id: input.id, name: input.username ?? user.username },
        before,
        after: { ...after, version, ...(invitationsClosed > 0 ? { invitationsClosed } : {}) },
      });
      return { id: input.id, version };
    },
  });
