import type { SessionStage } from '../../../shared/contract';
import type { CommandContext } from '../../dispatch/context';
import type { SessionStore } from './sessions';
import type { Throttle } from './throttle';

/** Services that wrap the database; handlers read and write the database itself through ctx.db. */
export interface AuthDeps {
  sessions: SessionStore;
  throttle: Throttle;
}

function newToken(ctx: CommandContext): string {
  return ctx.entropy.bytes(16).toString('base64url');
}

export function startSession(ctx: CommandContext, deps: AuthDeps, userId: string, stage: SessionStage): void {
  const token = newToken(ctx);
  deps.sessions.create(token, userId, stage, ctx.client, ctx.clock.now());
  ctx.setSession({ kind: 'set', token });
}

export function promoteSession(ctx: CommandContext, deps: AuthDeps, stage: SessionStage): void {
  const token = newToken(ctx);
  deps.sessions.promote(requireActor(ctx).sessionId, token, stage, ctx.clock.now());
  ctx.setSession({ kind: 'set', token });
}

export function requireActor(ctx: Pick<CommandContext, 'actor'>) {
  if (!ctx.actor) throw new Error('This handler runs only with a session; the dispatcher should have refused');
  return ctx.actor;
}

export const throttleKeys = {
  password: (userId: string) => `password:user:${userId}`,
  /** `loginMac`: the login's HMAC under the installation's key, never the login or a plain digest. */
  unknownLogin: (loginMac: string) => `password:login:${loginMac}`,
  code: (userId: string) => `code:user:${userId}`,
};
