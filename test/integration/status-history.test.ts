import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardHistory, StatusChange } from '../../shared/contract';
import { DAY_MS } from '../../shared/contract';
import { applyChanges, readChanges } from '../../main/sync/apply';
import { manualClock, tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * R32: every change of a device's status or last backup is kept, whoever writes it; the daily
 * snapshot is a system command on the command clock; retention prunes by the setting and keeps
 * each device's state at the cut. Days are simulated with a manual clock.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

// Tomorrow's noon UTC: after every row the builders stamp with the real time, and moving by whole days never crosses a day boundary by accident.
const START = (Math.floor(Date.now() / DAY_MS) + 1) * DAY_MS + DAY_MS / 2;

function world() {
  const clock = manualClock(START);
  const w = new World(tempSteward({ clock, background: false }), clock);
  worlds.push(w);
  return { w, clock };
}

/** What a writer does when a device reports: status and last backup, stamped with the writer's clock. */
function report(w: World, deviceId: string, status: string, lastBackupAt: number | null, at: number) {
  w.steward.db
    .prepare('UPDATE devices SET status = ?, last_backup_at = ?, updated_at = ? WHERE id = ?')
    .run(status, lastBackupAt, at, deviceId);
}

const timeline = (w: World, userId: string, id: string) =>
  w.ok<{ changes: StatusChange[]; more: boolean }>(userId, 'devices.statusHistory', { id });

describe('status history (R32)', () => {
  it('an import records each device as it arrived, and later changes of status or last backup are added, newest first', async () => {
    const { w, clock } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const report1 = await w.ok<{ imported: number }>(w.ownerId, 'devices.import', {
      format: 'csv',
      mode: 'all-or-nothing',
      content: 'name,kind,os,status,lastBackupAt,group\nsrv-1,server,Linux,ok,2020-01-09T08:00:00Z,Acme\n',
    });
    expect(report1.imported).toBe(1);
    const id = (w.steward.db.prepare("SELECT id FROM devices WHERE name = 'srv-1'").get() as { id: string }).id;
    clock.advance(DAY_MS);
    report(w, id, 'failed', Date.parse('2020-01-09T08:00:00Z'), clock.now());
    clock.advance(DAY_MS);
    report(w, id, 'ok', clock.now() - 3_600_000, clock.now());
    // A write that changes neither status nor last backup is no change of them.
    w.steward.db.prepare("UPDATE devices SET os = 'Linux 6' WHERE id = ?").run(id);

    const { changes } = await timeline(w, w.ownerId, id);
    expect(changes.map((c) => [c.at, c.status, c.previousStatus])).toEqual([
      [START + 2 * DAY_MS, 'ok', 'failed'],
      [START + DAY_MS, 'failed', 'ok'],
      [START, 'ok', null],
    ]);
    expect(changes[0]?.lastBackupAt).toBe(START + 2 * DAY_MS - 3_600_000);
    expect(changes[0]?.previousBackupAt).toBe(Date.parse('2020-01-09T08:00:00Z'));
    expect(acme).toBeTruthy();
  });

  it('the timeline is refused, as not found, to someone who may not see the device', async () => {
    const { w } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const device = w.device(acme);
    const viewer = w.user('vera', acme);
    w.bind(viewer, ROLE.viewer, acme);
    expect(await w.call(viewer, 'devices.statusHistory', { id: device })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'id' },
    });
    w.assign(device, viewer);
    expect((await timeline(w, viewer, device)).changes).toHaveLength(1);
  });

  it('rows a replica applies from its hub are kept in the replica’s own history (later sync)', async () => {
    const { w, clock } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const device = w.device(acme);
    const replica = new World(tempSteward({ clock, background: false }), clock);
    worlds.push(replica);
    // An empty copy of the hub, as a replica's first pull leaves it.
    replica.steward.db.exec('DELETE FROM role_bindings; DELETE FROM users; DELETE FROM group_closure; DELETE FROM groups;');
    applyChanges(replica.steward.db, readChanges(w.steward.db, 0, 1_000_000));
    const cursor = (w.steward.db.prepare('SELECT max(seq) AS s FROM changes').get() as { s: number }).s;
    clock.advance(DAY_MS);
    report(w, device, 'warning', clock.now(), clock.now());
    applyChanges(replica.steward.db, readChanges(w.steward.db, cursor, 1000));
    const rows = replica.steward.db
      .prepare('SELECT status, previous_status AS previous, at FROM device_status_history WHERE device_id = ? ORDER BY id')
      .all(device);
    expect(rows).toEqual([
      { status: 'ok', previous: null, at: expect.any(Number) },
      { status: 'warning', previous: 'ok', at: START + DAY_MS },
    ]);
  });
});

describe('the daily snapshot (R32)', () => {
  it('is taken once per UTC day by the schedule, as a system command, and charts read it over simulated days', async () => {
    const { w, clock } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const site = w.group(acme, 'location', 'Site');
    const devices = [w.device(acme), w.device(site), w.device(site)];
    w.steward.history.runDue();
    w.steward.history.runDue(); // the same day again: nothing more
    const statuses = ['failed', 'warning', 'offline'] as const;
    for (const [i, status] of statuses.entries()) {
      clock.advance(DAY_MS);
      report(w, devices[i] ?? '', status, null, clock.now());
      w.steward.history.runDue();
    }
    const snapshots = w.steward.db.prepare('SELECT day, taken_at AS at FROM status_snapshots ORDER BY day').all();
    expect(snapshots).toHaveLength(4);
    const events = w.steward.db.prepare("SELECT actor_name AS actor FROM audit_events WHERE action = 'history.snapshot'").all();
    expect(events).toEqual(Array(4).fill({ actor: 'System (status history)' }));

    clock.advance(DAY_MS);
    const chart = await w.ok<DashboardHistory>(w.ownerId, 'dashboard.history', { groupId: acme, days: 30 });
    expect(chart.source).toBe('snapshots');
    expect(chart.points.map((p) => [p.counts.ok, p.counts.failed, p.counts.warning, p.counts.offline])).toEqual([
      [3, 0, 0, 0],
      [2, 1, 0, 0],
      [1, 1, 1, 0],
      [0, 1, 1, 1],
      [0, 1, 1, 1], // now
    ]);
    const location = await w.ok<DashboardHistory>(w.ownerId, 'dashboard.history', { groupId: site, days: 30 });
    expect(location.points.map((p) => p.counts.ok)).toEqual([2, 2, 1, 0, 0]);
  });

  it('a person who sees only assigned devices gets the same moments counted from those devices’ history', async () => {
    const { w, clock } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const mine = w.device(acme);
    const other = w.device(acme);
    const viewer = w.user('vera', acme);
    w.bind(viewer, ROLE.viewer, acme);
    w.assign(mine, viewer);
    w.steward.history.runDue();
    clock.advance(DAY_MS);
    report(w, mine, 'failed', null, clock.now());
    report(w, other, 'failed', null, clock.now());
    w.steward.history.runDue();
    clock.advance(DAY_MS);
    const chart = await w.ok<DashboardHistory>(viewer, 'dashboard.history', { groupId: acme, days: 30 });
    expect(chart.source).toBe('device-history');
    expect(chart.points.map((p) => [p.counts.ok, p.counts.failed])).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    // The Owner's chart of the same group counts both devices.
    const owner = await w.ok<DashboardHistory>(w.ownerId, 'dashboard.history', { groupId: acme, days: 30 });
    expect(owner.points.map((p) => p.counts.failed)).toEqual([0, 2, 2]);
  });

  it('30 days show only the snapshots of the last 30 days; 90 days show more', async () => {
    const { w, clock } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    w.device(acme);
    for (let day = 0; day < 40; day++) {
      w.steward.history.runDue();
      clock.advance(DAY_MS);
    }
    const month = await w.ok<DashboardHistory>(w.ownerId, 'dashboard.history', { groupId: acme, days: 30 });
    const quarter = await w.ok<DashboardHistory>(w.ownerId, 'dashboard.history', { groupId: acme, days: 90 });
    expect(month.points).toHaveLength(30); // 29 past days and today
    expect(quarter.points).toHaveLength(41);
    expect(await w.call(w.ownerId, 'dashboard.history', { groupId: acme, days: 7 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'days' },
    });
  });
});

describe('retention (R32)', () => {
  it('prunes changes and snapshots older than the setting, keeping each device’s state at the cut', async () => {
    const { w, clock } = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const device = w.device(acme);
    const quiet = w.device(acme);
    await w.ok(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), historyRetentionDays: 90 });
    for (let day = 1; day <= 120; day++) {
      clock.advance(DAY_MS);
      report(w, device, day % 2 ? 'failed' : 'ok', clock.now(), clock.now());
      w.steward.history.runDue();
    }
    const cutoff = clock.now() - 90 * DAY_MS;
    const rows = w.steward.db.prepare('SELECT at FROM device_status_history WHERE device_id = ? ORDER BY at').all(device) as Array<{
      at: number;
    }>;
    // One row from before the cut (the device's state there), then every change since.
    expect(rows.filter((r) => r.at < cutoff)).toHaveLength(1);
    expect(rows.filter((r) => r.at >= cutoff)).toHaveLength(91);
    // A device that never changed keeps its only row, however old.
    expect((await timeline(w, w.ownerId, quiet)).changes).toHaveLength(1);
    const oldest = w.steward.db.prepare('SELECT min(day) AS day FROM status_snapshots').get() as { day: number };
    expect(oldest.day).toBe(Math.floor(cutoff / DAY_MS));
    const prunes = w.steward.db.prepare("SELECT actor_name AS actor FROM audit_events WHERE action = 'history.prune'").all();
    expect(prunes.length).toBeGreaterThan(0);
    expect(prunes[0]).toEqual({ actor: 'System (status history)' });
  });

  it('is a setting with a floor of 90 days, named in the refusal; null keeps history forever', async () => {
    const { w } = world();
    expect(await w.call(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), historyRetentionDays: 30 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'historyRetentionDays' },
    });
    const view = await w.ok<{ historyRetentionDays: number | null }>(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      historyRetentionDays: null,
    });
    expect(view.historyRetentionDays).toBeNull();
    expect((await w.ok<{ historyRetentionDays: number | null }>(w.ownerId, 'settings.get', {})).historyRetentionDays).toBeNull();
  });
});
