import { readFileSync } from 'node:fs';
import { expect, test } from './console';
import { csvObjects, parseCsv } from './csv';
import {
  addCustomer,
  auditRows,
  auditTable,
  choosePerson,
  createUserIn,
  openNavScreen,
  settledCount,
  tamperWithEvent,
} from './audit-steps';
import { OWNER, setUpOwner } from './owner';
import { acceptOwnerInvitation, createUser, firstSignIn, resendLink } from './team-steps';

const ROOT = OWNER.organization;
/** Commas and quotes in a name, so that the export has to quote it (and its JSON in before/after). */
const CUSTOMER = 'Tailspin "Harbour", Ltd';

function localDay(now = new Date()): { text: string; start: number; end: number } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() - 1;
  return { text: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`, start, end };
}

function eventCount(text: string): number {
  const match = /^([\d,.\s]+) events?$/.exec(text.trim());
  if (!match?.[1]) throw new Error(`not a complete count: "${text}"`);
  return Number(match[1].replace(/\D/g, ''));
}

test('the CSV reader of these tests follows RFC 4180', () => {
  expect(parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n')).toEqual([
    ['a', 'b', 'c'],
    ['1', 'x, y', 'say "hi"'],
  ]);
  expect(parseCsv('a,b\r\n"line one\r\nline two",""\r\n,last')).toEqual([
    ['a', 'b'],
    ['line one\r\nline two', ''],
    ['', 'last'],
  ]);
  expect(parseCsv('\ufeffh\n"{""k"":""v, w""}"\n')).toEqual([['h'], ['{"k":"v, w"}']]);
  expect(() => parseCsv('a,"b\r\n')).toThrow(/not closed/);
  expect(() => parseCsv('a,b"c\r\n')).toThrow(/quote inside/);
  expect(() => parseCsv('"a"b\r\n')).toThrow(/after a closing quote/);
  expect(() => csvObjects('a,b\r\n1\r\n')).toThrow(/1 fields/);
});

test('audit: filter by member and period, export CSV of exactly that; tampering is named; hygiene opens the member', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const today = localDay();

  // A few actions worth auditing: a customer group and a user made through the Team screen.
  await openNavScreen(page, 'Customers');
  await addCustomer(page, ROOT, CUSTOMER);
  await openNavScreen(page, 'Team');
  await createUser(page, { username: 'max', email: 'max@northwind.test', fullName: 'Max Member', role: 'Operator' });
  await page.getByRole('dialog', { name: 'Account created for max' }).getByRole('button', { name: 'Done' }).click();

  // The chain's state comes first.
  await openNavScreen(page, 'Audit');
  await expect(page.getByTestId('chain-state')).toHaveText(/^✔ Chain intact: \d+ events verified$/);
  await expect(auditRows(page).first()).toBeVisible();

  // An action without its dot is an exact name: nothing matches, and the empty state says what to change.
  await page.getByLabel('Action').fill('groups');
  await expect(page.getByTestId('audit-empty')).toContainText('No events match these filters.');
  await expect(page.getByTestId('audit-empty')).toContainText('for a whole family, end it with a dot (for example “groups.”)');
  await page.getByLabel('Action').fill('');

  // Filter by member (the owner, as the actor) and by period (today, local dates).
  await choosePerson(page, 'olivia', OWNER.fullName);
  await page.getByLabel('Period').selectOption({ label: 'Between two times…' });
  await page.getByLabel('From').fill(`${today.text}T00:00`);
  await page.getByLabel('To').fill(`${today.text}T23:59`);
  await expect(page.getByTestId('audit-empty')).toHaveCount(0);
  const shown = eventCount(await settledCount(page));
  expect(shown).toBeGreaterThanOrEqual(4);
  for (const actor of await auditRows(page).locator('td.audit-cell-actorName').allTextContents()) expect(actor).toBe(OWNER.username);

  // The group's creation is in the list, with what it set.
  const created = auditRows(page).filter({ hasText: 'groups.create' });
  await expect(created).toHaveCount(1);
  await expect(created).toContainText(CUSTOMER);
  await expect(created).toContainText('Success');
  const seq = ((await created.locator('td.audit-cell-seq').textContent()) ?? '').trim();
  await created.getByRole('button', { name: `Show the changes of event #${seq}` }).click();
  const changes = auditTable(page).getByRole('table', { name: `Changes of event #${seq}` });
  await expect(changes.getByRole('row', { name: /^name/ })).toContainText(CUSTOMER);

  // Export CSV of exactly that filter: the file parses as RFC 4180 with the expected rows.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const { header, rows } = csvObjects(readFileSync(await download.path(), 'utf8'));
  expect(header).toEqual(
    expect.arrayContaining(['seq', 'time_utc', 'actor', 'actor_id', 'action', 'target', 'group', 'outcome', 'before', 'after']),
  );
  expect(rows).toHaveLength(shown);
  for (const row of rows) {
    expect(row.actor).toBe(OWNER.username);
    const at = Date.parse(row.time_utc ?? '');
    expect(at).toBeGreaterThanOrEqual(today.start);
    expect(at).toBeLessThanOrEqual(today.end);
  }
  const groupRow = rows.find((r) => r.action === 'groups.create');
  expect(groupRow?.target).toBe(CUSTOMER);
  expect(groupRow?.outcome).toBe('success');
  expect(JSON.parse(groupRow?.after ?? '{}')).toMatchObject({ name: CUSTOMER });
  expect(rows.find((r) => r.action === 'users.create')?.target).toMatch(/max|Max Member/);
  // Newest first, like the list.
  const seqs = rows.map((r) => Number(r.seq));
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  await expect(page.getByRole('status').filter({ hasText: `Exported ${shown} events as CSV` })).toBeVisible();

  // The export is itself audited: after a refresh it is the newest event of the same filter.
  await page.getByRole('button', { name: 'Refresh the audit events' }).click();
  await expect(page.getByTestId('audit-count')).toHaveText(`${shown + 1} events`);
  await expect(auditRows(page).first()).toContainText('audit.export');

  // Access hygiene: Max never enrolled; a click opens his page in Team.
  await openNavScreen(page, 'Hygiene');
  const withoutMfa = page.getByRole('region', { name: /^Users without two-step verification/ });
  await expect(withoutMfa).toContainText('never enrolled');
  await withoutMfa.getByRole('button', { name: 'Open max' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Max Member' })).toBeVisible();

  // Tampering: event #3 is rewritten in the file, bypassing Steward; verifying again names it.
  await openNavScreen(page, 'Audit');
  await expect(page.getByTestId('chain-state')).toHaveText(/Chain intact/);
  tamperWithEvent(steward.dataDir, 3);
  await page.getByRole('button', { name: 'Verify again' }).click();
  await expect(page.getByTestId('chain-state')).toHaveText(/^✖ Chain BROKEN at event #3: /);
  await expect(page.getByRole('alert').filter({ hasText: 'Chain BROKEN at event #3' })).toBeVisible();
});

test('scope: an Admin of one customer sees, counts and exports only that customer’s events, and nothing about the chain', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openNavScreen(page, 'Customers');
  await addCustomer(page, ROOT, 'Contoso', 'owner@contoso.test');
  await addCustomer(page, ROOT, 'Fabrikam', 'owner@fabrikam.test');
  // Each company takes members once its Owner has joined (R11): the links come from resending the invitations.
  await openNavScreen(page, 'Team');
  for (const [email, username] of [
    ['owner@contoso.test', 'contoso-owner'],
    ['owner@fabrikam.test', 'fabrikam-owner'],
  ] as const)
    await acceptOwnerInvitation(browser, await resendLink(page, email), username);
  await page.reload();
  await openNavScreen(page, 'Team');
  const password = await createUserIn(page, { username: 'ada', email: 'ada@contoso.test', role: 'Admin' }, 'Contoso');
  await createUserIn(page, { username: 'fred', email: 'fred@fabrikam.test', role: 'Viewer' }, 'Fabrikam');

  const { page: ada } = await firstSignIn(browser, steward.url, 'ada', password);
  await openNavScreen(ada, 'Audit');
  const count = eventCount(await settledCount(ada));
  expect(count).toBeGreaterThan(0);
  // The chain is an installation-wide fact: checking it needs the audit at the root, so Ada sees nothing about it.
  await expect(ada.getByTestId('chain-state')).toHaveCount(0);
  await expect(ada.getByRole('button', { name: 'Verify again' })).toHaveCount(0);
  const groups = await auditRows(ada).locator('td.audit-cell-groupName').allTextContents();
  expect(groups.length).toBe(count);
  for (const group of groups) expect(group).toBe('Contoso');
  await expect(auditTable(ada)).not.toContainText('Fabrikam');
  await expect(auditTable(ada)).not.toContainText('fred');

  const downloading = ada.waitForEvent('download');
  await ada.getByRole('button', { name: 'Export CSV' }).click();
  const { rows } = csvObjects(readFileSync(await (await downloading).path(), 'utf8'));
  expect(rows).toHaveLength(count);
  for (const row of rows) expect(row.group).toBe('Contoso');
  expect(rows.some((r) => /Fabrikam|fred/.test(Object.values(r).join(' ')))).toBe(false);

  // The owner, at the root, sees both customers and the chain.
  await openNavScreen(page, 'Audit');
  await expect(page.getByTestId('chain-state')).toHaveText(/Chain intact/);
  await expect(auditTable(page)).toContainText('Fabrikam');
  await expect(auditTable(page)).toContainText('Contoso');
});
