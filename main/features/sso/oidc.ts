import * as oidc from 'openid-client';
import { SSO_SCOPES } from '../../../shared/sso';
import { isLoopbackHost } from '../../security/loopback';

/** What Steward knows of a company's provider: its issuer and Steward's client there. */
export interface ProviderClient {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
}

/** How long discovery, the token request and the key fetch may take, in seconds. */
const TIMEOUT_SECONDS = 10;

/**
 * The issuer's configuration by OpenID Connect Discovery 1.0, as openid-client reads it: it
 * refuses a document whose `issuer` differs from the one asked for. Only HTTPS, except an
 * issuer on this machine's loopback address (RFC 8252 section 8.3: such traffic never leaves
 * the machine), which is how a provider run for tests or on the same host is reached.
 * `nowMs` is Steward's clock (ms since the epoch): ID token times (`exp`, `iat`) are judged
 * against it, not against the wall clock, so a command's time is the one it recorded.
 * Throws openid-client's errors (network, HTTP status, issuer mismatch).
 */
export async function discover(provider: ProviderClient, nowMs: number): Promise<oidc.Configuration> {
  const issuer = new URL(provider.issuer);
  // openid-client reads the wall clock itself; this offset makes it judge by Steward's clock instead.
  // eslint-disable-next-line no-restricted-syntax -- the wall clock is read only to measure that offset
  const skewSeconds = Math.round((nowMs - Date.now()) / 1000);
  const metadata: Partial<oidc.ClientMetadata> = { [oidc.clockSkew]: skewSeconds };
  if (provider.clientSecret) metadata.client_secret = provider.clientSecret;
  return oidc.discovery(
    issuer,
    provider.clientId,
    metadata,
    provider.clientSecret ? oidc.ClientSecretPost(provider.clientSecret) : oidc.None(),
    {
      timeout: TIMEOUT_SECONDS,
      ...(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname) ? { execute: [oidc.allowInsecureRequests] } : {}),
    },
  );
}

/** One authorization request's one-time values; kept by Steward until the provider redirects back. */
export interface AuthorizationStart {
  authorizationUrl: string;
  state: string;
  nonce: string;
  /** PKCE (RFC 7636) code verifier; only its S256 challenge goes to the provider. */
  verifier: string;
}

/**
 * The authorization-code request with PKCE (S256), `state` and `nonce`, all drawn by
 * openid-client. `redirectUri` must be registered at the provider (for the desktop, a
 * loopback URI whose port the provider ignores, RFC 8252 section 7.3).
 */
export async function startAuthorization(config: oidc.Configuration, redirectUri: string): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SSO_SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { authorizationUrl: url.href, state, nonce, verifier };
}

/** What a validated ID token says about the person. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** The provider vouches for the email (`email_verified`, or Entra's `xms_edov`). */
  emailVerified: boolean;
  /** Authentication methods (RFC 8176), as the ID token's `amr` lists them. */
  amr: string[];
}

/**
 * Exchanges the code and validates the answer, all by openid-client: the authorization
 * response's `state` and `iss` (RFC 9207), the PKCE verifier at the token endpoint, and the
 * ID token's signature (the issuer's published keys), `iss`, `aud`, `azp`, `exp`, `iat` and
 * `nonce`. The email comes from the ID token, or else from the UserInfo endpoint (whose `sub`
 * must be the token's). Throws openid-client's errors on any mismatch.
 */
export async function finishAuthorization(
  config: oidc.Configuration,
  callbackUrl: URL,
  expected: { state: string; nonce: string; verifier: string },
): Promise<ProviderIdentity> {
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: expected.verifier,
    expectedState: expected.state,
    expectedNonce: expected.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('The provider returned no ID token');
  // Providers that keep the ID token small give the email at the UserInfo endpoint; openid-client checks its `sub` is the token's.
  const about = typeof claims.email === 'string' ? claims : await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: typeof about.email === 'string' ? about.email : null,
    emailVerified: about.email_verified === true || about.xms_edov === true || about.xms_edov === '1',
    amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [],
  };
}

/** A person-readable reason from openid-client's error (its messages name the check, never a secret). */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  // An OAuth error answer (RFC 6749 section 5.2) names itself: say which, e.g. "invalid_grant: PKCE verification failed".
  const oauth = error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError ? `: ${error.error}` : '';
  const described =
    error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError ? error.error_description : undefined;
  return `${message}${oauth}${described ? ` (${described})` : ''}${cause}`.slice(0, 300);
}
