import { createHash, timingSafeEqual } from 'node:crypto';
import { providerLabel } from '../../../shared/sso';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError, refuse } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { isLoopbackHost } from '../../security/loopback';
import type { SecretBox } from '../../security/secret-box';
import { companyOf } from '../access/tree';
import { hasAccounts, sessionUser, type AccountRow } from '../auth/accounts';
import { startSession, type AuthDeps } from '../auth/deps';
import { stageAfterSso } from './mfa';
import { discover, failureReason, finishAuthorization, startAuthorization, type ProviderIdentity } from './oidc';
import { emailDomainOf, routableProviders } from './domains';
import { domainsOf, providerOf, type ProviderRow } from './store';

/** How long a started sign-in waits for the provider's redirect back. */
export const SSO_LOGIN_TTL_MS = 10 * 60 * 1000;

/** A digest of the value only the starting browser (or desktop listener) holds; the pending sign-in keeps this, not the value. */
export function bindingDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

function clientOf(provider: ProviderRow, secrets: SecretBox) {
  return {
    issuer: provider.issuer,
    clientId: provider.client_id,
    clientSecret: provider.client_secret_sealed ? secrets.open(provider.client_secret_sealed).toString('utf8') : null,
  };
}

/** A redirect URI Steward may ask for: https, or plain http on this machine's loopback (RFC 8252 section 7.3); no query or fragment. */
function redirectProblem(uri: string): string | null {
  const url = new URL(uri);
  if (url.search || url.hash) return 'The redirect address may not carry a query or fragment';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'A plain http redirect address must be on the loopback address';
  return null;
}

interface PendingLogin {
  state: string;
  company_id: string;
  redirect_uri: string;
  verifier_sealed: Buffer;
  nonce: string;
  binding: string | null;
  created_at: number;
}

function pendingLogin(db: Db, state: string): PendingLogin | undefined {
  return stmt<[string], PendingLogin>(db, 'SELECT * FROM sso_logins WHERE state = ?').get(state);
}

function sameDigest(a: string | null, b: string | undefined): boolean {
  if (a === null || b === undefined) return a === null && b === undefined;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What `prepare` concluded; `state` too, because the callback URL (a secret: it holds the code) never reaches `run` in a replay. */
type Outcome = { state: string } & ({ identity: ProviderIdentity; failure?: undefined } | { identity?: undefined; failure: string });

/**
 * The account an identity signs in as: linked before, or linked now by the provider's verified
 * email (never created); either way one of the provider's company's own people (R28).
 */
function accountFor(
  db: Db,
  provider: ProviderRow,
  identity: ProviderIdentity,
): { account: AccountRow; linked: boolean } | { failure: string } {
  const linked = stmt<[string, string], AccountRow>(
    db,
    `SELECT u.id, u.username, u.email, u.full_name, u.status, u.password_hash, u.totp_secret, u.totp_last_step, u.protected, u.home_group_id
       FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = ? AND i.subject = ?`,
  ).get(identity.issuer, identity.subject);
  // R28: a link made while the person was the company's own signs in nobody once they are homed at another company.
  const elsewhere = (account: AccountRow) => companyOf(db, account.home_group_id)?.id !== provider.company_id;
  if (linked)
    return elsewhere(linked) ? { failure: 'this identity belongs to no account at this company' } : { account: linked, linked: false };
  if (!identity.email || !identity.emailVerified)
    return { failure: 'The provider did not vouch for an email address, so Steward cannot tell whose account this is' };
  const account = stmt<[string], AccountRow>(
    db,
    `SELECT id, username, email, full_name, status, password_hash, totp_secret, totp_last_step, protected, home_group_id
       FROM users WHERE email = ? COLLATE NOCASE`,
  ).get(identity.email);
  if (!account || elsewhere(account))
    return { failure: `${identity.email} has no Steward account at this company. Ask an administrator to invite you.` };
  return { account, linked: true };
}

/**
 * Issue 14, R28: OpenID Connect sign-in. `auth.ssoOptions` finds the provider for an email's
 * domain, never another company's than that of the account with the email (routableProviders);
 * `auth.ssoBegin` records a started sign-in (state, nonce, sealed PKCE verifier, the browser
 * binding) and answers the provider's authorization URL; `auth.ssoComplete` takes the provider's
 * redirect back, has openid-client exchange the code and validate the ID token, and signs the
 * person in (only one of the company's own people, linked or not: accountFor). A state is used once (deleted whatever the outcome) and expires after
 * SSO_LOGIN_TTL_MS. SSO never creates an account: the first sign-in links the identity
 * (issuer, subject) to the member or external user of that company whose email the provider
 * verified; later ones find it by the link. Steward's authenticator step follows unless the
 * company trusts the provider's MFA and the token's `amr` shows it (mfa.ts).
 */
export function ssoSignInHandlers(deps: AuthDeps): RegisteredHandler[] {
  return [
    handler('auth.ssoOptions', {
      access: { kind: 'public' },
      run(ctx, input) {
        const providers = routableProviders(ctx.db, input.email);
        return { providers: providers.map((p) => ({ providerId: p.company_id, label: providerLabel(p.preset, p.display_name) })) };
      },
    }),
    handler('auth.ssoBegin', {
      access: { kind: 'public' },
      async prepare(ctx, input) {
        const problem = redirectProblem(input.redirectUri);
        if (problem) throw new OpError('VALIDATION', problem, { field: 'redirectUri' });
        const provider = providerOf(ctx.db, input.providerId);
        if (!provider) throw new OpError('NOT_FOUND', 'This company does not sign in through a provider', { field: 'providerId' });
        const label = providerLabel(provider.preset, provider.display_name);
        try {
          const config = await discover(clientOf(provider, ctx.secrets), ctx.clock.now());
          return await startAuthorization(config, input.redirectUri);
        } catch (error) {
          throw new OpError('SSO_FAILED', `Steward could not reach ${label}: ${failureReason(error)}`, { field: 'providerId' });
        }
      },
      run(ctx, input, start) {
        const { db } = ctx;
        if (!hasAccounts(db)) return refuse('SETUP_REQUIRED', 'Steward is not set up yet');
        const provider = providerOf(db, input.providerId);
        if (!provider) throw new OpError('NOT_FOUND', 'This company does not sign in through a provider', { field: 'providerId' });
        const now = ctx.clock.now();
        ctx.audit({ target: { type: 'group', id: provider.company_id, name: providerLabel(provider.preset, provider.display_name) } });
        stmt(db, 'DELETE FROM sso_logins WHERE created_at < ?').run(now - SSO_LOGIN_TTL_MS);
        stmt(
          db,
          `INSERT INTO sso_logins (state, company_id, redirect_uri, verifier_sealed, nonce, binding, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          start.state,
          provider.company_id,
          input.redirectUri,
          ctx.secrets.seal(Buffer.from(start.verifier, 'utf8')),
          start.nonce,
          input.binding === undefined ? null : bindingDigest(input.binding),
          now,
        );
        return { authorizationUrl: start.authorizationUrl };
      },
    }),
    handler('auth.ssoComplete', {
      access: { kind: 'public' },
      async prepare(ctx, input): Promise<Outcome> {
        const callback = new URL(input.callbackUrl);
        const state = callback.searchParams.get('state') ?? '';
        const pending = pendingLogin(ctx.db, state);
        if (!pending) return { state, failure: 'This sign-in was already finished, or it was never started here. Start again.' };
        if (`${callback.origin}${callback.pathname}` !== pending.redirect_uri)
          return { state, failure: 'The provider sent the answer to another address than the one this sign-in asked for' };
        const provider = providerOf(ctx.db, pending.company_id);
        if (!provider) return { state, failure: 'This company no longer signs in through a provider' };
        try {
          const config = await discover(clientOf(provider, ctx.secrets), ctx.clock.now());
          const verifier = ctx.secrets.open(pending.verifier_sealed).toString('utf8');
          return { state, identity: await finishAuthorization(config, callback, { state: pending.state, nonce: pending.nonce, verifier }) };
        } catch (error) {
          return { state, failure: failureReason(error) };
        }
      },
      run(ctx, input, outcome) {
        const { db } = ctx;
        const { state } = outcome;
        const pending = pendingLogin(db, state);
        // Used once, whatever happens next: a replayed state finds nothing.
        if (pending) stmt(db, 'DELETE FROM sso_logins WHERE state = ?').run(state);
        const provider = pending ? providerOf(db, pending.company_id) : undefined;
        const label = provider ? providerLabel(provider.preset, provider.display_name) : 'the provider';
        const failed = (reason: string) => refuse('SSO_FAILED', `Sign-in with ${label} was refused: ${reason}`);
        if (!pending || !provider) return failed(outcome.failure ?? 'This sign-in was already finished. Start again.');
        ctx.audit({ target: { type: 'group', id: provider.company_id, name: label }, groupId: provider.company_id });
        if (ctx.clock.now() - pending.created_at > SSO_LOGIN_TTL_MS) return failed('it took longer than 10 minutes. Start again.');
        if (!sameDigest(pending.binding, input.binding === undefined ? undefined : bindingDigest(input.binding)))
          return failed('it was started in another browser or window. Start again here.');
        if (outcome.failure !== undefined) return failed(outcome.failure);
        const { identity } = outcome;
        if (identity.issuer !== provider.issuer) return failed(`the token comes from ${identity.issuer}, not from ${provider.issuer}`);
        const found = accountFor(db, provider, identity);
        if ('failure' in found) return failed(found.failure);
        const { account } = found;
        ctx.audit({
          target: { type: 'user', id: account.id, name: account.username },
          groupId: provider.company_id,
        });
        if (!domainsOf(provider).includes(emailDomainOf(account.email) ?? ''))
          return failed(`${account.email} is not in a domain this company's provider signs in (${domainsOf(provider).join(', ')})`);
        if (account.status !== 'active') return refuse('FORBIDDEN', 'This account is disabled. Ask an administrator to enable it.');
        const now = ctx.clock.now();
        if (found.linked)
          stmt(db, 'INSERT INTO sso_identities (issuer, subject, user_id, email, linked_at) VALUES (?, ?, ?, ?, ?)').run(
            identity.issuer,
            identity.subject,
            account.id,
            identity.email ?? account.email,
            now,
          );
        const stage = stageAfterSso({
          trustProviderMfa: provider.trust_provider_mfa === 1,
          amr: identity.amr,
          hasAuthenticator: account.totp_secret !== null,
        });
        if (stage === 'active') stmt(db, 'UPDATE users SET last_sign_in_at = ? WHERE id = ?').run(now, account.id);
        startSession(ctx, deps, account.id, stage);
        ctx.audit({
          action: 'auth.signIn.sso',
          target: { type: 'user', id: account.id, name: account.username },
          groupId: provider.company_id,
          after: { next: stage, provider: label, ...(found.linked ? { linkedIdentity: identity.subject } : {}), amr: identity.amr },
        });
        return { stage, user: sessionUser(account) };
      },
    }),
  ];
}
