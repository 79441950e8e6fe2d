import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './console';
import { MailCapture } from './mail-capture';
import { code, enrollAuthenticator, OWNER, saveRecoveryCodes, setUpOwner, signInWithPassword, signOut } from './owner';
import { addCustomer, createUserIn, openNavScreen } from './audit-steps';
import {
  acceptOwnerInvitation,
  createUser,
  firstSignIn,
  invitationRow,
  invite,
  memberRow,
  membersTable,
  openScreen,
  resendLink,
  signInWithCode,
} from './team-steps';

const ROOT = OWNER.organization;

test('invitations: SMTP set up in Settings, invite by email, accept from the link, enroll, sign in; resend, revoke, expiry', async ({
  page,
  browser,
  steward,
}) => {
  const mail = new MailCapture();
  await mail.start();
  try {
    await setUpOwner(page, steward.url);

    // Without a mail server, Settings says that invitations hand out a link instead.
    await openScreen(page, 'Settings');
    await expect(page.getByTestId('smtp-state')).toContainText('No mail server is set up');
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(mail.port));
    await page.getByLabel('From address').fill('steward@northwind.test');
    await expect(page.getByLabel(/Use TLS from the start/)).not.toBeChecked();
    // The local capture offers no TLS, and mail requires it unless explicitly allowed, with a warning.
    await expect(page.getByTestId('smtp-without-tls-warning')).toHaveCount(0);
    await page.getByLabel(/Allow sending without TLS/).check();
    await expect(page.getByTestId('smtp-without-tls-warning')).toContainText('cross the network unencrypted');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    await expect(page.getByTestId('smtp-state')).toHaveText(`Invitations are emailed through 127.0.0.1:${mail.port}.`);

    // Seed 000: invite by email with a role; the invitee gets a link.
    await openScreen(page, 'Team');
    await invite(page, 'max@northwind.test', 'Operator', ROOT);
    await expect.poll(() => mail.linksTo('max@northwind.test').length).toBe(1);
    const maxMail = mail.messages.find((m) => m.to.includes('max@northwind.test'));
    expect(maxMail?.raw).toMatch(/^Subject: .*invited you to Northwind Backup/m);
    const link = mail.linksTo('max@northwind.test')[0] ?? '';
    expect(link.startsWith(`${steward.url.replace(/\/$/, '')}/#/invite/`)).toBe(true);

    // The invitee opens the link in a browser of their own, not signed in.
    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(link);
    await expect(invitee.getByRole('heading', { name: `Join ${ROOT}` })).toBeVisible();
    await expect(invitee.getByText(/invited max@northwind\.test to Northwind Backup as Operator/)).toBeVisible();
    await invitee.getByLabel('Username').fill('max');
    await invitee.getByLabel('Full name').fill('Max Member');
    await invitee.getByLabel('Password', { exact: true }).fill('a kettle of herring at noon');
    await invitee.getByLabel('Confirm password').fill('a kettle of herring at noon');
    await invitee.getByRole('button', { name: 'Accept and create account' }).click();
    const secret = await enrollAuthenticator(invitee);
    await saveRecoveryCodes(invitee);
    await expect(invitee.getByTestId('signed-in-user')).toHaveText('Max Member');
    expect(invitee.url()).not.toContain('#/invite/');
    await signOut(invitee);
    await signInWithCode(invitee, 'max', 'a kettle of herring at noon', secret);
    await expect(invitee.getByTestId('signed-in-user')).toHaveText('Max Member');

    // The link was single-use.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await expect(again.getByRole('alert')).toHaveText('This invitation was already used. Sign in instead.');
    await expect(again.getByLabel('Username')).toHaveCount(0);

    // The owner sees Max in the team with the invited role, and the invitation as accepted.
    await page.getByRole('button', { name: 'Refresh the members list' }).click();
    await expect(memberRow(page, 'max')).toContainText(`Operator · ${ROOT}`);
    await page.getByRole('tab', { name: 'Invitations' }).click();
    await page.getByLabel('Show').selectOption({ label: 'All invitations' });
    await expect(invitationRow(page, 'max@northwind.test')).toContainText('Accepted');

    // Resend replaces the link: the first one stops working, the new one is mailed.
    await invite(page, 'nina@northwind.test', 'Viewer', ROOT);
    await page.getByLabel('Show').selectOption({ label: 'Pending' });
    await expect(invitationRow(page, 'nina@northwind.test')).toContainText('once');
    await page.getByRole('button', { name: 'Resend the invitation to nina@northwind.test' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Invitation sent again to nina@northwind.test.' })).toBeVisible();
    await expect(invitationRow(page, 'nina@northwind.test')).toContainText('2 times');
    await expect.poll(() => mail.linksTo('nina@northwind.test').length).toBe(2);
    const [firstNina, secondNina] = mail.linksTo('nina@northwind.test');
    expect(secondNina).not.toBe(firstNina);
    await again.goto(firstNina ?? '');
    await expect(again.getByRole('alert')).toContainText('This invitation link is not valid');

    // Revoke asks first; afterwards the link is refused with a clear message and nothing else.
    await page.getByRole('button', { name: 'Revoke the invitation to nina@northwind.test' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke the invitation to nina@northwind.test?' });
    await expect(revoke.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await revoke.getByRole('button', { name: 'Revoke invitation' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The invitation to nina@northwind.test was revoked.' })).toBeVisible();
    await expect(invitationRow(page, 'nina@northwind.test')).toHaveCount(0);
    await again.goto(secondNina ?? '');
    await expect(again.getByRole('heading', { name: 'This invitation cannot be used' })).toBeVisible();
    await expect(again.getByRole('alert')).toHaveText('This invitation was revoked. Ask the person who invited you for a new one.');
    await expect(again.getByLabel('Username')).toHaveCount(0);

    // An expired link is refused.
    await invite(page, 'oscar@northwind.test', 'Viewer', ROOT);
    await expect.poll(() => mail.linksTo('oscar@northwind.test').length).toBe(1);
    // Stands in for waiting the 24 hours of seed 004: the invitation's expiry is moved into the past in the console's own database.
    const db = new Database(join(steward.dataDir, 'steward.db'));
    try {
      db.pragma('busy_timeout = 5000');
      const changed = db.prepare("UPDATE invitations SET expires_at = 0 WHERE email = 'oscar@northwind.test'").run().changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
    await again.goto(mail.linksTo('oscar@northwind.test')[0] ?? '');
    await expect(again.getByRole('alert')).toHaveText('This invitation expired on 1970-01-01 00:00 UTC. Ask for a new one.');
    await expect(again.getByLabel('Username')).toHaveCount(0);
    await page.getByLabel('Show').selectOption({ label: 'Expired' });
    await expect(invitationRow(page, 'oscar@northwind.test')).toContainText('Expired');
  } finally {
    await mail.stop();
  }
});

test('create user shows the password once; disabling the login ends the sessions and blocks sign-in; seats run out', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openScreen(page, 'Team');
  await expect(page.getByTestId('members-range')).toHaveText('1–1 of 1 member');

  // Seed 002: a random password, displayed once, with a copy button.
  const password = await createUser(page, { username: 'carol', email: 'carol@northwind.test', fullName: 'Carol Create', role: 'Viewer' });
  const shown = page.getByRole('dialog', { name: 'Account created for carol' });
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  // Gone after closing: the member's page has no trace of it.
  await expect(page.getByRole('heading', { level: 2, name: 'Carol Create' })).toBeVisible();
  await expect(page.getByTestId('shown-password')).toHaveCount(0);
  await expect(page.getByText(password)).toHaveCount(0);

  // The grid sorts, filters and pages in SQLite; the column chooser is remembered across reloads.
  await page.getByRole('button', { name: '‹ Back to members' }).click();
  await expect(page.getByTestId('members-range')).toHaveText('1–2 of 2 members');
  await membersTable(page)
    .getByRole('button', { name: /^Username/ })
    .click();
  await expect(membersTable(page).getByRole('columnheader', { name: /^Username/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(membersTable(page).getByRole('row').nth(1)).toContainText(OWNER.username);
  await expect(membersTable(page).getByRole('row').nth(2)).toContainText('carol');
  await page.getByLabel('Search', { exact: true }).fill('car');
  await expect(page.getByTestId('members-range')).toHaveText('1–1 of 1 member');
  await page.getByLabel('Search', { exact: true }).fill('');
  await page.locator('summary', { hasText: 'Columns' }).click();
  await page.getByRole('group', { name: 'Show columns' }).getByLabel('Email').uncheck();
  await expect(membersTable(page).getByRole('columnheader', { name: /^Email/ })).toHaveCount(0);
  await page.reload();
  await openScreen(page, 'Team');
  await expect(membersTable(page).getByRole('columnheader', { name: /^Full name/ })).toBeVisible();
  await expect(membersTable(page).getByRole('columnheader', { name: /^Email/ })).toHaveCount(0);
  await memberRow(page, 'carol').getByRole('button', { name: 'carol', exact: true }).click();

  // Carol signs in with it in her own browser (and must enroll first).
  const carol = await firstSignIn(browser, steward.url, 'carol', password);
  await expect(carol.page.getByTestId('signed-in-user')).toHaveText('Carol Create');

  // Seed 004: switch the login off; it asks first.
  const login = page.getByRole('switch', { name: 'Login status' });
  await expect(login).toHaveAttribute('aria-checked', 'true');
  await login.click();
  const confirm = page.getByRole('dialog', { name: 'Disable login for Carol Create?' });
  await confirm.getByRole('button', { name: 'Disable login' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Carol Create can no longer sign in.' })).toBeVisible();
  await expect(login).toHaveAttribute('aria-checked', 'false');

  // Carol's next action finds her session ended, and signing in again is refused.
  await carol.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile', exact: true }).click();
  await expect(carol.page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(carol.page.getByText('Your session has ended. Sign in again.')).toBeVisible();
  await signInWithPassword(carol.page, 'carol', password);
  await expect(carol.page.getByRole('alert')).toHaveText('This account is disabled. Ask an administrator to enable it.');

  // Protected principals: the Owner's own page says why it cannot be disabled or deleted.
  await page.getByRole('button', { name: '‹ Back to members' }).click();
  await expect(memberRow(page, 'carol')).toContainText('Disabled');
  await memberRow(page, OWNER.username).getByRole('button', { name: OWNER.username, exact: true }).click();
  await expect(page.getByRole('switch', { name: 'Login status' })).toBeDisabled();
  await expect(page.getByText('You cannot disable your own account')).toBeVisible();
  await expect(page.getByRole('button', { name: `Remove ${OWNER.fullName}…` })).toBeDisabled();
  await page.getByRole('button', { name: '‹ Back to members' }).click();

  // Seats (seed 000): two members use two seats; with a limit of 2 the next invitation and the next account are refused.
  await openScreen(page, 'Customers');
  await page.getByRole('tab', { name: 'Profile' }).click();
  await page.getByLabel('Seat limit').fill('2');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profile saved.' })).toBeVisible();

  const seatsFull = `${ROOT} has no free seat: 2 of 2 seats are used (2 members, 0 pending invitations). The Owner can raise the limit in billing settings.`;
  await openScreen(page, 'Team');
  await page.getByRole('button', { name: 'Invite member…' }).click();
  const inviteDialog = page.getByRole('dialog', { name: 'Invite member' });
  await inviteDialog.getByLabel('Email').fill('dora@northwind.test');
  await inviteDialog.getByLabel('Role', { exact: true }).selectOption({ label: 'Viewer' });
  await inviteDialog.getByRole('button', { name: 'Invite' }).click();
  await expect(inviteDialog.getByText(seatsFull)).toBeVisible();
  await inviteDialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Create user…' }).click();
  const createDialog = page.getByRole('dialog', { name: 'Create user' });
  await createDialog.getByLabel('Username').fill('dora');
  await createDialog.getByLabel('Email').fill('dora@northwind.test');
  await createDialog.getByLabel('Role', { exact: true }).selectOption({ label: 'Viewer' });
  await createDialog.getByRole('button', { name: 'Create user' }).click();
  await expect(createDialog.getByText(seatsFull)).toBeVisible();
  await createDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('members-range')).toHaveText('1–2 of 2 members');
});

test('ownership transfer: change a role from its badge, a wrong code is refused, the right one hands over and the old Owner is Admin', async ({
  page,
  browser,
  steward,
}) => {
  const { secret } = await setUpOwner(page, steward.url);
  await openScreen(page, 'Team');
  const password = await createUser(page, { username: 'adam', email: 'adam@northwind.test', fullName: 'Adam Admin', role: 'Operator' });
  await page.getByRole('dialog', { name: 'Account created for adam' }).getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: '‹ Back to members' }).click();

  // The heir has to be an MFA-enrolled Admin: Adam signs in once and enrolls.
  await firstSignIn(browser, steward.url, 'adam', password);

  // Seed 000: click the role badge to assign a different role.
  await memberRow(page, 'adam')
    .getByRole('button', { name: /^Operator at Northwind Backup/ })
    .click();
  const change = page.getByRole('dialog', { name: 'Change the role of Adam Admin' });
  await expect(change).toContainText(`whole subtree of ${ROOT}, including future groups`);
  await change.getByLabel('Role').selectOption({ label: 'Admin' });
  await change.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Adam Admin now holds Admin at ${ROOT}.` })).toBeVisible();
  await expect(memberRow(page, 'adam')).toContainText(`Admin · ${ROOT}`);
  // The Owner's own badge cannot be clicked away: it changes only by transfer.
  await expect(memberRow(page, OWNER.username).getByRole('button', { name: /^Owner at Northwind Backup/ })).toHaveAttribute(
    'aria-disabled',
    'true',
  );

  await page.getByRole('button', { name: 'Transfer ownership…' }).click();
  const transfer = page.getByRole('dialog', { name: `Transfer ownership of ${ROOT}` });
  await transfer.getByLabel('New Owner').selectOption({ label: 'Adam Admin (adam)' });
  const right = await code(secret, 1);
  await transfer.getByLabel('Code from your authenticator app').fill(right === '000000' ? '111111' : '000000');
  await transfer.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(transfer.getByText('That code is not right; ownership was not transferred')).toBeVisible();
  await expect(memberRow(page, OWNER.username)).toContainText(`Owner · ${ROOT}`);

  await transfer.getByLabel('Code from your authenticator app').fill(right);
  await transfer.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(transfer).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Adam Admin is now the Owner of ${ROOT}.` })).toBeVisible();
  await expect(memberRow(page, 'adam')).toContainText(`Owner · ${ROOT}`);
  await expect(memberRow(page, OWNER.username)).toContainText(`Admin · ${ROOT}`);
  await expect(memberRow(page, OWNER.username)).not.toContainText('Owner ·');
  await expect(page.getByRole('button', { name: 'Transfer ownership…' })).toHaveCount(0);

  // Adam's activity (seed 000) names what was done to his account, newest first.
  await memberRow(page, 'adam').getByRole('button', { name: 'adam', exact: true }).click();
  await page.getByRole('tab', { name: 'Activity' }).click();
  const activity = page.getByRole('list', { name: 'Activity, newest first' });
  await expect(activity).toContainText('changed the roles of adam');
  await expect(activity).toContainText('created the account of adam');
  await expect(membersTable(page)).toHaveCount(0);
});

test('profile: change password, move to a new authenticator, new recovery codes, email notification preferences', async ({
  page,
  steward,
}) => {
  const first = await setUpOwner(page, steward.url);
  await openScreen(page, 'Profile');

  const newPassword = 'nine brave otters sailing west';
  await page.getByLabel('Current password').fill(OWNER.password);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();

  // A new authenticator needs its own code and the account password; new recovery codes come with it, once.
  await page.getByRole('button', { name: 'Set up a new authenticator…' }).click();
  await page.getByRole('button', { name: 'Show the new key' }).click();
  const newSecret = (await page.getByTestId('new-totp-key').getAttribute('data-secret')) ?? '';
  expect(newSecret).not.toBe(first.secret);
  await page.getByLabel('Code from the new authenticator').fill(await code(newSecret));
  await page.getByLabel('Your current password').fill(newPassword);
  await page.getByRole('button', { name: 'Switch to the new authenticator' }).click();
  await expect(page.getByRole('list', { name: 'New recovery codes' }).locator('code')).toHaveCount(10);
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your new authenticator is set up' })).toBeVisible();

  // Renewing the recovery codes takes a fresh code from the (new) authenticator.
  await page.getByRole('button', { name: 'Make new recovery codes…' }).click();
  await page.getByLabel('Code from your authenticator app').fill(await code(newSecret, 1));
  await page.getByRole('button', { name: 'Make new recovery codes' }).click();
  const newCodes = page.getByRole('list', { name: 'New recovery codes' }).locator('code');
  await expect(newCodes).toHaveCount(10);
  const codes = (await newCodes.allTextContents()).map((c) => c.trim());
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Done' }).click();

  // Seed 002: email notifications are per user, on their own profile.
  const weekly = page.getByRole('checkbox', { name: /Weekly report/ });
  const wasOn = await weekly.isChecked();
  await weekly.setChecked(!wasOn);
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Preferences saved.' })).toBeVisible();
  await page.reload();
  await openScreen(page, 'Profile');
  await expect(page.getByRole('checkbox', { name: /Weekly report/ })).toBeChecked({ checked: !wasOn });

  // The first-run recovery codes are gone; the new ones work, with the new password.
  await signOut(page);
  await signInWithPassword(page, OWNER.username, newPassword);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(first.recoveryCodes[1] ?? '');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('not valid or was already used');
  await page.getByLabel('Recovery code').fill(codes[0] ?? '');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(OWNER.fullName);
});

test('assigning an Owner: the provider’s Owner makes an enrolled member of a customer its Owner with a fresh code; the previous Owner becomes Admin', async ({
  page,
  browser,
  steward,
}) => {
  const { secret } = await setUpOwner(page, steward.url);
  await openNavScreen(page, 'Customers');
  await addCustomer(page, ROOT, 'Contoso', 'owner@contoso.test');
  await openNavScreen(page, 'Team');
  await acceptOwnerInvitation(browser, await resendLink(page, 'owner@contoso.test'), 'contoso-owner');
  await page.reload();
  await openNavScreen(page, 'Team');
  const password = await createUserIn(page, { username: 'ada', email: 'ada@contoso.test', role: 'Admin' }, 'Contoso');
  await firstSignIn(browser, steward.url, 'ada', password);
  await page.reload();
  await openNavScreen(page, 'Team');
  await memberRow(page, 'ada').getByRole('button', { name: 'ada', exact: true }).click();

  const section = page.getByRole('region', { name: 'Ownership' });
  await expect(section).toContainText(`You are an Owner of ${ROOT}, above Contoso.`);
  await section.getByRole('button', { name: 'Make ada the Owner of Contoso…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Make ada the Owner of Contoso' });
  const right = await code(secret, 1);
  await dialog.getByLabel('Code from your authenticator app').fill(right === '000000' ? '111111' : '000000');
  await dialog.getByRole('button', { name: 'Make Owner' }).click();
  await expect(dialog.getByRole('alert').first()).toBeVisible();
  await dialog.getByLabel('Code from your authenticator app').fill(right);
  await dialog.getByRole('button', { name: 'Make Owner' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('status').filter({ hasText: 'ada is now the Owner of Contoso. Contoso’s previous Owner is its Admin now.' }),
  ).toBeVisible();
  await page.getByRole('button', { name: '‹ Back to members' }).click();
  await expect(memberRow(page, 'ada')).toContainText('Owner · Contoso');
  await expect(memberRow(page, 'contoso-owner')).toContainText('Admin · Contoso');
  await expect(memberRow(page, 'contoso-owner')).not.toContainText('Owner ·');
});
