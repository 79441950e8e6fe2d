import type { Page } from '@playwright/test';
import { accessibilityProblems, failOnProblems } from './axe';
import { expect, test } from './console';
import { enrollAuthenticator, OWNER, saveRecoveryCodes, signInWithPassword, submitSetupForm } from './owner';
import { api } from './team-steps';
import { prepareInstallation, stops, visit } from './tour';

/** What every place of the console is checked for, gathered so that one run reports every place that fails. */
class Inspection {
  readonly problems: string[] = [];

  constructor(private readonly page: Page) {}

  /** `page`: another browser's page (an invitee's), looked at the same way. */
  async look(name: string, page: Page = this.page): Promise<void> {
    this.problems.push(...(await accessibilityProblems(page, name)));
  }
}

test('issue 15: the signed-out screens have no serious or critical axe violation', async ({ page, steward, browser }) => {
  test.setTimeout(300_000);
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const inspection = new Inspection(page);

  await page.goto(steward.url);
  await expect(page.getByRole('heading', { name: 'Set up Steward' })).toBeVisible();
  await inspection.look('setup');
  await page.getByRole('button', { name: 'Connect to a hub instead' }).click();
  await expect(page.getByRole('heading', { name: 'Connect to a hub' })).toBeVisible();
  await inspection.look('connect-to-hub');
  await page.getByRole('button', { name: 'Back' }).click();

  await submitSetupForm(page);
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  await inspection.look('enroll');
  await enrollAuthenticator(page);
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await inspection.look('recovery-codes');
  await saveRecoveryCodes(page);

  const { groups } = await api<{ groups: Array<{ id: string }> }>(page, 'groups.tree', {});
  const { roles } = await api<{ roles: Array<{ id: string; name: string }> }>(page, 'roles.list', {});
  const { link } = await api<{ link?: string }>(page, 'invitations.create', {
    email: 'vera@northwind.test',
    roleId: roles.find((r) => r.name === 'Viewer')?.id,
    groupId: groups[0]?.id,
  });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await inspection.look('sign-in');
  await signInWithPassword(page, OWNER.username, OWNER.password);
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  await inspection.look('two-step-code');
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await expect(page.getByLabel('Recovery code')).toBeVisible();
  await inspection.look('two-step-recovery-code');

  const invited = await (await browser.newContext()).newPage();
  await invited.goto(link ?? '');
  await expect(invited.getByRole('heading', { name: `Join ${OWNER.organization}` })).toBeVisible();
  await inspection.look('accept-invitation', invited);
  failOnProblems(inspection.problems);
});

test('issue 15: axe finds no serious or critical violation on any screen or object page', async ({ page, steward, browser }) => {
  test.setTimeout(600_000);
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const at = await prepareInstallation(page, steward.url, browser);
  const inspection = new Inspection(page);
  for (const stop of stops(at)) {
    await visit(page, steward.url, stop);
    await inspection.look(stop.name);
  }
  failOnProblems(inspection.problems);
});
