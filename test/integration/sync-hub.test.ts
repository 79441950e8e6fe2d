import Database from 'better-sqlite3';
import { registerNameKey } from '../../main/db/name-keys';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/app';
import {
  folderRows,
  giveCredentials,
  ReplicaConsole,
  startConsole,
  startHub,
  waitFor,
  type Credentials,
  type RunningProcess,
} from '../helpers/hub';
import { useSyncProcesses } from '../helpers/sync-processes';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { codeFor, tempDir, tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 13 with real processes: a hub (HTTPS with its generated certificate) and replicas
 * (headless web consoles on their own data folders), talking over loopback.
 */
const { entries: bundled, cleanups } = useSyncProcesses();

interface Tree {
  hubDir: string;
  c1: string;
  c2: string;
  a: Credentials & { id: string };
  b: Credentials & { id: string };
  c1Devices: string[];
}

/** A provider with two customers; A is an Admin of customer 1, B an Admin at the provider. */
async function hubFolder(): Promise<Tree> {
  const folder = tempDir('steward-hub-');
  cleanups.push(() => folder.remove());
  const w = new World(tempSteward({ dir: folder.dir, background: false }));
  const reseller = w.group(w.rootId, 'reseller', 'Reseller');
  const c1 = w.group(reseller, 'customer', 'Customer One');
  const c2 = w.group(reseller, 'customer', 'Customer Two');
  const aId = w.user('alice', c1);
  w.bind(aId, ROLE.admin, c1);
  const bId = w.user('bob', w.rootId);
  w.bind(bId, ROLE.admin, w.rootId);
  const c1Devices = addDevices(w, c1, mixedSpecs('one', 30));
  addDevices(w, c2, mixedSpecs('two', 20));
  const a = { ...(await giveCredentials(w.steward, aId)), id: aId };
  const b = { ...(await giveCredentials(w.steward, bId)), id: bId };
  w.steward.close();
  return { hubDir: folder.dir, c1, c2, a, b, c1Devices };
}

async function hub(dir: string): Promise<RunningProcess> {
  const running = await startHub(bundled().hub, dir);
  cleanups.push(() => running.stop());
  return running;
}

async function replica(): Promise<ReplicaConsole> {
  const folder = tempDir('steward-replica-');
  const running = await startConsole(bundled().web, folder.dir);
  cleanups.push(async () => {
    await running.stop();
    folder.remove();
  });
  return new ReplicaConsole(running, folder.dir);
}

describe('hub and replica', () => {
  it('connects over HTTPS with the printed fingerprint, pulls only what the person may see, and pushes a command exactly once', async () => {
    const t = await hubFolder();
    const h = await hub(t.hubDir);
    expect(h.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const a = await replica();

    const connected = await a.connect(h, t.a);
    expect(connected.body).toMatchObject({ ok: true });
    await a.settled();
    const devices = await a.call('devices.list', { window: { offset: 0, limit: 500 } });
    expect(devices.body.ok).toBe(true);
    const names = ((devices.body.value as unknown as { rows: Array<{ name: string }> }).rows ?? []).map((d) => d.name);
    expect(names.length).toBe(30);
    expect(names.every((n) => n.startsWith('one-'))).toBe(true);

    const created = await a.call('groups.create', { parentId: t.c1, kind: 'location', name: 'Made on the replica' });
    expect(created.body).toMatchObject({ ok: true });
    const id = (created.body.value as unknown as { id: string }).id;
    await a.settled();
    expect(folderRows(t.hubDir, 'SELECT name FROM groups WHERE id = ?', id)).toEqual([{ name: 'Made on the replica' }]);
    expect(folderRows(t.hubDir, "SELECT count(*) AS n FROM command_log WHERE operation = 'groups.create'")).toEqual([{ n: 1 }]);
  }, 90_000);

  it('refuses a fingerprint that is not the hub’s and connects nothing', async () => {
    const t = await hubFolder();
    const h = await hub(t.hubDir);
    const a = await replica();
    const wrong = h.fingerprint.replace(/^../, h.fingerprint.startsWith('00') ? '11' : '00');
    await a.api.primeCsrf();
    const answer = await a.call('sync.connect', {
      url: h.url,
      fingerprint: wrong,
      username: t.a.username,
      password: t.a.password,
      code: '123456',
    });
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'fingerprint' } });
    expect(await a.status()).toMatchObject({ state: 'not-connected' });
    await waitFor(() => (folderRows(t.hubDir, 'SELECT 1 FROM sync_replicas').length === 0 ? true : undefined), 'no replica on the hub');
  }, 60_000);

  it('signs its person in offline with the sealed verifier within the offline window, refuses step-up work offline, and needs the hub once the window has passed', async () => {
    const t = await hubFolder();
    // A window of one day, set on the hub.
    const h = await startHub(bundled().hub, t.hubDir, 0, ['--offline-window-days', '1']);
    cleanups.push(() => h.stop());
    const folder = tempDir('steward-replica-');
    cleanups.push(() => folder.remove());
    const first = await startConsole(bundled().web, folder.dir);
    const a = new ReplicaConsole(first);
    expect((await a.connect(h, t.a)).body).toMatchObject({ ok: true });
    await a.settled();
    // The verifier is sealed at rest: neither the password hash nor the key appears in the file.
    const file = new Database(join(folder.dir, DATABASE_FILE), { readonly: true });
    const stored = file.prepare('SELECT verifier_sealed FROM sync_hub').get() as { verifier_sealed: Buffer };
    file.close();
    expect(stored.verifier_sealed.toString('latin1')).not.toContain(t.a.secret);
    expect(stored.verifier_sealed.toString('latin1')).not.toContain('scrypt');

    await h.stop();
    await first.stop();
    const again = await startConsole(bundled().web, folder.dir);
    cleanups.push(() => again.stop());
    const offline = new ReplicaConsole(again);
    await offline.api.primeCsrf();
    expect((await offline.call('auth.signIn', { login: t.a.username, password: 'not the password' })).body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect((await offline.call('auth.signIn', { login: t.a.username, password: t.a.password })).body).toMatchObject({ ok: true });
    // The next step's code: the one the connect used is taken (its step came with the verifier).
    const verified = await offline.call('auth.verifyCode', { code: await codeFor(t.a.secret, Date.now() + 30_000) });
    expect(verified.body).toMatchObject({ ok: true });
    const listed = await offline.call('devices.list', { window: { offset: 0, limit: 50 } });
    expect((listed.body.value as unknown as { total: number }).total).toBe(30);
    expect(await offline.status()).toMatchObject({ state: 'offline' });
    // Ownership changes need the hub's fresh step-up: refused here, saying so, and nothing is queued.
    const transfer = await offline.call('ownership.transfer', { companyId: t.c1, toUserId: t.a.id, code: '123456' });
    expect(transfer.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(messageOf(transfer.body)).toMatch(/hub/);
    expect((await offline.status()).pending).toBe(0);

    await offline.call('auth.signOut', {});
    await again.stop();
    // A day and a half without the hub: the replica's own record of its last contact says so (no clock is faked).
    const rewound = new Database(join(folder.dir, DATABASE_FILE));
    rewound.prepare('UPDATE sync_hub SET last_contact = ?').run(Date.now() - 36 * 3_600_000);
    rewound.close();
    const later = await startConsole(bundled().web, folder.dir);
    cleanups.push(() => later.stop());
    const away = new ReplicaConsole(later);
    await away.api.primeCsrf();
    const late = await away.call('auth.signIn', { login: t.a.username, password: t.a.password });
    expect(late.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(messageOf(late.body)).toMatch(/needs the hub.*offline window/);
  }, 150_000);

  it('a code taken here stays taken after a pull puts the hub’s rows back (RFC 6238: a verified code is not accepted twice)', async () => {
    const t = await hubFolder();
    const h = await hub(t.hubDir);
    const a = await replica();
    expect((await a.connect(h, t.a)).body).toMatchObject({ ok: true });
    await a.settled();
    await a.call('auth.signOut', {});
    // The next step's code (the connect took this one), kept to try it twice.
    const code = await codeFor(t.a.secret, Date.now() + 30_000);
    const signIn = () => a.call('auth.signIn', { login: t.a.username, password: t.a.password });
    expect((await signIn()).body).toMatchObject({ ok: true });
    expect((await a.call('auth.verifyCode', { code })).body).toMatchObject({ ok: true });
    // A pull: what the sign-in changed here is put back to the hub's row first, then the hub's rows are applied.
    expect((await a.call('sync.now', {})).body).toMatchObject({ ok: true });
    await a.call('auth.signOut', {});
    expect((await signIn()).body).toMatchObject({ ok: true });
    const again = await a.call('auth.verifyCode', { code });
    expect(again.body).toMatchObject({ ok: false, error: { field: 'code' } });
    expect((await a.call('groups.tree', {})).body).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
  }, 120_000);

  it('an account disabled on the hub ends the replica’s sessions and its offline sign-in at the next contact', async () => {
    const t = await hubFolder();
    const h = await hub(t.hubDir);
    const a = await replica();
    expect((await a.connect(h, t.a)).body).toMatchObject({ ok: true });
    await a.settled();
    expect((await a.call('groups.tree', {})).body.ok).toBe(true);
    // Disabled on the hub (as an administrator there would; written straight into its database here).
    const db = new Database(join(t.hubDir, DATABASE_FILE));
    registerNameKey(db);
    db.pragma('busy_timeout = 5000');
    db.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").run(t.a.id);
    db.close();
    await a.call('sync.now', {});
    await waitFor(async () => ((await a.status()).state === 'signed-out' ? true : undefined), 'the replica to be signed out');
    expect((await a.status()).error).toMatch(/disabled/);
    expect((await a.call('groups.tree', {})).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const signIn = await a.call('auth.signIn', { login: t.a.username, password: t.a.password });
    expect(signIn.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(messageOf(signIn.body)).toMatch(/needs the hub/);
  }, 60_000);

  it('answers its health endpoint, and refuses a Host it was not given as a public name', async () => {
    const t = await hubFolder();
    const h = await startHub(bundled().hub, t.hubDir, 0, ['--public-name', 'hub.example.lan']);
    cleanups.push(() => h.stop());
    const port = new URL(h.url).port;
    const get = (path: string, host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, path, method: 'GET', headers: { Host: host }, ca: certificateOf(t.hubDir), servername: 'localhost' },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const health = await get('/sync/health', `127.0.0.1:${port}`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, value: { status: 'ok' } });
    expect((await get('/sync/health', `hub.example.lan:${port}`)).status).toBe(200);
    const rebound = await get('/sync/health', `evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  }, 60_000);

  it('a change made through another replica reaches an online replica by itself (the hub’s event, then a pull)', async () => {
    const t = await hubFolder();
    const h = await hub(t.hubDir);
    const [a, b] = [await replica(), await replica()];
    expect((await a.connect(h, t.a)).body).toMatchObject({ ok: true });
    expect((await b.connect(h, t.b)).body).toMatchObject({ ok: true });
    await Promise.all([a.settled(), b.settled()]);
    const made = await b.call('groups.create', { parentId: t.c1, kind: 'location', name: 'Made by B' });
    expect(made.body).toMatchObject({ ok: true });
    const id = (made.body.value as unknown as { id: string }).id;
    // No sync is asked of A: the hub's event stream tells it, and it pulls.
    await waitFor(() => (replicaHas(a, id) ? true : undefined), 'A to receive B’s group');
  }, 60_000);
});

/** The refusal's message of an answer (empty for a success). */
function messageOf(body: { ok: boolean }): string {
  return 'error' in body ? String((body as { error: { message: string } }).error.message) : '';
}

/** The hub's generated certificate, to trust it as a client would after pinning it. */
function certificateOf(hubDir: string): string {
  return readFileSync(join(hubDir, 'hub-certificate.pem'), 'utf8');
}

/** Whether the replica's database holds the group (read beside the running console). */
function replicaHas(r: ReplicaConsole, groupId: string): boolean {
  return folderRows(r.dataDir, 'SELECT 1 FROM groups WHERE id = ?', groupId).length > 0;
}
