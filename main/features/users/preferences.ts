import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { requireActor } from '../auth/deps';
import { parseNotifications } from './get';

/** Seed 002: email notifications are per user, set on the user's own profile. */
export const usersUpdatePreferencesHandler = () =>
  handler('users.updatePreferences', {
    access: { kind: 'self' },
    run(ctx, input) {
      const { db } = ctx;
      const actor = requireActor(ctx);
      const before = parseNotifications(
        stmt<[string], { notifications: string }>(db, 'SELECT notifications FROM users WHERE id = ?').get(actor.userId)?.notifications ??
          '{}',
      );
      stmt(db, 'UPDATE users SET notifications = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(input.notifications),
        ctx.clock.now(),
        actor.userId,
      );
      ctx.audit({ target: { type: 'user', id: actor.userId, name: actor.username }, before, after: input.notifications });
      return { notifications: input.notifications };
    },
  });
