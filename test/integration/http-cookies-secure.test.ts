import { writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCertificate } from '../../main/security/certificate';
import { startWebServer, type WebServer } from '../../main/transports/http/server';
import { signInAtProvider } from '../helpers/oidc-browser';
import { ssoConfigFor, startIdp, type TestIdp } from '../helpers/oidc-idp';
import { tempDir } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * Every cookie the HTTP server sets carries Secure when it serves HTTPS (a hub), and none
 * does over plain HTTP on loopback (where browsers would drop it). Over real HTTPS with the
 * hub's own self-signed certificate (main/security/certificate.ts), the test walks every
 * place a cookie is set: the console's page and /api/csrf (the CSRF cookie), /sso/start (the
 * binding cookie), the SSO callback (the session cookie, and the binding cleared), a refused
 * callback, and sign-out (the session cleared), against a real OpenID provider.
 */
interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
}

let w: World;
let idp: TestIdp;
let hub: WebServer;
let cert: string;
const folder = tempDir('steward-https-cookies-');
let companyId: string;

/** One request to the hub over HTTPS, trusting only its certificate, as a pinned browser would. */
function overHttps(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: hub.port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: `localhost:${hub.port}`, ...options.headers },
        ca: cert,
        servername: 'localhost',
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, setCookies: res.headers['set-cookie'] ?? [] }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const pair = (setCookie: string | undefined) => (setCookie ?? '').split(';')[0] ?? '';
const named = (answer: Answer, prefix: string) => answer.setCookies.find((c) => c.startsWith(prefix));

beforeAll(async () => {
  w = new World();
  companyId = w.group(w.rootId, 'customer', 'Contoso');
  w.bind(w.user('carol', companyId), ROLE.owner, companyId);
  const dave = w.user('dave', companyId);
  w.bind(dave, ROLE.operator, companyId);
  w.steward.db.prepare("UPDATE users SET email = 'dave@contoso.test' WHERE id = ?").run(dave);
  const certificate = await hubCertificate(folder.dir, []);
  cert = certificate.cert;
  writeFileSync(join(folder.dir, 'index.html'), '<!doctype html><title>Steward</title>');
  hub = await startWebServer({
    dispatcher: w.steward.dispatcher,
    port: 0,
    tls: { cert: certificate.cert, key: certificate.key },
    staticDir: folder.dir,
  });
  idp = await startIdp({
    accounts: { dave: { password: 'pw-dave', email: 'dave@contoso.test' } },
    redirectUris: [`https://localhost:${hub.port}/sso/callback`],
  });
  await w.ok(w.ownerId, 'sso.configure', ssoConfigFor(idp, companyId));
});
afterAll(async () => {
  await hub?.close();
  await idp?.close();
  w?.cleanup();
  folder.remove();
});

describe('cookies on a hub (HTTPS)', () => {
  it('every cookie the server sets carries Secure: CSRF, SSO binding (set and cleared), session (set and cleared)', async () => {
    const seen: string[] = [];
    const page = await overHttps('/');
    seen.push(...page.setCookies);
    const csrf = pair(named(await overHttps('/api/csrf'), `steward_csrf_${hub.port}=`));
    seen.push(...(await overHttps('/api/csrf')).setCookies);

    const start = await overHttps(`/sso/start?provider=${companyId}`);
    expect(start.status).toBe(303);
    seen.push(...start.setCookies);
    const binding = named(start, `steward_sso_${hub.port}=`);
    const callbackUrl = await signInAtProvider(start.location ?? '', `https://localhost:${hub.port}/sso/callback`, 'dave', 'pw-dave');
    const callback = new URL(callbackUrl);
    const back = await overHttps(`${callback.pathname}${callback.search}`, { headers: { cookie: pair(binding) } });
    expect(back).toMatchObject({ status: 303, location: '/' });
    seen.push(...back.setCookies);
    const session = named(back, `steward_session_${hub.port}=`);
    expect(session).toBeDefined();

    const refused = await overHttps(`${callback.pathname}${callback.search}`);
    expect(refused.location).toMatch(/sso_error=/);
    seen.push(...refused.setCookies);

    const signOut = await overHttps('/api/auth.signOut', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: `https://localhost:${hub.port}`,
        'x-steward-csrf': csrf.split('=')[1] ?? '',
        cookie: `${csrf}; ${pair(session)}`,
      },
      body: '{}',
    });
    expect(signOut.status).toBe(200);
    seen.push(...signOut.setCookies);

    const names = seen.map((c) => `${c.slice(0, c.indexOf('_', 'steward_'.length))} ${/Max-Age=0/.test(c) ? 'cleared' : 'set'}`);
    for (const expected of ['steward_csrf set', 'steward_sso set', 'steward_sso cleared', 'steward_session set', 'steward_session cleared'])
      expect(names).toContain(expected);
    for (const line of seen) expect(line.split('; ')).toContain('Secure');
    // The binding stays Lax (the provider's redirect back is a cross-site navigation) and scoped to /sso.
    expect(binding).toMatch(/Path=\/sso; SameSite=Lax; HttpOnly; Secure/);
  });
});

describe('cookies on the loopback console (plain HTTP)', () => {
  it('carry no Secure, which browsers would refuse over http://', async () => {
    const plain = await startWebServer({ dispatcher: w.steward.dispatcher, port: 0 });
    try {
      const answer = await fetch(new URL('api/csrf', plain.url));
      const cookies = answer.headers.getSetCookie();
      expect(cookies).toHaveLength(1);
      expect(cookies[0]?.split('; ')).not.toContain('Secure');
    } finally {
      await plain.close();
    }
  });
});
