import { expect, test } from './console';
import { checkImportFile, expectDeviceCount, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';
import { api } from './team-steps';

const ROOT = OWNER.organization;

test('issue 15, findings 8 and 10: the import report counts rows, not reasons; its buttons say what they do; a check is not logged as an import', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openDevices(page);
  // Eight rows: two good, six bad, one of them with two mistakes (seven problems in all).
  const file = [
    'name,kind,os,status,lastBackupAt,group',
    `good-1,server,Ubuntu 22.04,ok,,${ROOT}`,
    `bad-1,toaster,Ubuntu 22.04,exploded,,${ROOT}`,
    `bad-2,server,Ubuntu 22.04,exploded,,${ROOT}`,
    `bad-3,toaster,Ubuntu 22.04,ok,,${ROOT}`,
    `good-2,workstation,Windows 11,failed,,${ROOT}`,
    `bad-4,server,Ubuntu 22.04,sleeping,,${ROOT}`,
    `bad-5,kettle,Ubuntu 22.04,ok,,${ROOT}`,
    `bad-6,server,Ubuntu 22.04,ok,,No Such Group`,
  ].join('\r\n');
  const dialog = await checkImportFile(page, 'eight-rows.csv', file);
  await expect(dialog.getByTestId('import-accepted')).toHaveText('2 rows ready');
  await expect(dialog.getByTestId('import-rejected')).toHaveText('6 rows rejected');
  await expect(dialog.getByTestId('import-problems')).toHaveText(' (7 problems found)');
  await expect(dialog.getByRole('table', { name: 'Rejected rows' }).getByRole('row')).toHaveCount(1 + 7);

  // All or nothing is the default, and its button says that nothing will be imported.
  await expect(dialog.getByRole('button', { name: 'Close without importing' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Confirm/ })).toHaveCount(0);
  await dialog.getByLabel('Import the 2 good rows and leave out the rejected ones').check();
  await dialog.getByRole('button', { name: 'Import 2 devices, leave out 6 rows' }).click();
  await expect(dialog.getByTestId('import-outcome')).toHaveText('Imported 2 devices. 6 rows were left out.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expectDeviceCount(page, 2);

  // The trail: one check, one import.
  const { events } = await api<{ events: Array<{ action: string; target: { name: string } | null }> }>(page, 'audit.list', {
    action: 'devices.',
  });
  expect(events.map((e) => e.action).sort()).toEqual(['devices.import', 'devices.import.dryRun']);
});
