import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, ChainState } from '../../shared/contract';
import { AuditLog } from '../../main/features/audit/audit-log';
import { ROLE, World } from '../helpers/world';

/**
 * Audit events stay with the readers who could see them when the group they were filed
 * under, or the person who did them, is removed: through the dispatcher, as an API client sees it.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

type Listed = { events: AuditEntry[]; total: number };
type Failure = { ok: false; error: { code: string; field?: string } };

async function scenario() {
  const w = new World();
  worlds.push(w);
  const owner = w.ownerId;
  const acme = (await w.ok<{ id: string }>(owner, 'groups.create', { parentId: w.rootId, kind: 'customer', name: 'Acme' })).id;
  const temp = (await w.ok<{ id: string }>(owner, 'groups.create', { parentId: acme, kind: 'location', name: 'Temp site' })).id;
  const other = (await w.ok<{ id: string }>(owner, 'groups.create', { parentId: w.rootId, kind: 'customer', name: 'Other' })).id;
  w.device(acme, 'acme-laptop');
  w.device(acme, 'acme-server');
  const acmeAdmin = w.user('acme-admin', acme);
  w.bind(acmeAdmin, ROLE.admin, acme);
  // Acme has its Owner (R11), so it takes new members.
  w.bind(w.user('acme-owner', acme), ROLE.owner, acme);
  const otherAdmin = w.user('other-admin', other);
  w.bind(otherAdmin, ROLE.admin, other);
  const tess = (
    await w.ok<{ id: string }>(owner, 'users.create', {
      username: 'tess',
      email: 'tess@acme.test',
      fullName: 'Tess Temp',
      homeGroupId: temp,
      bindings: [{ roleId: ROLE.admin, groupId: acme }],
    })
  ).id;
  // Homed at the temporary location, so her own events are filed there.
  await w.ok(tess, 'devices.export', { format: 'csv' });
  await w.ok(tess, 'audit.export', { format: 'csv' });
  return { w, owner, acme, temp, acmeAdmin, otherAdmin, tess };
}

const seqs = (listed: Listed) => listed.events.map((e) => e.seq);

describe('audit events outlive their group and their actor', () => {
  it('after the actor and the group they were filed under are removed, the same readers still list, filter and export them; others still do not; the chain verifies', async () => {
    const { w, owner, acme, temp, acmeAdmin, otherAdmin, tess } = await scenario();
    const byTess = { actorId: tess, limit: 500 };
    const ownerBefore = await w.ok<Listed>(owner, 'audit.list', byTess);
    const acmeBefore = await w.ok<Listed>(acmeAdmin, 'audit.list', byTess);
    expect(ownerBefore.events.map((e) => e.action)).toEqual(['audit.export', 'devices.export']);
    expect(seqs(acmeBefore)).toEqual(seqs(ownerBefore));
    expect((await w.ok<Listed>(otherAdmin, 'audit.list', byTess)).total).toBe(0);

    await w.ok(owner, 'users.remove', { id: tess });
    await w.ok(owner, 'groups.remove', { id: temp });

    // The same readers, the same events, still named by the group they happened in.
    const ownerAfter = await w.ok<Listed>(owner, 'audit.list', byTess);
    expect(seqs(ownerAfter)).toEqual(seqs(ownerBefore));
    expect(ownerAfter.events.every((e) => e.groupName === 'Temp site' && e.groupId === temp)).toBe(true);
    expect(seqs(await w.ok<Listed>(acmeAdmin, 'audit.list', byTess))).toEqual(seqs(ownerBefore));
    const everything = await w.ok<Listed>(owner, 'audit.list', { limit: 500 });
    expect(everything.events.filter((e) => e.actorId === tess).map((e) => e.seq)).toEqual(seqs(ownerBefore));

    // Filters still find them: the surviving customer's subtree, the removed location itself,
    // the removed person's activity, and the target's name.
    const inAcme = await w.ok<Listed>(owner, 'audit.list', { groupId: acme, limit: 500 });
    expect(inAcme.events.filter((e) => e.actorId === tess).map((e) => e.seq)).toEqual(seqs(ownerBefore));
    const inTemp = await w.ok<Listed>(owner, 'audit.list', { groupId: temp, limit: 500 });
    expect(inTemp.events.map((e) => e.action)).toEqual(expect.arrayContaining(['audit.export', 'devices.export', 'users.remove']));
    const activity = await w.ok<Listed>(acmeAdmin, 'audit.list', { memberId: tess, limit: 500 });
    expect(activity.events.map((e) => e.action)).toEqual(['users.remove', 'audit.export', 'devices.export', 'users.create']);
    const named = await w.ok<Listed>(owner, 'audit.list', { target: 'tess', action: 'users.remove' });
    expect(named.total).toBe(1);

    // The Owner's export carries them too, in CSV and JSON Lines.
    const csv = await w.ok<{ content: string }>(owner, 'audit.export', { format: 'csv', actorId: tess });
    const csvRows = csv.content.trim().split('\r\n').slice(1);
    expect(csvRows).toHaveLength(2);
    expect(csvRows.every((row) => row.includes(',Temp site,'))).toBe(true);
    const jsonl = await w.ok<{ rows: number }>(owner, 'audit.export', { format: 'jsonl', groupId: acme, actorId: tess });
    expect(jsonl.rows).toBe(2);

    // A reader scoped to another customer sees none of it, by any route.
    const outsider = await w.ok<Listed>(otherAdmin, 'audit.list', { limit: 500 });
    expect(outsider.events.some((e) => e.actorId === tess || e.groupId === temp || e.targetId === tess)).toBe(false);
    expect((await w.ok<Listed>(otherAdmin, 'audit.list', byTess)).total).toBe(0);
    const byPlace = (await w.call(otherAdmin, 'audit.list', { groupId: temp })) as Failure;
    expect(byPlace.error.code).toBe('NOT_FOUND');
    const byMember = (await w.call(otherAdmin, 'audit.list', { memberId: tess })) as Failure;
    expect(byMember.error.code).toBe('NOT_FOUND');
    const outsiderExport = await w.ok<{ content: string }>(otherAdmin, 'audit.export', { format: 'jsonl' });
    expect(outsiderExport.content).not.toContain(tess);
    expect(outsiderExport.content).not.toContain(temp);

    expect((await w.ok<ChainState>(owner, 'audit.verify', {})).intact).toBe(true);
  });

  it('events at a removed group follow its surviving ancestor when that ancestor moves, like the ancestor’s own events', async () => {
    const { w, owner, acme, temp, tess } = await scenario();
    const distributor = (await w.ok<{ id: string }>(owner, 'groups.create', { parentId: w.rootId, kind: 'distributor', name: 'North' })).id;
    const northAdmin = w.user('north-admin', distributor);
    w.bind(northAdmin, ROLE.admin, distributor);
    await w.ok(owner, 'users.remove', { id: tess });
    await w.ok(owner, 'groups.remove', { id: temp });
    expect((await w.ok<Listed>(northAdmin, 'audit.list', { actorId: tess })).total).toBe(0);

    await w.ok(owner, 'groups.move', { id: acme, parentId: distributor });

    expect((await w.ok<Listed>(northAdmin, 'audit.list', { actorId: tess })).total).toBe(2);
  });

  it('a removed person’s activity is found only by readers who can see their removal', async () => {
    const { w, owner, tess, otherAdmin } = await scenario();
    await w.ok(owner, 'users.remove', { id: tess });
    expect((await w.ok<Listed>(owner, 'audit.list', { memberId: tess })).total).toBeGreaterThan(0);
    expect(((await w.call(otherAdmin, 'audit.list', { memberId: tess })) as Failure).error.code).toBe('NOT_FOUND');
    // An id that never existed answers like one the reader may not see.
    expect(((await w.call(owner, 'audit.list', { memberId: 'u-never-was' })) as Failure).error.code).toBe('NOT_FOUND');
  });
});

describe('the scope of a reader who holds audit.view everywhere', () => {
  it('is the same set as for anyone else: every event at a live or removed group, and none at a group that never was', async () => {
    const { w, owner, acme, temp, acmeAdmin, tess } = await scenario();
    await w.ok(owner, 'users.remove', { id: tess });
    await w.ok(owner, 'groups.remove', { id: temp });
    // An event under an id that is no group, live or removed (a row from an older version, or written by hand).
    const db = w.steward.db;
    db.transaction(() =>
      new AuditLog(db).append({
        actor: { userId: owner, username: 'owner' },
        client: 'cli',
        action: 'groups.update',
        outcome: 'denied',
        target: { type: 'group', id: 'g-never-was', name: 'Never was' },
        groupId: 'g-never-was',
        at: Date.now(),
      }),
    )();
    const all = await w.ok<Listed>(owner, 'audit.list', { limit: 500 });
    const filed = w.steward.db.prepare('SELECT count(*) AS n FROM audit_events WHERE group_id IS NOT NULL').get() as { n: number };
    // The Owner (root, every kind) reads every event filed under a group that is or was, and not the stray one.
    expect(all.total).toBe(filed.n - 1);
    expect(all.events.some((e) => e.groupId === 'g-never-was')).toBe(false);
    expect(all.events.some((e) => e.groupId === temp)).toBe(true);
    const file = await w.ok<{ content: string }>(owner, 'audit.export', { format: 'jsonl' });
    expect(file.content).not.toContain('g-never-was');
    expect(file.content).toContain(temp);
    // With a group filter the subtree alone decides: the Owner and Acme's Admin read the same events there.
    const ownerInAcme = await w.ok<Listed>(owner, 'audit.list', { groupId: acme, limit: 500 });
    expect(seqs(ownerInAcme)).toEqual(seqs(await w.ok<Listed>(acmeAdmin, 'audit.list', { groupId: acme, limit: 500 })));
    expect(ownerInAcme.events.some((e) => e.groupId === temp)).toBe(true);
  });
});

describe('a removed group left pointing at no live group', () => {
  it('keeps its events unread by a group filter too, for a reader who holds audit.view everywhere: a filtered list never shows more than the whole', async () => {
    const { w, owner, acme } = await scenario();
    const db = w.steward.db;
    const site = w.group(acme, 'location', 'Old site');
    const wing = w.group(site, 'department', 'Old wing');
    const event = (groupId: string) =>
      new AuditLog(db).append({
        actor: { userId: owner, username: 'owner' },
        client: 'cli',
        action: 'groups.update',
        outcome: 'success',
        target: { type: 'group', id: groupId, name: groupId },
        groupId,
        at: Date.now(),
      });
    db.transaction(() => [site, wing, wing].forEach(event))();
    await w.ok(owner, 'groups.remove', { id: wing });
    await w.ok(owner, 'groups.remove', { id: site });
    // As when a parent is removed in the same statement as its child: the child's surviving ancestor is a removed group.
    db.prepare('UPDATE removed_groups SET surviving_id = ? WHERE id = ?').run(site, wing);
    const whole = await w.ok<Listed>(owner, 'audit.list', { limit: 500 });
    const atSite = await w.ok<Listed>(owner, 'audit.list', { groupId: site, limit: 500 });
    expect(atSite.events.some((e) => e.groupId === site)).toBe(true);
    expect(atSite.events.some((e) => e.groupId === wing)).toBe(false);
    expect(seqs(atSite).every((seq) => seqs(whole).includes(seq))).toBe(true);
    expect(atSite.total).toBe(atSite.events.length);
  });
});

describe('device jobs outlive their starter’s home group', () => {
  it('a job started by a person whose home group is later removed stays visible to colleagues who could follow it, and to nobody else', async () => {
    const { w, owner, temp, acmeAdmin, otherAdmin, tess } = await scenario();
    const laptop = (w.steward.db.prepare("SELECT id FROM devices WHERE name = 'acme-laptop'").get() as { id: string }).id;
    const started = await w.ok<{ id: string }>(tess, 'devices.bulkAssign', {
      selection: { deviceIds: [laptop] },
      userIds: [acmeAdmin],
      action: 'assign',
    });
    w.steward.jobs.drain();
    await w.ok(owner, 'users.remove', { id: tess, reassignDevicesTo: acmeAdmin });
    await w.ok(owner, 'groups.remove', { id: temp });

    expect(await w.ok<{ id: string; state: string }>(acmeAdmin, 'devices.jobGet', { jobId: started.id })).toMatchObject({
      id: started.id,
      state: 'done',
    });
    const listed = await w.ok<{ jobs: Array<{ id: string }> }>(acmeAdmin, 'devices.jobs', {});
    expect(listed.jobs.map((j) => j.id)).toContain(started.id);
    const outsider = (await w.call(otherAdmin, 'devices.jobGet', { jobId: started.id })) as Failure;
    expect(outsider.error.code).toBe('NOT_FOUND');
  });
});
