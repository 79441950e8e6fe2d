import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { template } from '../../shared/access/templates';
import type { AuditEntry, DashboardSummary, DeviceFilter, DeviceStatus, GroupDetail, HygieneReport } from '../../shared/contract';
import { DEVICE_STATUSES, FRESHNESS_BUCKETS, freshnessFilter } from '../../shared/contract';
import { manualClock, tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * R33, as a property over random worlds: every figure of the dashboard equals the total of the
 * list it links to, for the Owner, an Admin, an Operator (assigned devices only), a Location
 * User and a Viewer. The lists are the real operations (devices.list, users.list,
 * access.hygiene, groups.get, audit.list), called by the same person at the same moment.
 */
const HOUR = 3_600_000;
const worlds: World[] = [];
afterAll(() => worlds.forEach((w) => w.cleanup()));

const shape = fc.record({
  // Each customer hangs under the root or under the reseller; each location under a customer.
  customers: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
  locations: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  devices: fc.array(
    fc.record({
      group: fc.nat(),
      status: fc.constantFrom(...DEVICE_STATUSES),
      // Hours since the last backup (up to 12 days), or never; a few land exactly on a bucket's edge.
      age: fc.option(fc.oneof(fc.integer({ min: -2, max: 12 * 24 }), fc.constantFrom(24, 72, 168)), { nil: null }),
      assignTo: fc.subarray(['admin', 'operator', 'viewer', 'locationUser'] as const),
    }),
    { maxLength: 40 },
  ),
  adminAtCustomer: fc.nat(),
  operatorAtRoot: fc.boolean(),
  disabledOrUnenrolled: fc.array(fc.nat(), { maxLength: 5 }),
});

type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

function build(s: Shape) {
  const clock = manualClock(Date.now() + HOUR);
  const w = new World(tempSteward({ clock, background: false }), clock);
  worlds.push(w);
  const reseller = w.group(w.rootId, 'reseller', 'Reseller');
  const customers = s.customers.map((underReseller, i) => w.group(underReseller ? reseller : w.rootId, 'customer', `Customer ${i}`));
  const locations = s.locations.map((c, i) => w.group(customers[c % customers.length] ?? w.rootId, 'location', `Site ${i}`));
  const groups = [w.rootId, reseller, ...customers, ...locations];
  const homeCustomer = customers[s.adminAtCustomer % customers.length] ?? w.rootId;
  const location = locations[0] ?? homeCustomer;
  const people = {
    owner: w.ownerId,
    admin: w.user('admin', homeCustomer),
    operator: w.user('operator', homeCustomer),
    viewer: w.user('viewer', homeCustomer),
    locationUser: w.user('locuser', location),
  };
  w.bind(people.admin, ROLE.admin, homeCustomer);
  w.bind(people.operator, ROLE.operator, s.operatorAtRoot ? w.rootId : homeCustomer);
  w.bind(people.viewer, ROLE.viewer, homeCustomer);
  const locationUser = template('company-portal-location-user');
  if (!locationUser) throw new Error('the Location User template is missing');
  w.bind(people.locationUser, w.role(w.rootId, locationUser.permissions, 'scope', 'Location User'), location);
  const now = clock.now();
  const insert = w.steward.db.prepare(
    `INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at) VALUES (?, ?, ?, 'server', 'Linux', ?, ?, ?, ?)`,
  );
  s.devices.forEach((d, i) => {
    const id = `dev-${i}`;
    insert.run(id, groups[d.group % groups.length], `device-${i}`, d.status, d.age === null ? null : now - d.age * HOUR, now, now);
    for (const who of d.assignTo) w.assign(id, people[who]);
  });
  // Some people without an authenticator, some disabled: MFA coverage and hygiene have something to count.
  const everyone = Object.values(people);
  const disabled = new Set<string>();
  for (const pick of s.disabledOrUnenrolled) {
    const id = everyone[pick % everyone.length] ?? w.ownerId;
    if (pick % 2 === 0) w.steward.db.prepare("UPDATE users SET totp_secret = x'00' WHERE id = ?").run(id);
    else if (id !== w.ownerId) {
      w.steward.db.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").run(id);
      disabled.add(id);
    }
  }
  // A disabled person cannot sign in to look; the others still count them.
  return { w, people, customers, signedIn: Object.entries(people).filter(([, id]) => !disabled.has(id)) };
}

async function deviceCount(w: World, userId: string, filter: DeviceFilter): Promise<number> {
  return (await w.ok<{ total: number }>(userId, 'devices.list', { filter, window: { offset: 0, limit: 1 } })).total;
}

/** The Owner sees every customer whole: each one with a failed, stale or never backed-up device is a row (at most 4, all shown). */
async function checkRankingComplete(w: World, ownerId: string, customers: readonly string[]): Promise<void> {
  const { fleet, asOf } = await w.ok<DashboardSummary>(ownerId, 'dashboard.summary', {});
  const rows = new Map(fleet?.groups.map((g) => [g.groupId, g]));
  for (const groupId of customers) {
    const expected = {
      failed: await deviceCount(w, ownerId, { groupId, statuses: ['failed'] }),
      older: await deviceCount(w, ownerId, { groupId, ...freshnessFilter('older', asOf) }),
      never: await deviceCount(w, ownerId, { groupId, neverBackedUp: true }),
    };
    const row = rows.get(groupId);
    if (expected.failed + expected.older + expected.never === 0) expect(row, `customer ${groupId} has nothing stale`).toBeUndefined();
    else expect(row && { failed: row.failed, older: row.older, never: row.never }, `customer ${groupId} ranked`).toEqual(expected);
  }
  expect(fleet?.groupsTotal).toBe(rows.size);
}

async function checkFigures(w: World, who: string, userId: string): Promise<void> {
  const summary = await w.ok<DashboardSummary>(userId, 'dashboard.summary', {});
  const { fleet, access, asOf } = summary;
  expect(fleet, who).not.toBeNull();
  if (fleet) {
    expect(fleet.total, `${who} total`).toBe(await deviceCount(w, userId, {}));
    for (const status of DEVICE_STATUSES)
      expect(fleet.byStatus[status], `${who} ${status}`).toBe(await deviceCount(w, userId, { statuses: [status as DeviceStatus] }));
    for (const bucket of FRESHNESS_BUCKETS)
      expect(fleet.freshness[bucket], `${who} ${bucket}`).toBe(await deviceCount(w, userId, freshnessFilter(bucket, asOf)));
    for (const row of fleet.groups) {
      expect(row.failed, `${who} ${row.name} failed`).toBe(await deviceCount(w, userId, { groupId: row.groupId, statuses: ['failed'] }));
      expect(row.older, `${who} ${row.name} older`).toBe(
        await deviceCount(w, userId, { groupId: row.groupId, ...freshnessFilter('older', asOf) }),
      );
      expect(row.never, `${who} ${row.name} never`).toBe(await deviceCount(w, userId, { groupId: row.groupId, neverBackedUp: true }));
    }
    // Ranked rows never overlap, so together they hold no more than the fleet's failed and stale devices.
    const ranked = fleet.groups.reduce((n, g) => n + g.failed, 0);
    expect(ranked).toBeLessThanOrEqual(fleet.byStatus.failed);
  }
  if (access) {
    const people = async (input: object) => (await w.ok<{ total: number }>(userId, 'users.list', { ...input, limit: 1 })).total;
    expect(access.activePeople, `${who} active`).toBe(await people({ statuses: ['active'] }));
    expect(access.mfaEnrolled, `${who} enrolled`).toBe(await people({ statuses: ['active'], mfa: ['enrolled'] }));
    expect(access.unassignedDevices, `${who} unassigned`).toBe(await deviceCount(w, userId, { assignment: 'unassigned' }));
    const hygiene = await w.ok<HygieneReport>(userId, 'access.hygiene', {});
    expect(
      [
        access.withoutMfa,
        access.pendingInvitations,
        access.expiredInvitations,
        access.dormantAccounts,
        access.unassignedDevices,
        access.unusedRoles,
      ],
      `${who} hygiene`,
    ).toEqual([
      hygiene.usersWithoutMfa.total,
      hygiene.pendingInvitations.total,
      hygiene.expiredInvitations.total,
      hygiene.dormantAccounts.total,
      hygiene.unassignedDevices.total,
      hygiene.unusedRoles.total,
    ]);
  }
  for (const seat of summary.seats) {
    const members = (await w.ok<{ total: number }>(userId, 'users.list', { groupId: seat.companyId, limit: 1 })).total;
    expect(seat.members, `${who} seats of ${seat.companyName}`).toBe(members);
    const detail = await w.ok<GroupDetail>(userId, 'groups.get', { id: seat.companyId });
    expect({ used: seat.used, limit: seat.limit, pending: seat.pending }).toEqual({
      used: detail.seats?.used,
      limit: detail.seats?.limit,
      pending: detail.seats?.pending,
    });
  }
  if (summary.recent) {
    const audit = await w.ok<{ events: AuditEntry[] }>(userId, 'audit.list', { limit: summary.recent.length || 1 });
    expect(summary.recent.map((e) => e.seq)).toEqual(audit.events.slice(0, summary.recent.length).map((e) => e.seq));
  }
}

describe('dashboard figures equal the lists they link to (R33)', () => {
  it('for the Owner, an Admin, an Operator, a Location User and a Viewer, on random worlds', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const { w, signedIn, customers } = build(s);
        for (const [who, userId] of signedIn) await checkFigures(w, who, userId);
        await checkRankingComplete(w, w.ownerId, customers);
      }),
      { numRuns: 15 },
    );
  }, 240_000);

  it('someone without dashboard.view anywhere is refused; figures of lists they cannot read are absent', async () => {
    const { w, people } = build({
      customers: [false],
      locations: [0],
      devices: [],
      adminAtCustomer: 0,
      operatorAtRoot: false,
      disabledOrUnenrolled: [],
    });
    const customer = w.group(w.rootId, 'customer', 'Elsewhere');
    const auditor = w.user('auditor', customer);
    w.bind(auditor, w.role(w.rootId, ['audit.view', 'groups.view']), customer);
    expect(await w.call(auditor, 'dashboard.summary', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const viewer = await w.ok<DashboardSummary>(people.viewer, 'dashboard.summary', {});
    expect([viewer.access, viewer.recent, viewer.seats]).toEqual([null, null, []]);
    expect(viewer.fleet).not.toBeNull();
  });
});
