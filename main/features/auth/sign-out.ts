import { handler } from '../../dispatch/registry';
import { requireActor, type AuthDeps } from './deps';

export const signOutHandler = (deps: AuthDeps) =>
  handler('auth.signOut', {
    access: { kind: 'self' },
    run(ctx) {
      const actor = requireActor(ctx);
      deps.sessions.delete(actor.sessionId);
      ctx.setSession({ kind: 'clear' });
      ctx.audit({ target: { type: 'user', id: actor.userId, name: actor.username } });
      return { signedOut: true as const };
    },
  });
