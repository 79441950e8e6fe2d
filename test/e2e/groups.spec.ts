import type { Locator, Page } from '@playwright/test';
import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';

const ROOT = OWNER.organization;

/** 1×1 transparent PNG. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function treeItem(page: Page, name: string): Locator {
  return page.getByRole('tree', { name: 'Customer groups' }).getByRole('treeitem', { name: new RegExp(`\\b${name}\\b`) });
}

/** Right-click a group, then pick one of the actions its menu offers. */
async function menuAction(page: Page, group: string, action: RegExp) {
  await treeItem(page, group).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: `Actions for ${group}` });
  await menu.getByRole('menuitem', { name: action }).click();
}

async function addGroup(page: Page, parent: string, kind: string, name: string) {
  await menuAction(page, parent, new RegExp(`^Add ${kind}`));
  const dialog = page.getByRole('dialog', { name: `Add a group to ${parent}` });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await expect(dialog.getByLabel('Kind')).toHaveValue(kind.replace('-', '_'));
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: `Add ${kind}` }).click();
  await expect(dialog).toBeHidden();
  // The new group is shown, selected, under its parent.
  await expect(treeItem(page, name)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

test('customers: build the tree, refuse removing a non-empty group, move a reseller, brand the root', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Customers' })).toBeVisible();

  // The root is there with its Owner counted, and the empty tree says what to do next.
  await expect(treeItem(page, ROOT)).toHaveAttribute('aria-level', '1');
  await expect(treeItem(page, ROOT)).toContainText('1');
  await expect(page.getByText(`Nothing inside ${ROOT} yet`)).toBeVisible();

  // distributor → reseller → customer → location, each through the context menu.
  await addGroup(page, ROOT, 'distributor', 'Contoso Distribution');
  await addGroup(page, 'Contoso Distribution', 'reseller', 'Fabrikam Resellers');
  await addGroup(page, 'Fabrikam Resellers', 'customer', 'Tailspin Toys');
  await addGroup(page, 'Tailspin Toys', 'location', 'Tailspin Harbour Office');
  await expect(treeItem(page, 'Tailspin Harbour Office')).toHaveAttribute('aria-level', '5');
  await expect(page.getByRole('navigation', { name: 'Group path' })).toHaveText(
    [ROOT, 'Contoso Distribution', 'Fabrikam Resellers', 'Tailspin Toys', 'Tailspin Harbour Office'].join(''),
  );

  // The menu offers only what fits: a location holds departments, nothing else.
  await treeItem(page, 'Tailspin Harbour Office').click({ button: 'right' });
  const locationMenu = page.getByRole('menu', { name: 'Actions for Tailspin Harbour Office' });
  await expect(locationMenu.getByRole('menuitem')).toHaveText(['Add department…', 'Rename…', 'Move…', 'Remove…']);
  await page.keyboard.press('Escape');
  await expect(locationMenu).toBeHidden();

  // Keyboard: the tree pattern's keys, and Shift+F10 opens the same menu.
  await treeItem(page, ROOT).click();
  await page.keyboard.press('End');
  await expect(page.getByRole('tree')).toHaveAttribute(
    'aria-activedescendant',
    (await treeItem(page, 'Tailspin Harbour Office').getAttribute('id')) ?? '',
  );
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Contoso Distribution' })).toBeVisible();
  await page.keyboard.press('Shift+F10');
  const keyboardMenu = page.getByRole('menu', { name: 'Actions for Contoso Distribution' });
  await expect(keyboardMenu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(keyboardMenu.getByRole('menuitem', { name: 'Remove…' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(keyboardMenu).toBeHidden();
  await expect(page.getByRole('tree')).toBeFocused();

  // Search shows matches with their ancestors, and says so when nothing matches.
  const search = page.getByLabel('Find a group');
  await search.fill('harbour');
  await expect(page.getByRole('treeitem')).toHaveCount(5);
  await expect(page.getByText('1 group matches')).toBeVisible();
  await search.fill('zzz');
  await expect(page.getByText('No groups match “zzz”')).toBeVisible();
  await search.fill('');
  await expect(page.getByRole('treeitem')).toHaveCount(5);

  // A group with groups inside cannot be removed: the dialog says so, and its red button is disabled (issue 15, finding 14).
  await menuAction(page, 'Contoso Distribution', /^Remove/);
  const removal = page.getByRole('dialog', { name: 'Remove “Contoso Distribution”?' });
  await expect(removal.getByTestId('remove-blocked')).toContainText('It cannot be removed: it still has 1 child group');
  await expect(removal.getByRole('button', { name: 'Remove group' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(removal).toBeHidden();
  await expect(treeItem(page, 'Contoso Distribution')).toBeVisible();

  // Move the reseller under a second distributor.
  await addGroup(page, ROOT, 'distributor', 'Woodgrove Distribution');
  await menuAction(page, 'Fabrikam Resellers', /^Move/);
  const move = page.getByRole('dialog', { name: 'Move “Fabrikam Resellers”' });
  await move.getByRole('combobox', { name: 'New parent group' }).fill('Woodgrove');
  await move.getByRole('option', { name: /Woodgrove Distribution/ }).click();
  await expect(move.getByText(`Chosen: ${ROOT} › Woodgrove Distribution`)).toBeVisible();
  await move.getByRole('button', { name: 'Move here' }).click();
  await expect(move).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Group path' })).toHaveText(
    [ROOT, 'Woodgrove Distribution', 'Fabrikam Resellers'].join(''),
  );
  await expect(treeItem(page, 'Fabrikam Resellers')).toHaveAttribute('aria-level', '3');
  // Contoso is now a leaf; collapsing Woodgrove hides the reseller, so it really sits there.
  await expect(treeItem(page, 'Contoso Distribution')).not.toHaveAttribute('aria-expanded', /.*/);
  await expect(treeItem(page, 'Woodgrove Distribution')).toHaveAttribute('aria-expanded', 'true');
  await treeItem(page, 'Woodgrove Distribution').click();
  await page.keyboard.press('ArrowLeft');
  await expect(treeItem(page, 'Woodgrove Distribution')).toHaveAttribute('aria-expanded', 'false');
  await expect(treeItem(page, 'Fabrikam Resellers')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(treeItem(page, 'Fabrikam Resellers')).toBeVisible();

  // Branding the root (the Owner's home group): live preview first, the shell after saving.
  await treeItem(page, ROOT).click();
  await page.getByRole('tab', { name: 'Branding' }).click();
  await page.getByLabel('Product name').fill('Northwind Vault');
  await page.getByLabel('Primary colour').fill('#0b6e4f');
  const preview = page.getByTestId('branding-preview');
  await expect(preview.getByTestId('branding-preview-name')).toHaveText('Northwind Vault');
  await expect(preview.locator('.preview-header')).toHaveCSS('background-color', 'rgb(11, 110, 79)');
  await expect(preview).toContainText('not saved yet');
  // A logo that is too large is refused before it is sent; a small one shows in the preview.
  await page.getByLabel('Logo').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(210 * 1024, 1) });
  await expect(page.getByText('“huge.png” is 210 KB; a logo may be at most 200 KB. Choose a smaller image.')).toBeVisible();
  await page.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: TINY_PNG });
  await expect(preview.getByRole('img', { name: 'Northwind Vault logo' })).toBeVisible();
  // Not saved yet: the shell still shows Steward.
  await expect(page.getByTestId('product-name')).toHaveText('Steward');

  await page.getByRole('button', { name: 'Save branding' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Branding saved.' })).toBeVisible();
  await expect(page.getByTestId('product-name')).toHaveText('Northwind Vault');
  await expect(page.locator('.shell-header')).toHaveCSS('background-color', 'rgb(11, 110, 79)');

  // After a reload the server still answers with the branding for the Owner's home group.
  await page.reload();
  await expect(page.getByTestId('product-name')).toHaveText('Northwind Vault');
  await expect(page.locator('.shell-header').getByRole('img', { name: 'Northwind Vault logo' })).toBeVisible();
  await expect(page.locator('.shell-header')).toHaveCSS('background-color', 'rgb(11, 110, 79)');
  await expect(page).toHaveTitle('Northwind Vault');
});

test('access: the Owner is allowed, with the reason, and appears in who-can', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
  await expect(page.getByText(`Chosen: ${OWNER.fullName}`)).toBeVisible();
  await page.getByLabel('Permission', { exact: true }).selectOption('groups.manage');
  await page.getByRole('button', { name: 'Check' }).click();
  const decision = page.getByTestId('access-decision');
  await expect(decision).toContainText('Allowed');
  await expect(decision).toContainText('Owner');
  await expect(page.getByRole('table', { name: 'Who can' })).toContainText(OWNER.username);
  // Effective permissions at the root: the Owner holds every area in full.
  const effective = page.getByRole('table', { name: 'Effective permissions by area' });
  await expect(effective.getByRole('row', { name: /Customer groups/ })).toContainText('Full');
});
