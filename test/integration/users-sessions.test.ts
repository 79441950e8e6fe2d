import { afterEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Issue 15: a person's sessions on their page, and signing them out everywhere (R7, R10, R18). */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function world() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const people = {
    owner: w.user('acme-owner', acme),
    admin: w.user('ada', acme),
    operator: w.user('otto', acme),
    other: w.user('olaf', acme),
  };
  w.bind(people.owner, ROLE.owner, acme);
  w.bind(people.admin, ROLE.admin, acme);
  w.bind(people.operator, ROLE.operator, acme);
  w.bind(people.other, ROLE.operator, acme);
  return { w, people };
}

const sessionsOf = (w: World, userId: string) =>
  (w.steward.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n;

describe('users.sessions and users.signOutEverywhere', () => {
  it('a person lists their own sessions, the asking one marked, and signing out everywhere keeps only that one', async () => {
    const { w, people } = world();
    w.session(people.operator);
    w.session(people.operator);
    const token = w.session(people.operator);
    const listed = await w.steward.call('users.sessions', { id: people.operator }, token);
    const sessions = (listed.result as { ok: true; value: { sessions: SessionInfo[] } }).value.sessions;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]).toEqual({
      client: 'cli',
      stage: 'active',
      startedAt: expect.any(Number),
      lastSeenAt: expect.any(Number),
      current: expect.any(Boolean),
    });
    const out = await w.steward.call('users.signOutEverywhere', { id: people.operator }, token);
    expect(out.result).toEqual({ ok: true, value: { ended: 2 } });
    expect(sessionsOf(w, people.operator)).toBe(1);
  });

  it('an Admin signs a member out everywhere: every session ends, and the trail says how many', async () => {
    const { w, people } = world();
    w.session(people.operator);
    w.session(people.operator);
    expect((await w.ok<{ sessions: SessionInfo[] }>(people.admin, 'users.sessions', { id: people.operator })).sessions).toHaveLength(2);
    expect(await w.ok(people.admin, 'users.signOutEverywhere', { id: people.operator })).toEqual({ ended: 2 });
    expect(sessionsOf(w, people.operator)).toBe(0);
    const event = w.steward.db
      .prepare("SELECT after FROM audit_events WHERE action = 'users.signOutEverywhere' ORDER BY seq DESC LIMIT 1")
      .get() as { after: string };
    expect(JSON.parse(event.after)).toEqual({ sessionsEnded: 2 });
  });

  it('another person’s sessions need users.edit and dominance: an Operator is refused; an Admin cannot end the Owner’s (R10)', async () => {
    const { w, people } = world();
    w.session(people.other);
    const asOperator = await w.call(people.operator, 'users.sessions', { id: people.other });
    expect(asOperator.ok ? null : asOperator.error.code).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
    const endOperator = await w.call(people.operator, 'users.signOutEverywhere', { id: people.other });
    expect(endOperator.ok ? null : endOperator.error.code).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
    expect(sessionsOf(w, people.other)).toBe(1);
    w.session(people.owner);
    const endOwner = await w.call(people.admin, 'users.signOutEverywhere', { id: people.owner });
    expect(endOwner.ok ? null : endOwner.error.code).toBe('FORBIDDEN');
    expect(sessionsOf(w, people.owner)).toBe(1);
  });
});
