import { expect, test } from './console';
import { deviceCount, devicesTable } from './devices-steps';
import { setUpOwner } from './owner';
import { api } from './team-steps';
import { companyWithOwner, memberByApi, rootGroupId } from './world-steps';

test('issue 15, finding 9: a bulk dry run names whom it refuses, says pairs or devices, each refusal row names its member, the undo shows its own progress, and the picker starts with the devices’ company', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const root = await rootGroupId(page);
  const acme = await companyWithOwner(page, browser, root, 'Acme', 'olga');
  const globex = await companyWithOwner(page, browser, root, 'Globex', 'gail');
  await memberByApi(page, { username: 'oscar', fullName: 'Oscar Operator', homeGroupId: acme, roleId: 'builtin-operator' });
  // Globex's Operator: his role does not reach Acme, so he cannot hold Acme's devices.
  await memberByApi(page, { username: 'gus', fullName: 'Gus Globex', homeGroupId: globex, roleId: 'builtin-operator' });
  const rows = Array.from({ length: 10 }, (_, i) => `acme-${i},workstation,Windows 11,ok,,${acme}`);
  await api(page, 'devices.import', {
    format: 'csv',
    mode: 'all-or-nothing',
    content: ['name,kind,os,status,lastBackupAt,group', ...rows].join('\r\n'),
  });
  await page.goto(`${steward.url}#/devices?group=${acme}`);
  await expect(page.getByTestId('device-group-filter')).toContainText('Acme');
  expect(await deviceCount(page)).toBe(10);

  await page.getByRole('button', { name: 'Select all 10 matching devices' }).click();
  await page.getByRole('button', { name: 'Assign…', exact: true }).click();
  const wizard = page.getByRole('dialog', { name: 'Assign all 10 devices matching the filters' });
  // The picker offers Acme's people first: Gus is found only once it is widened.
  const only = wizard.getByLabel('Only people of Acme, where these devices are');
  await expect(only).toBeChecked();
  const search = wizard.getByRole('combobox', { name: 'Members' });
  await search.fill('gus');
  await expect(wizard.getByText('No active members match “gus”')).toBeVisible();
  await only.uncheck();
  await wizard.getByRole('option', { name: /Gus Globex/ }).click();
  await only.check();
  await search.fill('oscar');
  await wizard.getByRole('option', { name: /Oscar Operator/ }).click();
  await expect(wizard.getByRole('list', { name: 'Chosen members' }).getByRole('listitem')).toHaveCount(2);

  // The dry run: totals say pairs or devices, and the refusal names Gus, not Oscar.
  await wizard.getByRole('button', { name: 'Dry run' }).click();
  const dryRun = wizard.getByTestId('dry-run');
  await expect(dryRun.getByTestId('dry-run-totals')).toHaveText(
    '10 devices × 2 members (gus, oscar) = 20 pairs to check. Each count below is of pairs, except the devices that will change.',
  );
  await expect(dryRun.getByText('Pairs to assign')).toBeVisible();
  await expect(dryRun.getByTestId('count-changed')).toHaveText('10');
  await expect(dryRun.getByTestId('count-refused')).toHaveText('10');
  await expect(dryRun.getByTestId('count-devices-changed')).toHaveText('10');
  const refusals = dryRun.getByRole('list', { name: 'Refusals' });
  await expect(refusals).toContainText('gus (10 devices)');
  await expect(refusals).not.toContainText('oscar');

  // The job: each device's row names who was refused.
  await wizard.getByRole('button', { name: 'Assign: run the job' }).click();
  const job = wizard.getByTestId('job-view');
  await expect(job.getByTestId('job-state')).toHaveText(/^Done/);
  const first = job.getByRole('list', { name: 'Devices of this job' }).getByRole('listitem').first();
  await expect(first).toContainText('Changed for some');
  await expect(first).toContainText('Assigned to oscar · Refused for gus:');

  // Undo: its own progress, and "Undone" is not shown as a failure.
  await job.getByRole('button', { name: 'Undo this job…' }).click();
  await job.getByRole('button', { name: 'Undo the job' }).click();
  await expect(job.getByTestId('job-state')).toHaveText(/^Undone/);
  await expect(job.getByTestId('job-progress-text')).toHaveText('10 of 10 changed devices restored (100%)');
  await expect(job.getByRole('progressbar', { name: 'Undo progress' })).toBeVisible();
  const danger = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--danger)';
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  });
  expect(await job.getByTestId('job-state').evaluate((el) => getComputedStyle(el).color)).not.toBe(danger);
  await wizard.getByRole('button', { name: 'Close' }).click();
  await expect(devicesTable(page).locator('tr.device-row').first()).not.toContainText('Oscar');
});
