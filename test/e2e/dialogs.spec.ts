import type { Locator, Page } from '@playwright/test';
import { accessibilityProblems, failOnProblems } from './axe';
import { expect, test } from './console';
import { devicesTable } from './devices-steps';
import { OWNER } from './owner';
import { CUSTOMER, INVITED, MEMBER, prepareInstallation, type Installation } from './tour';

/**
 * One dialog of the console: where it opens from, how, and its accessible name. After axe has
 * looked at it, `close` leaves it (Escape unless the dialog is a step that must be finished).
 */
interface Opening {
  name: string;
  from: string;
  open: (page: Page) => Promise<void>;
  dialog: string | RegExp;
  close?: (dialog: Locator) => Promise<void>;
}

const click = (name: string) => async (page: Page) => {
  await page.getByRole('button', { name, exact: true }).first().click();
};

/** Every dialog the console opens, each from where a person would open it. */
function openings(at: Installation): Opening[] {
  const person = `/team/people/${at.memberId}`;
  const customer = `/customers/${at.customerId}`;
  return [
    { name: 'add-group', from: customer, open: click('Add group…'), dialog: `Add a group to ${CUSTOMER}` },
    { name: 'move-group', from: customer, open: click('Move…'), dialog: `Move “${CUSTOMER}”` },
    { name: 'remove-group', from: customer, open: click('Remove…'), dialog: `Remove “${CUSTOMER}”?` },
    {
      name: 'rename-group',
      from: customer,
      open: async (page) => {
        await page
          .getByRole('tree', { name: 'Customer groups' })
          .getByRole('treeitem', { name: new RegExp(CUSTOMER) })
          .click({ button: 'right' });
        await page
          .getByRole('menu', { name: `Actions for ${CUSTOMER}` })
          .getByRole('menuitem', { name: 'Rename…' })
          .click();
      },
      dialog: `Rename “${CUSTOMER}”`,
    },
    { name: 'invite-member', from: '/team', open: click('Invite member…'), dialog: 'Invite member' },
    {
      name: 'invitation-sent',
      from: '/team',
      open: async (page) => {
        await click('Invite member…')(page);
        const dialog = page.getByRole('dialog', { name: 'Invite member' });
        await dialog.getByLabel('Email').fill('quinn@northwind.test');
        await dialog.getByLabel('Role', { exact: true }).selectOption({ label: 'Viewer' });
        await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
      },
      dialog: 'Invitation for quinn@northwind.test',
    },
    { name: 'create-user', from: '/team', open: click('Create user…'), dialog: 'Create user' },
    {
      name: 'account-created',
      from: '/team',
      open: async (page) => {
        await click('Create user…')(page);
        const dialog = page.getByRole('dialog', { name: 'Create user' });
        await dialog.getByLabel('Username').fill('rita');
        await dialog.getByLabel('Email').fill('rita@northwind.test');
        await dialog.getByLabel('Role', { exact: true }).selectOption({ label: 'Viewer' });
        await dialog.getByRole('button', { name: 'Create user', exact: true }).click();
      },
      dialog: 'Account created for rita',
      close: async (dialog) => dialog.getByRole('button', { name: 'Done' }).click(),
    },
    {
      name: 'disable-members',
      from: '/team',
      open: async (page) => {
        await page.getByRole('checkbox', { name: `Select ${MEMBER.username}` }).check();
        await click('Disable login…')(page);
      },
      dialog: 'Disable login for 1 member?',
    },
    {
      name: 'change-role',
      from: '/team',
      open: click(`Operator at ${CUSTOMER}: change the role of ${MEMBER.fullName}`),
      dialog: `Change the role of ${MEMBER.fullName}`,
    },
    {
      name: 'transfer-ownership',
      from: '/team',
      open: click('Transfer ownership…'),
      dialog: `Transfer ownership of ${OWNER.organization}`,
    },
    {
      name: 'revoke-invitation',
      from: '/team/invitations',
      open: click(`Revoke the invitation to ${INVITED}`),
      dialog: `Revoke the invitation to ${INVITED}?`,
    },
    {
      name: 'invitation-resent',
      from: '/team/invitations',
      open: click(`Resend the invitation to ${INVITED}`),
      dialog: `Invitation for ${INVITED}`,
    },
    { name: 'reset-password', from: person, open: click('Reset password…'), dialog: `Reset the password of ${MEMBER.fullName}?` },
    {
      name: 'new-password',
      from: person,
      open: async (page) => {
        await click('Reset password…')(page);
        await page.getByRole('dialog').getByRole('button', { name: 'Reset password', exact: true }).click();
      },
      dialog: `New password for ${MEMBER.fullName}`,
      close: async (dialog) => dialog.getByRole('button').last().click(),
    },
    {
      name: 'reset-two-step',
      from: person,
      open: click('Reset two-step verification…'),
      dialog: `Reset two-step verification for ${MEMBER.fullName}?`,
    },
    {
      name: 'disable-login',
      from: person,
      open: async (page) => page.getByRole('switch', { name: 'Login status' }).click(),
      dialog: `Disable login for ${MEMBER.fullName}?`,
    },
    {
      name: 'make-owner',
      from: person,
      open: click(`Make ${MEMBER.fullName} the Owner of ${CUSTOMER}…`),
      dialog: `Make ${MEMBER.fullName} the Owner of ${CUSTOMER}`,
    },
    { name: 'remove-member', from: person, open: click(`Remove ${MEMBER.fullName}…`), dialog: `Remove ${MEMBER.fullName}?` },
    { name: 'import-devices', from: '/devices', open: click('Import devices…'), dialog: 'Import devices' },
    {
      name: 'assign-devices',
      from: '/devices',
      open: async (page) => {
        await devicesTable(page).getByRole('checkbox', { name: 'Select dev-0002' }).check();
        await click('Assign…')(page);
      },
      dialog: /^Assign/,
    },
    {
      name: 'devices-group-filter',
      from: '/devices',
      open: async (page) => page.getByRole('group', { name: 'Group' }).getByRole('button', { name: 'Choose…' }).click(),
      dialog: 'Filter by group',
    },
    {
      name: 'devices-assignee-filter',
      from: '/devices',
      open: async (page) => page.getByRole('group', { name: 'Assignee' }).getByRole('button', { name: 'Choose…' }).click(),
      dialog: 'Filter by assignee',
    },
    { name: 'bulk-job', from: `/devices/jobs/${at.jobId}`, open: async () => undefined, dialog: 'Bulk job' },
    { name: 'new-role', from: '/roles', open: click('New role…'), dialog: 'New role' },
    { name: 'delete-role', from: '/roles', open: click('Delete Helpdesk'), dialog: 'Delete Helpdesk?' },
    {
      name: 'review-role',
      from: `/roles/${at.helpdeskRoleId}`,
      open: async (page) => {
        await page.getByLabel('Role name').fill('Helpdesk desk');
        await click('Review and save…')(page);
      },
      dialog: 'Save changes to Helpdesk?',
    },
    { name: 'audit-person-filter', from: '/audit', open: click('Choose a person…'), dialog: 'Filter by person' },
    {
      name: 'audit-group-filter',
      from: '/audit',
      open: (page) => page.getByRole('group', { name: 'Group', exact: true }).getByRole('button', { name: 'Choose…' }).click(),
      dialog: 'Filter by group',
    },
    { name: 'audit-retention', from: '/audit', open: click('Change retention…'), dialog: 'Audit retention' },
  ];
}

test('issue 15: axe finds no serious or critical violation in any dialog or menu', async ({ page, steward, browser }) => {
  test.setTimeout(600_000);
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const at = await prepareInstallation(page, steward.url, browser);
  const problems: string[] = [];
  for (const opening of openings(at)) {
    await page.goto(`${steward.url}#${opening.from}`);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    await opening.open(page);
    const dialog = page.getByRole('dialog', { name: opening.dialog });
    await expect(dialog, opening.name).toBeVisible();
    problems.push(...(await accessibilityProblems(page, opening.name, 'dialog[open]')));
    await (opening.close ?? (() => page.keyboard.press('Escape')))(dialog);
    await expect(dialog, `${opening.name} closes`).toBeHidden();
  }

  // The tree's context menu is a popup of its own.
  await page.goto(`${steward.url}#/customers/${at.rootId}`);
  await page
    .getByRole('tree', { name: 'Customer groups' })
    .getByRole('treeitem', { name: new RegExp(OWNER.organization) })
    .click({ button: 'right' });
  await expect(
    page
      .getByRole('menu', { name: `Actions for ${OWNER.organization}` })
      .getByRole('menuitem')
      .first(),
  ).toBeVisible();
  problems.push(...(await accessibilityProblems(page, 'group-menu', '[role="menu"]')));
  failOnProblems(problems);
});
