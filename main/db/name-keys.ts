import type Database from 'better-sqlite3';
import { nameKey } from '../../shared/names';

/** The indexes over `name_key(…)` (migration 20); rebuilt when the Unicode version that computed them changes. */
export const NAME_KEY_INDEXES = ['groups_sibling_key', 'roles_name_key', 'users_username_key', 'users_email_key'] as const;

/**
 * Registers `name_key(text)` (shared/names.ts `nameKey`; NULL and non-text pass through) on
 * `db`. Every connection that writes groups, roles or users needs it, because their indexes
 * compute it: open the database with `openDatabase`, not a bare better-sqlite3 handle.
 */
export function registerNameKey(db: Database.Database): void {
  db.function('name_key', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? nameKey(value) : value));
}

/**
 * Case folding and normalization follow the Unicode version of the running Node's ICU;
 * keys stored in the indexes by another version may differ, so those indexes are rebuilt.
 */
export function refreshNameKeys(db: Database.Database, unicode = process.versions.unicode ?? 'unknown'): void {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'name_key_unicode'").get();
  if (!hasTable) return;
  const stored = db.prepare<[], { version: string }>('SELECT version FROM name_key_unicode WHERE id = 1').get();
  if (stored?.version === unicode) return;
  db.transaction(() => {
    if (stored) for (const index of NAME_KEY_INDEXES) db.exec(`REINDEX ${index}`);
    db.prepare('INSERT INTO name_key_unicode (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version').run(
      unicode,
    );
  }).immediate();
}

/** One set of names that read the same where they should be unique. */
export interface NameCollision {
  kind: 'group' | 'role' | 'username' | 'email';
  /** The parent group (groups), the defining group (roles), '' for people and the provider's roles. */
  scopeId: string;
  names: string[];
  ids: string[];
}

const COLLISIONS: ReadonlyArray<[NameCollision['kind'], string]> = [
  [
    'group',
    "SELECT coalesce(parent_id, '') AS scope, json_group_array(id) AS ids, json_group_array(name) AS names FROM groups GROUP BY coalesce(parent_id, ''), name_key(name) HAVING count(*) > 1",
  ],
  [
    'role',
    "SELECT coalesce(owner_group_id, '') AS scope, json_group_array(id) AS ids, json_group_array(name) AS names FROM roles GROUP BY coalesce(owner_group_id, ''), name_key(name) HAVING count(*) > 1",
  ],
  [
    'username',
    "SELECT '' AS scope, json_group_array(id) AS ids, json_group_array(username) AS names FROM users GROUP BY name_key(username) HAVING count(*) > 1",
  ],
  [
    'email',
    "SELECT '' AS scope, json_group_array(id) AS ids, json_group_array(email) AS names FROM users GROUP BY name_key(email) HAVING count(*) > 1",
  ],
];

/**
 * Names that read the same where they must be unique, left by a database from before
 * migration 20: each set's rows are kept untouched until a person renames one. Uses the
 * name-key indexes; a few milliseconds for 100,000 rows.
 */
export function nameCollisions(db: Database.Database): NameCollision[] {
  const out: NameCollision[] = [];
  for (const [kind, sql] of COLLISIONS) {
    for (const row of db.prepare<[], { scope: string; ids: string; names: string }>(sql).all()) {
      out.push({ kind, scopeId: row.scope, ids: JSON.parse(row.ids) as string[], names: JSON.parse(row.names) as string[] });
    }
  }
  return out;
}

/** One line for the process log: each set by kind and names (no ids, no secrets). */
export function describeCollisions(collisions: readonly NameCollision[]): string {
  const sets = collisions.map((c) => `${c.kind} ${c.names.map((n) => `“${n}”`).join(' and ')}`);
  return (
    `${collisions.length} set${collisions.length === 1 ? '' : 's'} of names read the same where each must be unique, ` +
    `kept as they are from before names were compared as they read; rename one of each: ${sets.join('; ')}`
  );
}
