import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import { expect } from './console';

const HEADINGS = { Audit: 'Audit', Hygiene: 'Access hygiene', Customers: 'Customers', Team: 'Team' } as const;

/** A screen from the main navigation; the hygiene screen's button is short, its heading says what it is about. */
export async function openNavScreen(page: Page, label: keyof typeof HEADINGS) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: HEADINGS[label] })).toBeVisible();
}

/** A new customer straight under `parent`, through the tree's context menu. */
/** Adds a customer through the tree's menu; with `ownerEmail`, the dialog sends its Owner invitation. */
export async function addCustomer(page: Page, parent: string, name: string, ownerEmail?: string) {
  const tree = page.getByRole('tree', { name: 'Customer groups' });
  await tree
    .getByRole('treeitem', { name: new RegExp(parent) })
    .first()
    .click({ button: 'right' });
  await page
    .getByRole('menu', { name: `Actions for ${parent}` })
    .getByRole('menuitem', { name: /^Add customer/ })
    .click();
  const dialog = page.getByRole('dialog', { name: `Add a group to ${parent}` });
  await dialog.getByLabel('Name').fill(name);
  if (ownerEmail) await dialog.getByLabel('Owner’s email').fill(ownerEmail);
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

export function auditTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Audit events' });
}

/** The event rows the table has rendered (it is virtualized: those in view, and a few around). */
export function auditRows(page: Page): Locator {
  return auditTable(page).locator('tr.audit-row');
}

/** The count line over the list, once it answers the filters set (the list is not stale). */
export async function settledCount(page: Page): Promise<string> {
  await expect(page.locator('.audit-scroll.stale')).toHaveCount(0);
  const count = page.getByTestId('audit-count');
  await expect(count).toHaveText(/\d/);
  return (await count.textContent()) ?? '';
}

/** Pick the person filter through its dialog. */
export async function choosePerson(page: Page, search: string, fullName: string) {
  await page.getByRole('button', { name: 'Choose a person…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Filter by person' });
  await dialog.getByRole('combobox', { name: 'Person' }).fill(search);
  await dialog.getByRole('option', { name: new RegExp(fullName) }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('audit-person')).toHaveText(fullName);
}

/**
 * What an attacker with the file would do: lift the append-only trigger and rewrite an
 * event in place, bypassing Steward, while the console keeps running.
 */
export function tamperWithEvent(dataDir: string, seq: number): void {
  const db = new Database(join(dataDir, 'steward.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.exec('DROP TRIGGER audit_events_no_update');
    const changed = db.prepare("UPDATE audit_events SET action = 'tampered' WHERE seq = ?").run(seq).changes;
    expect(changed).toBe(1);
  } finally {
    db.close();
  }
}

/** Create user with their home group (and so the role's scope) in `group`; returns the password shown once. */
export async function createUserIn(page: Page, user: { username: string; email: string; role: string }, group: string): Promise<string> {
  await page.getByRole('button', { name: 'Create user…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create user' });
  await dialog.getByLabel('Username').fill(user.username);
  await dialog.getByLabel('Email').fill(user.email);
  await dialog.getByRole('combobox', { name: 'Home group' }).fill(group);
  await dialog
    .getByRole('listbox', { name: 'Home group' })
    .getByRole('option', { name: new RegExp(`^\\w+ ${group} `) })
    .click();
  await dialog.getByLabel('Role', { exact: true }).selectOption({ label: user.role });
  await expect(dialog.getByTestId('scope-text')).toContainText(new RegExp(`whole subtree of (.* › )?${group}, `));
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const shown = page.getByRole('dialog', { name: `Account created for ${user.username}` });
  const password = ((await shown.getByTestId('shown-password').textContent()) ?? '').trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  return password;
}
