import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generate } from 'otplib';
import { openSteward, systemClock, systemEntropy, type Steward } from '../main/app';
import type { Db } from '../main/db/connection';
import { hashPassword } from '../main/features/auth/passwords';
import { SessionStore } from '../main/features/auth/sessions';
import { base32 } from '../main/features/auth/totp';
import type { CommandEnvelope } from '../main/dispatch/envelope';
import { SyncHub } from '../main/sync/hub';
import { pullFor } from '../main/sync/pull';
import { applyPull } from '../main/sync/replica-store';
import { InProcessLink, IN_PROCESS_FINGERPRINT } from './in-process-link';
import { report, type Measurement } from './measure';

/**
 * Issue 13's figures, each a ratio to a floor measured in the same run. Replicas reach the
 * hub in-process (bench/in-process-link.ts): these measure sync's own work (visibility,
 * rebase, re-validation), not TLS.
 */
const PASSWORD = 'a long and unusual passphrase';
const DEVICES = 100_000;

interface Folder {
  dir: string;
  steward: Steward;
}

function folder(name: string, copyOf?: string): Folder {
  const dir = mkdtempSync(join(tmpdir(), `steward-bench-sync-${name}-`));
  if (copyOf) cpSync(copyOf, dir, { recursive: true });
  return { dir, steward: openSteward({ dataDir: dir, background: false }) };
}

function dispose(f: Folder): void {
  f.steward.close();
  rmSync(f.dir, { recursive: true, force: true });
}

/** A hub: root, North (A is Admin there and at South) and South, `devices` devices at North, each assigned to A's member. */
async function hubWith(devices: number): Promise<Folder & { secret: string }> {
  const hub = folder('hub');
  const db = hub.steward.db;
  const secret = base32(randomBytes(20));
  const hash = await hashPassword(PASSWORD, randomBytes(16));
  db.transaction(() => {
    const group = db.prepare('INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
    const closure = db.prepare('INSERT INTO group_closure (ancestor, descendant, depth) VALUES (?, ?, ?)');
    group.run('root', null, 'provider', 'Provider');
    closure.run('root', 'root', 0);
    for (const id of ['north', 'south']) {
      group.run(id, 'root', 'customer', id === 'north' ? 'North' : 'South');
      closure.run(id, id, 0);
      closure.run('root', id, 1);
    }
    db.prepare(
      `INSERT INTO users (id, username, email, home_group_id, password_hash, totp_secret, mfa_enrolled_at, created_at, updated_at)
       VALUES ('alice', 'alice', 'alice@x.test', 'root', ?, ?, 0, 0, 0)`,
    ).run(hash, hub.steward.secrets.seal(Buffer.from(secret, 'utf8')));
    db.prepare(
      "INSERT INTO users (id, username, email, home_group_id, created_at, updated_at) VALUES ('mira', 'mira', 'mira@x.test', 'north', 0, 0)",
    ).run();
    db.prepare(
      "INSERT INTO role_bindings VALUES ('alice', 'builtin-admin', 'north'), ('alice', 'builtin-admin', 'south'), ('mira', 'builtin-operator', 'north')",
    ).run();
    const device = db.prepare(
      "INSERT INTO devices (id, group_id, name, kind, os, status, created_at, updated_at) VALUES (?, 'north', ?, 'workstation', 'Windows 11', 'ok', 0, 0)",
    );
    const assign = db.prepare("INSERT INTO device_assignments (device_id, user_id) VALUES (?, 'mira')");
    for (let i = 0; i < devices; i++) {
      device.run(`d${i}`, `Device ${i}`);
      assign.run(`d${i}`);
    }
  })();
  return { ...hub, secret };
}

async function connect(hub: Folder & { secret: string }, replica: Folder, link: InProcessLink): Promise<string> {
  const signIn = await replica.steward.dispatcher.dispatch(
    'sync.connect',
    {
      url: 'https://hub.bench/',
      fingerprint: IN_PROCESS_FINGERPRINT,
      username: 'alice',
      password: PASSWORD,
      code: await generate({ secret: hub.secret, epoch: Math.floor(Date.now() / 1000) }),
    },
    { token: null, client: 'cli' },
  );
  if (!signIn.result.ok || signIn.session?.kind !== 'set') throw new Error(`connect failed: ${JSON.stringify(signIn.result)}`);
  void link;
  return signIn.session.token;
}

function hubOf(f: Folder): SyncHub {
  return new SyncHub({
    db: f.steward.db,
    dispatcher: f.steward.dispatcher,
    secrets: f.steward.secrets,
    clock: systemClock,
    entropy: systemEntropy,
  });
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function once(label: string, ms: number): Measurement {
  return { label, perOpMicros: ms * 1000, ops: 1 };
}

export async function syncBench(): Promise<string[]> {
  const out: string[] = [];
  out.push(...(await initialSyncBench()));
  out.push(await applyBench());
  out.push(await pushBench());
  out.push(await localCommandBench());
  return out;
}

/** Initial sync of 100,000 devices and their assignments, against a raw bulk insert of the same rows; and the memory it takes. */
async function initialSyncBench(): Promise<string[]> {
  const hub = await hubWith(DEVICES);
  const syncHub = hubOf(hub);
  const link = new InProcessLink(syncHub);
  const replica = openReplica(link);
  try {
    global.gc?.();
    const before = process.memoryUsage();
    let peak = before.rss;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const start = performance.now();
    await connect(hub, replica, link);
    const elapsed = performance.now() - start;
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss);
    const held = replica.steward.db
      .prepare('SELECT (SELECT count(*) FROM devices) AS d, (SELECT count(*) FROM device_assignments) AS a')
      .get() as {
      d: number;
      a: number;
    };
    if (held.d !== DEVICES || held.a !== DEVICES) throw new Error(`initial sync holds ${held.d} devices and ${held.a} assignments`);

    const floorDir = folder('floor');
    const floorMs = rawInsert(floorDir.steward.db, DEVICES);
    dispose(floorDir);
    return [
      report(
        `Initial sync of ${DEVICES.toLocaleString('en')} devices and their assignments (connect: sign-in, visibility, pull, apply)`,
        once('sync.connect on a new replica, hub in-process', elapsed),
        once('raw prepared INSERTs of the same rows in one transaction', floorMs),
        3,
      ),
      [
        'Replica memory during the initial sync (hub and replica in one process here)',
        `  resident set before: ${mib(before.rss)}, peak: ${mib(peak)}, growth: ${mib(peak - before.rss)}`,
      ].join('\n'),
    ];
  } finally {
    dispose(replica);
    dispose(hub);
  }
}

function openReplica(link: InProcessLink): Folder {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-sync-replica-'));
  return { dir, steward: openSteward({ dataDir: dir, background: false, syncLink: link }) };
}

/**
 * The floors write the same rows into the same schema, without sync's own work: the change
 * log's and the undo log's triggers (capture_*, undo_*) are dropped. The triggers that keep a
 * table's derived data (the name index, the device tallies, the status history) stay: every
 * installation pays for those when it stores a device, so they are not sync's cost.
 */
function dropSyncTriggers(db: Db): void {
  const triggers = db.prepare(
    "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND (name LIKE 'capture\\_%' ESCAPE '\\' OR name LIKE 'undo\\_%' ESCAPE '\\')",
  );
  for (const t of triggers.all() as Array<{ name: string }>) db.exec(`DROP TRIGGER "${t.name}"`);
}

/** The floor of the initial sync: the same devices and assignments, inserted raw into a fresh database with the groups they need. */
function rawInsert(db: Db, count: number): number {
  db.exec('PRAGMA foreign_keys = OFF');
  dropSyncTriggers(db);
  const start = performance.now();
  db.transaction(() => {
    const device = db.prepare(
      "INSERT INTO devices (id, group_id, name, kind, os, status, created_at, updated_at) VALUES (?, 'north', ?, 'workstation', 'Windows 11', 'ok', 0, 0)",
    );
    const assign = db.prepare("INSERT INTO device_assignments (device_id, user_id) VALUES (?, 'mira')");
    for (let i = 0; i < count; i++) {
      device.run(`d${i}`, `Device ${i}`);
      assign.run(`d${i}`);
    }
  })();
  return performance.now() - start;
}

/** Applying 10,000 pulled row changes, against raw prepared upserts of the same rows. */
async function applyBench(): Promise<string> {
  const N = 10_000;
  const hub = await hubWith(N);
  const syncHub = hubOf(hub);
  const link = new InProcessLink(syncHub);
  const replica = openReplica(link);
  try {
    await connect(hub, replica, link);
    const installation = replica.steward.installationId;
    const cursor = (replica.steward.db.prepare('SELECT cursor FROM sync_hub').get() as { cursor: number }).cursor;
    hub.steward.db.prepare("UPDATE devices SET name = name || ' (renamed)', status = 'warning'").run();
    const answer = pullFor(hub.steward.db, installation, cursor, 1_000_000, Date.now());
    if (answer.reset || answer.rows.length !== N) throw new Error(`expected ${N} rows, got ${answer.rows.length}`);
    const copy = folder('apply-floor', replica.dir);
    const start = performance.now();
    applyPull(replica.steward.db, installation, answer, Date.now(), replica.steward.secrets);
    const applied = performance.now() - start;

    const db = copy.steward.db;
    dropSyncTriggers(db);
    const rows = answer.rows.map((r) => ({
      id: (JSON.parse(r.pk) as string[])[0],
      ...(JSON.parse(r.row ?? '{}') as Record<string, unknown>),
    }));
    const upsert = db.prepare(
      `INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at) VALUES (@id, @group_id, @name, @kind, @os, @status, @last_backup_at, @created_at, @updated_at)
       ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, name = excluded.name, kind = excluded.kind, os = excluded.os, status = excluded.status,
         last_backup_at = excluded.last_backup_at, created_at = excluded.created_at, updated_at = excluded.updated_at`,
    );
    const floorStart = performance.now();
    db.transaction(() => {
      for (const r of rows) upsert.run(r);
    })();
    const floor = performance.now() - floorStart;
    dispose(copy);
    return report(
      `Applying ${N.toLocaleString('en')} pulled row changes on a replica (undo log put back, rows written, answers kept, in one transaction)`,
      once('applyPull', applied),
      once('raw prepared upserts of the same rows in one transaction', floor),
      2,
    );
  } finally {
    dispose(replica);
    dispose(hub);
  }
}

/** Push and re-validation of 1,000 commands with 10% refused, against the same 1,000 all accepted. */
async function pushBench(): Promise<string> {
  const hub = await hubWith(10);
  const syncHub = hubOf(hub);
  const link = new InProcessLink(syncHub);
  const replica = openReplica(link);
  try {
    const token = await connect(hub, replica, link);
    replica.steward.db.prepare('UPDATE sync_hub SET work_offline = 1').run();
    for (let i = 0; i < 1000; i++) {
      const parentId = i % 10 === 0 ? 'south' : 'north';
      const made = await replica.steward.dispatcher.dispatch(
        'groups.create',
        { parentId, kind: 'location', name: `Site ${i}` },
        { token, client: 'cli' },
      );
      if (!made.result.ok) throw new Error(JSON.stringify(made.result.error));
    }
    const installation = replica.steward.installationId;
    const envelopes = (
      replica.steward.db
        .prepare("SELECT envelope FROM command_log WHERE origin = ? AND operation = 'groups.create' ORDER BY origin_seq")
        .all(installation) as Array<{ envelope: string }>
    ).map((r) => JSON.parse(r.envelope) as CommandEnvelope);
    const commands = envelopes.map((envelope, i) => ({
      envelope,
      follows: i === 0 ? 0 : (envelopes[i - 1]?.origin.seq ?? 0),
    }));
    hub.steward.db.pragma('wal_checkpoint(TRUNCATE)');

    const run = async (revoke: boolean): Promise<number> => {
      const copy = folder(revoke ? 'push-refused' : 'push-accepted', hub.dir);
      try {
        if (revoke) copy.steward.db.prepare("DELETE FROM role_bindings WHERE user_id = 'alice' AND group_id = 'south'").run();
        const copyHub = hubOf(copy);
        const caller = { installation, userId: 'alice' };
        const start = performance.now();
        const pushed = await copyHub.push(caller, { commands });
        const elapsed = performance.now() - start;
        if (!pushed.ok || pushed.value.answers.length !== 1000)
          throw new Error(`push: ${JSON.stringify(pushed.ok ? pushed.value.stopped : pushed.error)}`);
        const refused = pushed.value.answers.filter((a) => a.refusal).length;
        if (refused !== (revoke ? 100 : 0)) throw new Error(`expected ${revoke ? 100 : 0} refused, got ${refused}`);
        return elapsed;
      } finally {
        dispose(copy);
      }
    };
    let best = [Infinity, Infinity];
    for (let round = 0; round < 3; round++)
      best = [Math.min(best[0] ?? Infinity, await run(false)), Math.min(best[1] ?? Infinity, await run(true))];
    return report(
      'Push and re-validation of 1,000 commands (groups.create) with 10% refused on the hub',
      once('1,000 pushed, 100 refused (A lost the parent meanwhile)', best[1] ?? 0),
      once('the same 1,000 all accepted', best[0] ?? 0),
      1.3,
    );
  } finally {
    dispose(replica);
    dispose(hub);
  }
}

/** A local command on a replica (undo log, outbox), p50, against the same command on a standalone installation. */
async function localCommandBench(): Promise<string> {
  const hub = await hubWith(1000);
  const syncHub = hubOf(hub);
  const link = new InProcessLink(syncHub);
  const replica = openReplica(link);
  const standalone = folder('standalone', hub.dir);
  try {
    const token = await connect(hub, replica, link);
    replica.steward.db.prepare('UPDATE sync_hub SET work_offline = 1').run();
    const standaloneToken = randomBytes(16).toString('base64url');
    new SessionStore(standalone.steward.db).create(standaloneToken, 'alice', 'active', 'cli', Date.now());
    const p50 = async (steward: Steward, t: string, runs: number): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const version = (steward.db.prepare("SELECT version FROM groups WHERE id = 'north'").get() as { version: number }).version;
        const start = performance.now();
        const r = await steward.dispatcher.dispatch(
          'groups.update',
          { id: 'north', baseVersion: version, name: `North ${i}` },
          { token: t, client: 'cli' },
        );
        times.push(performance.now() - start);
        if (!r.result.ok) throw new Error(JSON.stringify(r.result.error));
      }
      times.sort((x, y) => x - y);
      return times[Math.floor(times.length / 2)] ?? 0;
    };
    let best = [Infinity, Infinity];
    for (let round = 0; round < 3; round++) {
      best = [
        Math.min(best[0] ?? Infinity, await p50(standalone.steward, standaloneToken, 300)),
        Math.min(best[1] ?? Infinity, await p50(replica.steward, token, 300)),
      ];
    }
    return report(
      'A local command on a replica, p50 (groups.update: undo log and outbox on top of the command)',
      { label: 'on a replica, offline', perOpMicros: (best[1] ?? 0) * 1000, ops: 300 },
      { label: 'the same on a standalone installation', perOpMicros: (best[0] ?? 0) * 1000, ops: 300 },
      2,
    );
  } finally {
    dispose(standalone);
    dispose(replica);
    dispose(hub);
  }
}
