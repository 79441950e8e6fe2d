import type { Migration } from './index';

/** Invitations (seeds 000, 004) and per-user notification preferences (seed 002). */
export const team: Migration = {
  version: 3,
  name: 'team',
  sql: `
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('member','external')),
  role_id TEXT NOT NULL REFERENCES roles(id),
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  expires_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','accepted','revoked')),
  invited_by TEXT NOT NULL,
  invited_by_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  send_count INTEGER NOT NULL DEFAULT 1,
  accepted_user_id TEXT
) STRICT;
CREATE INDEX invitations_group ON invitations (group_id, status);
CREATE INDEX invitations_email ON invitations (email COLLATE NOCASE, status);

ALTER TABLE users ADD COLUMN notifications TEXT NOT NULL DEFAULT '{}';
`,
};
