import type { Browser, Locator, Page } from '@playwright/test';
import { expect } from './console';
import { code, enrollAuthenticator, saveRecoveryCodes, signInWithPassword } from './owner';

export async function openScreen(page: Page, name: 'Team' | 'Settings' | 'Profile' | 'Customers') {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

export function membersTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Members' });
}

export function memberRow(page: Page, username: string): Locator {
  return membersTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: username, exact: true }) });
}

/** Create user (seed 002) through the dialog; returns the password shown once. */
export async function createUser(page: Page, user: { username: string; email: string; fullName: string; role: string }): Promise<string> {
  await page.getByRole('button', { name: 'Create user…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create user' });
  await dialog.getByLabel('Username').fill(user.username);
  await dialog.getByLabel('Email').fill(user.email);
  await dialog.getByLabel('Full name (optional)').fill(user.fullName);
  await dialog.getByLabel('Role', { exact: true }).selectOption({ label: user.role });
  // The scope is spelled out, never left empty to mean everything.
  await expect(dialog.getByTestId('scope-text')).toContainText('whole subtree of');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const shown = page.getByRole('dialog', { name: `Account created for ${user.username}` });
  await expect(shown.getByText('It will not be shown again.')).toBeVisible();
  const password = ((await shown.getByTestId('shown-password').textContent()) ?? '').trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  return password;
}

/** A first sign-in with a handed-over password: password, mandatory enrollment, recovery codes, shell. Returns the TOTP secret. */
export async function firstSignIn(browser: Browser, url: string, login: string, password: string): Promise<{ page: Page; secret: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await signInWithPassword(page, login, password);
  const secret = await enrollAuthenticator(page);
  await saveRecoveryCodes(page);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  return { page, secret };
}

/** Password and then the next authenticator code (the previous step is already spent). */
export async function signInWithCode(page: Page, login: string, password: string, secret: string) {
  await signInWithPassword(page, login, password);
  await page.getByLabel('Authentication code').fill(await code(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Invite through the dialog and expect the mail to have gone out. */
export async function invite(page: Page, email: string, role: string, scope: string) {
  await page.getByRole('button', { name: 'Invite member…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite member' });
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await expect(dialog.getByTestId('scope-text')).toContainText(`whole subtree of ${scope}, including future groups`);
  await dialog.getByRole('button', { name: 'Invite' }).click();
  const sent = page.getByRole('dialog', { name: `Invitation for ${email}` });
  await expect(sent.getByText(`An invitation email went to ${email}`)).toBeVisible();
  await sent.getByRole('button', { name: 'Done' }).click();
  await expect(sent).toBeHidden();
}

export function invitationRow(page: Page, email: string) {
  return page.getByRole('table', { name: 'Invitations' }).getByRole('row').filter({ hasText: email });
}

/**
 * The company's Owner accepts their Owner invitation in a browser of their own (R11: a
 * company takes other members only once its Owner has joined). Stops at enrollment: the
 * account exists and holds the Owner role.
 */
export async function acceptOwnerInvitation(browser: Browser, link: string, username: string): Promise<void> {
  const context = await browser.newContext();
  const owner = await context.newPage();
  await owner.goto(link);
  await owner.getByLabel('Username').fill(username);
  await owner.getByLabel('Full name').fill(`${username} Owner`);
  await owner.getByLabel('Password', { exact: true }).fill('a quiet harbour under snow');
  await owner.getByLabel('Confirm password').fill('a quiet harbour under snow');
  await owner.getByRole('button', { name: 'Accept and create account' }).click();
  const enrolling = owner.getByRole('heading', { name: 'Set up two-step verification' });
  await expect(enrolling.or(owner.getByRole('alert').first())).toBeVisible();
  if (!(await enrolling.isVisible()))
    throw new Error(`accepting the Owner invitation failed: ${await owner.getByRole('alert').first().textContent()}`);
  await context.close();
}

/** Calls the API from the signed-in page, as the console itself does (session cookie and CSRF header); set-up only. */
export async function api<T>(page: Page, name: string, input: unknown): Promise<T> {
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

/** A fresh link for the pending invitation to `email` (resending replaces the link), as the signed-in page. */
export async function resendLink(page: Page, email: string): Promise<string> {
  const { invitations } = await api<{ invitations: Array<{ id: string; email: string; status: string; version: number }> }>(
    page,
    'invitations.list',
    {},
  );
  const pending = invitations.find((i) => i.email === email && i.status === 'pending');
  if (!pending) throw new Error(`no pending invitation to ${email}`);
  const { link } = await api<{ link?: string }>(page, 'invitations.resend', { id: pending.id, baseVersion: pending.version });
  if (!link) throw new Error(`the invitation to ${email} was mailed, not handed back`);
  return link;
}
