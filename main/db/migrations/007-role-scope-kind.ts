import type { Migration } from './index';

/**
 * Issue 5: a role may be limited to bindings at one kind of group (seed 003's location
 * roles, seed 004's Group Supervisor at departments), and a user may belong to several
 * departments of their company (seed 004).
 */
export const roleScopeKind: Migration = {
  version: 7,
  name: 'role-scope-kind',
  sql: `
ALTER TABLE roles ADD COLUMN scope_kind TEXT CHECK (scope_kind IN ('location', 'department'));
ALTER TABLE role_versions ADD COLUMN scope_kind TEXT;
CREATE TABLE user_departments (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_departments_group ON user_departments(group_id, user_id);
`,
};
