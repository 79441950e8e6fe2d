import type { Locator, Page } from '@playwright/test';
import { expect, test } from './console';
import { devicesTable, fleet, fleetCsv, importFleet, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';
import { api } from './team-steps';

test('issue 15 keyboard: skip link, a device panel opened with Enter takes focus, Escape closes it', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  await openDevices(page);
  await importFleet(page, 'fleet.csv', fleetCsv(fleet(6), OWNER.organization), 6);

  // The first Tab offers the skip link; following it puts focus on the screen, past the header and navigation.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();

  const link = devicesTable(page).getByRole('button', { name: 'dev-0003' });
  await link.focus();
  await page.keyboard.press('Enter');
  const title = page.getByRole('heading', { level: 2, name: 'dev-0003' });
  await expect(title).toBeFocused();
  await expect(page).toHaveURL(/#\/devices\/[^/]+$/);

  // The panel shows the id with a copy button, and who can see the device.
  const panel = page.getByRole('complementary', { name: 'dev-0003' });
  await expect(panel.getByTestId('object-id')).toHaveText(/\S+/);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page).toHaveURL(/#\/devices$/);

  await link.press('Enter');
  const id = (await panel.getByTestId('object-id').textContent()) ?? '';
  await panel.getByRole('link', { name: 'Who can access this' }).click();
  await expect(page).toHaveURL(new RegExp(`#/access\\?who=device%3A${id}|#/access\\?who=device:${id}`));
  await expect(page.getByRole('heading', { name: 'Who can' })).toBeVisible();
  await expect(page.getByText(OWNER.fullName).last()).toBeVisible();
});

test('issue 15: the focus ring has at least 3:1 contrast with the page behind it', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  const ring = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--focus').trim());
  const channel = (hex: string, at: number) => {
    const c = parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  expect(ring).toMatch(/^#[0-9a-f]{6}$/i);
  for (const background of ['#ffffff', '#f5f6f8']) expect(contrast(ring, background)).toBeGreaterThanOrEqual(3);
});

/** Presses Tab (or Shift+Tab) until `target` has focus: it must be reachable from where focus is, within `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${target.toString()}`);
}

/** The installation the keyboard tests work in: 6 devices at the root, a member to assign them to, a custom role. */
async function prepare(page: Page, url: string) {
  await setUpOwner(page, url);
  const { groups } = await api<{ groups: Array<{ id: string }> }>(page, 'groups.tree', {});
  const rootId = groups[0]?.id ?? '';
  const { roles } = await api<{ roles: Array<{ id: string; name: string }> }>(page, 'roles.list', {});
  await api(page, 'devices.import', { format: 'csv', content: fleetCsv(fleet(6), OWNER.organization), mode: 'all-or-nothing' });
  await api(page, 'users.create', {
    username: 'otto',
    email: 'otto@northwind.test',
    fullName: 'Otto Operator',
    homeGroupId: rootId,
    bindings: [{ roleId: roles.find((r) => r.name === 'Operator')?.id, groupId: rootId }],
  });
  const { id: roleId } = await api<{ id: string }>(page, 'roles.create', {
    ownerGroupId: rootId,
    name: 'Helpdesk',
    deviceVisibility: 'scope',
    permissions: ['devices.view'],
  });
  return { roleId };
}

test('issue 15 keyboard: ticking rows and the header with Space, a device panel, and a bulk assignment, focus asserted at each step', async ({
  page,
  steward,
}) => {
  await prepare(page, steward.url);
  await page.goto(`${steward.url}#/devices`);
  await page.reload();
  const table = devicesTable(page);
  await expect(table.getByRole('button', { name: 'dev-0006' })).toBeVisible();

  // Space ticks and unticks, twice each: the checkbox keeps focus though the row is drawn again.
  const header = table.getByRole('checkbox').first();
  await tabTo(page, header);
  await page.keyboard.press('Space');
  await expect(header).toBeChecked();
  await expect(header).toBeFocused();
  await page.keyboard.press('Space');
  await expect(header).not.toBeChecked();
  await expect(header).toBeFocused();
  const row = table.getByRole('checkbox', { name: 'Select dev-0002' });
  await tabTo(page, row);
  await page.keyboard.press('Space');
  await expect(row).toBeChecked();
  await expect(row).toBeFocused();
  await page.keyboard.press('Space');
  await expect(row).not.toBeChecked();
  await expect(row).toBeFocused();

  // Enter opens the device's panel and puts focus on it; Escape closes it and gives focus back to the link.
  const link = table.getByRole('button', { name: 'dev-0002' });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'dev-0002' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary', { name: 'dev-0002' })).toBeHidden();
  await expect(link).toBeFocused();

  // A bulk assignment: the dry run, then the job, each takes focus when it replaces the step before.
  await tabTo(page, row, { back: true });
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: 'Assign…', exact: true }));
  await page.keyboard.press('Enter');
  const wizard = page.getByRole('dialog', { name: /^Assign / });
  const members = wizard.getByRole('combobox', { name: 'Members' });
  await expect(members).toBeFocused();
  await page.keyboard.type('otto');
  await expect(wizard.getByRole('option', { name: /otto/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(wizard.getByRole('list', { name: 'Chosen members' })).toContainText('Otto Operator');
  await tabTo(page, wizard.getByRole('button', { name: 'Dry run' }));
  await page.keyboard.press('Enter');
  await expect(wizard.getByRole('heading', { name: 'Dry run: nothing has changed yet' })).toBeFocused();
  await tabTo(page, wizard.getByRole('button', { name: 'Assign: run the job' }));
  await page.keyboard.press('Enter');
  await expect(wizard.getByTestId('job-view').locator('.job-summary')).toBeFocused();
  await expect(wizard.getByTestId('job-state')).toHaveText(/^Done/);
  await page.keyboard.press('Escape');
  await expect(wizard).toBeHidden();
  // The job cleared the selection, so Assign… is disabled: focus waits on the main content, not on the page.
  await expect(page.locator('#main-content')).toBeFocused();
});

test('issue 15 keyboard: a role matrix edited and saved, someone invited, Access › Check, a member opened and left', async ({
  page,
  steward,
}) => {
  const { roleId } = await prepare(page, steward.url);
  await page.goto(`${steward.url}#/roles/${roleId}`);
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Helpdesk' })).toBeVisible();

  // Down the matrix with the arrow keys: the sticky save bar never covers the row that has focus.
  const matrix = page.getByRole('table', { name: 'Permission matrix' });
  const saveBar = page.getByRole('group', { name: 'Unsaved changes' });
  await tabTo(page, matrix.getByRole('radiogroup').first().getByRole('radio', { checked: true }));
  const rows = await matrix.getByRole('radiogroup').count();
  for (let i = 1; i < rows; i++) {
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getBoundingClientRect().bottom ?? 0);
    const bar = (await saveBar.boundingBox())?.y ?? 0;
    expect(focused, `row ${i} is above the save bar`).toBeLessThanOrEqual(bar);
  }
  // A level changed with the arrow keys within the row; review and save without the mouse.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('draft-changes')).toContainText('Unsaved');
  await tabTo(page, saveBar.getByRole('button', { name: 'Review and save…' }));
  await page.keyboard.press('Enter');
  const review = page.getByRole('dialog', { name: 'Save changes to Helpdesk?' });
  await expect(review.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await tabTo(page, review.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expect(review).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Helpdesk saved as version 2.' })).toBeVisible();
  // Its buttons are disabled once saved: focus stays in the save bar.
  await expect(saveBar).toBeFocused();

  // Inviting someone.
  await page.goto(`${steward.url}#/team`);
  const invite = page.getByRole('button', { name: 'Invite member…' });
  await tabTo(page, invite);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Invite member' });
  await expect(dialog.getByLabel('Email')).toBeFocused();
  await page.keyboard.type('quinn@northwind.test');
  await tabTo(page, dialog.getByLabel('Role', { exact: true }));
  await page.keyboard.type('Viewer');
  await expect(dialog.getByLabel('Role', { exact: true })).toHaveValue(/.+/);
  await tabTo(page, dialog.getByRole('button', { name: 'Invite', exact: true }));
  await page.keyboard.press('Enter');
  const sent = page.getByRole('dialog', { name: 'Invitation for quinn@northwind.test' });
  await expect(sent).toBeVisible();
  await expect(sent.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(sent).toBeHidden();
  await expect(invite).toBeFocused();

  // Opening a member from the grid puts focus on their page; going back puts it on their link.
  const ottoLink = page.getByRole('table', { name: 'Members' }).getByRole('button', { name: 'otto', exact: true });
  await tabTo(page, ottoLink);
  await page.keyboard.press('Enter');
  const title = page.getByRole('heading', { level: 2, name: 'Otto Operator' });
  await expect(title).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: '‹ Back to members' }), { back: true });
  await page.keyboard.press('Enter');
  await expect(ottoLink).toBeFocused();

  // Access › Check: the answer takes focus.
  await page.goto(`${steward.url}#/access`);
  await tabTo(page, page.getByRole('button', { name: 'Check' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Answer' })).toBeFocused();
  await expect(page.getByTestId('access-decision')).toContainText('Allowed');
});
