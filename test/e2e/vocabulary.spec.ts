import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { openRoles } from './roles-steps';

/** The word the console must never say: the seeds are where requirements came from, not words for people (issue 15, finding 7). */
const INTERNAL_WORD = /\bseeds?\b/i;

/** Every file the browser loads, as text. */
function renderedFiles(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(js|css|html)$/.test(entry.name))
    .map((entry) => ({ file: entry.name, text: readFileSync(join(entry.parentPath, entry.name), 'utf8') }));
}

/** Every text value stored in every table, as "table.column: value". */
function storedTexts(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    return tables.flatMap(({ name }) =>
      db
        .prepare<[], Record<string, unknown>>(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
        .all()
        .flatMap((row) =>
          Object.entries(row)
            .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
            .map(([column, value]) => `${name}.${column}: ${value}`),
        ),
    );
  } finally {
    db.close();
  }
}

test('issue 15, finding 7: no "seed" in the built console or in a fresh database with a role made from a template; explanations stay in the picker', async ({
  page,
  steward,
}) => {
  const said = renderedFiles('dist/renderer').flatMap(({ file, text }) =>
    [...text.matchAll(new RegExp(`.{0,40}${INTERNAL_WORD.source}.{0,40}`, 'gi'))].map((m) => `${file}: ${m[0]}`),
  );
  expect(said).toEqual([]);

  await setUpOwner(page, steward.url);
  await openRoles(page);
  await page.getByRole('button', { name: 'New role…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New role' });

  // The hint under Device visibility describes the option chosen, and changes with it.
  const visibility = dialog.getByLabel('Device visibility');
  await visibility.selectOption({ label: 'Every device in scope' });
  await expect(visibility).toHaveAccessibleDescription(/^Holders see every device in the groups where they hold the role/);
  await visibility.selectOption({ label: 'Only devices assigned to them' });
  await expect(visibility).toHaveAccessibleDescription(/^Holders see only the devices assigned to them/);

  // Template sets are named for what they are.
  await dialog.getByLabel('A ready-made template').check();
  const picker = dialog.getByLabel('Template', { exact: true });
  const sets = await picker.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')));
  expect(sets).toEqual(['Team roles: Owner, Admin, Operator, Viewer', 'Company portal roles', 'SaaS backup access levels']);

  // The picker explains how a template was read; the role made from it keeps only what the role is.
  await picker.selectOption({ label: 'Full Admin' });
  await expect(dialog.getByTestId('template-explanation')).toContainText('the keys are a reading of its name');
  const description = await dialog.getByLabel('Description').inputValue();
  expect(description).not.toMatch(/\bReading\b|a reading of its name/);
  expect(description.length).toBeGreaterThan(0);
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: 'Full Admin' })).toBeVisible();
  await expect(page.getByLabel('Role description')).toHaveValue(description);

  const stored = storedTexts(join(steward.dataDir, 'steward.db')).filter((text) => INTERNAL_WORD.test(text));
  expect(stored).toEqual([]);
  expect(OWNER.organization).not.toMatch(INTERNAL_WORD);
});
