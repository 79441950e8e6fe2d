import type { Locator, Page } from '@playwright/test';
import { expect } from './console';

export const FLEET_OSES = ['Windows 11', 'Ubuntu 22.04', 'macOS 14'] as const;
export const FLEET_STATUSES = ['ok', 'warning', 'failed', 'offline', 'never'] as const;
const KINDS = ['workstation', 'server', 'storage', 'cloud_tenant'] as const;

export interface FleetDevice {
  name: string;
  os: (typeof FLEET_OSES)[number];
  status: (typeof FLEET_STATUSES)[number];
}

/** A fleet spread evenly over OS and status, so that any OS × status pair holds size / 15 devices. */
export function fleet(size: number): FleetDevice[] {
  return Array.from({ length: size }, (_, i) => ({
    name: `dev-${String(i + 1).padStart(4, '0')}`,
    os: FLEET_OSES[i % FLEET_OSES.length] ?? 'Windows 11',
    status: FLEET_STATUSES[i % FLEET_STATUSES.length] ?? 'ok',
  }));
}

/** The import's CSV: header row, then one device per line, all owned by `group` (a path or its unique tail). */
export function fleetCsv(devices: readonly FleetDevice[], group: string): string {
  const lines = devices.map((d, i) => {
    const kind = KINDS[i % KINDS.length] ?? 'workstation';
    const last = d.status === 'never' ? '' : new Date(Date.UTC(2026, 0, 1 + (i % 28), 3, 0, 0)).toISOString();
    return [d.name, kind, d.os, d.status, last, group].join(',');
  });
  return ['name,kind,os,status,lastBackupAt,group', ...lines].join('\r\n') + '\r\n';
}

export async function openDevices(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
}

export function devicesTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Devices' });
}

/** The count over the grid once it answers the filters set: "40 devices match", "600 devices in all". */
export async function deviceCount(page: Page): Promise<number> {
  await expect(page.locator('.devices-scroll.stale')).toHaveCount(0);
  const count = page.getByTestId('devices-count');
  await expect(count).toHaveText(/^[\d,]+ devices? (match|in all)$/);
  const text = (await count.textContent()) ?? '';
  return Number(text.replace(/ .*$/, '').replace(/\D/g, ''));
}

export async function expectDeviceCount(page: Page, n: number) {
  await expect.poll(() => deviceCount(page)).toBe(n);
}

/** A filter's checkbox for one value, named "<label> (<count>)". */
export function facetBox(page: Page, label: 'Kind' | 'OS' | 'Status', value: string): Locator {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page
    .getByRole('search', { name: 'Filter devices' })
    .getByRole('group', { name: label, exact: true })
    .getByRole('checkbox', { name: new RegExp(`^${escaped} \\([\\d,]+\\)$`) });
}

/** A filter of several values (Kind, OS, Status): opens it, leaves exactly `values` (by their label) ticked, and closes it. */
export async function chooseFacet(page: Page, label: 'Kind' | 'OS' | 'Status', values: readonly string[]) {
  const filters = page.getByRole('search', { name: 'Filter devices' });
  await filters.getByRole('button', { name: new RegExp(`^${label} `) }).click();
  const panel = filters.getByRole('group', { name: label, exact: true });
  const clear = panel.getByRole('button', { name: new RegExp(`^Any `) });
  if (await clear.isVisible()) await clear.click();
  for (const value of values) await facetBox(page, label, value).check();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
}

/** Import a file through the dialog: pick it, check it, and stop at the report. */
export async function checkImportFile(page: Page, name: string, content: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Import devices…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Import devices' });
  await dialog.getByLabel('Device file (CSV or JSON)').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  await expect(dialog.getByTestId('import-file')).toContainText(`${name}: read as CSV`);
  await dialog.getByRole('button', { name: 'Check the file' }).click();
  await expect(dialog.getByTestId('import-report')).toBeVisible();
  return dialog;
}

/** A file without mistakes: check it, import every row, close. */
export async function importFleet(page: Page, name: string, content: string, rows: number) {
  const dialog = await checkImportFile(page, name, content);
  await expect(dialog.getByTestId('import-accepted')).toHaveText(`${rows.toLocaleString('en-US')} rows ready`);
  await expect(dialog.getByTestId('import-rejected')).toHaveText('0 rows rejected');
  await dialog.getByRole('button', { name: `Import ${rows.toLocaleString('en-US')} devices` }).click();
  await expect(dialog.getByTestId('import-outcome')).toHaveText(`Imported ${rows.toLocaleString('en-US')} devices.`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
}

/** Pick members in the bulk wizard's search list: each is typed, then clicked. */
export async function pickMembers(dialog: Locator, logins: readonly string[]) {
  const search = dialog.getByRole('combobox', { name: 'Members' });
  for (const login of logins) {
    await search.fill(login);
    await dialog.getByRole('option', { name: new RegExp(`\\b${login}\\b`) }).click();
    await expect(dialog.getByRole('list', { name: 'Chosen members' })).toContainText(new RegExp(login, 'i'));
  }
}
