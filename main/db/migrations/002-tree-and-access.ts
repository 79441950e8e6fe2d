import type { Migration } from './index';

/**
 * The customer tree's details and closure table, roles and their bindings, and devices
 * (whose operations come later, but whose existence decides group removal and visibility).
 * Built-in roles take their permissions from code (shared/access/builtin-roles.ts), so a
 * release that adds a permission updates them without a migration.
 */
export const treeAndAccess: Migration = {
  version: 2,
  name: 'tree-and-access',
  sql: `
ALTER TABLE groups ADD COLUMN service_type TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN seat_limit INTEGER;
ALTER TABLE groups ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
ALTER TABLE groups ADD COLUMN branding TEXT NOT NULL DEFAULT '{}';
CREATE INDEX groups_parent ON groups (parent_id);

CREATE TABLE group_closure (
  ancestor TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  descendant TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  depth INTEGER NOT NULL,
  PRIMARY KEY (ancestor, descendant)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_closure_descendant ON group_closure (descendant, depth);
INSERT INTO group_closure (ancestor, descendant, depth) SELECT id, id, 0 FROM groups;

CREATE TABLE group_contacts (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  PRIMARY KEY (group_id, position)
) STRICT;

CREATE TABLE group_activities (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('call','meeting','email','visit','note')),
  subject TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (group_id, position)
) STRICT;

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  owner_group_id TEXT REFERENCES groups(id),
  builtin TEXT UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  device_visibility TEXT NOT NULL CHECK (device_visibility IN ('scope','assigned')),
  protected INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0,1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((builtin IS NULL) = (owner_group_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX roles_name ON roles (coalesce(owner_group_id, ''), name COLLATE NOCASE);

CREATE TABLE role_permissions (
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (role_id, permission)
) STRICT, WITHOUT ROWID;

CREATE TABLE role_bindings (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id),
  group_id TEXT NOT NULL REFERENCES groups(id),
  PRIMARY KEY (user_id, role_id, group_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX role_bindings_group ON role_bindings (group_id, role_id);
CREATE INDEX role_bindings_role ON role_bindings (role_id);
-- Seed 000 / R14: one Owner per company, enforced by the database itself.
CREATE UNIQUE INDEX role_bindings_one_owner ON role_bindings (group_id) WHERE role_id = 'builtin-owner';

INSERT INTO roles (id, owner_group_id, builtin, name, device_visibility, protected, created_at, updated_at) VALUES
  ('builtin-owner', NULL, 'owner', 'Owner', 'scope', 1, 0, 0),
  ('builtin-admin', NULL, 'admin', 'Admin', 'scope', 1, 0, 0),
  ('builtin-operator', NULL, 'operator', 'Operator', 'assigned', 0, 0, 0),
  ('builtin-viewer', NULL, 'viewer', 'Viewer', 'assigned', 0, 0, 0);
INSERT INTO role_bindings (user_id, role_id, group_id) SELECT id, 'builtin-owner', home_group_id FROM users WHERE protected = 1;

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES groups(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('workstation','server','storage','cloud_tenant')),
  os TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok','warning','failed','offline','never')),
  last_backup_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX devices_group ON devices (group_id);

CREATE TABLE device_assignments (
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (device_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX device_assignments_user ON device_assignments (user_id, device_id);

CREATE INDEX users_home_group ON users (home_group_id);
`,
};
