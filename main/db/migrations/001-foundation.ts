import type { Migration } from './index';

export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  sql: `
CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES groups(id),
  kind TEXT NOT NULL CHECK (kind IN ('provider','distributor','sub_distributor','reseller','customer','location','department')),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((kind = 'provider') = (parent_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX groups_sibling_name ON groups (coalesce(parent_id, ''), name COLLATE NOCASE);
CREATE UNIQUE INDEX groups_single_root ON groups (kind) WHERE kind = 'provider';

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  email TEXT NOT NULL,
  full_name TEXT NOT NULL DEFAULT '',
  company TEXT NOT NULL DEFAULT '',
  home_group_id TEXT NOT NULL REFERENCES groups(id),
  kind TEXT NOT NULL DEFAULT 'member' CHECK (kind IN ('member','external')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
  password_hash TEXT,
  totp_secret BLOB,
  totp_last_step INTEGER,
  mfa_enrolled_at INTEGER,
  protected INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0,1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_sign_in_at INTEGER
) STRICT;
CREATE UNIQUE INDEX users_username ON users (username COLLATE NOCASE);
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE);

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  stage TEXT NOT NULL CHECK (stage IN ('enroll','mfa','active')),
  client TEXT NOT NULL CHECK (client IN ('desktop','web','cli')),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  pending_totp_secret BLOB
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE auth_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  client TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  target_name TEXT,
  group_id TEXT,
  before TEXT,
  after TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('success','denied')),
  error_code TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_actor ON audit_events (actor_id, seq);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`,
};
