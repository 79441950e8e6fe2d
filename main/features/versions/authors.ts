import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { holderScope, HIDDEN_AUTHOR } from '../roles/records';

/**
 * How `readerId` may name each author of a change: by username where the reader is that
 * person or may see them (users.view, the same filter as the members list), otherwise
 * HIDDEN_AUTHOR (R13: a refusal names only people the reader may see). Keys are user ids;
 * an id missing from the answer (a removed account) is shown as HIDDEN_AUTHOR too.
 */
export function visibleAuthorNames(db: Db, readerId: string, authorIds: readonly string[]): Map<string, string> {
  const ids = [...new Set(authorIds)];
  if (ids.length === 0) return new Map();
  const scope = holderScope(db, readerId);
  const rows = stmt<Record<string, string>, { id: string; username: string }>(
    db,
    `SELECT u.id, u.username FROM users u JOIN groups hg ON hg.id = u.home_group_id
     WHERE u.id IN (SELECT value FROM json_each(@ids)) AND (u.id = @reader OR ${scope.sql})`,
  ).all({ ...scope.params, ids: JSON.stringify(ids), reader: readerId });
  return new Map(rows.map((r) => [r.id, r.username]));
}

export function authorName(names: ReadonlyMap<string, string>, id: string | null): string {
  if (id === null) return 'Steward';
  return names.get(id) ?? HIDDEN_AUTHOR;
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
