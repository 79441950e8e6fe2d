import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTeamsAndFleet, generateTree } from '../../main/demo/fleet';
import { inviteOwners } from '../../main/demo/owners';
import { ROLE, World } from '../helpers/world';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const PASSWORD = 'demo-owners-correct-horse-7';

function demoTree() {
  const w = new World();
  worlds.push(w);
  const tree = generateTree(w.steward.db, w.rootId, { devices: 200, customers: 4, users: 16, seed: 3, now: Date.now(), id: randomUUID });
  return { w, tree };
}

const ownersAt = (w: World, groupId: string) =>
  w.steward.db.prepare('SELECT user_id FROM role_bindings WHERE role_id = ? AND group_id = ?').all(ROLE.owner, groupId);
/** People homed in or bound within a customer, its Owner included. */
const peopleOf = (w: World, companyId: string) =>
  (
    w.steward.db
      .prepare(
        `SELECT count(DISTINCT u.id) AS n FROM users u JOIN group_closure c ON c.descendant = u.home_group_id
         WHERE c.ancestor = ?`,
      )
      .get(companyId) as { n: number }
  ).n;

describe('demo data: customers’ Owners come through invitations, never straight into the database (R11)', () => {
  it('the tree writes nobody, and names one Owner to invite per customer', () => {
    const { w, tree } = demoTree();
    expect(tree.owners).toHaveLength(4);
    expect(new Set(tree.owners.map((o) => o.groupId)).size).toBe(4);
    for (const owner of tree.owners) expect(peopleOf(w, owner.groupId)).toBe(0);
  });

  it('the provider Owner invites every customer’s Owner; only customers whose Owner joined get a team, so every company with members has one Owner', async () => {
    const { w, tree } = demoTree();
    const outcome = await inviteOwners(w.steward.dispatcher, w.session(w.ownerId), tree.owners, { accept: 2, password: PASSWORD });
    expect(outcome.invited).toBe(4);
    expect(outcome.accepted.map((o) => o.groupId)).toEqual(tree.owners.slice(0, 2).map((o) => o.groupId));
    const summary = generateTeamsAndFleet(w.steward.db, tree, new Set(outcome.accepted.map((o) => o.groupId)));
    expect(summary.devices).toBe(200);
    tree.owners.forEach((owner, i) => {
      const invitations = w.steward.db.prepare('SELECT status, invited_by FROM invitations WHERE group_id = ?').all(owner.groupId);
      expect(invitations).toEqual([{ status: i < 2 ? 'accepted' : 'pending', invited_by: w.ownerId }]);
      expect(ownersAt(w, owner.groupId)).toHaveLength(i < 2 ? 1 : 0);
      // R11: a customer still onboarding has no members at all.
      if (i >= 2) expect(peopleOf(w, owner.groupId)).toBe(0);
      else expect(peopleOf(w, owner.groupId)).toBeGreaterThan(1);
    });
    const first = tree.owners[0];
    const signIn = await w.steward.call('auth.signIn', { login: first?.username, password: PASSWORD });
    expect(signIn.result).toMatchObject({ ok: true, value: { stage: 'enroll' } });
  });

  it('goes through authorization: a provider Admin, who may not issue Owner invitations (R6), is refused and nothing is written', async () => {
    const { w, tree } = demoTree();
    const admin = w.user('provider-admin', w.rootId);
    w.bind(admin, ROLE.admin, w.rootId);
    await expect(inviteOwners(w.steward.dispatcher, w.session(admin), tree.owners, { accept: 1, password: PASSWORD })).rejects.toThrow(
      /invitations\.create .* was refused/,
    );
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM invitations').get()).toEqual({ n: 0 });
  });
});
