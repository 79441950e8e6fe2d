import type { SessionInfo } from '../../../shared/contract';
import { stmt } from '../../db/statements';
import type { Actor } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { SessionStore } from '../auth/sessions';
import { actOnUser, personNeeds } from './guards';

/** One's own sessions are one's own; another person's take users.edit over them and dominance (R7), as ending them does. */
const ownOrEdit = {
  kind: 'scoped',
  keys: ['users.edit'],
  needs: (input: { id: string }, actor: Actor) => (input.id === actor.userId ? [] : personNeeds('users.edit', input.id, 'id')),
} as const;

/** The Sessions tab of a person's page (issue 15): where they are signed in, and signing them out everywhere (R18). */
export function userSessionHandlers(): RegisteredHandler[] {
  return [
    handler('users.sessions', {
      access: ownOrEdit,
      run(ctx, input) {
        const { db, actor } = ctx;
        if (!stmt(db, 'SELECT 1 FROM users WHERE id = ?').get(input.id))
          throw new OpError('NOT_FOUND', 'That user no longer exists', { field: 'id' });
        // Ids are digests of tokens: they stay on the server; the answer says only what a person needs to recognise a session.
        const rows = stmt<
          [string],
          { id: string; client: SessionInfo['client']; stage: SessionInfo['stage']; created_at: number; last_seen_at: number }
        >(
          db,
          'SELECT id, client, stage, created_at, last_seen_at FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, created_at DESC',
        ).all(input.id);
        return {
          sessions: rows.map((r) => ({
            client: r.client,
            stage: r.stage,
            startedAt: r.created_at,
            lastSeenAt: r.last_seen_at,
            current: r.id === actor.sessionId,
          })),
        };
      },
    }),
    handler('users.signOutEverywhere', {
      access: ownOrEdit,
      run(ctx, input) {
        const { db, actor } = ctx;
        const sessions = new SessionStore(db);
        if (input.id === actor.userId) {
          const ended = sessions.deleteOthers(actor.userId, actor.sessionId);
          ctx.audit({
            target: { type: 'user', id: actor.userId, name: actor.username },
            after: { sessionsEnded: ended, kept: 'this session' },
          });
          return { ended };
        }
        // R10: an Owner's sessions are ended only by themselves or an Owner above, like every change to them.
        const user = actOnUser(db, ctx, input.id);
        const ended = sessions.deleteAllOf(user.id);
        ctx.audit({ target: { type: 'user', id: user.id, name: user.username }, after: { sessionsEnded: ended } });
        return { ended };
      },
    }),
  ];
}
