import { expect, test } from './console';
import { setUpOwner } from './owner';
import { confirmSave, expandArea, keyBox, openRoles, reviewSave } from './roles-steps';

const ROLE = 'Front desk';

test('a role saved from a stale copy: the review compares with the role as it is now, the save is refused naming the key removed since, and the edits stay until reloaded', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openRoles(page);
  await page.getByRole('button', { name: 'New role…', exact: true }).click();
  const create = page.getByRole('dialog', { name: 'New role' });
  await create.getByLabel('Name').fill(ROLE);
  await create.getByRole('button', { name: 'Create role' }).click();
  await expect(create).toBeHidden();
  await expandArea(page, 'Portal users');
  await keyBox(page, 'View users page', 'users.view', ROLE).check();
  await confirmSave(page, await reviewSave(page, ROLE), ROLE, 2);

  // A second copy of the role, open in another tab of the console.
  const other = await page.context().newPage();
  await other.goto(steward.url);
  await openRoles(other);
  await other.getByRole('button', { name: `Open ${ROLE}` }).click();
  await expandArea(other, 'Portal users');
  await expect(keyBox(other, 'View users page', 'users.view', ROLE)).toBeChecked();

  // The first copy removes the key and saves.
  await keyBox(page, 'View users page', 'users.view', ROLE).uncheck();
  await confirmSave(page, await reviewSave(page, ROLE), ROLE, 3);

  // The stale copy adds another key: its own count says one added, but the review works from version 3,
  // where saving would also bring the removed key back.
  await keyBox(other, 'Edit users', 'users.edit', ROLE).check();
  await expect(other.getByTestId('draft-changes')).toHaveText('Unsaved: 1 key added, 0 keys removed.');
  const review = await reviewSave(other, ROLE);
  await expect(review.getByTestId('review-newer-version')).toContainText('it is now at version 3, and you started from version 2');
  await expect(review.getByTestId('role-diff')).toContainText('Added View users page (users.view)');
  await expect(review.getByTestId('role-diff')).toContainText('Added Edit users (users.edit)');

  await review.getByRole('button', { name: 'Save', exact: true }).click();
  const stale = review.getByTestId('stale-copy');
  await expect(stale).toContainText('changed since version 2');
  await expect(stale).toContainText('removed View users page (users.view)');
  // Nothing was saved and the edits are still there.
  await expect(keyBox(other, 'Edit users', 'users.edit', ROLE)).toBeChecked();
  await expect(other.getByTestId('draft-changes')).toHaveText('Unsaved: 1 key added, 0 keys removed.');

  await stale.getByRole('button', { name: 'Reload the current role' }).click();
  await expect(review).toBeHidden();
  await expect(other.getByText(/· version 3$/)).toBeVisible();
  await expect(keyBox(other, 'View users page', 'users.view', ROLE)).not.toBeChecked();
  await expect(keyBox(other, 'Edit users', 'users.edit', ROLE)).not.toBeChecked();
  await expect(other.getByTestId('draft-changes')).toHaveText('No unsaved changes.');
});
