import { ROLE_TEMPLATES } from '../../shared/access/templates';
import { expect, test } from './console';
import { setUpOwner } from './owner';
import { api, memberRow, openScreen } from './team-steps';
import { companyWithOwner, rootGroupId } from './world-steps';

test('seed-004: choosing Group Supervisor on the user page shows the department picker just below the role and needs one or more departments', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const acme = await companyWithOwner(page, browser, await rootGroupId(page), 'Acme', 'olga');
  await api(page, 'groups.create', { parentId: acme, kind: 'department', name: 'Finance' });
  await api(page, 'groups.create', { parentId: acme, kind: 'department', name: 'Sales' });
  const t = ROLE_TEMPLATES.find((r) => r.id === 'saas-backup-group-supervisor');
  if (!t) throw new Error('Group Supervisor template missing');
  await api(page, 'roles.create', {
    ownerGroupId: acme,
    name: t.name,
    description: t.description,
    deviceVisibility: t.deviceVisibility,
    permissions: t.permissions,
    scopeKind: t.scopeKind,
  });
  await api(page, 'users.create', { username: 'gus', email: 'gus@acme.test', fullName: 'Gus Grey', homeGroupId: acme, bindings: [] });
  await page.reload();

  await openScreen(page, 'Team');
  await memberRow(page, 'gus').getByRole('button', { name: 'gus', exact: true }).click();
  await page.getByRole('tab', { name: 'Roles' }).click();
  const roles = page.getByRole('region', { name: 'Roles' });
  await roles.getByRole('button', { name: 'Add a role…' }).click();
  await roles.getByLabel('Role', { exact: true }).selectOption({ label: 'Group Supervisor' });
  const picker = roles.getByRole('group', { name: 'Departments Group Supervisor applies to' });
  await expect(picker.getByRole('checkbox')).toHaveCount(2);
  await expect(roles.getByLabel('Applies to group')).toHaveCount(0);
  await expect(roles.getByTestId('scope-text')).toHaveText('Group Supervisor over no department chosen yet: choose at least one.');
  await roles.getByRole('button', { name: 'Add role' }).click();
  await expect(roles.getByText('Choose at least one department')).toBeVisible();

  await picker.getByRole('checkbox', { name: 'Finance' }).check();
  await picker.getByRole('checkbox', { name: 'Sales' }).check();
  await expect(roles.getByTestId('scope-text')).toContainText('Finance, Sales only');
  await roles.getByRole('button', { name: 'Add role' }).click();
  const bindings = roles.getByRole('table', { name: 'Role bindings' });
  await expect(bindings.getByRole('row')).toHaveCount(3);
  await expect(bindings).toContainText('Whole subtree of Northwind Backup › Acme › Finance, including future groups');
  await expect(bindings).toContainText('Whole subtree of Northwind Backup › Acme › Sales, including future groups');

  // "You can assign multiple departments to a user."
  const departments = page.getByRole('region', { name: 'Departments' });
  await departments.getByRole('checkbox', { name: 'Finance' }).check();
  await departments.getByRole('checkbox', { name: 'Sales' }).check();
  await departments.getByRole('button', { name: 'Save departments' }).click();
  await expect(page.getByText('Gus Grey belongs to Finance, Sales.')).toBeVisible();
  await expect(departments.getByRole('checkbox', { name: 'Sales' })).toBeChecked();
});
