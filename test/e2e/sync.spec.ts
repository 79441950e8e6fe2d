import { spawn, type ChildProcess } from 'node:child_process';
import { registerNameKey } from '../../main/db/name-keys';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generate } from 'otplib';
import { DATABASE_FILE } from '../../main/app';
import { northAndSouth, giveCredentials, type Credentials } from '../helpers/hub';
import { tempDir, tempSteward } from '../helpers/temp-steward';
import { World } from '../helpers/world';
import { expect, test } from './console';
import { submitSetupForm } from './owner';

/**
 * A web console in replica mode (issue 13): connected to a real hub process over HTTPS with
 * its generated certificate, it shows its contact with the hub in the status chip, counts
 * what waits for the hub while working offline, and lists a command the hub refused with the
 * hub's reason under Sync issues.
 */
interface Started {
  proc: ChildProcess;
  url: string;
  fingerprint: string;
}

function start(script: string, args: string[], ready: RegExp): Promise<Started> {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = ready.exec(out)?.[1];
      const fingerprint = /fingerprint[^:]*: ([0-9A-F:]{95})/.exec(out)?.[1] ?? '';
      if (url && (fingerprint || !script.endsWith('hub.js'))) resolve({ proc, url, fingerprint });
    });
    proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.once('exit', (code) => reject(new Error(`${script} exited (${String(code)}): ${out}`)));
  });
}

function stop(p: Started | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!p || p.proc.exitCode !== null) return resolve();
    p.proc.once('exit', () => resolve());
    p.proc.kill('SIGTERM');
  });
}

test('a replica shows its sync state, what waits for the hub, and a refused command with the hub’s reason', async ({ page }) => {
  const hubDir = tempDir('steward-e2e-hub-');
  const replicaDir = tempDir('steward-e2e-replica-');
  let hub: Started | undefined;
  let replica: Started | undefined;
  try {
    const w = new World(tempSteward({ dir: hubDir.dir, background: false }));
    const { south, alice: aliceId } = northAndSouth(w);
    const alice: Credentials = await giveCredentials(w.steward, aliceId);
    w.steward.close();

    hub = await start('dist/main/hub.js', ['--data', hubDir.dir, '--listen', '127.0.0.1:0'], /Steward hub: (\S+)/);
    replica = await start('dist/main/web.js', ['--data', replicaDir.dir, '--port', '0', '--hub', hub.url], /Steward web console: (\S+)/);

    await page.goto(replica.url);
    await page.getByRole('button', { name: 'Connect to a hub instead' }).click();
    await expect(page.getByLabel('Hub address')).toHaveValue(hub.url);
    await page.getByLabel('Certificate fingerprint (SHA-256)').fill(hub.fingerprint);
    await page.getByLabel('Username or email').fill(alice.username);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByLabel('Authenticator code').fill(await generate({ secret: alice.secret, epoch: Math.floor(Date.now() / 1000) }));
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    const chip = page.getByTestId('sync-chip');
    await expect(chip).toContainText('Online');
    await chip.click();
    await page.getByRole('button', { name: 'Work offline' }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(chip).toContainText('Working offline');
    await expect(page.getByTestId('sync-as-of')).toContainText('as of');

    // Offline, Alice adds a location under South; meanwhile the hub takes South from her.
    const created = await page.evaluate(async (parentId) => {
      const csrf =
        document.cookie
          .split('; ')
          .find((c) => c.startsWith('steward_csrf_'))
          ?.split('=')[1] ?? '';
      const r = await fetch('/api/groups.create', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-steward-csrf': csrf },
        body: JSON.stringify({ parentId, kind: 'location', name: 'South depot' }),
      });
      return (await r.json()) as { ok: boolean };
    }, south);
    expect(created.ok).toBe(true);
    await expect(page.getByTestId('sync-pending')).toHaveText('1 pending');
    const db = new Database(join(hubDir.dir, DATABASE_FILE));
    registerNameKey(db);
    db.pragma('busy_timeout = 5000');
    db.prepare('DELETE FROM role_bindings WHERE user_id = ? AND group_id = ?').run(aliceId, south);
    db.close();

    await chip.click();
    await page.getByRole('button', { name: 'Go back online' }).click();
    // Her roles changed on the hub: her session here ends as it does there, and she signs in again (offline verifier).
    await expect(page.getByLabel('Password')).toBeVisible();
    await page.getByLabel('Username or email').fill(alice.username);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Authentication code').fill(await generate({ secret: alice.secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByTestId('sync-rejected')).toHaveText('1 rejected');
    await chip.click();
    const issue = page.getByTestId('sync-issue');
    await expect(issue).toContainText('groups.create');
    await expect(issue).toContainText('The hub refused it');
    await expect(page.getByTestId('sync-panel-pending')).toHaveText('Nothing waits for the hub.');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByText('The hub has accepted everything you did.')).toBeVisible();
  } finally {
    // Leave the replica's console before stopping it, so the page's polling does not call a server that is gone.
    await page.goto('about:blank');
    await stop(replica);
    await stop(hub);
    hubDir.remove();
    replicaDir.remove();
  }
});

test('a new hub’s first-run screen asks for the setup code the hub printed, and sets up only with it (R35)', async ({ browser }) => {
  const hubDir = tempDir('steward-e2e-new-hub-');
  // The hub's generated certificate: the browser is told to go on, as a person would after comparing it.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  let hub: Started | undefined;
  try {
    hub = await start('dist/main/hub.js', ['--data', hubDir.dir, '--listen', '127.0.0.1:0'], /Steward hub: (\S+)/);
    const page = await context.newPage();
    await page.goto(hub.url);
    await expect(page.getByRole('heading', { name: 'Set up Steward' })).toBeVisible();
    const field = page.getByLabel('Setup code');
    await expect(field).toBeFocused();
    await expect(page.getByText('The hub printed it when it started.', { exact: false })).toBeVisible();

    await submitSetupForm(page);
    await expect(page.getByText(/this hub is set up only with its one-time setup code/)).toBeVisible();
    await field.fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
    await page.getByRole('button', { name: 'Create organization and account' }).click();
    await expect(page.getByText(/That is not this hub's setup code/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Set up Steward' })).toBeVisible();

    const file = join(hubDir.dir, 'setup-code');
    await field.fill(readFileSync(file, 'utf8').trim());
    await page.getByRole('button', { name: 'Create organization and account' }).click();
    await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
    expect(existsSync(file)).toBe(false);
  } finally {
    await context.close();
    await stop(hub);
    hubDir.remove();
  }
});
