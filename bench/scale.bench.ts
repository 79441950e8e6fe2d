import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BulkPlan, DeviceListOutput, JobInfo } from '../shared/contract';
import { refreshStatistics } from '../main/db/connection';
import { generateFleetForBench } from '../main/demo/fleet';
import { SessionStore } from '../main/features/auth/sessions';
import { benchSteward, type BenchSteward } from './fixture';
import { gridFloors } from './grid-floors';
import { ownStatements } from './own-statements';

/**
 * Issue 17's figures (`npm run bench -- --scale 1m`): the same install at a tenth of the size
 * and at full size (the demo generator's fleet: one customer per 400 devices, one person per
 * 150), each operation through the dispatcher as the provider's Owner, median of five runs:
 * - each grid query against its raw-SQL floor, the statements the call ran, run again
 *   outside the server (`ownStatements`: issue 17's "the same SQL run outside the server"),
 *   and against the same query at the smaller size; beside it, for information, the same rows
 *   by hand over the same schema, each statement pinned to its best plan, no access rule
 *   (`gridFloors`);
 * - the facets and the tree (10,000 groups at 1M) against 50 ms;
 * - the Owner's dashboard (issue 18) against 100 ms;
 * - the bulk plan and job for 10% of the fleet (statuses failed and offline, two members):
 *   growth from the smaller size (the job a median of three), and the time the call that
 *   starts the job takes.
 * Times are wall-clock on whatever else the machine is doing; a shared machine inflates them.
 */
export async function scaleBench(devices: number): Promise<string[]> {
  const sizes = [Math.round(devices / 10), devices];
  const figures: Figures[] = [];
  for (const size of sizes) {
    const started = performance.now();
    const install = fleetInstall(size);
    const built = (performance.now() - started) / 1000;
    try {
      process.stdout.write(`  built ${size.toLocaleString('en')} devices in ${built.toFixed(0)} s; measuring\n`);
      figures.push(await measureAt(install, size));
    } finally {
      install.done();
    }
  }
  return report(figures as [Figures, Figures]);
}

interface Install extends BenchSteward {
  call<T>(name: string, input: unknown): Promise<T>;
  done(): void;
}

function fleetInstall(devices: number): Install {
  const bench = benchSteward('scale', 'Northwind');
  generateFleetForBench(bench.db, 'root', { devices, seed: 7, now: Date.UTC(2024, 4, 1), id: randomUUID });
  refreshStatistics(bench.db, 'open');
  // Provider-wide Operators for the bulk figures, as the devices bench has them.
  for (const id of ['scale-a', 'scale-b']) {
    bench.db
      .prepare("INSERT INTO users (id, username, email, home_group_id, created_at, updated_at) VALUES (?, ?, ?, 'root', 0, 0)")
      .run(id, id, `${id}@x.test`);
    bench.db.prepare("INSERT INTO role_bindings VALUES (?, 'builtin-operator', 'root')").run(id);
  }
  const token = `bench-${randomUUID()}`;
  new SessionStore(bench.db).create(token, 'owner', 'active', 'cli', Date.now());
  return {
    ...bench,
    async call<T>(name: string, input: unknown): Promise<T> {
      const out = await bench.steward.dispatcher.dispatch(name, input, { token, client: 'cli' });
      if (!out.result.ok) throw new Error(`${name}: ${out.result.error.message}`);
      return out.result.value as T;
    },
    done: bench.dispose,
  };
}

interface Figure {
  label: string;
  ms: number;
  /** The process's CPU time for the same call: what the call cost, less the waiting a busy machine adds. */
  cpu: number;
  /** The call's own statements run outside the server. */
  floorMs?: number;
  /** The same rows by hand, best plan. */
  handMs?: number;
}

interface Figures {
  devices: number;
  groups: number;
  grid: Figure[];
  facets: Timed;
  tree: Timed;
  dashboard: Timed;
  plan: Timed;
  job: Timed;
  jobStart: Timed;
}

interface Timed {
  ms: number;
  cpu: number;
}

/** Milliseconds of wall clock and of this process's CPU that `fn` takes. */
async function timed(fn: () => unknown): Promise<Timed> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

/** Medians (wall and CPU apart) of `runs` timed calls after one untimed call. */
async function median(fn: () => unknown, runs = 5): Promise<Timed> {
  await fn();
  const times: Timed[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(fn));
  const mid = (pick: (t: Timed) => number) => times.map(pick).sort((a, b) => a - b)[Math.floor(runs / 2)] ?? NaN;
  return { ms: mid((t) => t.ms), cpu: mid((t) => t.cpu) };
}

const TWO_FILTERS = { os: ['Windows 11', 'Windows 10'], statuses: ['warning', 'failed', 'offline'] };
const TENTH = { statuses: ['failed', 'offline'] };

async function measureAt(install: Install, devices: number): Promise<Figures> {
  const db = install.db;
  const floor = gridFloors(db, 'root', Math.round(devices * 0.9));
  const grid: Figure[] = [];
  const list = (input: unknown) => () => install.call<DeviceListOutput>('devices.list', input);
  const against = async (label: string, api: () => Promise<unknown>, hand: () => unknown): Promise<Figure> => {
    const measured = await median(api);
    const own = await ownStatements(db, api);
    return { label, ...measured, floorMs: (await median(own.run)).ms, handMs: (await median(hand)).ms };
  };
  grid.push(await against('first window, 200 rows by name', list({ window: { offset: 0, limit: 200 } }), floor.first));
  grid.push(
    await against('name contains "SRV", first 200', list({ filter: { text: 'SRV' }, window: { offset: 0, limit: 200 } }), floor.contains),
  );
  grid.push(
    await against(
      'two filters + sort by last backup, 100 rows at 500',
      list({ filter: TWO_FILTERS, sort: { column: 'lastBackupAt', direction: 'desc' }, window: { offset: 500, limit: 100 } }),
      floor.twoFilters,
    ),
  );
  // Scrolling or paging on to 90%: the window after the cursor of the one before it.
  const deep = Math.round(devices * 0.9);
  const before = await install.call<DeviceListOutput>('devices.list', { window: { offset: deep - 200, limit: 200 } });
  grid.push(
    await against('window at 90%, paged on (cursor)', list({ window: { offset: deep, limit: 200, after: before.after } }), floor.deep),
  );
  // Jumping there with an offset alone steps over every row before it: reported, not a target.
  grid.push({ label: 'window at 90%, jumped to (offset only)', ...(await median(list({ window: { offset: deep, limit: 200 } }))) });

  const facets = await median(() => install.call('devices.facets', {}));
  const tree = await median(() => install.call('groups.tree', {}));
  // Issue 18: the Owner's whole dashboard (fleet from the aggregates, access, seats, recent changes), before the job assigns anything.
  const dashboard = await median(() => install.call('dashboard.summary', {}));
  const groups = (db.prepare('SELECT count(*) AS n FROM groups').get() as { n: number }).n;

  const bulk = { selection: { filter: TENTH }, userIds: ['scale-a', 'scale-b'], action: 'assign' as const };
  const plan = await median(() => install.call<BulkPlan>('devices.bulkPlan', bulk));
  // A job is one long run: the median of three, each on the fleet as the job before it found it (its pairs removed, the WAL emptied).
  const jobs: Array<{ start: Timed; whole: Timed }> = [];
  for (let run = 0; run < 3; run++) {
    let id = '';
    const start = await timed(async () => (id = (await install.call<JobInfo>('devices.bulkAssign', bulk)).id));
    const rest = await timed(async () => {
      while (install.steward.jobs.busy()) await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const done = await install.call<JobInfo>('devices.jobGet', { jobId: id });
    if (done.state !== 'done' || done.processed !== done.total)
      throw new Error(`the job ended ${done.state} at ${done.processed} of ${done.total}`);
    jobs.push({ start, whole: { ms: start.ms + rest.ms, cpu: start.cpu + rest.cpu } });
    db.transaction(() => db.prepare("DELETE FROM device_assignments WHERE user_id IN ('scale-a', 'scale-b')").run())();
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  const middle = (pick: (j: (typeof jobs)[number]) => Timed) => [...jobs].map(pick).sort((a, b) => a.ms - b.ms)[1] as Timed;
  const jobMs = middle((j) => j.whole);
  const jobStart = middle((j) => j.start);
  return { devices, groups, grid, facets, tree, dashboard, plan, job: jobMs, jobStart };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const both = (t: Timed) => `${ms(t.ms)} (CPU ${ms(t.cpu)})`;
const verdict = (ok: boolean, target: string) => `(target ${target}: ${ok ? 'met' : 'NOT met'})`;

function report([small, large]: [Figures, Figures]): string[] {
  const n = (f: Figures) => f.devices.toLocaleString('en');
  const lines = [
    `Scale, ${n(small)} and ${n(large)} devices (${small.groups.toLocaleString('en')} and ${large.groups.toLocaleString('en')} groups), ` +
      'medians of 5, the Owner, in-process dispatcher; wall clock, and the process CPU time in brackets',
  ];
  for (const [i, figure] of large.grid.entries()) {
    const at = small.grid[i];
    const growth = at ? figure.ms / at.ms : NaN;
    lines.push(`  devices.list, ${figure.label}: ${at ? both(at) : '-'} at ${n(small)}, ${both(figure)} at ${n(large)}`);
    if (figure.floorMs === undefined) {
      lines.push(
        `    growth ${growth.toFixed(1)}x (no target: an offset alone steps over the rows before it; the grid pages on with a cursor)`,
      );
      continue;
    }
    const ratio = figure.ms / figure.floorMs;
    const hand = figure.handMs ?? NaN;
    lines.push(
      `    raw-SQL floor (its own statements outside the server) ${ms(figure.floorMs)}: ${ratio.toFixed(2)}x ${verdict(ratio <= 2, '<= 2x')}; growth ${growth.toFixed(1)}x ${verdict(growth <= 3, '<= 3x')}`,
      `    the same rows by hand, best plan: ${ms(hand)} (${(figure.ms / hand).toFixed(2)}x)`,
    );
  }
  const pair = (label: string, pick: (f: Figures) => Timed, target: string) => {
    const [a, b] = [pick(small), pick(large)];
    lines.push(`  ${label}: ${both(a)} at ${n(small)}, ${both(b)} at ${n(large)} ${target === '' ? '' : target}`);
    return b.ms / a.ms;
  };
  pair('devices.facets', (f) => f.facets, verdict(large.facets.ms <= 50, '<= 50 ms'));
  pair('groups.tree', (f) => f.tree, verdict(large.tree.ms <= 50, '<= 50 ms'));
  pair('dashboard.summary', (f) => f.dashboard, verdict(large.dashboard.ms <= 100, '<= 100 ms'));
  const planGrowth = pair('devices.bulkPlan, 10% of the fleet', (f) => f.plan, '');
  lines.push(`    growth ${planGrowth.toFixed(1)}x ${verdict(planGrowth <= 11, '<= 11x')}`);
  const jobGrowth = pair('bulk job, 10% of the fleet, start to done', (f) => f.job, '');
  lines.push(`    growth ${jobGrowth.toFixed(1)}x ${verdict(jobGrowth <= 11, '<= 11x')}`);
  pair('the call that starts it', (f) => f.jobStart, verdict(large.jobStart.ms <= 100, '<= 100 ms'));
  return [lines.join('\n')];
}
