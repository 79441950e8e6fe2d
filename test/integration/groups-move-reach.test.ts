import { afterEach, describe, expect, it } from 'vitest';
import type { GroupSummary } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Moving a group hands its people and devices to everyone bound above the new parent (R5). */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
function world(): World {
  const w = new World();
  worlds.push(w);
  return w;
}

const parentOf = async (w: World, id: string) =>
  (await w.ok<{ groups: GroupSummary[] }>(w.ownerId, 'groups.tree', {})).groups.find((g) => g.id === id)?.parentId;
const tree = async (w: World) =>
  (await w.ok<{ groups: GroupSummary[] }>(w.ownerId, 'groups.tree', {})).groups.map((g) => [g.id, g.parentId]);
const code = (answer: { ok: boolean; error?: { code: string } }) => (answer.ok ? 'ok' : answer.error?.code);

describe('groups.move: nobody gains a reach the mover could not grant', () => {
  it('a location cannot leave its customer, even for someone who manages both: the people and devices stay out of the other company’s reach', async () => {
    const w = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const globex = w.group(w.rootId, 'customer', 'Globex');
    const berlin = w.group(acme, 'location', 'Berlin');
    const person = w.user('person', berlin);
    w.bind(person, ROLE.viewer, berlin);
    const device = w.device(berlin, 'ws-berlin');
    const mover = w.user('mover', acme);
    w.bind(mover, w.role(acme, ['groups.view', 'locations.manage']), acme);
    w.bind(mover, ROLE.admin, globex);
    const globexAdmin = w.user('globex-admin', globex);
    w.bind(globexAdmin, ROLE.admin, globex);
    const before = await tree(w);

    const answer = await w.call(mover, 'groups.move', { id: berlin, parentId: globex });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'parentId' } });
    expect(answer.ok ? '' : answer.error.message).toMatch(/belong to that company/);

    expect(await tree(w)).toEqual(before);
    for (const reader of [mover, globexAdmin]) {
      expect(code(await w.call(reader, 'users.get', { id: person }))).toBe('NOT_FOUND');
      expect(code(await w.call(reader, 'devices.get', { id: device }))).toBe('NOT_FOUND');
      expect(code(await w.call(reader, 'users.resetPassword', { id: person }))).toBe('NOT_FOUND');
    }
    const denied = w.steward.db.prepare("SELECT outcome FROM audit_events WHERE action = 'groups.move'").all();
    expect(denied).toEqual([{ outcome: 'denied' }]);
  });

  it('a customer moved to another reseller is refused when the new ancestors’ roles grant what the mover does not hold there; bindings of people the mover may not see are counted, not named', async () => {
    const w = world();
    const east = w.group(w.rootId, 'distributor', 'East');
    const west = w.group(w.rootId, 'distributor', 'West');
    const r1 = w.group(east, 'reseller', 'Reseller One');
    const r2 = w.group(west, 'reseller', 'Reseller Two');
    const customer = w.group(r1, 'customer', 'Acme');
    const person = w.user('acme-person', customer);
    w.bind(person, ROLE.viewer, customer);
    const mover = w.user('mover', r1);
    w.bind(mover, ROLE.admin, r1);
    w.bind(mover, ROLE.admin, r2);
    const r2Owner = w.user('r2-owner', r2);
    w.bind(r2Owner, ROLE.owner, r2);
    const westOwner = w.user('west-owner', west);
    w.bind(westOwner, ROLE.owner, west);
    const before = await tree(w);

    const answer = await w.call(mover, 'groups.move', { id: customer, parentId: r2 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'parentId' } });
    const message = answer.ok ? '' : answer.error.message;
    expect(message).toContain('would give 2 bindings');
    expect(message).toContain('r2-owner');
    expect(message).toContain('billing.manage');
    expect(message).toContain('1 more binding held by people you may not see');
    expect(message).not.toContain('west-owner');

    expect(await tree(w)).toEqual(before);
    expect(code(await w.call(r2Owner, 'users.get', { id: person }))).toBe('NOT_FOUND');
    expect(code(await w.call(r2Owner, 'users.resetPassword', { id: person }))).toBe('NOT_FOUND');
  });

  it('the provider Owner, who holds everything above every reseller, moves a customer to another reseller; its people are then in the new reseller’s reach', async () => {
    const w = world();
    const r1 = w.group(w.rootId, 'reseller', 'Reseller One');
    const r2 = w.group(w.rootId, 'reseller', 'Reseller Two');
    const customer = w.group(r1, 'customer', 'Acme');
    const person = w.user('acme-person', customer);
    w.bind(person, ROLE.viewer, customer);
    const r2Owner = w.user('r2-owner', r2);
    w.bind(r2Owner, ROLE.owner, r2);

    expect(await w.call(w.ownerId, 'groups.move', { id: customer, parentId: r2 })).toMatchObject({ ok: true });
    expect(await parentOf(w, customer)).toBe(r2);
    expect(code(await w.call(r2Owner, 'users.get', { id: person }))).toBe('ok');
  });

  it('the mover’s own binding above the new parent does not vouch for itself: an Admin at the provider who owns a distributor cannot move a customer under it and so become its Owner', async () => {
    const w = world();
    const customer = w.group(w.rootId, 'customer', 'Acme');
    const distributor = w.group(w.rootId, 'distributor', 'East');
    const mover = w.user('mover', distributor);
    w.bind(mover, ROLE.admin, w.rootId);
    w.bind(mover, ROLE.owner, distributor);
    const before = await tree(w);

    const answer = await w.call(mover, 'groups.move', { id: customer, parentId: distributor });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'parentId' } });
    expect(answer.ok ? '' : answer.error.message).toMatch(/mover[^ ]* \(Owner at “East”: billing\.manage, ownership\.transfer\)/);
    expect(await tree(w)).toEqual(before);
    // Still only an Admin over the customer: no Owner's keys on it.
    expect(code(await w.call(mover, 'ownership.transfer', { companyId: customer, toUserId: mover, code: '000000' }))).not.toBe('ok');
    // Someone who holds the Owner's keys there already (the provider Owner) may make the same move.
    expect(await w.call(w.ownerId, 'groups.move', { id: customer, parentId: distributor })).toMatchObject({ ok: true });
  });

  it('a location moves between locations of its own customer', async () => {
    const w = world();
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const berlin = w.group(acme, 'location', 'Berlin');
    const team = w.group(berlin, 'department', 'Team');
    const hamburg = w.group(acme, 'location', 'Hamburg');
    const admin = w.user('acme-admin', acme);
    w.bind(admin, ROLE.admin, acme);
    expect(await w.call(admin, 'groups.move', { id: team, parentId: hamburg })).toMatchObject({ ok: true });
    expect(await parentOf(w, team)).toBe(hamburg);
  });
});
