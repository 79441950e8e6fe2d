import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceFacets, GroupSummary } from '../../shared/contract';
import { openSteward, type Steward } from '../../main/app';
import type { ReadPool } from '../../main/db/read-pool';
import { poolReadHandlers } from '../../main/read-handlers';
import { startWebServer, type WebServer } from '../../main/transports/http/server';
import { IpcTransport } from '../../main/transports/ipc/ipc';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { waitFor } from '../helpers/hub';
import { HttpClient } from '../helpers/http-client';
import { tempSteward } from '../helpers/temp-steward';
import { World } from '../helpers/world';

/**
 * Issue 17: reads that can take long run in the read pool (docs/architecture.md, "The read
 * pool"), so no request waits behind them. A real SQLite file, a fleet large enough that the
 * device facets take far longer than a status call, and real HTTP on loopback.
 */
const FLEET = 100_000;
/** A read that walks the whole fleet: facets under a filter the tallies do not hold (assignment), so it lasts long enough to be caught running. */
const SLOW_READ = { filter: { assignment: 'unassigned' } };

let w: World;
let reads: ReadPool;
let server: WebServer;
let client: HttpClient;
let company: string;

beforeAll(async () => {
  w = new World(tempSteward({ readPool: { workers: 2, warm: true } }));
  reads = w.steward.reads as ReadPool;
  company = w.group(w.rootId, 'customer', 'Fleet');
  addDevices(w, company, mixedSpecs('fleet', FLEET));
  server = await startWebServer({ dispatcher: w.steward.dispatcher, port: 0 });
  client = new HttpClient(server.url);
  await client.primeCsrf();
  client.setCookie(`steward_session_${server.port}`, w.session(w.ownerId));
}, 120_000);

afterAll(async () => {
  await server.close();
  w.cleanup();
});

/** Gives the event loop a few turns, so anything that was going to start has started. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

const busy = () => reads.stats().busy + reads.stats().queued;

/** Waits for the pool to reach a state, looking every 2 ms: the slow read lasts about 100 ms, and a test acts on it while it runs. */
const soon = <T>(probe: () => T | undefined, what: string) => waitFor(probe, what, 30_000, 2);
const readStarted = () => soon(() => (reads.stats().busy > 0 ? true : undefined), 'the facets read to start in a worker');

describe('the read pool', () => {
  it('answers a cheap request while a slow read runs, before the slow one ends', async () => {
    const finished: string[] = [];
    const facets = client.call('devices.facets', SLOW_READ).then((answer) => {
      finished.push('devices.facets');
      return answer;
    });
    await readStarted();
    const status = await client.call('auth.status', {});
    finished.push('auth.status');
    expect(status.body.ok).toBe(true);
    const answer = await facets;
    expect(finished).toEqual(['auth.status', 'devices.facets']);
    expect(answer.body.ok).toBe(true);
    const counted = (answer.body.value as unknown as DeviceFacets).kinds.reduce((sum, k) => sum + k.count, 0);
    expect(counted).toBe(FLEET);
  });

  it('reads what a command committed just before, even in a worker that held an older snapshot', async () => {
    // One worker reads the whole fleet for a while; the other answers the tree meanwhile.
    const exported = client.call('devices.export', { format: 'csv' });
    await soon(() => (reads.stats().busy > 0 ? true : undefined), 'the export to start in a worker');
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const name = `Read after write ${i}`;
      const made = await client.call('groups.create', { parentId: company, kind: 'location', name });
      expect(made.body.ok).toBe(true);
      names.push(name);
      const tree = await client.call('groups.tree', {});
      const groups = (tree.body.value as unknown as { groups: GroupSummary[] }).groups;
      expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(names));
    }
    const file = await exported;
    expect(file.body.ok).toBe(true);
    expect((file.body.value as { rows: number }).rows).toBe(FLEET);
    // Both workers answer now: each sees every group.
    const both = await Promise.all([client.call('groups.tree', {}), client.call('groups.tree', {})]);
    for (const tree of both) {
      expect((tree.body.value as unknown as { groups: GroupSummary[] }).groups.map((g) => g.name)).toEqual(expect.arrayContaining(names));
    }
  });

  it('says clearly when a worker dies mid-read, and the next read is answered', async () => {
    const crashedBefore = reads.stats().crashed;
    const facets = client.call('devices.facets', SLOW_READ);
    await readStarted();
    // As a crash would: the thread ends without answering.
    await Promise.all(reads.threads().map((thread) => thread.terminate()));
    const answer = await facets;
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(answer.body.ok === false && answer.body.error.message).toMatch(/read worker stopped while answering devices\.facets/);
    expect(reads.stats().crashed).toBeGreaterThan(crashedBefore);
    const again = await client.call('devices.facets', SLOW_READ);
    expect(again.body.ok).toBe(true);
  });

  it('stops a read whose client went away, and goes on answering', async () => {
    const cancelledBefore = reads.stats().cancelled;
    const gone = new AbortController();
    const facets = client.call('devices.facets', SLOW_READ, { signal: gone.signal });
    await readStarted();
    gone.abort();
    await expect(facets).rejects.toThrow();
    await soon(() => (reads.stats().cancelled > cancelledBefore ? true : undefined), 'the pool to stop the read');
    expect(busy()).toBe(0);
    expect((await client.call('auth.status', {})).body.ok).toBe(true);
    expect((await client.call('devices.facets', SLOW_READ)).body.ok).toBe(true);
  });

  it('stops the reads of a desktop window that closes', async () => {
    const ipc = new IpcTransport(w.steward.dispatcher);
    const window = { frameUrl: 'steward://app/index.html', isMainFrame: true, webContentsId: 7 };
    ipc.windows.add(window.webContentsId);
    // The session a sign-in through this window leaves in the main process.
    (ipc as unknown as { tokens: Map<number, string> }).tokens.set(window.webContentsId, w.session(w.ownerId));
    const cancelledBefore = reads.stats().cancelled;
    const facets = ipc.handle(window, 'devices.facets', SLOW_READ);
    await readStarted();
    ipc.forget(window.webContentsId);
    expect(await facets).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(reads.stats().cancelled).toBe(cancelledBefore + 1);
  });

  it('takes a queued read off the queue when its caller goes away, without running it', async () => {
    const token = w.session(w.ownerId);
    const meta = (signal?: AbortSignal) => ({ token, client: 'cli' as const, ...(signal ? { signal } : {}) });
    // Both workers busy, so the third read waits in the queue.
    await soon(() => (reads.stats().ready === 2 ? true : undefined), 'both workers to be started');
    const running = [1, 2].map(() => w.steward.dispatcher.dispatch('devices.facets', SLOW_READ, meta()));
    await soon(() => (reads.stats().busy === 2 ? true : undefined), 'both workers to be busy');
    const gone = new AbortController();
    const queued = w.steward.dispatcher.dispatch('devices.facets', SLOW_READ, meta(gone.signal));
    await turns();
    expect(reads.stats().queued).toBe(1);
    gone.abort();
    expect((await queued).result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    for (const answer of await Promise.all(running)) expect(answer.result.ok).toBe(true);
  });

  it('holds reads back while an exclusive section runs, and lets one already running finish first', async () => {
    const token = w.session(w.ownerId);
    const answered = reads.stats().answered;
    const before = w.steward.dispatcher.dispatch('devices.facets', SLOW_READ, { token, client: 'cli' });
    await readStarted();
    let held: Promise<unknown> = Promise.resolve();
    await w.steward.dispatcher.exclusive(async () => {
      // The read that was running when the section was asked for has answered.
      expect(reads.stats().answered).toBe(answered + 1);
      // A replica's rebase writes in steps; a read must not see the state between them.
      held = w.steward.dispatcher.dispatch('groups.tree', {}, { token, client: 'cli' });
      await turns();
      expect(busy()).toBe(0);
      w.group(company, 'location', 'Written inside the section');
      await turns();
      expect(busy()).toBe(0);
    });
    expect((await before).result.ok).toBe(true);
    const tree = (await held) as { result: { ok: true; value: { groups: GroupSummary[] } } };
    expect(tree.result.value.groups.map((g) => g.name)).toContain('Written inside the section');
  });

  it('answers exactly what the same read answers on the main thread', async () => {
    // A second Steward on the same folder, without a pool: every read runs inline there.
    const inline: Steward = openSteward({ dataDir: w.steward.dataDir, background: false });
    try {
      const token = w.session(w.ownerId);
      const reads: Array<[string, unknown]> = [
        ['devices.list', { filter: { text: 'fleet-9', statuses: ['failed'] }, sort: { column: 'lastBackupAt', direction: 'desc' } }],
        ['devices.list', { window: { offset: 90_000, limit: 50 } }],
        ['devices.facets', { filter: { groupId: company } }],
        ['groups.tree', {}],
        ['users.list', {}],
        ['audit.list', {}],
        ['access.whoCan', { permission: 'devices.view', target: { type: 'group', id: company } }],
        ['access.hygiene', {}],
        ['devices.bulkPlan', { selection: { filter: { kinds: ['server'] } }, userIds: [w.ownerId], action: 'assign' }],
      ];
      for (const [name, input] of reads) {
        const pooled = await w.steward.dispatcher.dispatch(name, input, { token, client: 'cli' });
        const there = await inline.dispatcher.dispatch(name, input, { token, client: 'cli' });
        expect(pooled.result.ok, `${name}: ${JSON.stringify(pooled.result)}`).toBe(true);
        expect(pooled.result, name).toEqual(there.result);
      }
      const exported = await w.steward.dispatcher.dispatch(
        'devices.export',
        { format: 'csv', filter: { os: ['macOS 14'] } },
        { token, client: 'cli' },
      );
      const exportedThere = await inline.dispatcher.dispatch(
        'devices.export',
        { format: 'csv', filter: { os: ['macOS 14'] } },
        { token, client: 'cli' },
      );
      expect(exported.result).toEqual(exportedThere.result);
    } finally {
      inline.close();
    }
  });

  it('runs in the pool exactly the handlers marked for it, and the worker knows every one', () => {
    const marked = w.steward.registry
      .entries()
      .filter((h) => h.readPool)
      .map((h) => h.name)
      .sort();
    expect(
      poolReadHandlers()
        .map((h) => h.name)
        .sort(),
    ).toEqual(marked);
    expect(marked).toEqual(
      expect.arrayContaining(['devices.list', 'devices.facets', 'groups.tree', 'audit.list', 'audit.export', 'devices.export']),
    );
  });
});
