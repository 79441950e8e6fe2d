import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { areaLevel, confirmSave, expandArea, keyBox, matrix, nav, navLabels, openRoles, reviewSave } from './roles-steps';
import { createUser, firstSignIn, openScreen } from './team-steps';

const ROOT = OWNER.organization;
const ROLE = 'Support desk';

test('a custom role built in the matrix, previewed, assigned, gating what its holder sees; history diff and revert; delete refused while in use', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openRoles(page);
  await expect(page.getByTestId('roles-empty')).toContainText('No custom roles yet');

  // From scratch at the root.
  await page.getByRole('button', { name: 'New role…', exact: true }).click();
  const create = page.getByRole('dialog', { name: 'New role' });
  await create.getByLabel('Name').fill(ROLE);
  await create.getByLabel('Device visibility').selectOption({ label: 'Only devices assigned to them' });
  await create.getByRole('button', { name: 'Create role' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: ROLE })).toBeVisible();

  // Team view as a single key, the audit trail as an area at Read.
  await expandArea(page, 'Portal users');
  await keyBox(page, 'View users page', 'users.view', ROLE).check();
  await areaLevel(page, 'Audit trail', ROLE).getByRole('radio', { name: 'Read' }).check();
  await expect(page.getByTestId('draft-changes')).toHaveText('Unsaved: 2 keys added, 0 keys removed.');
  const first = await reviewSave(page, ROLE);
  await expect(first.getByTestId('preview-reach')).toHaveText('Nobody holds this role yet: saving changes nobody’s access.');
  await expect(first.getByTestId('role-diff')).toContainText('Added View users page (users.view)');
  await confirmSave(page, first, ROLE, 2);
  await expect(page.getByTestId('roles-empty')).toBeHidden();

  // Assign it: a new member holds the custom role at the root.
  await openScreen(page, 'Team');
  const password = await createUser(page, { username: 'sam', email: 'sam@northwind.test', fullName: 'Sam Support', role: ROLE });
  await page.getByRole('dialog', { name: 'Account created for sam' }).getByRole('button', { name: 'Done' }).click();

  // Sam sees exactly what the role allows.
  const sam = await firstSignIn(browser, steward.url, 'sam', password);
  await expect(nav(sam.page).getByRole('link', { name: 'Team', exact: true })).toBeVisible();
  expect(await navLabels(sam.page)).toEqual(['Team', 'Hygiene', 'Audit', 'Profile']);
  await expect(sam.page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  const createButton = sam.page.getByRole('button', { name: 'Create user…' });
  await expect(createButton).toBeDisabled();
  await expect(createButton).toHaveAttribute('title', /“Create and invite users” \(users\.create/);
  await nav(sam.page).getByRole('link', { name: 'Audit', exact: true }).click();
  const exportCsv = sam.page.getByRole('button', { name: 'Export CSV' });
  await expect(exportCsv).toBeDisabled();
  await expect(exportCsv).toHaveAttribute('title', /“Export the audit trail” \(audit\.export\)/);

  // The role now has a holder: widening it previews who gains what before it is saved.
  await openRoles(page);
  await expect(page.getByRole('row', { name: new RegExp(`Open ${ROLE}`) }).getByTestId('role-holders')).toHaveText('1 person');
  // Roles opens the list; the role is opened again from it (its address is /roles/<id>).
  await page.getByRole('button', { name: `Open ${ROLE}` }).click();
  await areaLevel(page, 'Audit trail', ROLE).getByRole('radio', { name: 'Full' }).check();
  const second = await reviewSave(page, ROLE);
  await expect(second.getByTestId('preview-reach')).toHaveText('1 person holds this role, over 0 devices and 1 group.');
  await expect(second.getByTestId('preview-change').filter({ hasText: 'Export the audit trail (audit.export)' })).toContainText(
    '1 person gains it',
  );
  await second.getByText('Show the 1 person affected').click();
  await expect(second.getByRole('list', { name: 'People affected' })).toHaveText('sam gains Export the audit trail (audit.export)');
  await confirmSave(page, second, ROLE, 3);

  // The edit applies to its holder at once: Sam's next screen offers the export.
  await nav(sam.page).getByRole('link', { name: 'Team', exact: true }).click();
  await nav(sam.page).getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(sam.page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();

  // History: the diff between the two saves shows the added key; reverting previews the loss first.
  const history = page.getByRole('region', { name: 'History' });
  await history.getByLabel('From version', { exact: true }).selectOption('2');
  await history.getByLabel('To version', { exact: true }).selectOption('3');
  await expect(history.getByTestId('role-diff')).toHaveText('Added Export the audit trail (audit.export)');
  await history.getByRole('button', { name: 'Revert to version 2' }).click();
  const revert = page.getByRole('dialog', { name: `Revert ${ROLE} to version 2?` });
  await expect(revert.getByTestId('role-diff')).toHaveText('Removed Export the audit trail (audit.export)');
  await expect(revert.getByTestId('preview-change').filter({ hasText: '(audit.export)' })).toContainText('1 person loses it');
  await revert.getByRole('button', { name: 'Revert', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `${ROLE} reverted; saved as version 4.` })).toBeVisible();
  await expect(areaLevel(page, 'Audit trail', ROLE).getByRole('radio', { name: 'Read' })).toBeChecked();
  await expect(history.getByRole('row', { name: /^4 Current/ })).toBeVisible();
  await nav(sam.page).getByRole('link', { name: 'Team', exact: true }).click();
  await nav(sam.page).getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(sam.page.getByRole('button', { name: 'Export CSV' })).toBeDisabled();

  // Side by side with a built-in role, which is a read-only column.
  await page.getByRole('checkbox', { name: 'Compare Admin' }).check();
  await expect(matrix(page).getByRole('columnheader', { name: 'Admin (read-only)' })).toBeVisible();
  await expect(areaLevel(page, 'Audit trail', 'Admin').getByRole('radio', { name: 'Full' })).toBeChecked();
  await expect(areaLevel(page, 'Audit trail', 'Admin').getByRole('radio', { name: 'Full' })).toBeDisabled();
  await expect(keyBox(page, 'Create and invite users', 'users.create', 'Admin')).toBeDisabled();

  // Keyboard: arrow down moves to the next key in the same column, space ticks it.
  await keyBox(page, 'View users page', 'users.view', ROLE).focus();
  await page.keyboard.press('ArrowDown');
  await expect(keyBox(page, 'Create and invite users', 'users.create', ROLE)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(keyBox(page, 'Create and invite users', 'users.create', ROLE)).toBeChecked();
  await expect(page.getByTestId('draft-changes')).toHaveText('Unsaved: 1 key added, 0 keys removed.');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(keyBox(page, 'Create and invite users', 'users.create', ROLE)).not.toBeChecked();

  // Templates are offered grouped by the seed they come from.
  await page.getByRole('button', { name: 'New role…', exact: true }).click();
  const fromTemplate = page.getByRole('dialog', { name: 'New role' });
  await fromTemplate.getByLabel('A ready-made template').check();
  await expect(fromTemplate.getByLabel('Template').locator('optgroup[label="Company portal roles"] option')).toHaveCount(6);
  await fromTemplate.getByRole('button', { name: 'Cancel' }).click();

  // Seed 002: a role in use cannot be deleted; the refusal names who holds it.
  await page.getByRole('button', { name: `Delete ${ROLE}` }).click();
  const remove = page.getByRole('dialog', { name: `Delete ${ROLE}?` });
  await expect(remove.getByRole('list', { name: `Holders of ${ROLE}` })).toHaveText(`sam at ${ROOT}`);
  // Once the dialog has said it cannot be deleted, its button says no too (issue 15, finding 14).
  await expect(remove.getByRole('button', { name: 'Delete role' })).toBeDisabled();
  await remove.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: `Open ${ROLE}` })).toBeVisible();
});

test('escalation guard in the matrix: keys the editor does not hold are disabled with the reason; built-in roles are read-only; unavailable keys are greyed', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openRoles(page);
  await page.getByRole('button', { name: 'New role…', exact: true }).click();
  const create = page.getByRole('dialog', { name: 'New role' });
  await create.getByLabel('Name').fill('Role keeper');
  await create.getByRole('button', { name: 'Create role' }).click();
  await expect(create).toBeHidden();
  for (const [area, level] of [
    ['Roles', 'Full'],
    ['Portal users', 'Read'],
    ['Customer groups', 'Read'],
    ['Audit trail', 'Read'],
  ] as const) {
    await areaLevel(page, area, 'Role keeper').getByRole('radio', { name: level }).check();
  }
  await confirmSave(page, await reviewSave(page, 'Role keeper'), 'Role keeper', 2);
  await openScreen(page, 'Team');
  const password = await createUser(page, { username: 'rita', email: 'rita@northwind.test', fullName: 'Rita Roles', role: 'Role keeper' });
  await page.getByRole('dialog', { name: 'Account created for rita' }).getByRole('button', { name: 'Done' }).click();

  const rita = (await firstSignIn(browser, steward.url, 'rita', password)).page;
  await expect(nav(rita).getByRole('link', { name: 'Roles', exact: true })).toBeVisible();
  expect(await navLabels(rita)).toEqual(['Customers', 'Team', 'Roles', 'Access', 'Hygiene', 'Audit', 'Profile']);
  await openRoles(rita);
  await rita.getByRole('button', { name: 'New role…', exact: true }).click();
  const dialog = rita.getByRole('dialog', { name: 'New role' });
  await dialog.getByLabel('Name').fill('Helpdesk');
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await expect(rita.getByRole('heading', { level: 2, name: 'Helpdesk' })).toBeVisible();

  // Billing is not Rita's to hand out: the whole area and its keys are disabled and say why.
  await expect(areaLevel(rita, 'Invoices and billing', 'Helpdesk').getByRole('radio', { name: 'Full' })).toBeDisabled();
  await expandArea(rita, 'Invoices and billing');
  const billing = keyBox(rita, 'Change billing, plan and seat limit', 'billing.manage', 'Helpdesk');
  await expect(billing).toBeDisabled();
  await expect(billing.locator('xpath=..')).toHaveAttribute(
    'title',
    'You do not hold “Change billing, plan and seat limit” (billing.manage) at Northwind Backup yourself, so you cannot give or take it away.',
  );
  // Audit trail: she holds the read key only, so that one can be ticked and the export cannot.
  await expandArea(rita, 'Audit trail');
  await expect(keyBox(rita, 'View the audit trail', 'audit.view', 'Helpdesk')).toBeEnabled();
  await expect(keyBox(rita, 'Export the audit trail', 'audit.export', 'Helpdesk')).toBeDisabled();

  // Seed 001: deployment exists only at end customers; at the provider root its keys are greyed with the reason.
  await expandArea(rita, 'Automatic deployment');
  await expect(matrix(rita).getByRole('row', { name: /deployment\.run/ })).toContainText(
    'available only at end customers, not at provider groups',
  );

  // Built-in roles are protected: opened, they are read-only and cannot be deleted.
  await rita.getByRole('button', { name: 'Open Admin' }).click();
  await expect(rita.getByTestId('role-locked')).toHaveText(
    'Built-in roles are protected and read-only; copy one into a custom role to change it.',
  );
  await expect(areaLevel(rita, 'Roles', 'Admin').getByRole('radio', { name: 'Full' })).toBeDisabled();
  await expect(rita.getByRole('button', { name: 'Delete Admin' })).toBeDisabled();
  await expect(rita.getByRole('button', { name: 'Delete Admin' })).toHaveAttribute(
    'title',
    'Built-in roles are protected and cannot be deleted.',
  );

  // Team: without users.create, Create user is gray and names the permission (seed 002's troubleshooting).
  await openScreen(rita, 'Team');
  await expect(rita.getByRole('button', { name: 'Create user…' })).toHaveAttribute(
    'title',
    'Needs “Create and invite users” (users.create, also called create_additional_users) at Northwind Backup, which your roles do not grant.',
  );
});
