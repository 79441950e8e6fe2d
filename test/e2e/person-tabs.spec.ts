import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { firstSignIn, memberRow, openScreen, signInWithCode } from './team-steps';
import { memberByApi, rootGroupId } from './world-steps';

test('issue 15: a person’s page is tabs with their own addresses; Sessions lists where they are signed in and signs them out everywhere', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const { id: carolId, password } = await memberByApi(page, {
    username: 'carol',
    fullName: 'Carol Chen',
    homeGroupId: await rootGroupId(page),
    roleId: 'builtin-viewer',
  });
  // Carol signs in from two browsers.
  const { page: carol, secret } = await firstSignIn(browser, steward.url, 'carol', password);
  const second = await (await browser.newContext()).newPage();
  await second.goto(steward.url);
  await signInWithCode(second, 'carol', password, secret);

  await openScreen(page, 'Team');
  await memberRow(page, 'carol').getByRole('button', { name: 'carol', exact: true }).click();
  const tabs = page.getByRole('tablist', { name: 'About Carol Chen' });
  await expect(tabs.getByRole('tab')).toHaveText(['Overview', 'Roles', 'Devices', 'Sessions', 'Activity']);
  await expect(page).toHaveURL(new RegExp(`#/team/people/${carolId}$`));
  for (const [label, tail] of [
    ['Roles', 'roles'],
    ['Devices', 'devices'],
    ['Activity', 'activity'],
    ['Overview', ''],
  ] as const) {
    await tabs.getByRole('tab', { name: label }).click();
    await expect(page).toHaveURL(new RegExp(`#/team/people/${carolId}${tail ? `/${tail}` : ''}$`));
    await expect(tabs.getByRole('tab', { name: label })).toHaveAttribute('aria-selected', 'true');
  }

  // A tab's address opens that tab, also after a reload.
  await page.goto(`${steward.url}#/team/people/${carolId}/sessions`);
  await page.reload();
  await expect(tabs.getByRole('tab', { name: 'Sessions' })).toHaveAttribute('aria-selected', 'true');
  const sessions = page.getByRole('table', { name: 'Sessions of Carol Chen' });
  await expect(sessions.getByRole('row')).toHaveCount(1 + 2);
  await expect(sessions).toContainText('Web console');

  await page.getByRole('button', { name: 'Sign out everywhere…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Sign Carol Chen out everywhere?' });
  await expect(confirm).toContainText('2 sessions end at once');
  await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 sessions ended.' })).toBeVisible();
  await expect(page.getByTestId('sessions-none')).toHaveText('Carol Chen is not signed in anywhere.');
  for (const signedOut of [carol, second]) {
    await signedOut.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile', exact: true }).click();
    await expect(signedOut.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  }

  // One's own page: this session is marked, and is the one kept.
  await page.getByRole('button', { name: '‹ Back to members' }).click();
  await memberRow(page, OWNER.username).getByRole('button', { name: OWNER.username, exact: true }).click();
  await page.getByRole('tab', { name: 'Sessions' }).click();
  await expect(page.getByRole('table', { name: `Sessions of ${OWNER.fullName}` })).toContainText('This session');
  await expect(page.getByRole('button', { name: 'Sign out everywhere else…' })).toBeDisabled();
});
