import { BASE_DN, ADMIN_DN, ADMIN_PASSWORD, slapdMissing, startSlapd, type TestDirectory } from '../helpers/slapd';
import { asPage } from './api-steps';
import { openNavScreen } from './audit-steps';
import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';

/**
 * Issue 14 in Chromium: a company's Departments tab against a real OpenLDAP directory
 * (Debian's slapd on loopback). Turning the sync on asks first; Sync now shows the run's
 * report and marks the synced departments.
 */
const missing = slapdMissing();
let directory: TestDirectory | null = null;
test.beforeAll(async () => {
  if (missing) return;
  directory = await startSlapd([
    { uid: 'dana', mail: 'dana@contoso.test', departments: ['Finance'] },
    { uid: 'eli', mail: 'eli@contoso.test', departments: ['Sales', 'Finance'] },
    { uid: 'ghost', mail: 'ghost@contoso.test', departments: ['Sales'] },
  ]);
});
test.afterAll(async () => directory?.close());

test('directory departments: asked before turning on, Sync now reports and marks the synced departments', async ({ page, steward }) => {
  test.skip(missing !== null, missing ?? '');
  await setUpOwner(page, steward.url);
  const tree = (await asPage(page, 'groups.tree', {})) as { groups: Array<{ id: string; kind: string }> };
  const rootId = tree.groups.find((g) => g.kind === 'provider')?.id ?? '';
  // The provider root is a company too; its people are homed there.
  const companyId = rootId;
  for (const [username, email] of [
    ['dana', 'dana@contoso.test'],
    ['eli', 'eli@contoso.test'],
  ])
    await asPage(page, 'users.create', {
      username,
      email,
      homeGroupId: companyId,
      bindings: [{ roleId: 'builtin-viewer', groupId: companyId }],
    });

  await page.reload();
  await openNavScreen(page, 'Customers');
  await page
    .getByRole('tree', { name: 'Customer groups' })
    .getByRole('treeitem', { name: new RegExp(OWNER.organization) })
    .first()
    .click();
  await page.getByRole('tab', { name: 'Departments' }).click();
  await page.getByLabel('Directory address').fill(directory?.url ?? '');
  await page.getByLabel('Bind DN').fill(ADMIN_DN);
  await page.getByLabel('Bind password').fill(ADMIN_PASSWORD);
  await page.getByLabel('Base DN').fill(BASE_DN);
  await page.getByLabel('Filter').fill('(objectClass=inetOrgPerson)');
  await page.getByLabel('Department attribute').fill('departmentNumber');
  await page.getByRole('button', { name: 'Save the connection' }).click();
  await expect(page.getByLabel('Bind password')).toHaveAttribute('placeholder', /Stored/);

  // Off by default; turning it on asks first, and Cancel leaves it off.
  const toggle = page.getByRole('switch', { name: 'Sync departments from the directory' });
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.click();
  const dialog = page.getByRole('dialog', { name: 'Sync departments from the directory?' });
  await expect(dialog).toContainText('assigned to people automatically');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.click();
  await dialog.getByRole('button', { name: 'Yes, continue' }).click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');

  await page.getByRole('button', { name: 'Sync now' }).click();
  const report = page.getByTestId('directory-report');
  await expect(report).toContainText('Departments added: Finance, Sales');
  await expect(report).toContainText('People changed: 2');
  await expect(report).toContainText('ghost@contoso.test: no Steward account of this company has this email');
  await expect(page.getByTestId('directory-status')).toContainText('Last synced');
  await expect(page.getByRole('img', { name: `synced from LDAP ${directory?.url ?? ''}` })).toHaveCount(2);
});
