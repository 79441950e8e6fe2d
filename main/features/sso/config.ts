import type { LockoutEntry, LockoutReason, SsoPreview } from '../../../shared/contract';
import { PRESET_INFO } from '../../../shared/sso';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Actor } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { requireSecretFollows } from '../../security/secret-destination';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { atCompany, requireCompany } from '../access/company-rule';
import { check, resolveTarget } from '../access/access';
import { companyOwner } from '../users/guards';
import { discover, failureReason } from './oidc';
import { canonicalDomains, emailDomainOf, requireClaimable } from './domains';
import { companyPeople, domainsOf, isLinked, providerOf, view } from './store';

function requireVersion(db: Db, companyId: string, baseVersion: number): void {
  const stored = providerOf(db, companyId)?.version ?? 0;
  if (baseVersion > stored)
    throw new OpError('VALIDATION', `There is no version ${baseVersion} of these settings`, { field: 'baseVersion' });
  if (baseVersion !== stored)
    throw new OpError(
      'CONFLICT',
      stored === 0
        ? 'The single sign-on settings were removed since you opened them. Reload to start again.'
        : `The single sign-on settings were changed since you opened them (now version ${stored}). Reload to see the change.`,
      { field: 'baseVersion' },
    );
}

/**
 * Issue 14, "Enforcing SSO": who could not sign in once SSO is enforced with these domains.
 * Everyone of the company but its Owner (who keeps password and code), when they have no
 * identity linked at the company's issuer, or their account's email domain is not allowed.
 * People the caller may not see are counted, not named (R13).
 */
export function lockoutPreview(db: Db, actor: Actor, companyId: string, domains: readonly string[]): SsoPreview {
  const provider = providerOf(db, companyId);
  const owner = companyOwner(db, companyId);
  const allowed = new Set(canonicalDomains(domains).map((d) => d.domain));
  const lockedOut: LockoutEntry[] = [];
  let hiddenCount = 0;
  for (const person of companyPeople(db, companyId)) {
    if (person.id === owner?.user_id || person.status !== 'active') continue;
    const reasons: LockoutReason[] = [];
    if (!provider || !isLinked(db, person.id, provider.issuer)) reasons.push('not-linked');
    if (!allowed.has(emailDomainOf(person.email) ?? '')) reasons.push('domain-not-allowed');
    if (reasons.length === 0) continue;
    const target = resolveTarget(db, 'user', person.id, actor.userId);
    if (!target || !check(db, actor.userId, 'users.view', target).allowed) {
      hiddenCount += 1;
      continue;
    }
    lockedOut.push({ userId: person.id, username: person.username, fullName: person.full_name, email: person.email, reasons });
  }
  return { lockedOut, hiddenCount, exempt: owner ? { userId: owner.user_id, username: owner.username } : null };
}

export function ssoConfigHandlers(): RegisteredHandler[] {
  return [
    handler('sso.get', {
      access: atCompany(['settings.view']),
      run(ctx, input) {
        requireCompany(ctx.db, input.companyId, 'single sign-on');
        return view(ctx.db, input.companyId);
      },
    }),
    handler('sso.preview', {
      access: atCompany(['settings.view', 'users.view']),
      run(ctx, input) {
        requireCompany(ctx.db, input.companyId, 'single sign-on');
        return lockoutPreview(ctx.db, ctx.actor, input.companyId, input.allowedDomains);
      },
    }),
    handler('sso.configure', {
      access: atCompany(['settings.manage']),
      // Discovery proves the issuer answers as itself before anything is saved; the secret is sealed here,
      // so the command's envelope keeps only the seal (contract: secrets).
      async prepare(ctx, input) {
        const fixed = PRESET_INFO[input.preset].fixedIssuer;
        if (fixed && input.issuer.replace(/\/$/, '') !== fixed)
          throw new OpError('VALIDATION', `The ${PRESET_INFO[input.preset].label} issuer is ${fixed}`, { field: 'issuer' });
        try {
          await discover({ issuer: input.issuer, clientId: input.clientId, clientSecret: null }, ctx.clock.now());
        } catch (error) {
          throw new OpError(
            'VALIDATION',
            `Steward could not read the OpenID Connect configuration of ${input.issuer}: ${failureReason(error)}`,
            {
              field: 'issuer',
            },
          );
        }
        const secret = input.clientSecret;
        return {
          sealed:
            secret === undefined ? undefined : secret === '' ? null : ctx.secrets.seal(Buffer.from(secret, 'utf8')).toString('base64'),
        };
      },
      run(ctx, input, { sealed }) {
        const { db } = ctx;
        const company = requireCompany(db, input.companyId, 'single sign-on');
        ctx.audit({ target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
        const listed = canonicalDomains(input.allowedDomains);
        requireVersion(db, company.id, input.baseVersion);
        const before = view(db, company.id);
        const stored = providerOf(db, company.id);
        requireClaimable(db, company.id, listed, stored ? domainsOf(stored) : []);
        const domains = listed.map((d) => d.domain);
        // R34: the client secret goes to the issuer's token endpoint; a new issuer gets it only when it is typed again.
        requireSecretFollows({
          before: stored ? stored.issuer.replace(/\/$/, '') : null,
          after: input.issuer.replace(/\/$/, ''),
          stored: stored?.client_secret_sealed != null,
          given: sealed !== undefined,
          field: 'clientSecret',
          what: 'client secret',
        });
        const secret =
          sealed === undefined ? (stored?.client_secret_sealed ?? null) : sealed === null ? null : Buffer.from(sealed, 'base64');
        const now = ctx.clock.now();
        stmt(
          db,
          `INSERT INTO sso_providers (company_id, preset, display_name, issuer, client_id, client_secret_sealed, allowed_domains, enforced,
             trust_provider_mfa, version, updated_at)
           VALUES (@company, @preset, @displayName, @issuer, @clientId, @secret, @domains, @enforced, @trust, 1, @now)
           ON CONFLICT (company_id) DO UPDATE SET preset = excluded.preset, display_name = excluded.display_name, issuer = excluded.issuer,
             client_id = excluded.client_id, client_secret_sealed = excluded.client_secret_sealed, allowed_domains = excluded.allowed_domains,
             enforced = excluded.enforced, trust_provider_mfa = excluded.trust_provider_mfa, version = sso_providers.version + 1,
             updated_at = excluded.updated_at`,
        ).run({
          company: company.id,
          preset: input.preset,
          displayName: input.preset === 'generic' ? (input.displayName ?? null) : null,
          issuer: input.issuer,
          clientId: input.clientId,
          secret,
          domains: JSON.stringify(domains),
          enforced: input.enforced ? 1 : 0,
          trust: input.trustProviderMfa ? 1 : 0,
          now,
        });
        const after = view(db, company.id);
        // The view says only whether a secret is stored; a new secret shows as a change of its own.
        ctx.audit({
          target: { type: 'group', id: company.id, name: company.name },
          groupId: company.id,
          before: { sso: before },
          after: { sso: after, ...(sealed !== undefined ? { clientSecret: sealed === null ? 'cleared' : 'replaced' } : {}) },
        });
        return after;
      },
    }),
    handler('sso.remove', {
      access: atCompany(['settings.manage']),
      run(ctx, input) {
        const company = requireCompany(ctx.db, input.companyId, 'single sign-on');
        ctx.audit({ target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
        if (input.baseVersion === 0 && !providerOf(ctx.db, company.id)) return { removed: true as const };
        requireVersion(ctx.db, company.id, input.baseVersion);
        const before = view(ctx.db, company.id);
        stmt(ctx.db, 'DELETE FROM sso_providers WHERE company_id = ?').run(company.id);
        ctx.audit({ target: { type: 'group', id: company.id, name: company.name }, groupId: company.id, before: { sso: before } });
        return { removed: true as const };
      },
    }),
  ];
}
