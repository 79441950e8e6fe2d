import type { Migration } from './index';

/**
 * Issue 16, names compared as people read them (R24): indexes on `name_key(…)`, the SQL
 * function every Steward connection registers (main/db/name-keys.ts, shared/names.ts), for
 * the places where a name must be unique: a group among its siblings, a role where it is
 * defined, a username, an email. They are not UNIQUE: a database from before this step may
 * hold names that read the same ("Ärzte" and "ärzte" under one parent); those are kept as
 * they are, reported at every start until someone renames one (`nameCollisions`), and the
 * handlers refuse any new one. `name_key_unicode` records the Unicode version the keys were
 * computed with, so that a Node with another one rebuilds these indexes at open.
 */
export const nameKeys: Migration = {
  version: 20,
  name: 'name-keys',
  sql: `
CREATE INDEX IF NOT EXISTS groups_sibling_key ON groups (coalesce(parent_id, ''), name_key(name));
CREATE INDEX IF NOT EXISTS roles_name_key ON roles (coalesce(owner_group_id, ''), name_key(name));
CREATE INDEX IF NOT EXISTS users_username_key ON users (name_key(username));
CREATE INDEX IF NOT EXISTS users_email_key ON users (name_key(email));
CREATE TABLE IF NOT EXISTS name_key_unicode (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL
) STRICT;
`,
};
