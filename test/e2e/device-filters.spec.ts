import { expect, test } from './console';
import { chooseFacet, deviceCount, facetBox, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';
import { api } from './team-steps';
import { rootGroupId } from './world-steps';

const SERVER_OS = 'Windows Server 2022 Datacenter Edition (Long-Term Servicing Channel)';
const GROUP = 'Acme Precision Engineering Worldwide Holdings';

/** Ten servers (six on SERVER_OS, four on Ubuntu) and ten workstations (eight on Windows 11, two on macOS). */
function csv(groupId: string): string {
  const rows: string[] = [];
  const add = (name: string, kind: string, os: string, status: string) => rows.push([name, kind, os, status, '', groupId].join(','));
  for (let i = 0; i < 6; i++) add(`srv-win-${i}`, 'server', SERVER_OS, i % 2 ? 'failed' : 'ok');
  for (let i = 0; i < 4; i++) add(`srv-lin-${i}`, 'server', 'Ubuntu 22.04', 'ok');
  for (let i = 0; i < 8; i++) add(`ws-win-${i}`, 'workstation', 'Windows 11', i % 4 ? 'ok' : 'warning');
  for (let i = 0; i < 2; i++) add(`ws-mac-${i}`, 'workstation', 'macOS 14', 'failed');
  return ['name,kind,os,status,lastBackupAt,group', ...rows].join('\r\n');
}

test('issue 15, finding 6: device filters take several values, count with the other filters applied, show values whole, and the chosen group by its own name', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const { id: acme } = await api<{ id: string }>(page, 'groups.create', {
    parentId: await rootGroupId(page),
    kind: 'distributor',
    name: GROUP,
  });
  await api(page, 'devices.import', { format: 'csv', mode: 'all-or-nothing', content: csv(acme) });
  await openDevices(page);
  expect(await deviceCount(page)).toBe(20);
  const filters = page.getByRole('search', { name: 'Filter devices' });

  // With no filter, every OS is offered with its count.
  await filters.getByRole('button', { name: /^OS / }).click();
  await expect(facetBox(page, 'OS', 'Windows 11')).toBeVisible();
  await expect(facetBox(page, 'OS', SERVER_OS)).toHaveAccessibleName(`${SERVER_OS} (6)`);
  await page.keyboard.press('Escape');

  // Kind = Server: the OS list offers only servers' systems, counted among servers; Windows 11 is gone.
  await chooseFacet(page, 'Kind', ['Server']);
  expect(await deviceCount(page)).toBe(10);
  await filters.getByRole('button', { name: /^OS / }).click();
  const osPanel = filters.getByRole('group', { name: 'OS', exact: true });
  await expect(osPanel.getByRole('checkbox')).toHaveCount(2);
  await expect(facetBox(page, 'OS', SERVER_OS)).toHaveAccessibleName(`${SERVER_OS} (6)`);
  await expect(facetBox(page, 'OS', 'Ubuntu 22.04')).toHaveAccessibleName('Ubuntu 22.04 (4)');
  // The long name is shown whole: its label is not cut off.
  const label = facetBox(page, 'OS', SERVER_OS).locator('xpath=..');
  await expect(label).toContainText(SERVER_OS);
  expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.keyboard.press('Escape');

  // OS takes several values: either of them.
  await chooseFacet(page, 'OS', [SERVER_OS, 'Ubuntu 22.04']);
  expect(await deviceCount(page)).toBe(10);
  await chooseFacet(page, 'OS', ['Ubuntu 22.04']);
  expect(await deviceCount(page)).toBe(4);
  // The kind counts follow the OS chosen: no workstation runs Ubuntu.
  await filters.getByRole('button', { name: /^Kind / }).click();
  await expect(facetBox(page, 'Kind', 'Workstation')).toHaveAccessibleName('Workstation (0)');
  await expect(facetBox(page, 'Kind', 'Server')).toHaveAccessibleName('Server (4)');
  await page.keyboard.press('Escape');
  // Status counts follow both.
  await filters.getByRole('button', { name: /^Status / }).click();
  await expect(facetBox(page, 'Status', 'OK')).toHaveAccessibleName('OK (4)');
  await expect(facetBox(page, 'Status', 'Failed')).toHaveAccessibleName('Failed (0)');
  await page.keyboard.press('Escape');

  // The chosen group shows its own name, its ✕ on the same line.
  await filters.getByRole('button', { name: 'Choose…' }).first().click();
  const picker = page.getByRole('dialog', { name: 'Filter by group' });
  await picker.getByRole('combobox', { name: 'Group' }).fill('Precision');
  await picker.getByRole('option', { name: new RegExp(GROUP) }).click();
  const chip = page.getByTestId('device-group-filter');
  await expect(chip.locator('.filter-chip-text')).toHaveText(GROUP);
  await expect(chip).toHaveAttribute('title', `${OWNER.organization} › ${GROUP}, and everything inside`);
  const box = await chip.boundingBox();
  const clear = await chip.getByRole('button', { name: 'All groups' }).boundingBox();
  expect(box && clear && clear.y >= box.y - 1 && clear.y + clear.height <= box.y + box.height + 1).toBe(true);
  expect(await deviceCount(page)).toBe(4);
});
