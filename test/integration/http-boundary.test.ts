import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../main/transports/http/server';
import { HttpClient } from '../helpers/http-client';
import { OWNER, tempSteward, type TestSteward } from '../helpers/temp-steward';

/** Bad input of every kind at the HTTP boundary: a stable error code, and nothing written. */
let steward: TestSteward;
let server: WebServer;
let client: HttpClient;

const TABLES = ['groups', 'users', 'sessions', 'auth_throttle', 'audit_events', 'recovery_codes', 'settings'];
const snapshot = () => Object.fromEntries(TABLES.map((t) => [t, steward.count(t)]));

beforeAll(async () => {
  steward = tempSteward();
  server = await startWebServer({ dispatcher: steward.dispatcher, port: 0 });
  client = new HttpClient(server.url);
  await client.primeCsrf();
});

afterAll(async () => {
  await server.close();
  steward.cleanup();
});

async function expectRefused(promise: Promise<{ status: number; body: unknown }>, status: number, code: string, field?: string) {
  const before = snapshot();
  const answer = await promise;
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ ok: false, error: { code, ...(field ? { field } : {}) } });
  expect((answer.body as { error: { message: string } }).error.message).not.toMatch(/at .*\.ts:\d+/);
  expect(snapshot()).toEqual(before);
}

describe('HTTP boundary: auth.* with bad input', () => {
  it('auth.setup: missing fields name each field', async () => {
    const answer = await client.call('auth.setup', { username: 'owner' });
    expect(answer.status).toBe(400);
    const fields = (answer.body as { error: { issues: Array<{ field: string }> } }).error.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['rootGroupName', 'email', 'fullName', 'password']));
    await expectRefused(client.call('auth.setup', { username: 'owner' }), 400, 'VALIDATION');
  });

  it('auth.setup: wrong types, a bad email, a short password, unknown fields', async () => {
    await expectRefused(client.call('auth.setup', { ...OWNER, username: 42 }), 400, 'VALIDATION', 'username');
    await expectRefused(client.call('auth.setup', { ...OWNER, email: 'not-an-email' }), 400, 'VALIDATION', 'email');
    await expectRefused(client.call('auth.setup', { ...OWNER, password: 'short' }), 400, 'VALIDATION', 'password');
    await expectRefused(client.call('auth.setup', { ...OWNER, isAdmin: true }), 400, 'VALIDATION');
    await expectRefused(client.call('auth.setup', [OWNER]), 400, 'VALIDATION');
  });

  it('auth.setup: a common password is refused by name of the field', async () => {
    await expectRefused(client.call('auth.setup', { ...OWNER, password: 'qwerty123456' }), 400, 'WEAK_PASSWORD', 'password');
  });

  it('auth.signIn: missing and mistyped fields', async () => {
    await expectRefused(client.call('auth.signIn', {}), 400, 'VALIDATION');
    await expectRefused(client.call('auth.signIn', { login: 'owner', password: 12 }), 400, 'VALIDATION', 'password');
    await expectRefused(client.call('auth.signIn', { login: 'x'.repeat(300), password: 'p' }), 400, 'VALIDATION', 'login');
  });

  it('auth.verifyCode and auth.confirmEnrollment without a session: the session is checked first', async () => {
    await expectRefused(client.call('auth.verifyCode', { code: '12ab56' }), 401, 'UNAUTHENTICATED');
    await expectRefused(client.call('auth.confirmEnrollment', { code: 123456 }), 401, 'UNAUTHENTICATED');
  });

  it('operations that need a session refuse without one', async () => {
    for (const name of [
      'auth.verifyCode',
      'auth.beginEnrollment',
      'auth.confirmEnrollment',
      'auth.signOut',
      'auth.changePassword',
      'auth.regenerateRecoveryCodes',
    ]) {
      await expectRefused(client.call(name, {}), 401, 'UNAUTHENTICATED');
    }
  });

  it('an unknown operation', async () => {
    await expectRefused(client.call('auth.makeMeAdmin', {}), 404, 'UNKNOWN_OPERATION');
    await expectRefused(client.call('__proto__', {}), 404, 'UNKNOWN_OPERATION');
    await expectRefused(client.call('constructor', {}), 404, 'UNKNOWN_OPERATION');
    // A broken percent-escape is a bad name too, not an internal error.
    await expectRefused(client.call('devices.list%E0%A4%A', {}), 404, 'UNKNOWN_OPERATION');
  });

  it('a missing or wrong CSRF header', async () => {
    await expectRefused(client.call('auth.setup', OWNER, { csrf: false }), 403, 'CSRF');
    await expectRefused(client.call('auth.setup', OWNER, { csrf: false, headers: { 'x-steward-csrf': 'guess' } }), 403, 'CSRF');
  });

  it('a request from another site', async () => {
    await expectRefused(client.call('auth.setup', OWNER, { headers: { origin: 'https://evil.example' } }), 403, 'CSRF');
  });

  it('an oversize body', async () => {
    await expectRefused(client.call('auth.setup', { ...OWNER, fullName: 'x'.repeat(2 * 1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a body that is not JSON, or not declared as JSON', async () => {
    await expectRefused(client.call('auth.setup', null, { rawBody: '{"username": ' }), 400, 'BAD_REQUEST');
    await expectRefused(
      client.call('auth.setup', null, { rawBody: JSON.stringify(OWNER), headers: { 'Content-Type': 'text/plain' } }),
      415,
      'BAD_REQUEST',
    );
  });

  it('a host name other than the loopback address (DNS rebinding)', async () => {
    // fetch() may not set Host, so this one request goes through node:http.
    const send = () =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const body = JSON.stringify(OWNER);
        const csrf = client.cookie('steward_csrf_') ?? '';
        const req = request(
          server.url + 'api/auth.setup',
          {
            method: 'POST',
            headers: {
              host: `attacker.example:${server.port}`,
              'content-type': 'application/json',
              'x-steward-csrf': csrf,
              cookie: `steward_csrf_${server.port}=${csrf}`,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    await expectRefused(send(), 403, 'FORBIDDEN');
  });

  it('an oversize field within the body limit names the field', async () => {
    await expectRefused(client.call('auth.setup', { ...OWNER, fullName: 'x'.repeat(5000) }), 400, 'VALIDATION', 'fullName');
  });

  it('after all that, setup still works, and the session cookie is HttpOnly and SameSite=Strict', async () => {
    const response = await fetch(new URL('api/auth.setup', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-steward-csrf': 'abc', cookie: `steward_csrf_${server.port}=abc` },
      body: JSON.stringify(OWNER),
    });
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((c) => c.startsWith(`steward_session_${server.port}=`)) ?? '';
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    await expectRefused(client.call('auth.setup', OWNER), 409, 'SETUP_DONE');
  });
});
