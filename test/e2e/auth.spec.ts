import { generate } from 'otplib';
import type { Page } from '@playwright/test';
import { expect, test } from './console';

const OWNER = {
  organization: 'Northwind Backup',
  username: 'olivia',
  email: 'olivia@northwind.test',
  fullName: 'Olivia Owner',
  password: 'seven quiet harbours at dawn',
};

/** The code an authenticator would show `stepsAhead` periods from now. */
async function code(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}

async function signInWithPassword(page: Page, login: string, password: string) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

test('first run: setup, enrollment, recovery codes, sign-in with password and code, refusals, recovery code once', async ({
  page,
  steward,
}) => {
  await page.goto(steward.url);
  await expect(page.getByRole('heading', { name: 'Set up Steward' })).toBeVisible();

  // A mistake in the form is shown next to its field and nothing is created.
  await page.getByLabel('Organization name').fill(OWNER.organization);
  await page.getByLabel('Username').fill(OWNER.username);
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Full name').fill(OWNER.fullName);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByLabel('Confirm password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create organization and account' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByRole('button', { name: 'Create organization and account' }).click();

  // Enrollment: the key is shown in text next to the QR code; the test is the authenticator.
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const shownKey = (await page.getByTestId('totp-key').textContent()) ?? '';
  const secret = shownKey.replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from the app').fill(await code(secret));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();

  // Ten recovery codes, shown once; continuing needs an explicit acknowledgement.
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  const recoveryCodes = (await page.getByRole('list', { name: 'Recovery codes' }).locator('code').allTextContents()).map((c) => c.trim());
  expect(recoveryCodes).toHaveLength(10);
  await expect(page.getByRole('button', { name: 'Continue to Steward' })).toBeDisabled();
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Continue to Steward' }).click();
  await expect(page.getByTestId('root-group')).toHaveText(OWNER.organization);
  await signOut(page);

  // A wrong password is refused with a clear message.
  await signInWithPassword(page, OWNER.username, 'this is not my password');
  await expect(page.getByRole('alert')).toHaveText('The username, email or password is not right');

  // Password, then a wrong code, then the right one (the next step: the enrollment code used this one).
  await signInWithPassword(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  const next = await code(secret, 1);
  await page.getByLabel('Authentication code').fill(next === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not right');
  await page.getByLabel('Authentication code').fill(next);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('root-group')).toHaveText(OWNER.organization);
  await expect(page.getByTestId('signed-in-user')).toHaveText(OWNER.fullName);
  await signOut(page);

  // The same code again is refused as reused.
  await signInWithPassword(page, OWNER.username, OWNER.password);
  await page.getByLabel('Authentication code').fill(next);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('already used');

  // A recovery code works once.
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('root-group')).toHaveText(OWNER.organization);
  await signOut(page);
  await signInWithPassword(page, OWNER.username, OWNER.password);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('not valid or was already used');
});

test('restarting the web console keeps accounts and the throttle on failed sign-ins', async ({ page, steward }) => {
  await page.goto(steward.url);
  await page.getByLabel('Organization name').fill(OWNER.organization);
  await page.getByLabel('Username').fill(OWNER.username);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Full name').fill(OWNER.fullName);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByLabel('Confirm password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create organization and account' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel and sign out' }).click();

  for (let i = 1; i <= 5; i++) await signInWithPassword(page, OWNER.username, `wrong guess number ${i}`);
  await expect(page.getByRole('alert')).toContainText('Too many failed attempts');

  await steward.restart();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signInWithPassword(page, OWNER.username, OWNER.password);
  await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
});
