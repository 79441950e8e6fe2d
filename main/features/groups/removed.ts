import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';

/**
 * The group that now stands for `groupId` in scope checks: the group itself while it
 * exists, else the nearest ancestor of it that survives (kept by migration 010's trigger),
 * else undefined for an id that never was a group. Records filed at a group (audit
 * events, device jobs) stay visible through it to those who could see them before.
 */
export function survivingGroupId(db: Db, groupId: string): string | undefined {
  return stmt<[string, string], { id: string }>(
    db,
    'SELECT id FROM groups WHERE id = ? UNION ALL SELECT surviving_id AS id FROM removed_groups WHERE id = ? LIMIT 1',
  ).get(groupId, groupId)?.id;
}
