import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../main/demo/fleet';
import { inviteOwners } from '../../main/demo/owners';
import { ROLE, World } from '../helpers/world';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const PASSWORD = 'demo-owners-correct-horse-7';

function demo() {
  const w = new World();
  worlds.push(w);
  const summary = generateDemo(w.steward.db, w.rootId, { devices: 200, customers: 4, users: 16, seed: 3, now: Date.now(), id: randomUUID });
  return { w, summary };
}

const ownersAt = (w: World, groupId: string) =>
  w.steward.db.prepare('SELECT user_id FROM role_bindings WHERE role_id = ? AND group_id = ?').all(ROLE.owner, groupId);

describe('demo data: customers’ Owners come through invitations, never straight into the database (R11)', () => {
  it('writes no customer Owner itself, and names one Owner to invite per customer', () => {
    const { w, summary } = demo();
    expect(summary.owners).toHaveLength(4);
    for (const owner of summary.owners) expect(ownersAt(w, owner.groupId)).toEqual([]);
    expect(new Set(summary.owners.map((o) => o.groupId)).size).toBe(4);
  });

  it('the provider Owner invites every customer’s Owner; accepted ones sign in, the rest stay pending', async () => {
    const { w, summary } = demo();
    const outcome = await inviteOwners(w.steward.dispatcher, w.session(w.ownerId), summary.owners, { accept: 2, password: PASSWORD });
    expect(outcome.invited).toBe(4);
    expect(outcome.accepted.map((o) => o.username)).toEqual(summary.owners.slice(0, 2).map((o) => o.username));
    summary.owners.forEach((owner, i) => {
      const status = w.steward.db.prepare('SELECT status, invited_by FROM invitations WHERE group_id = ?').all(owner.groupId);
      expect(status).toEqual([{ status: i < 2 ? 'accepted' : 'pending', invited_by: w.ownerId }]);
      expect(ownersAt(w, owner.groupId)).toHaveLength(i < 2 ? 1 : 0);
    });
    const first = summary.owners[0];
    const signIn = await w.steward.call('auth.signIn', { login: first?.username, password: PASSWORD });
    expect(signIn.result).toMatchObject({ ok: true, value: { stage: 'enroll' } });
  });

  it('goes through authorization: a provider Admin, who may not issue Owner invitations (R6), is refused and nothing is written', async () => {
    const { w, summary } = demo();
    const admin = w.user('provider-admin', w.rootId);
    w.bind(admin, ROLE.admin, w.rootId);
    await expect(inviteOwners(w.steward.dispatcher, w.session(admin), summary.owners, { accept: 1, password: PASSWORD })).rejects.toThrow(
      /invitations\.create .* was refused/,
    );
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM invitations').get()).toEqual({ n: 0 });
  });
});
