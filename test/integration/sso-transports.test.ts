import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../main/transports/http/server';
import { signInThroughBrowser } from '../../main/transports/loopback-sso';
import { HttpClient } from '../helpers/http-client';
import { signInAtProvider } from '../helpers/oidc-browser';
import { ssoConfigFor, startIdp, type TestIdp } from '../helpers/oidc-idp';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 14: the two ways a sign-in reaches the provider and comes back, on real sockets.
 * The web console redirects (GET /sso/start, GET /sso/callback); the desktop opens the system
 * browser and listens on a loopback port for the redirect (RFC 8252). Both against a real
 * oidc-provider on loopback.
 */
let idp: TestIdp;
let w: World;
let web: WebServer;
let companyId: string;
let dave: string;

beforeAll(async () => {
  idp = await startIdp({ accounts: { dave: { password: 'pw-dave', email: 'dave@contoso.test' } } });
  w = new World();
  companyId = w.group(w.rootId, 'customer', 'Contoso');
  const carol = w.user('carol', companyId);
  w.bind(carol, ROLE.owner, companyId);
  dave = w.user('dave', companyId);
  w.bind(dave, ROLE.operator, companyId);
  w.steward.db.prepare("UPDATE users SET email = 'dave@contoso.test' WHERE id = ?").run(dave);
  await w.ok(w.ownerId, 'sso.configure', ssoConfigFor(idp, companyId));
  web = await startWebServer({ dispatcher: w.steward.dispatcher, port: 0 });
});
afterAll(async () => {
  await web.close();
  await idp.close();
  w.cleanup();
});

function cookiesOf(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf('=')), line] as const));
}

describe('web console: sign-in by redirect', () => {
  it('redirects to the provider, takes the redirect back, sets the session cookie and returns to the console', async () => {
    const start = await fetch(new URL(`sso/start?provider=${companyId}`, web.url), { redirect: 'manual' });
    expect(start.status).toBe(303);
    const authorizationUrl = start.headers.get('location') ?? '';
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(`${web.url}sso/callback`);
    const binding = [...cookiesOf(start).values()].find((c) => c.startsWith('steward_sso_')) ?? '';
    expect(binding).toMatch(/SameSite=Lax/);
    expect(binding).toMatch(/HttpOnly/);

    const callbackUrl = await signInAtProvider(authorizationUrl, `${web.url}sso/callback`, 'dave', 'pw-dave');
    const back = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: binding.split(';')[0] ?? '' } });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/');
    const session = [...cookiesOf(back).values()].find((c) => c.startsWith('steward_session_')) ?? '';
    expect(session).toMatch(/HttpOnly/);

    const browser = new HttpClient(web.url);
    await browser.primeCsrf();
    const status = await browser.call(
      'auth.status',
      {},
      {
        headers: {
          cookie: `${browser.cookie('steward_csrf_') ? `steward_csrf_${web.port}=${browser.cookie('steward_csrf_')}; ` : ''}${session.split(';')[0]}`,
        },
      },
    );
    expect(status.body).toMatchObject({ ok: true, value: { session: { stage: 'enroll', user: { id: dave } } } });
  });

  it('refuses a callback opened in a browser that did not start the sign-in, back on the console with the reason', async () => {
    const start = await fetch(new URL(`sso/start?provider=${companyId}`, web.url), { redirect: 'manual' });
    const callbackUrl = await signInAtProvider(start.headers.get('location') ?? '', `${web.url}sso/callback`, 'dave', 'pw-dave');
    const back = await fetch(callbackUrl, { redirect: 'manual' });
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get('location') ?? '', web.url);
    expect(location.pathname).toBe('/');
    expect(location.searchParams.get('sso_error')).toMatch(/another browser/);
    expect([...cookiesOf(back).keys()].some((name) => name.startsWith('steward_session_'))).toBe(false);
  });

  it('sends an unknown provider back to the console with the reason', async () => {
    const start = await fetch(new URL('sso/start?provider=no-such-company', web.url), { redirect: 'manual' });
    expect(start.status).toBe(303);
    expect(new URL(start.headers.get('location') ?? '', web.url).searchParams.get('sso_error')).toMatch(
      /does not sign in through a provider/,
    );
  });
});

describe('desktop: system browser and a loopback redirect (RFC 8252)', () => {
  it('listens on 127.0.0.1, lets the browser sign in at the provider, and ends with a session for the window', async () => {
    let asked = '';
    let page = '';
    const outcome = await signInThroughBrowser({
      dispatcher: w.steward.dispatcher,
      providerId: companyId,
      openBrowser: async (url) => {
        asked = url;
        const callback = await signInAtProvider(url, (u) => u.pathname === '/callback', 'dave', 'pw-dave');
        // The browser follows the provider's redirect to the loopback listener, which answers it with a page.
        void fetch(callback).then(async (response) => (page = await response.text()));
      },
    });
    const redirect = new URL(new URL(asked).searchParams.get('redirect_uri') ?? '');
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toBe('/callback');
    expect(Number(redirect.port)).toBeGreaterThan(0);
    expect(outcome.result).toMatchObject({ ok: true, value: { user: { id: dave } } });
    expect(outcome.session?.kind).toBe('set');
    await expect.poll(() => page).toMatch(/signed in/);
  });

  it('answers the begin refusal without opening the browser', async () => {
    let opened = false;
    const outcome = await signInThroughBrowser({
      dispatcher: w.steward.dispatcher,
      providerId: 'no-such-company',
      openBrowser: async () => void (opened = true),
    });
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(opened).toBe(false);
  });
});
