import Database from 'better-sqlite3';
import { registerNameKey } from '../../main/db/name-keys';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/app';
import {
  northAndSouth,
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
import { tempDir, tempSteward } from '../helpers/temp-steward';
import { rowsOf } from '../helpers/visible-rows';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 13's acceptance: a day offline, revocations made on the hub meanwhile, and both sides
 * killed mid-work. Real processes on loopback: a hub over HTTPS with its generated
 * certificate, and replicas (headless web consoles on their own data folders).
 */
const { entries: bundled, cleanups } = useSyncProcesses();
let scratch: ReturnType<typeof tempDir>;
beforeAll(() => {
  scratch = tempDir('steward-sync-scratch-');
});
afterAll(() => scratch.remove());

type Person = Credentials & { id: string };

interface Setup {
  hubDir: string;
  /** A's two customers: A keeps North, loses South while offline. */
  north: string;
  south: string;
  a: Person;
  b: Person;
  /** A member at North, whom A's bulk job assigns devices to. */
  member: string;
  northDevices: string[];
}

/** A provider with two customers; A is Admin of both, B is Admin at the provider. */
async function setup(): Promise<Setup> {
  const folder = tempDir('steward-hub-');
  cleanups.push(() => folder.remove());
  const w = new World(tempSteward({ dir: folder.dir, background: false }));
  const { north, south, alice: aId, bob: bId } = northAndSouth(w);
  const member = w.user('mira', north);
  w.bind(member, ROLE.operator, north);
  const northDevices = addDevices(w, north, mixedSpecs('north', 400));
  addDevices(w, south, mixedSpecs('south', 50));
  const a = { ...(await giveCredentials(w.steward, aId)), id: aId };
  const b = { ...(await giveCredentials(w.steward, bId)), id: bId };
  w.steward.close();
  return { hubDir: folder.dir, north, south, a, b, member, northDevices };
}

async function hub(dir: string, port = 0, env: Record<string, string> = {}): Promise<RunningProcess> {
  const running = await startHub(bundled().hub, dir, port, [], env);
  cleanups.push(() => running.stop());
  return running;
}

async function replica(dir?: string): Promise<ReplicaConsole & { dir: string }> {
  const folder = dir ? null : tempDir('steward-replica-');
  const dataDir = dir ?? folder?.dir ?? '';
  const running = await startConsole(bundled().web, dataDir);
  cleanups.push(async () => {
    await running.stop();
    folder?.remove();
  });
  return Object.assign(new ReplicaConsole(running), { dir: dataDir });
}

async function ok<T = Record<string, unknown>>(r: ReplicaConsole, name: string, input: unknown): Promise<T> {
  const answer = await r.call(name, input);
  if (!answer.body.ok) throw new Error(`${name}: ${JSON.stringify(answer.body.error)}`);
  return answer.body.value as T;
}

/** The replica holds exactly the hub's rows its person may see now. */
function expectConverged(hubDir: string, replicaDir: string, personId: string): void {
  const want = rowsOf(hubDir, scratch.dir, personId);
  const have = rowsOf(replicaDir, scratch.dir);
  for (const table of Object.keys(want)) expect(have[table], `table ${table}`).toEqual(want[table]);
}

async function hubJobsDone(hubDir: string): Promise<void> {
  await waitFor(
    () =>
      folderRows<{ n: number }>(
        hubDir,
        "SELECT count(*) AS n FROM device_jobs WHERE state IN ('queued','running','cancelling','rolling_back')",
      )[0]?.n === 0
        ? true
        : undefined,
    'the hub’s jobs to finish',
    120_000,
  );
}

/** The world of setup(), a hub on it, and replicas for A and B, both connected and synced. */
async function aAndB(): Promise<{ s: Setup; h: RunningProcess; a: ReplicaConsole & { dir: string }; b: ReplicaConsole & { dir: string } }> {
  const s = await setup();
  const h = await hub(s.hubDir);
  const [a, b] = [await replica(), await replica()];
  expect((await a.connect(h, s.a)).body.ok).toBe(true);
  expect((await b.connect(h, s.b)).body.ok).toBe(true);
  await Promise.all([a.settled(), b.settled()]);
  return { s, h, a, b };
}

describe('working offline against a hub', () => {
  it('a removal of A’s role made on the hub while A was offline wins: A’s later commands are rejected with the reason, and A’s replica lets go of what A may no longer see', async () => {
    const { s, a, b } = await aAndB();
    const southBefore = folderRows<{ n: number }>(a.dir, 'SELECT count(*) AS n FROM devices WHERE group_id = ?', s.south)[0]?.n;
    expect(southBefore).toBe(50);

    await ok(a, 'sync.setOffline', { offline: true });
    const kept = await ok<{ id: string }>(a, 'groups.create', { parentId: s.north, kind: 'location', name: 'North depot' });
    const lost = await ok<{ id: string }>(a, 'groups.create', { parentId: s.south, kind: 'location', name: 'South depot' });
    await ok(a, 'groups.update', { id: lost.id, baseVersion: 1, name: 'South depot, renamed' });
    expect((await a.status()).pending).toBe(3);

    const version = folderRows<{ version: number }>(s.hubDir, 'SELECT version FROM users WHERE id = ?', s.a.id)[0]?.version ?? 1;
    await ok(b, 'users.setRoles', { userId: s.a.id, baseVersion: version, bindings: [{ roleId: ROLE.admin, groupId: s.north }] });
    await b.settled();

    await ok(a, 'sync.setOffline', { offline: false });
    await waitFor(async () => ((await a.status()).pending === 0 && (await a.status()).state === 'online' ? true : undefined), 'A to sync');
    const status = await a.status();
    expect(status.rejected).toBe(2);
    const issues = folderRows<{ operation: string; code: string; message: string }>(
      a.dir,
      'SELECT operation, code, message FROM sync_results ORDER BY seq',
    );
    expect(issues.map((i) => i.operation)).toEqual(['groups.create', 'groups.update']);
    for (const issue of issues) {
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(issue.code);
      expect(issue.message.length).toBeGreaterThan(10);
    }
    // Landed once on the hub; the refused ones nowhere.
    expect(folderRows(s.hubDir, 'SELECT name FROM groups WHERE id IN (?, ?)', kept.id, lost.id)).toEqual([{ name: 'North depot' }]);
    // A no longer holds South: its devices and the rejected group left the replica.
    expect(folderRows(a.dir, 'SELECT count(*) AS n FROM devices WHERE group_id = ?', s.south)).toEqual([{ n: 0 }]);
    expect(folderRows(a.dir, 'SELECT count(*) AS n FROM groups WHERE id = ?', lost.id)).toEqual([{ n: 0 }]);
    // A's role changed on the hub: A's sessions here ended with it.
    expect((await a.call('groups.tree', {})).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expectConverged(s.hubDir, a.dir, s.a.id);
    // B learns of A's commands by the hub's event; asking now makes sure that pull has happened before comparing.
    await ok(b, 'sync.now', {});
    expectConverged(s.hubDir, b.dir, s.b.id);
  }, 120_000);

  it('a stale update is refused like any other: the reason names what changed on the hub (and who, where A may see them), and A holds the hub’s version', async () => {
    const { s, a, b } = await aAndB();
    const base = folderRows<{ version: number }>(a.dir, 'SELECT version FROM groups WHERE id = ?', s.north)[0]?.version ?? 0;

    await ok(a, 'sync.setOffline', { offline: true });
    await ok(a, 'groups.update', { id: s.north, baseVersion: base, name: 'North, as A sees it' });
    await ok(b, 'groups.update', { id: s.north, baseVersion: base, serviceType: 'Managed backup, gold' });
    await b.settled();

    await ok(a, 'sync.setOffline', { offline: false });
    await waitFor(async () => ((await a.status()).pending === 0 && (await a.status()).state === 'online' ? true : undefined), 'A to sync');
    expect((await a.status()).rejected).toBe(1);
    const [issue] = folderRows<{ operation: string; code: string; field: string | null; message: string }>(
      a.dir,
      'SELECT operation, code, field, message FROM sync_results',
    );
    expect(issue).toMatchObject({ operation: 'groups.update', code: 'CONFLICT' });
    expect(issue?.message).toContain(`changed since version ${base}`);
    // Bob is above A: the hub names him only to those who may see him (R13), on this path too.
    expect(issue?.message).toContain('by (someone you may not see) changed the service type');
    // A's rename rolled back; the hub's change is what A holds, as on the hub.
    const held = folderRows<{ name: string; service_type: string }>(a.dir, 'SELECT name, service_type FROM groups WHERE id = ?', s.north);
    expect(held).toEqual(folderRows(s.hubDir, 'SELECT name, service_type FROM groups WHERE id = ?', s.north));
    expect(held[0]).toMatchObject({ service_type: 'Managed backup, gold' });
    expect(held[0]?.name).not.toBe('North, as A sees it');
    expectConverged(s.hubDir, a.dir, s.a.id);
  }, 120_000);

  it('a day offline: 1,000 commands of mixed kinds with a bulk job; B revokes part of A’s rights meanwhile; each accepted command lands once, each rejected one rolls back with its reason, and A, B and the hub converge', async () => {
    const { s, a, b } = await aAndB();
    await ok(a, 'sync.setOffline', { offline: true });

    // The day: 1,000 commands. About one in ten acts at South, which A loses on the hub meanwhile.
    const made: Array<{ name: string; south: boolean; id?: string }> = [];
    const groups: Array<{ id: string; south: boolean; version: number }> = [];
    const job = await ok<{ id: string }>(a, 'devices.bulkAssign', {
      selection: { filter: { groupId: s.north } },
      userIds: [s.member],
      action: 'assign',
    });
    made.push({ name: 'devices.bulkAssign', south: false, id: job.id });
    let renamedB = false;
    for (let i = 1; made.length < 1000; i++) {
      const south = i % 10 === 0;
      const parentId = south ? s.south : s.north;
      if (i % 3 !== 0 || groups.length === 0) {
        const created = await ok<{ id: string }>(a, 'groups.create', { parentId, kind: 'location', name: `Site ${i}` });
        groups.push({ id: created.id, south, version: 1 });
        made.push({ name: 'groups.create', south });
      } else {
        const g = groups[i % groups.length] as (typeof groups)[number];
        const updated = await ok<{ version: number }>(a, 'groups.update', { id: g.id, baseVersion: g.version, name: `Site ${i} renamed` });
        g.version = updated.version;
        made.push({ name: 'groups.update', south: g.south });
      }
      if (!renamedB && made.length === 500) {
        // Midday, on the hub through B: A loses South.
        const version = folderRows<{ version: number }>(s.hubDir, 'SELECT version FROM users WHERE id = ?', s.a.id)[0]?.version ?? 1;
        await ok(b, 'users.setRoles', { userId: s.a.id, baseVersion: version, bindings: [{ roleId: ROLE.admin, groupId: s.north }] });
        renamedB = true;
      }
    }
    // The bulk job ran here, offline, while the day went on.
    await waitFor(async () => {
      const got = await a.call('devices.jobGet', { jobId: job.id });
      const state = (got.body.value as { state?: string } | undefined)?.state;
      return state === 'done' ? true : undefined;
    }, 'the offline bulk job');
    expect(folderRows(a.dir, 'SELECT count(*) AS n FROM device_assignments WHERE user_id = ?', s.member)).toEqual([{ n: 400 }]);
    const southCount = made.filter((m) => m.south).length;
    expect(southCount).toBeGreaterThanOrEqual(90);
    expect((await a.status()).pending).toBe(1000);

    await ok(a, 'sync.setOffline', { offline: false });
    await waitFor(
      async () => ((await a.status()).pending === 0 && (await a.status()).state === 'online' ? true : undefined),
      'A to sync',
      180_000,
    );
    await hubJobsDone(s.hubDir);
    // A's roles changed on the hub: A's sessions here ended at the pull; A signs in again (offline verifier).
    expect((await a.call('groups.tree', {})).body).toMatchObject({ ok: false });
    await a.signIn(s.a);
    await ok(a, 'sync.now', {});
    await a.settled();
    await b.settled();

    const rejected = folderRows<{ operation: string; code: string }>(a.dir, 'SELECT operation, code FROM sync_results');
    expect(rejected.length).toBe(southCount);
    // A may no longer even see South: the hub answers as if it were not there (existence does not leak).
    expect(new Set(rejected.map((r) => r.code))).toEqual(new Set(['NOT_FOUND']));
    // Exactly once: every pushed command is held once by the hub, accepted ones applied.
    const held = folderRows<{ n: number; refused: number }>(
      s.hubDir,
      'SELECT count(*) AS n, count(refusal) AS refused FROM command_log WHERE origin = (SELECT origin FROM command_log WHERE operation = ? LIMIT 1)',
      'devices.bulkAssign',
    )[0];
    expect(held).toEqual({ n: 1000, refused: southCount });
    expect(folderRows(s.hubDir, "SELECT count(*) AS n FROM groups WHERE kind = 'location'")).toEqual([
      { n: groups.filter((g) => !g.south).length },
    ]);
    expect(folderRows(s.hubDir, 'SELECT count(*) AS n FROM device_assignments WHERE user_id = ?', s.member)).toEqual([{ n: 400 }]);
    // The hub's run of A's bulk job, with its per-device results, is what A's replica shows now.
    const hubJob = await waitFor(async () => {
      const got = await a.call('devices.jobGet', { jobId: job.id });
      return got.body.ok ? (got.body.value as { state: string }) : undefined;
    }, 'the hub’s job results on A');
    expect(hubJob.state).toBe('done');
    const results = await ok<{ total: number }>(a, 'devices.jobResults', { jobId: job.id });
    expect(results.total).toBe(400);
    expect(folderRows(a.dir, 'SELECT count(*) AS n FROM device_job_items WHERE job_id = ?', job.id)).toEqual(
      folderRows(s.hubDir, 'SELECT count(*) AS n FROM device_job_items WHERE job_id = ?', job.id),
    );
    expectConverged(s.hubDir, a.dir, s.a.id);
    // B learns of A's commands by the hub's event; asking now makes sure that pull has happened before comparing.
    await ok(b, 'sync.now', {});
    expectConverged(s.hubDir, b.dir, s.b.id);
  }, 400_000);

  it('crashes: a hub killed mid-push applies every command exactly once after the retry; a replica killed mid-apply keeps a sound database and its outbox', async () => {
    const s = await setup();
    const port = await freePort();
    // 10 ms after each pushed command: the push of 600 takes seconds, so the kill lands in the middle of it.
    const h = await hub(s.hubDir, port, { STEWARD_HUB_PUSH_PAUSE_MS: '10' });
    const a = await replica();
    expect((await a.connect(h, s.a)).body.ok).toBe(true);
    await a.settled();
    await ok(a, 'sync.setOffline', { offline: true });
    const made: string[] = [];
    for (let i = 0; i < 600; i++)
      made.push((await ok<{ id: string }>(a, 'groups.create', { parentId: s.north, kind: 'location', name: `Depot ${i}` })).id);
    const origin = folderRows<{ id: string }>(a.dir, 'SELECT id FROM installation')[0]?.id ?? '';

    // The hub dies while the push is under way.
    await ok(a, 'sync.setOffline', { offline: false });
    await waitFor(
      () =>
        (folderRows<{ n: number }>(s.hubDir, 'SELECT count(*) AS n FROM command_log WHERE origin = ?', origin)[0]?.n ?? 0) > 0
          ? true
          : undefined,
      'the push to start',
      60_000,
    );
    await h.stop('SIGKILL');
    const partial = folderRows<{ n: number }>(s.hubDir, 'SELECT count(*) AS n FROM command_log WHERE origin = ?', origin)[0]?.n ?? 0;
    expect(partial).toBeLessThan(600);
    await hub(s.hubDir, port);
    await waitFor(
      async () => ((await a.status()).pending === 0 && (await a.status()).state === 'online' ? true : undefined),
      'A to push again',
      120_000,
    );
    expect(
      folderRows(
        s.hubDir,
        'SELECT count(*) AS n, count(DISTINCT origin_seq) AS seqs, count(refusal) AS refused FROM command_log WHERE origin = ?',
        origin,
      ),
    ).toEqual([{ n: 600, seqs: 600, refused: 0 }]);
    expect(folderRows(s.hubDir, "SELECT count(*) AS n FROM groups WHERE name LIKE 'Depot %'")).toEqual([{ n: 600 }]);
    expectConverged(s.hubDir, a.dir, s.a.id);

    // The replica dies while a large pull is applied and its pending commands run again.
    await ok(a, 'sync.setOffline', { offline: true });
    for (let i = 0; i < 200; i++) await ok(a, 'groups.update', { id: made[i], baseVersion: 1, name: `Depot ${i} renamed` });
    const hubDb = new Database(join(s.hubDir, DATABASE_FILE));
    registerNameKey(hubDb);
    hubDb.transaction(() => {
      const insert = hubDb.prepare(
        "INSERT INTO devices (id, group_id, name, kind, os, status, created_at, updated_at) VALUES (?, ?, ?, 'server', 'Linux', 'ok', 0, 0)",
      );
      for (let i = 0; i < 20_000; i++) insert.run(`late-${i}`, s.north, `late ${i}`);
    })();
    hubDb.close();
    const outbox = folderRows<{ seq: number; envelope: string }>(
      a.dir,
      'SELECT origin_seq AS seq, envelope FROM command_log WHERE origin = ? ORDER BY 1',
      origin,
    );
    await ok(a, 'sync.setOffline', { offline: false });
    await waitFor(async () => ((await a.status()).state === 'syncing' ? true : undefined), 'the sync to start', 30_000).catch(
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 150));
    await a.running.stop('SIGKILL');
    const check = new Database(join(a.dir, DATABASE_FILE));
    registerNameKey(check);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    // Every command recorded before the crash is still there as it was (the sync's own later ones may be too).
    expect(check.prepare('SELECT origin_seq AS seq, envelope FROM command_log WHERE origin = ? ORDER BY 1').all(origin)).toEqual(
      expect.arrayContaining(outbox),
    );
    check.close();
    const again = await replica(a.dir);
    await waitFor(
      async () => ((await again.status()).pending === 0 && (await again.status()).state === 'online' ? true : undefined),
      'A to sync after its restart',
      120_000,
    );
    expect(folderRows(s.hubDir, "SELECT count(*) AS n FROM groups WHERE name LIKE 'Depot % renamed'")).toEqual([{ n: 200 }]);
    expectConverged(s.hubDir, a.dir, s.a.id);
  }, 400_000);
});

/** A port nothing listens on now, so a hub can be restarted on the same address its replicas pinned. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePort(port));
    });
  });
}
