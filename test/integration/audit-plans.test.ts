import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../main/db/connection';
import { auditWhere, eventsCount, eventsPage } from '../../main/features/audit/query';
import { member } from '../helpers/people';
import { ROLE, World } from '../helpers/world';
import { pretendStatistics, type StatRow } from '../helpers/planner-stats';

/**
 * Issue 17, finding 4, and issue 18's recent changes: the audit view's statements keep their
 * plan at 1,000,000 events. A small real trail, with the planner told (sqlite_stat1) that it
 * holds a million events over 10,000 groups, as the Owner and as a customer's Admin:
 * - one action in one group over a period is read by (action, group, time), never by walking
 *   every event of the action newest first (50 ms at 1M when the period lies in the past);
 * - the newest events with no filter are read newest first and stop at the page, never by
 *   searching every group's events and sorting them all.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const EVENTS = 1_000_000;
const GROUPS = 10_000;

function pretendSize(db: Db): void {
  // As PRAGMA optimize's sampled ANALYZE (analysis_limit) left them over the bench's million events: it takes about 1,450
  // rows per action and per group, where there are 143,000 and 50,000. With these the planner walked every event of the
  // action newest first.
  const rows: StatRow[] = [
    ['audit_events', null, `${EVENTS}`],
    ['audit_events', 'audit_group_seq', `${EVENTS} 1450 1`],
    ['audit_events', 'audit_at', `${EVENTS} 1`],
    ['audit_events', 'audit_action_seq', `${EVENTS} 1450 1`],
    ['audit_events', 'audit_action_group_at', `${EVENTS} 1450 1450 1`],
    ['audit_events', 'audit_target_seq', `${EVENTS} 182 1`],
    ['audit_events', 'audit_actor', `${EVENTS} 1450 1`],
    ['audit_events', 'audit_origin_seq', `${EVENTS} 1450 1`],
    ['groups', 'sqlite_autoindex_groups_1', `${GROUPS} 1`],
    ['group_closure', 'group_closure', `${GROUPS * 5} 5 1`],
    ['group_closure', 'group_closure_descendant', `${GROUPS * 5} 5 1`],
  ];
  pretendStatistics(db, rows);
}

function plan(db: Db, statement: { sql: string; params: Record<string, string | number> }): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(statement.params) as Array<{ detail: string }>)
    .map((r) => r.detail)
    .join('\n');
}

async function trail() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const admin = member(w, 'acme-admin', acme, ROLE.admin);
  // A few real events under Acme, so the statements run over rows as well as plan.
  for (let i = 0; i < 3; i++) await w.ok(w.ownerId, 'groups.update', { id: acme, baseVersion: i + 1, name: `Acme ${i}` });
  pretendSize(w.steward.db);
  return { w, acme, admin };
}

describe('the audit view’s plans at a million events', () => {
  it('one action in one group over a period is read by action, group and time, for the Owner and for an Admin', async () => {
    const { w, acme, admin } = await trail();
    const db = w.steward.db;
    const filter = { action: 'groups.update', groupId: acme, from: 0, to: Date.now() };
    for (const reader of [w.ownerId, admin]) {
      const where = auditWhere(db, reader, filter);
      for (const statement of [eventsPage(where, 0, 50), eventsCount(where, 100_001)]) {
        const steps = plan(db, statement);
        expect(steps).toMatch(/SEARCH e USING (COVERING )?INDEX audit_action_group_at \(action=\? AND group_id=\? AND at>\? AND at<\?\)/);
        expect(steps).not.toMatch(/audit_action_seq|SCAN e\b/);
      }
      expect(db.prepare(eventsCount(where, 100_001).sql).get(eventsCount(where, 100_001).params)).toEqual({ n: 3 });
    }
  });

  it('the newest events with no filter are read newest first, for the Owner, without sorting every event', async () => {
    const { w } = await trail();
    const db = w.steward.db;
    const steps = plan(db, eventsPage(auditWhere(db, w.ownerId, {}), 0, 8));
    expect(steps).toMatch(/SCAN e\b/);
    expect(steps).not.toMatch(/USE TEMP B-TREE FOR ORDER BY[\s\S]*SCAN p|audit_group_seq/);
    // The outer sort is over the page's own rows (p), never over the events.
    const sorts = steps.split('\n').filter((s) => s.includes('TEMP B-TREE'));
    expect(sorts.length).toBeLessThanOrEqual(1);
  });
});
