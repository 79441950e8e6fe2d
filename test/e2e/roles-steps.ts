import type { Locator, Page } from '@playwright/test';
import { expect } from './console';

export function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main' });
}

export async function openRoles(page: Page) {
  await nav(page).getByRole('link', { name: 'Roles', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible();
}

export function matrix(page: Page): Locator {
  return page.getByRole('table', { name: 'Permission matrix' });
}

/** Shows an area's single keys in the matrix (idempotent). */
export async function expandArea(page: Page, area: string) {
  const toggle = matrix(page).getByRole('button', { name: new RegExp(`^${area}: `) });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/** The None · Read · Full choice of an area for one role column. */
export function areaLevel(page: Page, area: string, role: string): Locator {
  return matrix(page).getByRole('radiogroup', { name: `${area} for ${role}` });
}

/** A single key's checkbox for one role column, named by label and key. */
export function keyBox(page: Page, label: string, key: string, role: string): Locator {
  return matrix(page).getByRole('checkbox', { name: `${label} (${key}) for ${role}`, exact: true });
}

/** Review and save: the preview dialog opens first; returns it before confirming. */
export async function reviewSave(page: Page, role: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Review and save…' }).click();
  const dialog = page.getByRole('dialog', { name: `Save changes to ${role}?` });
  await expect(dialog.getByTestId('preview-reach')).toBeVisible();
  return dialog;
}

export async function confirmSave(page: Page, dialog: Locator, role: string, version: number) {
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${role} saved as version ${version}.` })).toBeVisible();
}

export async function navLabels(page: Page): Promise<string[]> {
  return (await nav(page).getByRole('link').allTextContents()).map((t) => t.trim());
}
