import { afterEach, describe, expect, it } from 'vitest';
import type { UserFacets, UserFilter } from '../../shared/contract';
import { MFA_STATES, USER_KINDS, USER_STATUSES } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 15, finding 6, for the members list: users.facets written against users.list alone.
 * Each facet's count for a value is what the list counts with the facet's own condition set to
 * that value and every other condition kept; the total is the list's count.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

type Facet = 'statuses' | 'kinds' | 'mfa' | 'roleIds';

function world() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  const admin = w.user('acme-admin', acme);
  w.bind(admin, ROLE.admin, acme);
  const roles = [ROLE.operator, ROLE.viewer, ROLE.admin];
  for (let i = 0; i < 18; i++) {
    const id = w.user(`person-${i}`, i % 3 === 0 ? globex : acme, { kind: i % 4 === 0 ? 'external' : 'member' });
    w.bind(id, roles[i % roles.length] ?? ROLE.viewer, i % 3 === 0 ? globex : acme);
    if (i % 5 === 0) w.steward.db.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").run(id);
    if (i % 2 === 0) w.steward.db.prepare("UPDATE users SET totp_secret = x'00' WHERE id = ?").run(id);
  }
  return { w, acme, admin };
}

const count = async (w: World, userId: string, filter: UserFilter) =>
  (await w.ok<{ total: number }>(userId, 'users.list', { ...filter, limit: 1 })).total;

const CANDIDATES: Record<Exclude<Facet, 'roleIds'>, readonly string[]> = { statuses: USER_STATUSES, kinds: USER_KINDS, mfa: MFA_STATES };

async function expectCrossFiltered(w: World, userId: string, filter: UserFilter) {
  const facets = await w.ok<UserFacets>(userId, 'users.facets', { filter });
  expect(facets.total).toBe(await count(w, userId, filter));
  for (const [facet, values] of Object.entries(CANDIDATES) as Array<[Exclude<Facet, 'roleIds'>, readonly string[]]>) {
    const expected: Array<{ value: string; count: number }> = [];
    for (const value of values) {
      const n = await count(w, userId, { ...filter, [facet]: [value] });
      if (n > 0) expected.push({ value, count: n });
    }
    expect(
      [...facets[facet]].sort((a, b) => a.value.localeCompare(b.value)),
      facet,
    ).toEqual(expected.sort((a, b) => a.value.localeCompare(b.value)));
  }
  for (const role of [ROLE.owner, ROLE.admin, ROLE.operator, ROLE.viewer]) {
    const n = await count(w, userId, { ...filter, roleIds: [role] });
    expect(facets.roles.find((f) => f.value === role)?.count ?? 0, role).toBe(n);
  }
}

describe('users.facets: cross-filtered counts (issue 15, finding 6)', () => {
  it('each facet applies every other condition, never its own; several values of one filter are alternatives', async () => {
    const { w, acme, admin } = world();
    await expectCrossFiltered(w, w.ownerId, {});
    await expectCrossFiltered(w, w.ownerId, { statuses: ['active'] });
    await expectCrossFiltered(w, w.ownerId, { kinds: ['member'], mfa: ['enrolled', 'not_enrolled'] });
    await expectCrossFiltered(w, w.ownerId, { roleIds: [ROLE.operator, ROLE.viewer], groupId: acme });
    await expectCrossFiltered(w, w.ownerId, { query: 'person-1', statuses: ['disabled', 'active'] });
    // An Admin of Acme counts Acme's people only (R4).
    await expectCrossFiltered(w, admin, { kinds: ['external'] });
    const mine = await w.ok<UserFacets>(admin, 'users.facets', {});
    expect(mine.total).toBe(await count(w, admin, {}));
    expect(mine.total).toBeLessThan((await w.ok<UserFacets>(w.ownerId, 'users.facets', {})).total);
  });
});
