import { generate } from 'otplib';
import type { Page } from '@playwright/test';
import { expect } from './console';

export interface OwnerDetails {
  organization: string;
  username: string;
  email: string;
  fullName: string;
  password: string;
}

export const OWNER: OwnerDetails = {
  organization: 'Northwind Backup',
  username: 'olivia',
  email: 'olivia@northwind.test',
  fullName: 'Olivia Owner',
  password: 'seven quiet harbours at dawn',
};

/** The code an authenticator would show `stepsAhead` periods from now. */
export async function code(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}

export async function signInWithPassword(page: Page, login: string, password: string) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** Fills the first-run form and submits it; `overrides` lets a test send a mistake first. */
export async function submitSetupForm(page: Page, owner: OwnerDetails = OWNER, overrides: Partial<OwnerDetails> = {}) {
  const values = { ...owner, ...overrides };
  await page.getByLabel('Organization name').fill(values.organization);
  await page.getByLabel('Username').fill(values.username);
  await page.getByLabel('Email').fill(values.email);
  await page.getByLabel('Full name').fill(values.fullName);
  await page.getByLabel('Password', { exact: true }).fill(values.password);
  await page.getByLabel('Confirm password').fill(values.password);
  await page.getByRole('button', { name: 'Create organization and account' }).click();
}

/** Enrollment: the key is shown in text next to the QR code; the test is the authenticator. Returns the secret. */
export async function enrollAuthenticator(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const shownKey = (await page.getByTestId('totp-key').textContent()) ?? '';
  const secret = shownKey.replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from the app').fill(await code(secret));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  return secret;
}

/** Ten recovery codes, shown once; continuing needs an explicit acknowledgement. Returns the codes. */
export async function saveRecoveryCodes(page: Page): Promise<string[]> {
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  const recoveryCodes = (await page.getByRole('list', { name: 'Recovery codes' }).locator('code').allTextContents()).map((c) => c.trim());
  expect(recoveryCodes).toHaveLength(10);
  await expect(page.getByRole('button', { name: 'Continue to Steward' })).toBeDisabled();
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Continue to Steward' }).click();
  return recoveryCodes;
}

/** First run end to end: setup form, enrollment, recovery codes, and into the shell as the Owner. */
export async function setUpOwner(
  page: Page,
  url: string,
  owner: OwnerDetails = OWNER,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Set up Steward' })).toBeVisible();
  await submitSetupForm(page, owner);
  const secret = await enrollAuthenticator(page);
  const recoveryCodes = await saveRecoveryCodes(page);
  await expect(page.getByTestId('root-group')).toHaveText(owner.organization);
  return { secret, recoveryCodes };
}
