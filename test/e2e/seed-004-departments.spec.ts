import type { Page } from '@playwright/test';
import { ROLE_TEMPLATES } from '../../shared/access/templates';
import { expect, test } from './console';
import { setUpOwner } from './owner';
import { memberRow, openScreen } from './team-steps';

/** Calls the API from the signed-in page, as the console itself does (session cookie and CSRF header); set-up only. */
async function api<T>(page: Page, name: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([op, body]) => {
      const cookie = () => document.cookie.split('; ').find((p) => p.startsWith(`steward_csrf_${location.port}=`));
      if (!cookie()) await fetch('/api/csrf', { credentials: 'same-origin' });
      const token = cookie()?.split('=')[1] ?? '';
      const response = await fetch(`/api/${op}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'x-steward-csrf': token },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    [name, input] as const,
  );
  if (!result.ok) throw new Error(`${name}: ${result.error?.message ?? 'failed'}`);
  return result.value as T;
}

test('seed-004: choosing Group Supervisor on the user page shows the department picker just below the role and needs one or more departments', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const { groups } = await api<{ groups: Array<{ id: string; kind: string }> }>(page, 'groups.tree', {});
  const root = groups.find((g) => g.kind === 'provider')?.id ?? '';
  const { id: acme } = await api<{ id: string }>(page, 'groups.create', { parentId: root, kind: 'customer', name: 'Acme' });
  await api(page, 'groups.create', { parentId: acme, kind: 'department', name: 'Finance' });
  await api(page, 'groups.create', { parentId: acme, kind: 'department', name: 'Sales' });
  const t = ROLE_TEMPLATES.find((r) => r.id === 'seed004-group-supervisor');
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
