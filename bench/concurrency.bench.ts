import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { JobInfo } from '../shared/contract';
import { generateFleetForBench } from '../main/demo/fleet';
import { SessionStore } from '../main/features/auth/sessions';
import { startWebServer } from '../main/transports/http/server';
import { benchSteward } from './fixture';
import { apiClient } from './http-client';

/** The fleet of the concurrency figure; STEWARD_BENCH_CONCURRENCY_DEVICES measures another size (1000000 for issue 17's). */
const DEVICES = Number(process.env.STEWARD_BENCH_CONCURRENCY_DEVICES ?? 100_000);
/** One probe every this many milliseconds while the load runs. */
const PROBE_EVERY_MS = 10;
/** The probing stops after this many, whatever the load is doing (a bounded loop on loopback). */
const PROBES_MAX = 3_000;

interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** How long the load ran, in milliseconds. */
  loadMs: number;
}

/**
 * Issue 17's concurrency figure: while device facets (asked again and again), a whole-fleet
 * export and a bulk job over the whole fleet run, how long does a cheap request (`auth.status`)
 * take over real HTTP on loopback? Measured with the read pool, and with every read on the
 * main thread (as before the pool) for contrast. Target at 1,000,000 devices: p99 ≤ 50 ms.
 */
export async function concurrencyBench(): Promise<string[]> {
  const pooled = await underLoad(true);
  const inline = await underLoad(false);
  const line = (label: string, l: Latencies) =>
    `  ${label}: ${l.count} probes over ${(l.loadMs / 1000).toFixed(1)} s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
  const verdict =
    DEVICES >= 1_000_000 ? (pooled.p99 <= 50 ? '  (target p99 <= 50 ms at 1M: met)' : '  (target p99 <= 50 ms at 1M: NOT met)') : '';
  return [
    [
      `Concurrency at ${DEVICES.toLocaleString('en')} devices: auth.status over HTTP while facets, a whole-fleet export and a bulk job run`,
      line('with the read pool', pooled),
      line('every read on the main thread', inline),
      `  p99 with the pool: ${pooled.p99.toFixed(1)} ms${verdict}`,
    ].join('\n'),
  ];
}

async function underLoad(pool: boolean): Promise<Latencies> {
  const readPool = pool ? { readPool: { script: new URL('../main/read-worker.js', import.meta.url), warm: true } } : {};
  const { steward, db, dispose } = benchSteward('concurrency', 'Northwind', readPool);
  const server = await startWebServer({ dispatcher: steward.dispatcher, port: 0 });
  try {
    generateFleetForBench(db, 'root', { devices: DEVICES, customers: 250, users: 700, seed: 7, now: Date.UTC(2024, 4, 1), id: randomUUID });
    db.pragma('optimize');
    const token = `bench-${randomUUID()}`;
    new SessionStore(db).create(token, 'owner', 'active', 'cli', Date.now());
    const member = (db.prepare("SELECT id FROM users WHERE id <> 'owner' ORDER BY id LIMIT 1").get() as { id: string }).id;
    const api = await apiClient(server.url, `steward_session_${server.port}`, token);

    let loading = true;
    const start = performance.now();
    const facets = (async () => {
      while (loading) await api('devices.facets', {});
    })();
    const exported = api('devices.export', { format: 'csv' });
    const job = (async () => {
      let info = (await api('devices.bulkAssign', { selection: { filter: {} }, userIds: [member], action: 'assign' })) as JobInfo;
      while (info.state === 'queued' || info.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        info = (await api('devices.jobGet', { jobId: info.id })) as JobInfo;
      }
    })();
    const load = Promise.all([exported, job]).finally(() => (loading = false));

    const took: number[] = [];
    while (loading && took.length < PROBES_MAX) {
      const at = performance.now();
      await api('auth.status', {});
      took.push(performance.now() - at);
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
    await load;
    await facets;
    const loadMs = performance.now() - start;
    took.sort((a, b) => a - b);
    const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? 0;
    return { count: took.length, p50: at(0.5), p99: at(0.99), max: took.at(-1) ?? 0, loadMs };
  } finally {
    await server.close();
    dispose();
  }
}
