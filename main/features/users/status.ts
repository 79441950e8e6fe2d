import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { requireActor } from '../auth/deps';
import { SessionStore } from '../auth/sessions';
import { recordChange } from '../versions/object-versions';
import { actOnUser, onPerson } from './guards';

/** Seed 004's login toggle: disabling keeps the account (and its seat) and ends its sessions at once. */
export const usersSetStatusHandler = () =>
  handler('users.setStatus', {
    access: onPerson('users.edit'),
    run(ctx, input) {
      const { db } = ctx;
      const actor = requireActor(ctx);
      const user = actOnUser(db, ctx, input.id);
      if (input.status === 'disabled') {
        if (user.id === actor.userId) throw new OpError('FORBIDDEN', 'You cannot disable your own account', { field: 'id' });
        if (user.protected) throw new OpError('FORBIDDEN', 'The first admin cannot be disabled', { field: 'id' });
        // R10: the company would be left without a working Owner.
        if (user.isOwner)
          throw new OpError('FORBIDDEN', `${user.username} is an Owner; hand ownership over before disabling them`, { field: 'id' });
      }
      if (user.status !== input.status) {
        stmt(db, 'UPDATE users SET status = ?, updated_at = ? WHERE id = ?').run(input.status, ctx.clock.now(), user.id);
        if (input.status === 'disabled') new SessionStore(db).deleteAllOf(user.id);
      }
      const version = recordChange(db, ctx, { type: 'user', id: user.id }, user.status !== input.status ? ['status'] : []);
      ctx.audit({
        action: input.status === 'disabled' ? 'users.disable' : 'users.enable',
        target: { type: 'user', id: user.id, name: user.username },
        before: { status: user.status },
        after: { status: input.status },
      });
      return { id: user.id, status: input.status, version };
    },
  });
