import type { Migration } from './index';

/**
 * Issue 12: optimistic concurrency. Groups, users and invitations carry the version an
 * editor loaded (1 for every existing row); settings are one object with one version.
 * `object_changes` says which fields each version changed and who changed them, so a
 * stale update can be refused with what changed since. It stores field names only, never
 * values: the audit trail keeps values and may be pruned, and a settings change may touch
 * the SMTP password. Roles keep their own history in `role_versions`; custom roles saved
 * before that table existed get their current content as version 1 here, so every
 * editable role has a version to be based on.
 */
export const objectVersions: Migration = {
  version: 12,
  name: 'object-versions',
  // Written so that running it again changes nothing: a test puts user_version back to re-run an older step.
  sql: `
CREATE TABLE IF NOT EXISTS settings_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
INSERT OR IGNORE INTO settings_version (id, version) VALUES (1, 1);

CREATE TABLE IF NOT EXISTS object_changes (
  object_type TEXT NOT NULL CHECK (object_type IN ('group','user','invitation','settings')),
  object_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by_id TEXT,
  by_name TEXT NOT NULL,
  fields TEXT NOT NULL,
  PRIMARY KEY (object_type, object_id, version)
) STRICT;

CREATE TRIGGER IF NOT EXISTS object_changes_group_gone AFTER DELETE ON groups BEGIN
  DELETE FROM object_changes WHERE object_type = 'group' AND object_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS object_changes_user_gone AFTER DELETE ON users BEGIN
  DELETE FROM object_changes WHERE object_type = 'user' AND object_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS object_changes_invitation_gone AFTER DELETE ON invitations BEGIN
  DELETE FROM object_changes WHERE object_type = 'invitation' AND object_id = OLD.id;
END;

INSERT INTO role_versions (role_id, version, at, by_name, name, description, device_visibility, scope_kind, permissions)
SELECT r.id, 1, r.updated_at, '', r.name, r.description, r.device_visibility, r.scope_kind,
  (SELECT json_group_array(permission) FROM (SELECT permission FROM role_permissions WHERE role_id = r.id ORDER BY permission))
FROM roles r
WHERE r.owner_group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM role_versions v WHERE v.role_id = r.id);
`,
  run(db) {
    // SQLite has no ADD COLUMN IF NOT EXISTS. The table names are the constants above, never input.
    for (const table of ['groups', 'users', 'invitations'] as const) {
      const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
      if (!columns.some((c) => c.name === 'version')) db.exec(`ALTER TABLE ${table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1`);
    }
  },
};
