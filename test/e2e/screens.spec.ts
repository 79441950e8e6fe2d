import type { Locator, Page } from '@playwright/test';
import { accessibilityProblems, failOnProblems } from './axe';
import { expect, test } from './console';
import { enrollAuthenticator, OWNER, saveRecoveryCodes, signInWithPassword, submitSetupForm } from './owner';
import { layoutProblems, screenshot, VIEWPORTS } from './layout';
import { api } from './team-steps';
import { prepareInstallation, stops, visit } from './tour';

/**
 * What every place of the console is checked for, gathered so that one run reports every place
 * that fails: axe at 1440x900; at 1024x700 and at 1440x900 a screenshot (.reports/screenshots/)
 * and the layout (no sideways scrolling; Sign out, every tab and the place's actions reachable).
 */
class Inspection {
  readonly problems: string[] = [];

  constructor(private readonly page: Page) {}

  /** `page`: another browser's page (an invitee's), looked at the same way. */
  async look(name: string, actions: (page: Page) => Locator[] = () => [], page: Page = this.page): Promise<void> {
    this.problems.push(...(await accessibilityProblems(page, name)));
    for (const viewport of VIEWPORTS) {
      await screenshot(page, name, viewport);
      const place = `${name} at ${viewport.width}x${viewport.height}`;
      this.problems.push(...(await layoutProblems(page, place, actions(page))));
    }
    await page.setViewportSize(VIEWPORTS[1]);
  }
}

test('issue 15: the signed-out screens: no serious or critical axe violation, and usable at 1024x700 and 1440x900 (screenshots of each)', async ({
  page,
  steward,
  browser,
}) => {
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
  await invited.setViewportSize({ width: 1440, height: 900 });
  await inspection.look('accept-invitation', () => [], invited);
  failOnProblems(inspection.problems);
});

test('issue 15: every screen, object page and group tab: no serious or critical axe violation; at 1024x700 and 1440x900 no sideways scrolling, Sign out, every tab and its actions reachable (screenshots of each)', async ({
  page,
  steward,
  browser,
}) => {
  test.setTimeout(600_000);
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const at = await prepareInstallation(page, steward.url, browser);
  const inspection = new Inspection(page);
  for (const stop of stops(at)) {
    await visit(page, steward.url, stop);
    await inspection.look(stop.name, stop.actions);
  }
  failOnProblems(inspection.problems);
});
