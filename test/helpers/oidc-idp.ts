import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID provider (the `oidc-provider` package) on a loopback port, for tests. Its
 * login page is a plain form (login, password) that accepts the accounts given here, and
 * consent is implicit (Steward is a first-party client). The signing key is made here, so a
 * test can also hand Steward an ID token the provider never issued (`tamper`): changed claims,
 * re-signed with the provider's own key, to show that the checks on those claims hold.
 */
export interface IdpAccount {
  password: string;
  email: string;
  emailVerified?: boolean;
  /** RFC 8176 methods the login reports in the ID token's `amr`. */
  amr?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  /** Set to rewrite the next ID tokens' claims (re-signed with the provider's key); null to stop. */
  tamper: ((claims: JWTPayload) => JWTPayload) | null;
  close(): Promise<void>;
}

/**
 * `redirectUris`: register the client as a web application with exactly these redirect URIs
 * (a hub's https:// callback); without them it is a native client, whose loopback http://
 * redirect URIs match on any port.
 */
export async function startIdp(
  options: { accounts?: Record<string, IdpAccount>; clientId?: string; redirectUris?: string[] } = {},
): Promise<TestIdp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const clientId = options.clientId ?? 'steward-test';
  const clientSecret = 'a client secret only the test knows 7f3a';
  // The issuer names the port, so the server is started first on a free one and the provider mounted on it.
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => callback?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // Native: loopback redirect URIs match on any port (RFC 8252 section 7.3), for the desktop and the test web console.
        ...(options.redirectUris
          ? { application_type: 'web' as const, redirect_uris: options.redirectUris }
          : { application_type: 'native' as const, redirect_uris: ['http://127.0.0.1/callback', 'http://127.0.0.1/sso/callback'] }),
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    claims: { amr: null, openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: account.emailVerified ?? true, name: sub }),
      };
    },
  });

  const idp: TestIdp = { issuer, clientId, clientSecret, accounts, tamper: null, close: async () => undefined };

  // Koa's context type does not know the `oidc` the provider adds to it: cast once, here.
  provider.use(async (koa, next) => {
    const ctx = koa as KoaContextWithOIDC;
    const match = /^\/interaction\/([^/]+)$/.exec(ctx.path);
    if (!match) {
      await next();
      if (ctx.oidc?.route === 'token' && idp.tamper) await tamperToken(ctx, idp.tamper, privateKey);
      return;
    }
    await interaction(provider, ctx, accounts);
  });

  callback = provider.callback();
  idp.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return idp;
}

async function interaction(provider: Provider, ctx: KoaContextWithOIDC, accounts: Map<string, IdpAccount>): Promise<void> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name === 'consent') {
    const grant = new provider.Grant({ accountId: details.session?.accountId ?? '', clientId: String(details.params.client_id) });
    const missing = details.prompt.details.missingOIDCScope;
    if (Array.isArray(missing)) grant.addOIDCScope(missing.join(' '));
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }
  if (ctx.method === 'POST') {
    const form = new URLSearchParams(await readBody(ctx));
    const login = form.get('login') ?? '';
    const account = accounts.get(login);
    if (account && account.password === form.get('password')) {
      await provider.interactionFinished(
        ctx.req,
        ctx.res,
        { login: { accountId: login, ...(account.amr ? { amr: account.amr } : {}) } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
  }
  ctx.type = 'html';
  ctx.body = `<!doctype html><html><head><title>Test provider sign-in</title></head><body>
<h1>Sign in to the test provider</h1>${ctx.method === 'POST' ? '<p role="alert">Wrong login or password</p>' : ''}
<form method="post" action="/interaction/${details.uid}">
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

function readBody(ctx: KoaContextWithOIDC): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    ctx.req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    ctx.req.on('end', () => resolve(text));
    ctx.req.on('error', reject);
  });
}

async function tamperToken(ctx: KoaContextWithOIDC, change: (claims: JWTPayload) => JWTPayload, key: CryptoKey): Promise<void> {
  const body = ctx.body as { id_token?: string } | undefined;
  if (!body?.id_token) return;
  const claims = change(decodeJwt(body.id_token));
  body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(key);
}

/** `sso.configure`'s input for a company signing in through this provider, as "Contoso ID" for contoso.test. */
export function ssoConfigFor(idp: TestIdp, companyId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    companyId,
    baseVersion: 0,
    preset: 'generic',
    displayName: 'Contoso ID',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    allowedDomains: ['contoso.test'],
    enforced: false,
    trustProviderMfa: false,
    ...extra,
  };
}
