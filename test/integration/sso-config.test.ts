import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIdp, type TestIdp } from '../helpers/oidc-idp';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 14: a company's OpenID Connect configuration, as contract operations: authorized at
 * the company, the issuer proven by discovery, the client secret sealed and written nowhere
 * else (audit trail, change log, command log), and the lockout preview of enforcing it.
 */
const SECRET = 'client-secret-that-must-never-leak-9c1e';
let idp: TestIdp;

beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

function config(companyId: string, extra: Record<string, unknown> = {}) {
  return {
    companyId,
    baseVersion: 0,
    preset: 'entra',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: SECRET,
    allowedDomains: ['contoso.test'],
    enforced: false,
    trustProviderMfa: false,
    ...extra,
  };
}

describe('SSO configuration per company', () => {
  let w: World;
  let company: string;
  let admin: string;
  let operator: string;
  beforeEach(() => {
    w = new World();
    company = w.group(w.rootId, 'customer', 'Contoso');
    const owner = w.user('carol', company);
    w.bind(owner, ROLE.owner, company);
    admin = w.user('adam', company);
    w.bind(admin, ROLE.admin, company);
    operator = w.user('otto', company);
    w.bind(operator, ROLE.operator, company);
    return () => w.cleanup();
  });

  it('saves the provider found by discovery; the view never carries the secret', async () => {
    const saved = await w.ok<Record<string, unknown>>(admin, 'sso.configure', config(company));
    expect(saved).toMatchObject({ configured: true, preset: 'entra', issuer: idp.issuer, hasClientSecret: true, version: 1 });
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    const read = await w.ok<Record<string, unknown>>(admin, 'sso.get', { companyId: company });
    expect(read).toEqual(saved);
    // Keeping the secret: omitted. Clearing it: ''.
    const kept = await w.ok<Record<string, unknown>>(admin, 'sso.configure', config(company, { baseVersion: 1, clientSecret: undefined }));
    expect(kept).toMatchObject({ hasClientSecret: true, version: 2 });
    const cleared = await w.ok<Record<string, unknown>>(admin, 'sso.configure', config(company, { baseVersion: 2, clientSecret: '' }));
    expect(cleared).toMatchObject({ hasClientSecret: false, version: 3 });
  });

  it('writes the secret nowhere but its seal: not in the audit trail, the change log or the command log', async () => {
    await w.ok(admin, 'sso.configure', config(company));
    const db = w.steward.db;
    const sealed = (db.prepare('SELECT client_secret_sealed AS s FROM sso_providers').get() as { s: Buffer }).s;
    expect(sealed.toString('utf8')).not.toContain(SECRET);
    expect(w.steward.secrets.open(sealed).toString('utf8')).toBe(SECRET);
    const everywhere = [
      ...db.prepare('SELECT before, after, target_name FROM audit_events').all(),
      ...db.prepare('SELECT pk, row FROM changes').all(),
      ...db.prepare('SELECT envelope FROM command_log').all(),
    ].map((r) => JSON.stringify(r));
    for (const text of everywhere) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
      expect(text).not.toContain(sealed.toString('base64'));
      expect(text).not.toContain(sealed.toString('hex'));
    }
    const change = db.prepare("SELECT row FROM changes WHERE tbl = 'sso_providers' ORDER BY seq DESC LIMIT 1").get() as { row: string };
    expect(JSON.parse(change.row)).toMatchObject({ client_secret_sealed: 1, issuer: idp.issuer });
  });

  it('is refused to people without settings.manage at the company, and unseen companies are not found', async () => {
    expect(await w.call(operator, 'sso.configure', config(company))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await w.call(operator, 'sso.get', { companyId: company })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const other = w.group(w.rootId, 'customer', 'Fabrikam');
    expect(await w.call(admin, 'sso.configure', config(other))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(w.steward.count('sso_providers')).toBe(0);
  });

  it('names the field and the rule for bad input', async () => {
    const location = w.group(company, 'location', 'Paris');
    expect(await w.call(admin, 'sso.configure', config(location))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'companyId', message: expect.stringContaining('company') },
    });
    expect(await w.call(admin, 'sso.configure', config(company, { allowedDomains: ['not a domain'] }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'allowedDomains.0' },
    });
    expect(await w.call(admin, 'sso.configure', config(company, { preset: 'google' }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'issuer', message: expect.stringContaining('https://accounts.google.com') },
    });
    // Discovery: an issuer that does not answer as an OpenID provider is refused before anything is saved.
    expect(await w.call(admin, 'sso.configure', config(company, { issuer: 'http://127.0.0.1:9/nothing-here' }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'issuer', message: expect.stringContaining('could not read the OpenID Connect configuration') },
    });
    expect(w.steward.count('sso_providers')).toBe(0);
  });

  it('refuses a stale copy and a domain another company already signs in', async () => {
    await w.ok(admin, 'sso.configure', config(company));
    expect(await w.call(admin, 'sso.configure', config(company, { baseVersion: 0 }))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'baseVersion' },
    });
    const other = w.group(w.rootId, 'customer', 'Fabrikam');
    expect(await w.call(w.ownerId, 'sso.configure', config(other, { allowedDomains: ['fabrikam.test', 'contoso.test'] }))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'allowedDomains.1' },
    });
  });

  it('R34: another issuer gets the stored client secret only when it is typed again', async () => {
    await w.ok(admin, 'sso.configure', config(company, { preset: 'generic', displayName: 'Contoso ID' }));
    const before = w.steward.db
      .prepare('SELECT issuer, client_secret_sealed, version FROM sso_providers WHERE company_id = ?')
      .get(company);
    const elsewhere = await startIdp();
    try {
      const moved = config(company, { preset: 'generic', displayName: 'Contoso ID', baseVersion: 1, issuer: elsewhere.issuer });
      expect(await w.call(admin, 'sso.configure', { ...moved, clientSecret: undefined })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'clientSecret', message: expect.stringContaining('Type the client secret again') },
      });
      expect(
        w.steward.db.prepare('SELECT issuer, client_secret_sealed, version FROM sso_providers WHERE company_id = ?').get(company),
      ).toEqual(before);
      // The same issuer keeps it, and a new issuer with the secret typed is saved.
      expect(
        await w.call(
          admin,
          'sso.configure',
          config(company, { preset: 'generic', displayName: 'Contoso ID', baseVersion: 1, clientSecret: undefined }),
        ),
      ).toMatchObject({ ok: true });
      expect(await w.call(admin, 'sso.configure', { ...moved, baseVersion: 2 })).toMatchObject({
        ok: true,
        value: { issuer: elsewhere.issuer },
      });
    } finally {
      await elsewhere.close();
    }
  });

  it('tells the sign-in page which provider signs in an email domain', async () => {
    await w.ok(admin, 'sso.configure', config(company));
    const found = await w.steward.call('auth.ssoOptions', { email: 'someone@Contoso.test' });
    expect(found.result).toEqual({ ok: true, value: { providers: [{ providerId: company, label: 'Microsoft' }] } });
    const none = await w.steward.call('auth.ssoOptions', { email: 'someone@elsewhere.test' });
    expect(none.result).toEqual({ ok: true, value: { providers: [] } });
  });

  it('removes the configuration', async () => {
    await w.ok(admin, 'sso.configure', config(company));
    await w.ok(admin, 'sso.remove', { companyId: company, baseVersion: 1 });
    expect(await w.ok(admin, 'sso.get', { companyId: company })).toMatchObject({ configured: false, version: 0 });
  });
});

describe('lockout preview', () => {
  it('lists members without a linked identity and people outside the allowed domains; the Owner is exempt', async () => {
    const w = new World();
    try {
      const company = w.group(w.rootId, 'customer', 'Contoso');
      const department = w.group(company, 'department', 'Finance');
      const person = (name: string, email: string, home: string, role: string | null) => {
        const id = w.user(name, home);
        w.steward.db.prepare('UPDATE users SET username = ?, email = ? WHERE id = ?').run(name, email, id);
        if (role) w.bind(id, role, company);
        return id;
      };
      const carol = person('carol', 'carol@contoso.test', company, ROLE.owner);
      const linked = person('lena', 'lena@contoso.test', company, ROLE.operator);
      const unlinked = person('uma', 'uma@contoso.test', department, null);
      const foreign = person('fred', 'fred@elsewhere.test', company, ROLE.viewer);
      await w.ok(w.ownerId, 'sso.configure', config(company));
      // Someone another company adds later at the domain (R28 lets it be made) is not this company's person.
      const other = w.group(w.rootId, 'reseller', 'Other reseller');
      person('xavier', 'x@contoso.test', other, null);
      w.steward.db
        .prepare('INSERT INTO sso_identities (issuer, subject, user_id, email, linked_at) VALUES (?, ?, ?, ?, ?)')
        .run(idp.issuer, 'lena-sub', linked, 'lena@contoso.test', Date.now());
      w.steward.db
        .prepare('INSERT INTO sso_identities (issuer, subject, user_id, email, linked_at) VALUES (?, ?, ?, ?, ?)')
        .run(idp.issuer, 'fred-sub', foreign, 'fred@elsewhere.test', Date.now());

      const preview = await w.ok<{ lockedOut: Array<{ userId: string; reasons: string[] }>; exempt: unknown; hiddenCount: number }>(
        w.ownerId,
        'sso.preview',
        { companyId: company, allowedDomains: ['contoso.test'] },
      );
      expect(preview.exempt).toEqual({ userId: carol, username: 'carol' });
      expect(preview.lockedOut.map((p) => [p.userId, p.reasons])).toEqual([
        [foreign, ['domain-not-allowed']],
        [unlinked, ['not-linked']],
      ]);
      expect(preview.hiddenCount).toBe(0);
      // With the other domain allowed too, fred is no longer locked out.
      const wider = await w.ok<{ lockedOut: Array<{ userId: string }> }>(w.ownerId, 'sso.preview', {
        companyId: company,
        allowedDomains: ['contoso.test', 'elsewhere.test'],
      });
      expect(wider.lockedOut.map((p) => p.userId)).toEqual([unlinked]);
    } finally {
      w.cleanup();
    }
  });
});
