import type { ApiError } from '../../shared/result';
import type { Actor } from './context';
import type { AccessRule } from './registry';

export type AuthorizeResult =
  | { ok: true; target?: { type: string; id: string; name: string } }
  | { ok: false; error: ApiError; target?: { type: string; id: string; name: string } };

/**
 * The service that decides an operation's declared access rule (R12). The dispatcher is
 * handed one, so its core knows no feature; it calls it after parsing and before any work.
 */
export interface Authorizer {
  authorize(actor: Actor, rule: AccessRule, input: unknown): AuthorizeResult;
}
