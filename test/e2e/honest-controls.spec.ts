import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { areaLevel, openRoles } from './roles-steps';
import { api } from './team-steps';
import { rootGroupId } from './world-steps';

const ROOT = OWNER.organization;

test('issue 15, finding 13: a partly granted area reads Partial in the matrix, not Full with a tag; choosing a level replaces the mix', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  // The portal users area: its Read key and one of its Full keys, not all of them.
  await api(page, 'roles.create', {
    ownerGroupId: await rootGroupId(page),
    name: 'People desk',
    description: 'Reads people and edits them.',
    deviceVisibility: 'assigned',
    permissions: ['users.view', 'users.edit'],
  });
  await openRoles(page);
  await page.getByRole('button', { name: 'Open People desk' }).click();
  const mix = areaLevel(page, 'Portal users', 'People desk');
  await expect(mix.getByRole('radio', { name: 'Partial' })).toBeChecked();
  for (const level of ['None', 'Read', 'Full']) await expect(mix.getByRole('radio', { name: level })).not.toBeChecked();
  await expect(mix.locator('.level-partial')).toHaveAttribute('title', /^\d+ of \d+ Full keys held$/);
  // An area held whole reads as its level, with no Partial choice.
  const none = areaLevel(page, 'Audit trail', 'People desk');
  await expect(none.getByRole('radio', { name: 'None' })).toBeChecked();
  await expect(none.getByRole('radio', { name: 'Partial' })).toHaveCount(0);

  await mix.getByRole('radio', { name: 'Full' }).check();
  await expect(mix.getByRole('radio', { name: 'Full' })).toBeChecked();
  await expect(mix.getByRole('radio', { name: 'Partial' })).toHaveCount(0);
});

test('issue 15, finding 14: Remove group is disabled once the dialog has said the group cannot be removed, known before or refused', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const root = await rootGroupId(page);
  const { id: acme } = await api<{ id: string }>(page, 'groups.create', { parentId: root, kind: 'distributor', name: 'Acme Distribution' });
  await api(page, 'groups.create', { parentId: acme, kind: 'reseller', name: 'Acme Resellers' });
  // A group holding a role of its own: the dialog cannot know beforehand, the server refuses.
  const { id: lone } = await api<{ id: string }>(page, 'groups.create', { parentId: root, kind: 'distributor', name: 'Lone Distribution' });
  await api(page, 'roles.create', {
    ownerGroupId: lone,
    name: 'Lone role',
    description: '',
    deviceVisibility: 'assigned',
    permissions: [],
  });
  await page.reload();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Customers', exact: true }).click();
  const tree = page.getByRole('tree', { name: 'Customer groups' });

  await tree.getByRole('treeitem', { name: /Acme Distribution/ }).click();
  await page.getByRole('button', { name: 'Remove…' }).click();
  const known = page.getByRole('dialog', { name: 'Remove “Acme Distribution”?' });
  await expect(known.getByTestId('remove-blocked')).toHaveText(/^It cannot be removed: it still has 1 child group\./);
  await expect(known.getByRole('button', { name: 'Remove group' })).toBeDisabled();
  await known.getByRole('button', { name: 'Cancel' }).click();

  await tree.getByRole('treeitem', { name: /Lone Distribution/ }).click();
  await page.getByRole('button', { name: 'Remove…' }).click();
  const refused = page.getByRole('dialog', { name: 'Remove “Lone Distribution”?' });
  const button = refused.getByRole('button', { name: 'Remove group' });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(refused.getByRole('alert')).toHaveText(
    'Cannot remove “Lone Distribution”: it has 1 role of its own. Move or remove them first.',
  );
  await expect(button).toBeDisabled();
  await expect(tree.getByRole('treeitem', { name: new RegExp(ROOT) })).toBeVisible();
});
