import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryReport, DirectoryView } from '../../shared/contract';
import { startGraph, type GraphStandIn, type GraphUser } from '../helpers/directory-apis';
import { directoryCompany } from '../helpers/directory-company';

/**
 * Issue 14: departments from Microsoft Entra ID through Microsoft Graph. Graph cannot be
 * reached from these machines, so the connector is tested against a local HTTP server on
 * loopback (test/helpers/directory-apis.ts) that answers Graph's documented shapes: the
 * client credentials token request and GET /v1.0/users with @odata.nextLink paging. The
 * server checks what Steward sends: the form of the token request, the bearer token, the
 * query parameters.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '9f1c6a3e-4b7d-4f0e-8a51-0c2d3e4f5a6b';
const SECRET = 'Qx8~graph client secret value 7Yz';
const DEPARTMENTS = ['Claims', 'Finance', 'Legal', 'Sales', 'Underwriting'];
const PEOPLE = 240;

function tenantUsers(): GraphUser[] {
  const users: GraphUser[] = [];
  for (let i = 0; i < PEOPLE; i += 1)
    users.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      // Every tenth user has no mail: the user principal name stands in for it.
      mail: i % 10 === 3 ? null : `Person${i}@contoso.test`,
      userPrincipalName: `person${i}@contoso.test`,
      // Every 25th has no department.
      department: i % 25 === 7 ? null : (DEPARTMENTS[i % DEPARTMENTS.length] ?? null),
    });
  users.push({ id: 'guest', mail: 'guest@fabrikam.test', userPrincipalName: 'guest_fabrikam.test#EXT#@contoso.test', department: 'Sales' });
  return users;
}

describe('directory departments from Microsoft Graph (a local stand-in for Graph on loopback)', () => {
  let graph: GraphStandIn;
  const c = directoryCompany(PEOPLE);
  const settings = () => ({ connector: 'graph', tenantId: TENANT, clientId: CLIENT_ID, loginUrl: graph.url, graphUrl: graph.url }) as const;

  beforeAll(async () => {
    graph = await startGraph({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, users: tenantUsers(), pageSize: 100 });
  });
  afterAll(async () => {
    await graph?.close();
    c.w.cleanup();
  });

  it('is set up at a customer: a reseller or the provider, where no department may sit, is refused before the directory is reached', async () => {
    const reseller = c.w.group(c.w.rootId, 'reseller', 'Fabrikam Reseller');
    const tokensBefore = graph.issued.length;
    for (const companyId of [reseller, c.w.rootId]) {
      const refused = await c.w.call(c.w.ownerId, 'directory.configure', {
        companyId,
        baseVersion: 0,
        settings: settings(),
        secret: SECRET,
        enabled: true,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'companyId', message: expect.stringMatching(/department sits inside a customer/) },
      });
      expect(c.w.steward.db.prepare('SELECT count(*) AS n FROM directory_sync WHERE company_id = ?').get(companyId)).toEqual({ n: 0 });
    }
    // The secret was never tried at Microsoft for them.
    expect(graph.issued.length).toBe(tokensBefore);
  });

  it('needs the client secret before it can be turned on', async () => {
    expect(
      await c.w.call(c.w.ownerId, 'directory.configure', { companyId: c.company, baseVersion: 0, settings: settings(), enabled: true }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'secret', message: expect.stringContaining('client secret') } });
    expect(c.stored()).toBeUndefined();
  });

  it('Sync now takes a token by client credentials, reads every page of /users, and creates the departments and memberships', async () => {
    const configured = await c.w.ok<DirectoryView>(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: 0,
      settings: settings(),
      secret: SECRET,
      enabled: true,
    });
    expect(configured).toMatchObject({ enabled: true, hasSecret: true, settings: settings() });
    graph.requests.length = 0;

    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });

    // The token request: RFC 6749 section 4.4 with client_secret_post, for Graph's .default scope.
    const token = graph.requests.filter((r) => r.method === 'POST');
    expect(token).toHaveLength(1);
    expect(token[0]?.path).toBe(`/${TENANT}/oauth2/v2.0/token`);
    expect(Object.fromEntries(token[0]?.form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      scope: `${graph.url}/.default`,
    });
    // 241 users at 100 a page: three pages, the first asked with $select and $top, the next two by @odata.nextLink.
    const pages = graph.requests.filter((r) => r.method === 'GET');
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.path).toBe('/v1.0/users');
      expect(page.headers.authorization).toBe(`Bearer ${graph.issued.at(-1) ?? ''}`);
      expect(page.query.get('$select')?.split(',').sort()).toEqual(['department', 'id', 'mail', 'userPrincipalName']);
      expect(page.query.get('$top')).toBe('999');
    }
    expect(pages.map((p) => p.query.get('$skiptoken') !== null)).toEqual([false, true, true]);

    expect(report.stopped).toBeNull();
    expect(report.departments.added).toEqual(DEPARTMENTS);
    expect(report.skipped).toEqual([{ entry: 'guest@fabrikam.test', reason: 'no Steward account of this company has this email' }]);
    const now = c.memberships();
    for (let i = 0; i < PEOPLE; i += 1) {
      const want = i % 25 === 7 ? undefined : [DEPARTMENTS[i % DEPARTMENTS.length]];
      expect(now.get(`person${i}`), `person${i}`).toEqual(want);
    }
    const view = await c.view();
    expect(view.departments.map((d) => [d.name, d.source])).toEqual(DEPARTMENTS.map((d) => [d, `Microsoft Graph, tenant ${TENANT}`]));
  });

  it('the next run applies exactly what changed in the tenant', async () => {
    const person = (i: number) => graph.users[i] as GraphUser;
    person(0).department = 'Legal';
    for (const user of graph.users) if (user.department === 'Underwriting') user.department = null;
    const before = c.memberships();
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    expect(report.departments).toEqual({ added: [], removed: ['Underwriting'] });
    expect(report.people.changed.find((p) => p.username === 'person0')).toEqual({
      username: 'person0',
      added: ['Legal'],
      removed: ['Claims'],
    });
    const after = c.memberships();
    expect(after.get('person0')).toEqual(['Legal']);
    for (const [username, names] of before)
      if (username !== 'person0' && !names.includes('Underwriting')) expect(after.get(username), username).toEqual(names);
  });

  it('a throttled page is asked again after the Retry-After Graph names, and the run completes; throttled for good, the run stops saying so and changes nothing', async () => {
    const before = c.memberships();
    const asked = () => graph.requests.filter((r) => r.path === '/v1.0/users').length;
    const start = asked();
    graph.throttle = { requests: 2, retryAfter: '0' };
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    expect(report.stopped).toBeNull();
    expect(c.memberships()).toEqual(before);
    // Three pages of 100 (241 people), the first asked three times.
    expect(asked() - start).toBe(5);

    graph.throttle = { requests: 100, retryAfter: '0' };
    const refused = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    expect(refused.stopped).toMatch(/HTTP 429: TooManyRequests/);
    expect(c.memberships()).toEqual(before);
    graph.throttle = { requests: 0, retryAfter: '0' };
  });

  it('a refused client secret stops the run with Microsoft’s reason and changes nothing', async () => {
    const before = c.memberships();
    const view = await c.view();
    await c.w.ok(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: view.version,
      settings: settings(),
      secret: 'an expired secret',
      enabled: true,
    });
    const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    expect(report.stopped).toMatch(/could not be read: the token was refused.*invalid_client.*AADSTS7000215/);
    expect(c.memberships()).toEqual(before);
    const again = await c.view();
    await c.w.ok(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: again.version,
      settings: settings(),
      secret: SECRET,
      enabled: true,
    });
  });

  it('R34: a next page on another host is refused, and the token is never sent there', async () => {
    const elsewhere = await startGraph({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, users: [], pageSize: 100 });
    try {
      graph.nextLinkBase = elsewhere.url;
      const before = c.memberships();
      const report = await c.w.ok<DirectoryReport>(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
      expect(report.stopped).toContain(`next page on ${elsewhere.url}`);
      expect(elsewhere.requests).toEqual([]);
      expect(c.memberships()).toEqual(before);
    } finally {
      graph.nextLinkBase = graph.url;
      await elsewhere.close();
    }
  });

  it('R34: moving the connection to another address needs the secret typed again; the stored settings stay as they were', async () => {
    const view = await c.view();
    const stored = c.stored();
    for (const moved of [
      { ...settings(), graphUrl: 'https://graph.attacker.test' },
      { ...settings(), loginUrl: 'https://login.attacker.test' },
      { ...settings(), tenantId: 'another-tenant.test' },
    ]) {
      expect(
        await c.w.call(c.w.ownerId, 'directory.configure', {
          companyId: c.company,
          baseVersion: view.version,
          settings: moved,
          enabled: true,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'secret', message: expect.stringContaining('Type the client secret again') },
      });
      expect(c.stored()).toEqual(stored);
    }
    // The same address with another client id keeps the secret.
    expect(
      await c.w.call(c.w.ownerId, 'directory.configure', {
        companyId: c.company,
        baseVersion: view.version,
        settings: { ...settings(), clientId: CLIENT_ID.toUpperCase() },
        enabled: true,
      }),
    ).toMatchObject({ ok: true });
  });

  it('R19, R26: the client secret is sealed at rest, and the audit trail, change feed and command log never hold it', () => {
    const row = c.stored();
    expect(row?.secret_sealed).toBeInstanceOf(Buffer);
    expect(row?.secret_sealed?.toString('utf8')).not.toContain(SECRET);
    const text = c.written();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(row?.secret_sealed?.toString('hex').toUpperCase() ?? 'none');
    // The change feed carries only that a secret is set.
    const change = c.w.steward.db.prepare("SELECT row FROM changes WHERE tbl = 'directory_sync' ORDER BY seq DESC LIMIT 1").get() as {
      row: string;
    };
    expect(JSON.parse(change.row)).toMatchObject({ secret_sealed: 1 });
  });
});
