import { providerLabel } from '../../../shared/sso';
import type { Db } from '../../db/connection';
import { companyOf } from '../access/tree';
import { companyOwner } from '../users/guards';
import { providerOf } from './store';

export type PasswordPath =
  | { kind: 'open' }
  /** The company enforces SSO: the password is refused, and the message names the provider. */
  | { kind: 'sso-required'; message: string }
  /** The company enforces SSO and this is its Owner: password and code still work, audited each time. */
  | { kind: 'break-glass'; companyId: string; provider: string };

/**
 * Issue 14, "Enforcing SSO" (R28): whether a person whose password was right may go on with it.
 * The person's company is their home group's; its Owner keeps the password-and-code path
 * (break-glass) so that a provider outage or a wrong configuration cannot lock everyone out.
 */
export function passwordPath(db: Db, person: { id: string; home_group_id: string }): PasswordPath {
  const company = companyOf(db, person.home_group_id);
  const provider = company ? providerOf(db, company.id) : undefined;
  if (!company || !provider || provider.enforced !== 1) return { kind: 'open' };
  const label = providerLabel(provider.preset, provider.display_name);
  if (companyOwner(db, company.id)?.user_id === person.id) return { kind: 'break-glass', companyId: company.id, provider: label };
  return {
    kind: 'sso-required',
    message: `${company.name} signs in with ${label}. Use “Sign in with ${label}” instead of a password.`,
  };
}
