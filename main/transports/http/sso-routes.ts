import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from '../../dispatch/dispatcher';
import type { CookieWriter } from './cookies';
import { SECURITY_HEADERS } from './static-files';

export const SSO_START_PATH = '/sso/start';
export const SSO_CALLBACK_PATH = '/sso/callback';

/** How long the browser keeps the value that binds a started sign-in to it, in seconds (the sign-in's own limit). */
const BINDING_MAX_AGE = 600;

export interface SsoRouteContext {
  dispatcher: Dispatcher;
  /** `http(s)://host:port` as the browser reached this server. */
  origin: string;
  source: string;
  cookies: Map<string, string>;
  names: { session: string; sso: string };
  /** The server's cookie writer: Secure over HTTPS. */
  cookie: CookieWriter;
}

/**
 * The web console's single sign-on by redirect (issue 14). GET /sso/start?provider=ID starts
 * a sign-in (`auth.ssoBegin`) and redirects the browser to the company's provider; the
 * provider sends it back to GET /sso/callback, which finishes it (`auth.ssoComplete`), sets
 * the session cookie and goes back to the console. A random value in a cookie only this
 * browser holds binds the two (a callback opened in another browser is refused), and it is
 * `SameSite=Lax` because the callback is a top-level navigation coming from the provider's
 * site. A refusal lands on the console with its message in `?sso_error=`.
 */
export async function handleSsoRoute(url: URL, res: ServerResponse, context: SsoRouteContext): Promise<void> {
  const { dispatcher, origin, source, cookies, names, cookie } = context;
  const meta = { token: null, client: 'web' as const, source, origin };
  if (url.pathname === SSO_START_PATH) {
    const binding = randomBytes(24).toString('base64url');
    const { result } = await dispatcher.dispatch(
      'auth.ssoBegin',
      { providerId: url.searchParams.get('provider') ?? '', redirectUri: `${origin}${SSO_CALLBACK_PATH}`, binding },
      meta,
    );
    if (!result.ok) return redirect(res, consoleWithError(result.error.message));
    const value = result.value as { authorizationUrl: string };
    return redirect(res, value.authorizationUrl, [bindingCookie(cookie, names.sso, binding, BINDING_MAX_AGE)]);
  }
  const binding = cookies.get(names.sso);
  const { result, session } = await dispatcher.dispatch(
    'auth.ssoComplete',
    { callbackUrl: `${origin}${url.pathname}${url.search}`, ...(binding ? { binding } : {}) },
    meta,
  );
  const cleared = bindingCookie(cookie, names.sso, '', 0);
  if (!result.ok) return redirect(res, consoleWithError(result.error.message), [cleared]);
  const set = session?.kind === 'set' ? [cookie(names.session, session.token, { httpOnly: true })] : [];
  return redirect(res, '/', [cleared, ...set]);
}

export function isSsoRoute(pathname: string): boolean {
  return pathname === SSO_START_PATH || pathname === SSO_CALLBACK_PATH;
}

function bindingCookie(cookie: CookieWriter, name: string, value: string, maxAgeSeconds: number): string {
  return cookie(name, value, { httpOnly: true, path: '/sso', sameSite: 'Lax', maxAgeSeconds });
}

function consoleWithError(message: string): string {
  return `/?${new URLSearchParams({ sso_error: message }).toString()}`;
}

function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(303, {
    Location: location,
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
    ...(cookies.length ? { 'Set-Cookie': cookies } : {}),
  });
  res.end();
}
