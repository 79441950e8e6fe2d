import type { GroupKind } from '../../../shared/access/groups';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';

export interface GroupNode {
  id: string;
  parentId: string | null;
  kind: GroupKind;
  name: string;
}

export interface GroupPath {
  /** The group itself first, the root last. */
  ids: string[];
  /** The same groups, root first, for breadcrumbs and sentences. */
  fromRoot: GroupNode[];
  kind: GroupKind;
}

export function findGroup(db: Db, id: string): GroupNode | undefined {
  return stmt<[string], GroupNode>(db, 'SELECT id, parent_id AS parentId, kind, name FROM groups WHERE id = ?').get(id);
}

export function groupPath(db: Db, id: string): GroupPath | undefined {
  const rows = stmt<[string], GroupNode>(
    db,
    `SELECT g.id, g.parent_id AS parentId, g.kind, g.name FROM group_closure c JOIN groups g ON g.id = c.ancestor
     WHERE c.descendant = ? ORDER BY c.depth`,
  ).all(id);
  const self = rows[0];
  if (!self) return undefined;
  return { ids: rows.map((r) => r.id), fromRoot: [...rows].reverse(), kind: self.kind };
}

export function rootGroup(db: Db): GroupNode | undefined {
  return stmt<[], GroupNode>(db, "SELECT id, parent_id AS parentId, kind, name FROM groups WHERE kind = 'provider'").get();
}

/** The nearest company (provider, distributor, …, customer) at or above a group. */
export function companyOf(db: Db, id: string): GroupNode | undefined {
  return stmt<[string], GroupNode>(
    db,
    `SELECT g.id, g.parent_id AS parentId, g.kind, g.name FROM group_closure c JOIN groups g ON g.id = c.ancestor
     WHERE c.descendant = ? AND g.kind NOT IN ('location','department') ORDER BY c.depth LIMIT 1`,
  ).get(id);
}

export function isInSubtree(db: Db, ancestorId: string, groupId: string): boolean {
  return (
    stmt<[string, string], { n: number }>(db, 'SELECT 1 AS n FROM group_closure WHERE ancestor = ? AND descendant = ?').get(
      ancestorId,
      groupId,
    ) !== undefined
  );
}

/** Adds a new leaf's closure rows: itself, and every ancestor of its parent. */
export function linkNewGroup(db: Db, id: string, parentId: string): void {
  stmt(db, 'INSERT INTO group_closure (ancestor, descendant, depth) VALUES (?, ?, 0)').run(id, id);
  stmt(
    db,
    'INSERT INTO group_closure (ancestor, descendant, depth) SELECT ancestor, ?, depth + 1 FROM group_closure WHERE descendant = ?',
  ).run(id, parentId);
}

/** Re-links a subtree under a new parent: drops its links to old ancestors, adds links to the new ones. */
export function relinkSubtree(db: Db, id: string, newParentId: string): void {
  stmt(
    db,
    `DELETE FROM group_closure WHERE descendant IN (SELECT descendant FROM group_closure WHERE ancestor = @id)
       AND ancestor NOT IN (SELECT descendant FROM group_closure WHERE ancestor = @id)`,
  ).run({ id });
  stmt(
    db,
    `INSERT INTO group_closure (ancestor, descendant, depth)
     SELECT up.ancestor, down.descendant, up.depth + down.depth + 1
     FROM group_closure up, group_closure down WHERE up.descendant = @parent AND down.ancestor = @id`,
  ).run({ id, parent: newParentId });
}
