import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryReport, DirectoryView } from '../../shared/contract';
import { startGoogleDirectory, type GoogleStandIn, type GoogleUser } from '../helpers/directory-apis';
import { directoryCompany } from '../helpers/directory-company';

/**
 * Issue 14: departments from Google Workspace through the Admin SDK Directory API. Google
 * cannot be reached from these machines, so the connector is tested against a local HTTP
 * server on loopback (test/helpers/directory-apis.ts) that answers Google's documented
 * shapes: the service account's JWT bearer token request (RFC 7523), whose assertion it
 * verifies with the service account's public key, and users.list with pageToken paging. The
 * server checks what Steward sends: the grant, the assertion's claims, the bearer token, the
 * query parameters.
 */
const SERVICE_ACCOUNT = 'steward-sync@contoso-directory.iam.gserviceaccount.com';
const ADMIN = 'it-admin@contoso.test';
const PEOPLE = 130;
const DEPARTMENTS = ['Claims', 'Finance', 'Sales'];
const UNITS = ['/Field/North', '/Field/South', '/Head office'];

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function accountUsers(): GoogleUser[] {
  const users: GoogleUser[] = [];
  for (let i = 0; i < PEOPLE; i += 1)
    users.push({
      id: String(100_000_000_000_000_000_000 + i),
      primaryEmail: `person${i}@contoso.test`,
      orgUnitPath: i % 13 === 0 ? '/' : (UNITS[i % UNITS.length] ?? '/'),
      organizations:
        i % 11 === 5
          ? []
          : [
              { title: 'Agent', department: DEPARTMENTS[i % DEPARTMENTS.length] ?? '', primary: true },
              ...(i === 2 ? [{ department: 'Finance', primary: false }] : []),
            ],
    });
  users.push({
    id: '9',
    primaryEmail: 'alias-only@contoso-sub.test',
    orgUnitPath: '/',
    organizations: [{ department: 'Sales', primary: true }],
  });
  return users;
}

describe('directory departments from Google Workspace (a local stand-in for the Directory API on loopback)', () => {
  let google: GoogleStandIn;
  const keys = keyPair();
  const c = directoryCompany(PEOPLE);
  const settings = (patch: Record<string, unknown> = {}) => ({
    connector: 'google' as const,
    serviceAccountEmail: SERVICE_ACCOUNT,
    adminEmail: ADMIN,
    domain: '',
    departmentFrom: 'organization' as const,
    tokenUrl: `${google.url}/token`,
    apiUrl: google.url,
    ...patch,
  });
  const configure = async (patch: Record<string, unknown>, secret?: string) =>
    c.w.ok<DirectoryView>(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: (await c.view()).version,
      settings: settings(patch),
      ...(secret === undefined ? {} : { secret }),
      enabled: true,
    });

  beforeAll(async () => {
    google = await startGoogleDirectory({
      serviceAccountEmail: SERVICE_ACCOUNT,
      publicKey: keys.publicKey,
      delegatedAdmins: [ADMIN],
      users: accountUsers(),
      pageSize: 50,
    });
  });
  afterAll(async () => {
    await google?.close();
    c.w.cleanup();
  });

  it('refuses a private key that is not one, naming the field and never echoing it', async () => {
    const publicKey = keys.publicKey;
    const answer = await c.w.call(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: 0,
      settings: settings(),
      secret: publicKey,
      enabled: true,
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'secret' } });
    expect(JSON.stringify(answer)).not.toContain(publicKey.split('\n')[1]);
    expect(c.stored()).toBeUndefined();
  });

  it('Sync now signs an assertion for the administrator, reads every page of users.list, and applies organizations[].department', async () => {
    await c.w.ok(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: 0,
      settings: settings(),
      secret: keys.privateKey,
      enabled: true,
    });
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });

    const token = google.requests.filter((r) => r.method === 'POST');
    expect(token).toHaveLength(1);
    expect(token[0]?.path).toBe('/token');
    // RFC 7523 section 2.1: the grant and its assertion only; no client secret exists to send.
    expect([...(token[0]?.form?.keys() ?? [])].sort()).toEqual(['assertion', 'grant_type']);
    expect(token[0]?.form?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(decodeProtectedHeader(token[0]?.form?.get('assertion') ?? '')).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    // The stand-in verified the signature with the public key before accepting these claims.
    expect(google.assertions).toHaveLength(1);
    expect(google.assertions[0]).toMatchObject({
      iss: SERVICE_ACCOUNT,
      sub: ADMIN,
      aud: `${google.url}/token`,
      scope: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
    });
    // 131 users at 50 a page: three pages, chained by pageToken.
    const pages = google.requests.filter((r) => r.method === 'GET');
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.path).toBe('/admin/directory/v1/users');
      expect(page.headers.authorization).toBe(`Bearer ${google.issued[0] ?? ''}`);
      expect(page.query.get('customer')).toBe('my_customer');
      expect(page.query.get('domain')).toBeNull();
      expect(page.query.get('maxResults')).toBe('500');
      expect(page.query.get('fields')).toContain('organizations(department');
    }
    expect(pages.map((p) => p.query.get('pageToken') !== null)).toEqual([false, true, true]);

    expect(report.stopped).toBeNull();
    expect(report.departments.added).toEqual(DEPARTMENTS);
    expect(report.skipped).toEqual([{ entry: 'alias-only@contoso-sub.test', reason: 'no Steward account of this company has this email' }]);
    const now = c.memberships();
    for (let i = 0; i < PEOPLE; i += 1) {
      const want = i % 11 === 5 ? undefined : i === 2 ? ['Finance', 'Sales'] : [DEPARTMENTS[i % DEPARTMENTS.length]];
      expect(now.get(`person${i}`), `person${i}`).toEqual(want);
    }
    expect((await c.view()).departments.map((d) => d.source)).toEqual(DEPARTMENTS.map(() => 'Google Workspace'));
  });

  it('by org unit instead: the units become the departments and the run reports the difference (no secret needed: same addresses)', async () => {
    await configure({ departmentFrom: 'orgUnit' });
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    expect(report.departments).toEqual({ added: ['Field/North', 'Field/South', 'Head office'], removed: DEPARTMENTS });
    const now = c.memberships();
    for (let i = 0; i < PEOPLE; i += 1) {
      const unit = i % 13 === 0 ? undefined : [(UNITS[i % UNITS.length] ?? '').slice(1)];
      expect(now.get(`person${i}`), `person${i}`).toEqual(unit);
    }
  });

  it('one domain: asks with domain= instead of customer=', async () => {
    google.requests.length = 0;
    await configure({ departmentFrom: 'orgUnit', domain: 'contoso.test' });
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    const first = google.requests.find((r) => r.method === 'GET');
    expect(first?.query.get('domain')).toBe('contoso.test');
    expect(first?.query.get('customer')).toBeNull();
    expect(report.skipped).toEqual([]);
    expect((await c.view()).departments[0]?.source).toBe('Google Workspace, contoso.test');
  });

  it('an administrator the service account may not act as is refused by Google, and the report says so', async () => {
    const before = c.memberships();
    await configure({ departmentFrom: 'orgUnit', adminEmail: 'someone@contoso.test' });
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    expect(report.stopped).toMatch(/the token was refused.*unauthorized_client/);
    expect(c.memberships()).toEqual(before);
  });

  it('R34: another token or API address needs the private key again; with it, the change is saved', async () => {
    const stored = c.stored();
    const view = await c.view();
    for (const moved of [{ tokenUrl: 'https://oauth2.attacker.test/token' }, { apiUrl: 'https://admin.attacker.test' }]) {
      const answer = await c.w.call(c.w.ownerId, 'directory.configure', {
        companyId: c.company,
        baseVersion: view.version,
        settings: settings(moved),
        enabled: true,
      });
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'secret', message: expect.stringContaining('private key') },
      });
      expect(c.stored()).toEqual(stored);
    }
    const fresh = keyPair();
    await configure({ apiUrl: 'https://admin.example.test' }, fresh.privateKey);
    expect(c.stored()?.secret_sealed).not.toEqual(stored?.secret_sealed);
  });

  it('R19, R26: the private key is sealed at rest and never in the audit trail, change feed or command log', () => {
    const text = c.written();
    const body = keys.privateKey.split('\n').slice(1, 3).join('');
    expect(body.length).toBeGreaterThan(60);
    expect(text.replace(/\\n/g, '')).not.toContain(body);
    expect(c.stored()?.secret_sealed?.toString('utf8')).not.toContain('PRIVATE KEY');
  });
});
