import type { Page } from '@playwright/test';
import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { api, membersTable, openScreen } from './team-steps';
import { companyWithOwner, rootGroupId } from './world-steps';

/** How far the members grid would scroll sideways: 0 when every column fits. */
async function sidewaysOverflow(page: Page): Promise<number> {
  return membersTable(page).evaluate((table) => {
    const frame = table.parentElement;
    return frame ? frame.scrollWidth - frame.clientWidth : 0;
  });
}

test('issue 15, findings 5 and 6: the team grid narrows to a customer, its filters take several values with counts, and its columns fit at 1440 px', async ({
  page,
  browser,
  steward,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await setUpOwner(page, steward.url);
  const root = await rootGroupId(page);
  const acme = await companyWithOwner(page, browser, root, 'Acme Precision Engineering', 'olga');
  const globex = await companyWithOwner(page, browser, root, 'Globex International Holdings', 'gail');
  // People with the long names, emails and companies real directories hold.
  const people = [
    {
      username: 'alexandra.bergstrom',
      fullName: 'Alexandra Bergström-Lindqvist',
      homeGroupId: acme,
      company: 'Acme Precision Engineering GmbH',
    },
    {
      username: 'maximilian.oberhuber',
      fullName: 'Maximilian Oberhuber-Schwarzenegger',
      homeGroupId: globex,
      company: 'Globex International',
    },
  ];
  for (const p of people)
    await api(page, 'users.create', {
      username: p.username,
      email: `${p.username}@engineering-department.example.test`,
      fullName: p.fullName,
      company: p.company,
      homeGroupId: p.homeGroupId,
      bindings: [{ roleId: 'builtin-operator', groupId: p.homeGroupId }],
    });

  await openScreen(page, 'Team');
  await expect(membersTable(page).getByRole('row')).toHaveCount(1 + 5);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

  // Every filter takes several values, each counted with the other filters applied (finding 6).
  const filters = page.getByRole('search', { name: 'Filter members' });
  const roleBox = (name: string) =>
    filters.getByRole('group', { name: 'Role', exact: true }).getByRole('checkbox', { name: new RegExp(`^${name} \\(`) });
  await filters.getByRole('button', { name: /^Role / }).click();
  await expect(roleBox('Owner')).toHaveAccessibleName('Owner (3)');
  await expect(roleBox('Operator')).toHaveAccessibleName('Operator (2)');
  await roleBox('Operator').check();
  await roleBox('Owner').check();
  await page.keyboard.press('Escape');
  await expect(membersTable(page).getByRole('row')).toHaveCount(1 + 5);
  await filters.getByRole('button', { name: /^Role / }).click();
  await roleBox('Owner').uncheck();
  await page.keyboard.press('Escape');
  await expect(membersTable(page).getByRole('row')).toHaveCount(1 + 2);
  await filters.getByRole('button', { name: /^Two-step / }).click();
  // Among the two Operators, nobody has enrolled yet.
  await expect(
    filters.getByRole('group', { name: 'Two-step', exact: true }).getByRole('checkbox', { name: /^Not enrolled/ }),
  ).toHaveAccessibleName('Not enrolled (2)');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(membersTable(page).getByRole('row')).toHaveCount(1 + 5);

  // Narrowed to one customer: its Owner and its member only.
  await page.getByRole('search', { name: 'Filter members' }).getByRole('button', { name: 'Choose…' }).click();
  const picker = page.getByRole('dialog', { name: 'Filter members by group' });
  await picker.getByRole('combobox', { name: 'Group' }).fill('Acme');
  await picker.getByRole('option', { name: /Acme Precision Engineering/ }).click();
  const chip = page.getByTestId('member-group-filter');
  await expect(chip).toHaveText('Acme Precision Engineering✕');
  await expect(chip).toHaveAttribute('title', `${OWNER.organization} › Acme Precision Engineering, and everything inside`);
  await expect(membersTable(page).getByRole('row')).toHaveCount(1 + 2);
  await expect(membersTable(page)).toContainText('alexandra.bergstrom');
  await expect(membersTable(page)).not.toContainText('maximilian.oberhuber');
  // The chip's ✕ sits on the chip's own line.
  const box = await chip.boundingBox();
  const clear = await chip.getByRole('button', { name: 'All groups' }).boundingBox();
  expect(box && clear && clear.y >= box.y && clear.y + clear.height <= box.y + box.height + 1).toBe(true);

  await chip.getByRole('button', { name: 'All groups' }).click();
  await expect(membersTable(page).getByRole('row')).toHaveCount(1 + 5);
});
