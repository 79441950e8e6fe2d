import { request, type APIRequestContext } from '@playwright/test';
import { startIdp, type TestIdp } from '../helpers/oidc-idp';
import { asPage } from './api-steps';
import { openNavScreen } from './audit-steps';
import { expect, test } from './console';
import { setUpOwner, signInWithPassword, signOut } from './owner';

/**
 * Issue 14 in Chromium: a company's single sign-on through a real OpenID provider
 * (oidc-provider on loopback) and its real login page; enforcement refuses a member's
 * password, the Owner's break-glass still works, and the lockout preview names the right people.
 */

/** A caller of the console's API with its own cookies, as a second browser would be. */
async function apiSession(baseURL: string): Promise<{ call: (name: string, input: unknown) => Promise<unknown>; api: APIRequestContext }> {
  const api = await request.newContext({ baseURL });
  await api.get('/api/csrf');
  const csrf = (await api.storageState()).cookies.find((c) => c.name.startsWith('steward_csrf_'))?.value ?? '';
  const call = async (name: string, input: unknown) => {
    const response = await api.post(`/api/${name}`, { data: input, headers: { 'x-steward-csrf': csrf } });
    const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message ?? 'refused'}`);
    return body.value;
  };
  return { call, api };
}

let idp: TestIdp;
test.beforeAll(async () => {
  idp = await startIdp({ accounts: { dave: { password: 'dave at the provider', email: 'dave@contoso.test' } } });
});
test.afterAll(() => idp.close());

test('SSO: lockout preview, sign-in through the provider, password refused, the Owner breaks glass', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  const tree = (await asPage(page, 'groups.tree', {})) as { groups: Array<{ id: string; kind: string }> };
  const rootId = tree.groups.find((g) => g.kind === 'provider')?.id ?? '';
  const created = await asPage(page, 'groups.create', {
    parentId: rootId,
    kind: 'customer',
    name: 'Contoso',
    owner: { email: 'carol@contoso.test' },
  });
  const companyId = String(created.id);
  const link = String((created.ownerInvitation as { link: string }).link);
  const carolPassword = 'the glass stays unbroken for her';
  const carol = await apiSession(steward.url);
  await carol.call('invitations.accept', {
    token: link.split('/').pop(),
    username: 'carol',
    fullName: 'Carol Owner',
    password: carolPassword,
  });
  await carol.api.dispose();
  const operatorRole = 'builtin-operator';
  const dave = await asPage(page, 'users.create', {
    username: 'dave',
    email: 'dave@contoso.test',
    fullName: 'Dave Member',
    homeGroupId: companyId,
    bindings: [{ roleId: operatorRole, groupId: companyId }],
  });
  await asPage(page, 'users.create', {
    username: 'fred',
    email: 'fred@elsewhere.test',
    fullName: 'Fred Elsewhere',
    homeGroupId: companyId,
    bindings: [{ roleId: operatorRole, groupId: companyId }],
  });

  // The company's SSO tab: a generic provider, the domain, and the enforce toggle with its preview.
  await page.reload();
  await openNavScreen(page, 'Customers');
  await page
    .getByRole('tree', { name: 'Customer groups' })
    .getByRole('treeitem', { name: /Contoso/ })
    .first()
    .click();
  await page.getByRole('tab', { name: 'SSO' }).click();
  const sso = page.getByRole('form', { name: 'Single sign-on' });
  await sso.getByLabel('Identity provider').selectOption('generic');
  await sso.getByLabel('Name on the sign-in button').fill('Contoso ID');
  await sso.getByLabel('Issuer').fill(idp.issuer);
  await sso.getByLabel('Client id').fill(idp.clientId);
  await sso.getByLabel('Client secret').fill(idp.clientSecret);
  // R28: the provider's own domain (Olivia's, outside Contoso) is refused next to the domains, naming nobody.
  await sso.getByLabel('Allowed email domains').fill('contoso.test, Northwind.TEST');
  await sso.getByRole('button', { name: 'Save single sign-on' }).click();
  await expect(sso.getByText(/People outside this company have email addresses at northwind\.test/)).toBeVisible();
  await expect(sso.getByText(/olivia|Northwind Backup/)).toHaveCount(0);
  await sso.getByLabel('Allowed email domains').fill('contoso.test');
  await sso.getByRole('switch', { name: 'Enforce single sign-on' }).click();
  const preview = sso.getByTestId('lockout-preview');
  await expect(preview.getByRole('heading')).toHaveText('2 people could not sign in');
  await expect(preview.getByRole('listitem')).toHaveText([
    'Dave Member (dave@contoso.test): has not signed in with the provider yet',
    'Fred Elsewhere (fred@elsewhere.test): has not signed in with the provider yet; email domain not allowed',
  ]);
  await expect(sso.getByTestId('break-glass')).toContainText('carol');
  await sso.getByRole('button', { name: 'Save single sign-on' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Single sign-on saved.' })).toBeVisible();
  await expect(sso.getByLabel('Client secret')).toHaveValue('');
  await expect(sso.getByLabel('Client secret')).toHaveAttribute('placeholder', /Stored/);
  await signOut(page);

  // A refused start comes back to the sign-in page with the reason, which is then taken out of the address.
  await page.goto(new URL('sso/start?provider=no-such-company', steward.url).href);
  await expect(page.getByRole('alert')).toContainText('does not sign in through a provider');
  expect(new URL(page.url()).search).toBe('');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Enforced: Dave's password is refused, and the message names the provider.
  await signInWithPassword(page, 'dave', String(dave.password));
  await expect(page.getByRole('alert')).toContainText('Contoso signs in with Contoso ID');
  await page.getByLabel('Password').fill('');

  // Sign in with Contoso ID: the provider's own login page, then back in Steward at the authenticator step.
  await page.getByLabel('Username or email').fill('dave@contoso.test');
  await page.getByRole('button', { name: 'Sign in with Contoso ID' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to the test provider' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(idp.issuer);
  await page.getByLabel('Login').fill('dave');
  await page.getByLabel('Password').fill('dave at the provider');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(steward.url).origin);
  await page.getByRole('button', { name: 'Cancel and sign out' }).click();

  // Break-glass: the Owner still signs in with password (and then sets up the code).
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signInWithPassword(page, 'carol', carolPassword);
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
});
