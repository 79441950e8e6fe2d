// .prof/prof.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";

// main/app.ts
import { randomBytes as randomBytes3, randomUUID } from "node:crypto";
import { join as join2 } from "node:path";

// main/db/connection.ts
import Database from "better-sqlite3";

// main/security/private-files.ts
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
var PRIVATE_DIR_MODE = 448;
var PRIVATE_FILE_MODE = 384;
function ensurePrivateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}
function ensurePrivateFile(file) {
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}
function tightenExisting(files) {
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

// main/db/migrations/001-foundation.ts
var foundation = {
  version: 1,
  name: "foundation",
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
`
};

// main/db/migrations/002-tree-and-access.ts
var treeAndAccess = {
  version: 2,
  name: "tree-and-access",
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
-- Seed 000 / DESIGN.md 3.6: one Owner per company, enforced by the database itself.
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
`
};

// main/db/migrations/003-team.ts
var team = {
  version: 3,
  name: "team",
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
`
};

// main/db/migrations/004-audit-trail.ts
var auditTrail = {
  version: 4,
  name: "audit-trail",
  sql: `
CREATE INDEX audit_group_seq ON audit_events (group_id, seq);
CREATE INDEX audit_at ON audit_events (at);
CREATE INDEX audit_action_seq ON audit_events (action, seq);
CREATE INDEX audit_action_group_at ON audit_events (action, group_id, at);
CREATE INDEX audit_target_seq ON audit_events (target_id, seq);

CREATE TABLE audit_prunes (
  through_seq INTEGER PRIMARY KEY,
  anchor_hash TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE TRIGGER audit_prunes_no_update BEFORE UPDATE ON audit_prunes
BEGIN SELECT RAISE(ABORT, 'audit prune records are append-only'); END;
CREATE TRIGGER audit_prunes_no_delete BEFORE DELETE ON audit_prunes
BEGIN SELECT RAISE(ABORT, 'audit prune records are append-only'); END;

DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_prunes WHERE through_seq >= OLD.seq)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`
};

// main/db/migrations/005-role-history.ts
var roleHistory = {
  version: 5,
  name: "role-history",
  sql: `
CREATE TABLE role_versions (
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  device_visibility TEXT NOT NULL,
  permissions TEXT NOT NULL,
  PRIMARY KEY (role_id, version)
) STRICT;
`
};

// main/db/migrations/006-devices.ts
var devices = {
  version: 6,
  name: "devices",
  sql: `
DROP INDEX devices_group;
CREATE UNIQUE INDEX devices_group_name ON devices (group_id, name COLLATE NOCASE);
CREATE INDEX devices_name ON devices (name COLLATE NOCASE, id);
CREATE INDEX devices_kind ON devices (kind, name COLLATE NOCASE, id);
CREATE INDEX devices_os ON devices (os, name COLLATE NOCASE, id);
CREATE INDEX devices_status ON devices (status, name COLLATE NOCASE, id);
CREATE INDEX devices_last_backup ON devices (last_backup_at, name COLLATE NOCASE, id);

CREATE TABLE device_jobs (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('assign','unassign')),
  state TEXT NOT NULL CHECK (state IN ('queued','running','cancelling','cancelled','done','rolling_back','rolled_back','failed')),
  -- Kept by name when the starter is removed: the job's history outlives them.
  actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  actor_name TEXT NOT NULL,
  actor_home_group_id TEXT NOT NULL,
  -- {"filter": {...}} or {"deviceIds": [...]}; the words for it, for lists.
  selection TEXT NOT NULL,
  selection_text TEXT NOT NULL,
  -- [{"userId", "username"}]
  members TEXT NOT NULL,
  -- A filter job covers the devices that existed when it started (rowid <= max_rowid).
  max_rowid INTEGER NOT NULL,
  -- Devices are processed in id order (neighbouring pairs land in neighbouring index pages);
  -- the cursor is the last device id processed.
  cursor TEXT NOT NULL DEFAULT '',
  total INTEGER NOT NULL,
  processed INTEGER NOT NULL DEFAULT 0,
  planned TEXT NOT NULL,
  counts TEXT NOT NULL,
  -- Undo walks the changed items in seq order; who asked (NULL: rolled back by Steward itself).
  undo_cursor INTEGER NOT NULL DEFAULT 0,
  undo_actor_id TEXT,
  undo_restored INTEGER NOT NULL DEFAULT 0,
  undo_skipped INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  undone_at INTEGER
) STRICT;
CREATE INDEX device_jobs_created ON device_jobs (created_at);
CREATE INDEX device_jobs_state ON device_jobs (state);

-- One row per device a job processed, written in the same transaction as the device's
-- assignments: a device is fully applied with its record, or not at all.
CREATE TABLE device_job_items (
  job_id TEXT NOT NULL REFERENCES device_jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  -- No foreign key: a job's results outlive a device removed later.
  device_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('changed','unchanged','refused')),
  -- Member ids whose pair with this device the job changed: exactly what undo reverses.
  changed TEXT,
  unchanged INTEGER NOT NULL DEFAULT 0,
  -- [{"userId", "reason"}]
  refused TEXT,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0,1)),
  PRIMARY KEY (job_id, seq)
) STRICT, WITHOUT ROWID;
`
};

// main/db/migrations/007-role-scope-kind.ts
var roleScopeKind = {
  version: 7,
  name: "role-scope-kind",
  sql: `
ALTER TABLE roles ADD COLUMN scope_kind TEXT CHECK (scope_kind IN ('location', 'department'));
ALTER TABLE role_versions ADD COLUMN scope_kind TEXT;
CREATE TABLE user_departments (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_departments_group ON user_departments(group_id, user_id);
`
};

// main/db/migrations/008-role-meaning.ts
var roleMeaning = {
  version: 8,
  name: "role-meaning",
  sql: `
ALTER TABLE roles ADD COLUMN meaning TEXT CHECK (meaning IN ('owner', 'admin'));
UPDATE roles SET meaning = 'owner' WHERE builtin = 'owner';
UPDATE roles SET meaning = 'admin' WHERE builtin = 'admin';
-- R6: acceptance re-checks whoever last sent the link, not only who first sent it.
ALTER TABLE invitations ADD COLUMN resent_by TEXT;
ALTER TABLE invitations ADD COLUMN resent_by_name TEXT;
CREATE INDEX roles_meaning ON roles(meaning) WHERE meaning IS NOT NULL;
`
};

// main/db/migrations/009-job-authority.ts
var jobAuthority = {
  version: 9,
  name: "job-authority",
  sql: `
ALTER TABLE device_jobs ADD COLUMN authority TEXT;
ALTER TABLE device_jobs ADD COLUMN stopped_at INTEGER;
`
};

// main/db/migrations/010-removed-group-places.ts
var removedGroupPlaces = {
  version: 10,
  name: "removed-group-places",
  sql: `
CREATE TABLE removed_groups (
  id TEXT PRIMARY KEY,
  parent_id TEXT NOT NULL,
  surviving_id TEXT NOT NULL,
  kind TEXT,
  name TEXT NOT NULL
) STRICT;
CREATE INDEX removed_groups_surviving ON removed_groups (surviving_id);
CREATE INDEX removed_groups_parent ON removed_groups (parent_id);

CREATE TRIGGER groups_removed_keep_place AFTER DELETE ON groups WHEN OLD.parent_id IS NOT NULL
BEGIN
  UPDATE removed_groups SET surviving_id = OLD.parent_id WHERE surviving_id = OLD.id;
  INSERT OR REPLACE INTO removed_groups (id, parent_id, surviving_id, kind, name)
  VALUES (OLD.id, OLD.parent_id, OLD.parent_id, OLD.kind, OLD.name);
END;

INSERT OR IGNORE INTO removed_groups (id, parent_id, surviving_id, kind, name)
SELECT e.target_id, e.group_id, e.group_id, json_extract(e.before, '$.kind'), coalesce(e.target_name, 'Removed group')
FROM audit_events e
WHERE e.action = 'groups.remove' AND e.outcome = 'success' AND e.target_type = 'group' AND e.before IS NOT NULL
  AND e.group_id IS NOT NULL AND e.target_id IS NOT NULL AND e.group_id <> e.target_id
  AND e.target_id NOT IN (SELECT id FROM groups)
ORDER BY e.seq;

WITH RECURSIVE up(id, place, depth) AS (
  SELECT id, parent_id, 0 FROM removed_groups
  UNION ALL
  SELECT up.id, r.parent_id, up.depth + 1 FROM up JOIN removed_groups r ON r.id = up.place WHERE up.depth < 64
)
UPDATE removed_groups SET surviving_id = coalesce(
  (SELECT up.place FROM up WHERE up.id = removed_groups.id AND up.place IN (SELECT id FROM groups) ORDER BY up.depth LIMIT 1),
  (SELECT id FROM groups WHERE parent_id IS NULL),
  surviving_id
);

INSERT OR IGNORE INTO removed_groups (id, parent_id, surviving_id, kind, name)
SELECT DISTINCT e.group_id, root.id, root.id, NULL, 'Removed group'
FROM audit_events e JOIN groups root ON root.parent_id IS NULL
WHERE e.group_id IS NOT NULL AND e.group_id NOT IN (SELECT id FROM groups) AND e.group_id NOT IN (SELECT id FROM removed_groups);
`
};

// main/db/statements.ts
var caches = /* @__PURE__ */ new WeakMap();
function stmt(db, sql) {
  let cache3 = caches.get(db);
  if (!cache3) {
    cache3 = /* @__PURE__ */ new Map();
    caches.set(db, cache3);
  }
  let statement = cache3.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache3.set(sql, statement);
  }
  return statement;
}

// main/security/tokens.ts
import { createHash } from "node:crypto";
function digest(value) {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

// main/features/auth/totp.ts
import { generateURI, verify } from "otplib";
import QRCode from "qrcode";
var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
var PERIOD_SECONDS = 30;
var TOLERANCE_SECONDS = 30;
function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = value << 8 | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[value >>> bits - 5 & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[value << 5 - bits & 31];
  return out;
}
async function enrollmentArtifacts(secret, account, issuer) {
  const otpauthUri = generateURI({ issuer, label: account, secret });
  const qrSvg = await QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { otpauthUri, qrSvg };
}
async function checkCode(secret, code, nowMs, lastStep) {
  const base = { secret, token: code, epoch: Math.floor(nowMs / 1e3), epochTolerance: TOLERANCE_SECONDS, period: PERIOD_SECONDS };
  const fresh = await verify(lastStep === null ? base : { ...base, afterTimeStep: lastStep });
  if (fresh.valid && "timeStep" in fresh) return { kind: "valid", timeStep: fresh.timeStep };
  if (lastStep === null) return { kind: "invalid" };
  const any = await verify(base);
  return any.valid ? { kind: "reused" } : { kind: "invalid" };
}

// main/features/auth/recovery-codes.ts
var RECOVERY_CODE_COUNT = 10;
var RECOVERY_CODE_PURPOSE = "recovery code v1";
function makeRecoveryCodes(bytes) {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text2 = base32(bytes(7)).slice(0, 10);
    return `${text2.slice(0, 5)}-${text2.slice(5)}`;
  });
}
function recoveryCodeMac(secrets, sha256Hex) {
  return secrets.mac(RECOVERY_CODE_PURPOSE, sha256Hex);
}
function recoveryCodeHash(secrets, code) {
  return recoveryCodeMac(secrets, digest(code.toUpperCase().replace(/[\s-]/g, "")));
}
function issueRecoveryCodes(ctx, db, userId) {
  const codes = makeRecoveryCodes((n) => ctx.entropy.bytes(n));
  stmt(db, "DELETE FROM recovery_codes WHERE user_id = ?").run(userId);
  const insert = stmt(db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)");
  for (const code of codes) insert.run(userId, recoveryCodeHash(ctx.secrets, code));
  return codes;
}

// main/db/migrations/011-recovery-codes-keyed-hash.ts
var recoveryCodesKeyedHash = {
  version: 11,
  name: "recovery-codes-keyed-hash",
  sql: "",
  run(db, env) {
    const rows = db.prepare("SELECT rowid, code_hash FROM recovery_codes").all();
    if (rows.length === 0) return;
    if (!env.secrets) throw new Error("Upgrading this database's recovery codes needs its data folder's key; open it with Steward.");
    const update = db.prepare("UPDATE recovery_codes SET code_hash = ? WHERE rowid = ?");
    for (const row of rows) update.run(recoveryCodeMac(env.secrets, row.code_hash), row.rowid);
  }
};

// main/db/migrations/index.ts
var MIGRATIONS = [
  foundation,
  treeAndAccess,
  team,
  auditTrail,
  roleHistory,
  devices,
  roleScopeKind,
  roleMeaning,
  jobAuthority,
  removedGroupPlaces,
  recoveryCodesKeyedHash
];
var SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
var DatabaseTooNewError = class extends Error {
  constructor(found, known) {
    super(
      `This data folder was written by a newer Steward (database schema ${found}; this version knows up to ${known}). Update Steward, or open a different data folder.`
    );
    this.found = found;
    this.known = known;
    this.name = "DatabaseTooNewError";
  }
  found;
  known;
};
function runMigrations(db, env = {}) {
  const current = db.pragma("user_version", { simple: true });
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(current, SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.sql);
      migration.run?.(db, env);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

// main/db/connection.ts
var REQUIRED_PRAGMAS = [
  ["journal_mode", "WAL", "wal"],
  ["synchronous", "FULL", 2],
  ["foreign_keys", "ON", 1]
];
function openDatabase(file, options = {}) {
  ensurePrivateFile(file);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    for (const [name, value] of REQUIRED_PRAGMAS) db.pragma(`${name} = ${value}`);
    tightenExisting([`${file}-wal`, `${file}-shm`, `${file}-journal`]);
    db.pragma("busy_timeout = 5000");
    assertPragmas(db);
    runMigrations(db, options.secrets ? { secrets: options.secrets } : {});
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
function readPragmas(db) {
  const out = {};
  for (const [name] of REQUIRED_PRAGMAS) out[name] = db.pragma(name, { simple: true });
  return out;
}
function assertPragmas(db) {
  const actual = readPragmas(db);
  for (const [name, , expect] of REQUIRED_PRAGMAS) {
    if (actual[name] !== expect) {
      throw new Error(`SQLite refused PRAGMA ${name}: wanted ${String(expect)}, got ${String(actual[name])}`);
    }
  }
}
function withRelaxedSync(db, fn) {
  db.pragma("synchronous = NORMAL");
  try {
    return fn();
  } finally {
    db.pragma("synchronous = FULL");
  }
}

// main/dispatch/dispatcher.ts
import { randomBytes } from "node:crypto";

// shared/contract/access.ts
import { z as z2 } from "zod";

// shared/contract/define.ts
function op() {
  return (spec) => spec;
}

// shared/contract/fields.ts
import { z } from "zod";
var PASSWORD_MIN = 12;
var PASSWORD_MAX = 256;
var username = z.string().trim().min(3, "Username must be at least 3 characters").max(64, "Username must be at most 64 characters").regex(/^[A-Za-z0-9._-]+$/, "Username may contain only letters, digits, dot, dash and underscore");
var email = z.string().trim().max(254, "Email must be at most 254 characters").pipe(z.email("Enter a valid email address"));
var fullName = z.string().trim().min(1, "Full name is required").max(200, "Full name must be at most 200 characters");
var groupName = z.string().trim().min(1, "Name is required").max(120, "Name must be at most 120 characters");
var newPassword = z.string().min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);
var password = z.string().min(1, "Password is required").max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);
var totpCode = z.string().trim().regex(/^\d{6}$/, "Code must be the 6 digits shown by your authenticator app");
var recoveryCode = z.string().trim().min(1, "Recovery code is required").max(32, "Recovery code is at most 32 characters");
var login = z.string().trim().min(1, "Username or email is required").max(254, "Username or email must be at most 254 characters");
var entityId = z.string().trim().min(1, "An id is required").max(64, "An id is at most 64 characters");
var optionalEmail = z.union([z.literal(""), email]);
var hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour is written #RRGGBB");
var isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date is written YYYY-MM-DD").refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Not a real date");
var LOGO_MAX_CHARS = 3e5;
var logoDataUrl = z.string().max(LOGO_MAX_CHARS, "The logo must be under about 220 KB").regex(/^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/, "The logo must be a PNG, JPEG, WebP or SVG image");

// shared/contract/access.ts
var TARGET_TYPES = ["group", "user", "role", "device"];
var target = z2.object({ type: z2.enum(TARGET_TYPES), id: entityId }).strict();
var permissionKey = z2.string().trim().min(1, "Permission is required").max(80);
var question = z2.object({ userId: entityId, permission: permissionKey, target }).strict();
var accessContract = {
  "access.decide": op()({ input: question, audience: ["active"], kind: "query", errors: ["NOT_FOUND", "FORBIDDEN"] }),
  "access.explain": op()({ input: question, audience: ["active"], kind: "query", errors: ["NOT_FOUND", "FORBIDDEN"] }),
  "access.whoCan": op()({
    input: z2.object({ permission: permissionKey, target }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  "access.effective": op()({
    input: z2.object({ userId: entityId, groupId: entityId }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  })
};

// shared/contract/access-mine.ts
import { z as z3 } from "zod";
var accessMineContract = {
  "access.mine": op()({ input: z3.object({}).strict(), audience: ["active"], kind: "query", errors: [] })
};

// shared/contract/audit.ts
import { z as z4 } from "zod";
var AUDIT_OUTCOMES = ["success", "denied"];
var auditFilter = z4.object({
  actorId: entityId.optional(),
  /** What this user did, or what was done to their account (a member's activity, seed 000). */
  memberId: entityId.optional(),
  /** An action name, or a prefix ending in '.', e.g. 'auth.' */
  action: z4.string().trim().max(80).optional(),
  /** Text in the target's name. */
  target: z4.string().trim().max(100).optional(),
  /** Events in this group's subtree. */
  groupId: entityId.optional(),
  /** Milliseconds since the epoch, inclusive. */
  from: z4.number().int().min(0).optional(),
  to: z4.number().int().min(0).optional(),
  outcome: z4.enum(AUDIT_OUTCOMES).optional()
}).strict();
var AUDIT_COUNT_CAP = 1e5;
var AUDIT_EXPORT_CAP = 1e5;
var auditContract = {
  "audit.list": op()({
    input: auditFilter.extend({ beforeSeq: z4.number().int().min(1).optional(), limit: z4.number().int().min(1).max(500).optional() }).strict(),
    audience: ["active"],
    kind: "query",
    errors: []
  }),
  "audit.export": op()({
    input: auditFilter.extend({ format: z4.enum(["csv", "jsonl"]) }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["CONFLICT", "FORBIDDEN"]
  }),
  "audit.verify": op()({ input: z4.object({}).strict(), audience: ["active"], kind: "query", errors: ["FORBIDDEN"] })
};

// shared/contract/auth.ts
import { z as z5 } from "zod";
var empty = z5.object({}).strict();
var authContract = {
  "auth.status": op()({ input: empty, audience: "public", kind: "query", errors: [] }),
  "auth.setup": op()({
    input: z5.object({
      rootGroupName: groupName,
      username,
      email,
      fullName,
      password: newPassword
    }).strict(),
    audience: "public",
    kind: "command",
    errors: ["SETUP_DONE", "WEAK_PASSWORD"]
  }),
  "auth.signIn": op()({
    input: z5.object({ login, password }).strict(),
    audience: "public",
    kind: "command",
    errors: ["SETUP_REQUIRED", "INVALID_CREDENTIALS", "THROTTLED", "FORBIDDEN"]
  }),
  "auth.verifyCode": op()({
    input: z5.object({ code: totpCode.optional(), recoveryCode: recoveryCode.optional() }).strict().refine((v) => v.code === void 0 !== (v.recoveryCode === void 0), {
      message: "Enter either the code from your authenticator app or one recovery code",
      path: ["code"]
    }),
    audience: ["mfa"],
    kind: "command",
    errors: ["INVALID_CODE", "CODE_REUSED", "THROTTLED"]
  }),
  "auth.beginEnrollment": op()({
    input: empty,
    /** At stage `active` this replaces the authenticator (profile page); confirming then needs the password. */
    audience: ["enroll", "active"],
    kind: "command",
    errors: []
  }),
  "auth.confirmEnrollment": op()({
    input: z5.object({ code: totpCode, currentPassword: password.optional() }).strict(),
    audience: ["enroll", "active"],
    kind: "command",
    errors: ["ENROLLMENT_NOT_STARTED", "INVALID_CODE", "THROTTLED"]
  }),
  "auth.regenerateRecoveryCodes": op()({
    input: z5.object({ code: totpCode }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["INVALID_CODE", "CODE_REUSED", "THROTTLED"]
  }),
  "auth.signOut": op()({
    input: empty,
    audience: ["enroll", "mfa", "active"],
    kind: "command",
    errors: []
  }),
  "auth.changePassword": op()({
    input: z5.object({ currentPassword: password, newPassword }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["INVALID_CREDENTIALS", "WEAK_PASSWORD", "THROTTLED"]
  })
};

// shared/contract/devices.ts
import { z as z6 } from "zod";
var DEVICE_KINDS = ["workstation", "server", "storage", "cloud_tenant"];
var DEVICE_STATUSES = ["ok", "warning", "failed", "offline", "never"];
var DEVICE_SORTS = ["name", "kind", "os", "status", "lastBackupAt", "group"];
var DEVICE_KIND_LABELS = {
  workstation: "Workstation",
  server: "Server",
  storage: "Storage",
  cloud_tenant: "Cloud tenant"
};
var DEVICE_STATUS_LABELS = {
  ok: "OK",
  warning: "Warning",
  failed: "Failed",
  offline: "Offline",
  never: "Never backed up"
};
var DIRECT_ASSIGN_MAX = 1e3;
var ASSIGN_MEMBERS_MAX = 50;
var BULK_IDS_MAX = 1e5;
var BULK_EXCEPT_MAX = 5e3;
var IMPORT_ROWS_MAX = 1e5;
var IMPORT_CHARS_MAX = 32 * 1024 * 1024;
var IMPORT_COLUMNS = ["name", "kind", "os", "status", "lastBackupAt", "group"];
var DEVICE_NAME_MAX = 120;
var DEVICE_OS_MAX = 80;
var deviceFilterSchema = z6.object({
  /** Case-insensitive substring of the device name. */
  text: z6.string().trim().max(120, "Search text must be at most 120 characters").optional(),
  kinds: z6.array(z6.enum(DEVICE_KINDS)).max(DEVICE_KINDS.length).optional(),
  /** Exact OS values, as devices.facets lists them. */
  os: z6.array(z6.string().max(DEVICE_OS_MAX)).max(100, "At most 100 OS values").optional(),
  statuses: z6.array(z6.enum(DEVICE_STATUSES)).max(DEVICE_STATUSES.length).optional(),
  /** Devices owned by this group or anywhere below it. */
  groupId: entityId.optional(),
  /** 'assigned' = at least one member holds it; 'unassigned' = nobody does. */
  assignment: z6.enum(["assigned", "unassigned", "any"]).optional(),
  /** Devices held by this member (the member page). The member must be visible to the caller, or be the caller. */
  assigneeId: entityId.optional()
}).strict();
var sortSchema = z6.object({ column: z6.enum(DEVICE_SORTS), direction: z6.enum(["asc", "desc"]) }).strict();
var windowSchema = z6.object({ offset: z6.number().int().min(0), limit: z6.number().int().min(1).max(500, "A window holds at most 500 rows") }).strict();
var bulkSelectionSchema = z6.union([
  z6.object({ deviceIds: z6.array(entityId).min(1, "Pick at least one device").max(BULK_IDS_MAX) }).strict(),
  // The exceptions' own limit is checked below: inside a union an oversized list reads only as "matches no form".
  z6.object({ filter: deviceFilterSchema, exceptIds: z6.array(entityId).max(BULK_IDS_MAX).optional() }).strict()
]).superRefine((selection, ctx) => {
  if ("filter" in selection && (selection.exceptIds?.length ?? 0) > BULK_EXCEPT_MAX)
    ctx.addIssue({
      code: "custom",
      path: ["exceptIds"],
      message: `At most ${BULK_EXCEPT_MAX.toLocaleString("en")} devices can be left out of "all matching"; narrow the filter instead`
    });
});
var bulkInput = z6.object({
  selection: bulkSelectionSchema,
  userIds: z6.array(entityId).min(1, "Pick at least one member").max(ASSIGN_MEMBERS_MAX, `At most ${ASSIGN_MEMBERS_MAX} members at once`),
  action: z6.enum(["assign", "unassign"])
}).strict();
var directAssign = z6.object({
  deviceIds: z6.array(entityId).min(1, "Pick at least one device").max(DIRECT_ASSIGN_MAX, `At most ${DIRECT_ASSIGN_MAX} devices at once; use a bulk job for more`),
  userIds: z6.array(entityId).min(1, "Pick at least one member").max(ASSIGN_MEMBERS_MAX, `At most ${ASSIGN_MEMBERS_MAX} members at once`)
}).strict();
var jobId = z6.object({ jobId: entityId }).strict();
var devicesContract = {
  /** The grid: one window of the filtered, sorted devices the caller may see, and the total count. Needs devices.view somewhere. */
  "devices.list": op()({
    input: z6.object({
      filter: deviceFilterSchema.optional(),
      sort: sortSchema.optional(),
      window: windowSchema.optional()
    }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND"]
  }),
  /** Values for the filter menus, with counts of visible devices. */
  "devices.facets": op()({
    input: z6.object({ groupId: entityId.optional() }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND"]
  }),
  /** One device and its assignees (the device page). NOT_FOUND when it does not exist or the caller may not see it. */
  "devices.get": op()({
    input: z6.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND"]
  }),
  /**
   * CSV (header row of IMPORT_COLUMNS; lastBackupAt ISO 8601 or empty; group as its id or its path of names
   * joined by " / ", a unique tail of the path is enough) or JSON (an array of objects with those keys).
   * Needs devices.manage on each row's group. Always answers with a report; changes nothing on a dry run, or
   * when mode is all-or-nothing and any row was refused.
   */
  "devices.import": op()({
    input: z6.object({
      format: z6.enum(["csv", "json"]),
      content: z6.string().max(IMPORT_CHARS_MAX, `The file must be at most ${IMPORT_CHARS_MAX / 1024 / 1024} MiB`),
      mode: z6.enum(["all-or-nothing", "good-rows"]),
      dryRun: z6.boolean().optional(),
      /** Rows without a group column (or with it empty) go here. */
      defaultGroupId: entityId.optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  /** The visible devices matching a filter, in the import's CSV or JSON format (audited). */
  "devices.export": op()({
    input: z6.object({ filter: deviceFilterSchema.optional(), format: z6.enum(["csv", "json"]) }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND"]
  }),
  /** Assigns each device to each member, all or nothing: any refused pair refuses the call (FORBIDDEN, naming it). */
  "devices.assign": op()({
    input: directAssign,
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  "devices.unassign": op()({
    input: directAssign,
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  /** The dry run of a bulk job: what would change, what is already so, what is refused and why. Writes nothing. */
  "devices.bulkPlan": op()({ input: bulkInput, audience: ["active"], kind: "query", errors: ["NOT_FOUND", "FORBIDDEN"] }),
  /**
   * Starts a bulk job (re-planned now; every pair is checked again as it is applied). Answers at once;
   * follow it with devices.jobGet. One audit event per job, carrying its id and planned counts.
   */
  "devices.bulkAssign": op()({ input: bulkInput, audience: ["active"], kind: "command", errors: ["NOT_FOUND", "FORBIDDEN"] }),
  /** A job's state and counts. Jobs are visible to their starter and to whoever may assign every device at the starter's home group. */
  "devices.jobGet": op()({ input: jobId, audience: ["active"], kind: "query", errors: ["NOT_FOUND"] }),
  /** The per-device result list, in processing order, windowed. */
  "devices.jobResults": op()({
    input: z6.object({
      jobId: entityId,
      status: z6.enum(["changed", "unchanged", "refused"]).optional(),
      window: windowSchema.optional()
    }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND"]
  }),
  /** Stops a queued or running job after the current chunk; devices already processed stay processed (undo them with jobUndo). */
  "devices.jobCancel": op()({ input: jobId, audience: ["active"], kind: "command", errors: ["NOT_FOUND", "CONFLICT"] }),
  /**
   * Reverses exactly the pairs the job changed (assigned pairs are removed, unassigned pairs restored), as a
   * background rollback; later changes made by others are kept. Only for done or cancelled jobs, once.
   */
  "devices.jobUndo": op()({ input: jobId, audience: ["active"], kind: "command", errors: ["NOT_FOUND", "CONFLICT", "FORBIDDEN"] }),
  /** Recent jobs the caller may see, newest first. */
  "devices.jobs": op()({
    input: z6.object({ limit: z6.number().int().min(1).max(100).optional() }).strict(),
    audience: ["active"],
    kind: "query",
    errors: []
  })
};

// shared/contract/groups.ts
import { z as z7 } from "zod";

// shared/access/groups.ts
var GROUP_KINDS = ["provider", "distributor", "sub_distributor", "reseller", "customer", "location", "department"];
var KIND_LABELS = {
  provider: "Provider",
  distributor: "Distributor",
  sub_distributor: "Sub-distributor",
  reseller: "Reseller",
  customer: "Customer",
  location: "Location",
  department: "Department"
};
var COMPANY_RANK = { provider: 0, distributor: 1, sub_distributor: 2, reseller: 3, customer: 4 };
function isCompanyKind(kind2) {
  return COMPANY_RANK[kind2] !== void 0;
}
function nestingProblem(parent, child) {
  if (child === "provider") return "There is exactly one provider group, the root";
  const parentRank = COMPANY_RANK[parent];
  const childRank = COMPANY_RANK[child];
  if (childRank !== void 0) {
    if (parentRank === void 0) return `A ${KIND_LABELS[child].toLowerCase()} cannot sit inside a ${KIND_LABELS[parent].toLowerCase()}`;
    if (childRank <= parentRank)
      return `A ${KIND_LABELS[child].toLowerCase()} cannot sit inside a ${KIND_LABELS[parent].toLowerCase()}: companies nest distributor, sub-distributor, reseller, customer`;
    return null;
  }
  if (child === "location") return parent === "customer" ? null : "A location sits directly inside a customer";
  return parent === "customer" || parent === "location" ? null : "A department sits inside a customer or one of its locations";
}
function allowedChildKinds(parent) {
  return GROUP_KINDS.filter((kind2) => nestingProblem(parent, kind2) === null);
}

// shared/contract/groups.ts
var kind = z7.enum(GROUP_KINDS, { error: `Kind must be one of: ${GROUP_KINDS.join(", ")}` });
var text = (max, label) => z7.string().trim().max(max, `${label} must be at most ${max} characters`);
var profileSchema = z7.object({
  address: text(500, "Address"),
  website: z7.union([z7.literal(""), z7.url({ protocol: /^https?$/, error: "Website must be an http(s) address" }).max(200)]),
  billingName: text(200, "Billing contact"),
  billingEmail: optionalEmail,
  billingPhone: text(40, "Billing phone")
}).strict();
var contactSchema = z7.object({
  name: z7.string().trim().min(1, "Name is required").max(200, "Name must be at most 200 characters"),
  role: text(120, "Role"),
  email: optionalEmail,
  phone: text(40, "Phone")
}).strict();
var ACTIVITY_KINDS = ["call", "meeting", "email", "visit", "note"];
var activitySchema = z7.object({
  date: isoDate,
  kind: z7.enum(ACTIVITY_KINDS),
  subject: z7.string().trim().min(1, "Subject is required").max(200, "Subject must be at most 200 characters"),
  notes: text(2e3, "Notes")
}).strict();
var brandingSchema = z7.object({
  productName: text(60, "Product name"),
  logo: logoDataUrl.nullable(),
  primaryColor: hexColor.nullable(),
  accentColor: hexColor.nullable()
}).strict();
var BILLING_FIELDS = ["billingName", "billingEmail", "billingPhone"];
var seatLimit = z7.number().int("Seat limit must be a whole number").min(0, "Seat limit cannot be negative").max(1e6).nullable();
var groupsContract = {
  "groups.tree": op()({ input: z7.object({}).strict(), audience: ["active"], kind: "query", errors: [] }),
  "groups.get": op()({
    input: z7.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND"]
  }),
  /**
   * R11: a company may be created with its Owner invitation (`owner.email`), which carries
   * the Owner role for that company alone; only an Owner of a company above may send it.
   */
  "groups.create": op()({
    input: z7.object({
      parentId: entityId,
      kind,
      name: groupName,
      serviceType: text(60, "Service type").optional(),
      seatLimit: seatLimit.optional(),
      owner: z7.object({ email }).strict().optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "groups.update": op()({
    input: z7.object({
      id: entityId,
      name: groupName.optional(),
      kind: kind.optional(),
      serviceType: text(60, "Service type").optional(),
      seatLimit: seatLimit.optional(),
      // The billing fields may be left out, and are then kept: an editor without billing.view never sees them.
      profile: profileSchema.partial({ billingName: true, billingEmail: true, billingPhone: true }).optional(),
      contacts: z7.array(contactSchema).max(100, "At most 100 contacts").optional(),
      activities: z7.array(activitySchema).max(1e3, "At most 1000 activities").optional(),
      branding: brandingSchema.optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "groups.move": op()({
    input: z7.object({ id: entityId, parentId: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "groups.remove": op()({
    input: z7.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  })
};

// shared/contract/hygiene.ts
import { z as z8 } from "zod";
var DORMANT_DAYS = 90;
var hygieneContract = {
  "access.hygiene": op()({ input: z8.object({}).strict(), audience: ["active"], kind: "query", errors: [] })
};

// shared/contract/invitations.ts
import { z as z9 } from "zod";
var token = z9.string().trim().min(16, "This invitation link is not complete").max(128, "This invitation link is not valid");
var invitationsContract = {
  "invitations.list": op()({
    input: z9.object({ status: z9.enum(["pending", "accepted", "revoked", "expired"]).optional() }).strict(),
    audience: ["active"],
    kind: "query",
    errors: []
  }),
  "invitations.create": op()({
    input: z9.object({
      email,
      roleId: entityId,
      groupId: entityId,
      kind: z9.enum(["member", "external"]).optional(),
      /** Seed 004: external users agree to the terms on behalf of the organization. */
      acceptTerms: z9.literal(true, { error: "Agree to the terms and conditions to invite an external user" }).optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "invitations.resend": op()({
    input: z9.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "invitations.revoke": op()({
    input: z9.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "invitations.preview": op()({
    input: z9.object({ token }).strict(),
    audience: "public",
    kind: "query",
    errors: ["NOT_FOUND", "CONFLICT"]
  }),
  "invitations.accept": op()({
    input: z9.object({ token, username, fullName, password: newPassword }).strict(),
    audience: "public",
    kind: "command",
    errors: ["NOT_FOUND", "CONFLICT", "FORBIDDEN", "WEAK_PASSWORD"]
  })
};

// shared/contract/roles.ts
import { z as z10 } from "zod";
var roleName = z10.string().trim().min(1, "Name is required").max(80, "Name must be at most 80 characters");
var description = z10.string().trim().max(500, "Description must be at most 500 characters");
var permissions = z10.array(z10.string().trim().min(1).max(80)).max(500, "At most 500 permissions");
var visibility = z10.enum(["scope", "assigned"]);
var scopeKind = z10.enum(["location", "department"], "Scope kind must be location or department, or null for any group").nullable();
var rolesContract = {
  "roles.list": op()({ input: z10.object({}).strict(), audience: ["active"], kind: "query", errors: [] }),
  "roles.get": op()({ input: z10.object({ id: entityId }).strict(), audience: ["active"], kind: "query", errors: ["NOT_FOUND"] }),
  "roles.templates": op()({ input: z10.object({}).strict(), audience: ["active"], kind: "query", errors: [] }),
  "roles.create": op()({
    input: z10.object({
      ownerGroupId: entityId,
      name: roleName,
      description: description.optional(),
      deviceVisibility: visibility,
      permissions,
      scopeKind: scopeKind.optional(),
      meaning: z10.enum(["owner", "admin"], "Meaning must be owner or admin").optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "roles.update": op()({
    input: z10.object({
      id: entityId,
      name: roleName.optional(),
      description: description.optional(),
      deviceVisibility: visibility.optional(),
      permissions: permissions.optional(),
      scopeKind: scopeKind.optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT", "VALIDATION"]
  }),
  /** Saves an earlier version's content as the newest version, through the same guard as roles.update. */
  "roles.revert": op()({
    input: z10.object({ id: entityId, version: z10.number().int("Version must be a whole number").min(1, "Version must be 1 or more") }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "roles.preview": op()({
    input: z10.object({ id: entityId, permissions }).strict(),
    audience: ["active"],
    kind: "query",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  "roles.remove": op()({
    input: z10.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  })
};

// shared/contract/settings.ts
import { z as z11 } from "zod";

// shared/contract/smtp-password.ts
function smtpPasswordRetypeReason(stored, next) {
  if (!stored?.hasPassword) return null;
  const changed = [
    next.host.trim().toLowerCase() !== stored.host.trim().toLowerCase() ? "host" : null,
    next.port !== stored.port ? "port" : null,
    next.username !== stored.username ? "username" : null
  ].filter((c) => c !== null);
  if (changed.length > 0) {
    const list = changed.length > 1 ? `${changed.slice(0, -1).join(", ")} and ${changed.at(-1) ?? ""}` : changed[0] ?? "";
    return `Type the SMTP password again to change the ${list}: the stored password is only sent to the server and account it was given for`;
  }
  if (next.allowWithoutTls && !stored.allowWithoutTls)
    return "Type the SMTP password again to allow sending without TLS: the stored password could then cross the network unencrypted";
  return null;
}

// shared/contract/settings.ts
var smtpInput = z11.object({
  host: z11.string().trim().min(1, "Host is required").max(253),
  port: z11.number().int().min(1).max(65535),
  secure: z11.boolean(),
  username: z11.string().max(254),
  /**
   * Omit to keep the stored password; '' clears it. Required again when host, port or
   * username change or sending without TLS is turned on (see smtpPasswordRetypeReason).
   */
  password: z11.string().max(512).optional(),
  from: email,
  /** Omitted means false: TLS is required. */
  allowWithoutTls: z11.boolean().optional()
}).strict();
var settingsContract = {
  "settings.get": op()({ input: z11.object({}).strict(), audience: ["active"], kind: "query", errors: ["FORBIDDEN"] }),
  "settings.update": op()({
    input: z11.object({
      idleTimeoutMinutes: z11.number().int().min(1).max(24 * 60).optional(),
      invitationExpiryHours: z11.number().int().min(1).max(24 * 30).optional(),
      auditRetentionDays: z11.number().int().min(30, "Keep audit events at least 30 days").max(36500).nullable().optional(),
      smtp: smtpInput.nullable().optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["FORBIDDEN", "VALIDATION"]
  })
};

// shared/contract/team.ts
import { z as z13 } from "zod";

// shared/contract/users.ts
import { z as z12 } from "zod";
var NOTIFICATION_TOPICS = ["backupFailures", "weeklyReport", "securityAlerts", "invitations"];
var USER_SORTS = ["username", "fullName", "email", "company", "kind", "status", "lastSignInAt", "homeGroupName"];
var bindingInput = z12.object({ roleId: entityId, groupId: entityId }).strict();
var bindings = z12.array(bindingInput).max(200, "At most 200 role bindings per user");
var usersContract = {
  "users.list": op()({
    input: z12.object({
      query: z12.string().trim().max(100).optional(),
      status: z12.enum(["active", "disabled"]).optional(),
      kind: z12.enum(["member", "external"]).optional(),
      mfa: z12.enum(["enrolled", "not_enrolled", "reset_pending"]).optional(),
      roleId: entityId.optional(),
      /** Users homed in this group's subtree. */
      groupId: entityId.optional(),
      sort: z12.enum(USER_SORTS).optional(),
      descending: z12.boolean().optional(),
      offset: z12.number().int().min(0).optional(),
      limit: z12.number().int().min(1).max(500).optional()
    }).strict(),
    audience: ["active"],
    kind: "query",
    errors: []
  }),
  "users.setRoles": op()({
    input: z12.object({ userId: entityId, bindings }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT", "VALIDATION"]
  }),
  /** Replaces the user's department memberships (seed 004: "You can assign multiple departments to a user"). */
  "users.setDepartments": op()({
    input: z12.object({ userId: entityId, departmentIds: z12.array(entityId).max(200, "At most 200 departments per user") }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "VALIDATION"]
  })
};

// shared/contract/team.ts
var company = z13.string().trim().max(200, "Company must be at most 200 characters");
var bindings2 = z13.array(z13.object({ roleId: entityId, groupId: entityId }).strict()).max(200, "At most 200 role bindings per user");
var teamContract = {
  "users.get": op()({ input: z13.object({ id: entityId }).strict(), audience: ["active"], kind: "query", errors: ["NOT_FOUND"] }),
  "users.create": op()({
    input: z13.object({
      username,
      email,
      fullName: fullName.optional(),
      company: company.optional(),
      homeGroupId: entityId,
      kind: z13.enum(["member", "external"]).optional(),
      bindings: bindings2,
      /** Devices (servers, storages) the user is limited to, by assignment (seed 002). */
      deviceIds: z13.array(entityId).max(1e4).optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "users.update": op()({
    input: z13.object({
      id: entityId,
      username: username.optional(),
      email: email.optional(),
      fullName: fullName.optional(),
      company: company.optional()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"]
  }),
  "users.setStatus": op()({
    input: z13.object({ id: entityId, status: z13.enum(["active", "disabled"]) }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  "users.resetPassword": op()({
    input: z13.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  "users.resetMfa": op()({
    input: z13.object({ id: entityId }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN"]
  }),
  "users.remove": op()({
    input: z13.object({ id: entityId, reassignDevicesTo: entityId.optional() }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT", "VALIDATION"]
  }),
  "users.updatePreferences": op()({
    input: z13.object({
      notifications: z13.object(
        Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, z13.boolean()]))
      ).strict()
    }).strict(),
    audience: ["active"],
    kind: "command",
    errors: []
  }),
  "ownership.transfer": op()({
    input: z13.object({ companyId: entityId, toUserId: entityId, code: totpCode }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT", "INVALID_CODE", "CODE_REUSED", "THROTTLED"]
  }),
  /**
   * R10: an Owner of a company above gives a company its Owner, or replaces it, confirmed
   * with a fresh authenticator code; the previous Owner (if any) becomes its Admin.
   */
  "ownership.assign": op()({
    input: z13.object({ companyId: entityId, toUserId: entityId, code: totpCode }).strict(),
    audience: ["active"],
    kind: "command",
    errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT", "INVALID_CODE", "CODE_REUSED", "THROTTLED"]
  })
};

// shared/contract/index.ts
var contract = {
  ...authContract,
  ...groupsContract,
  ...usersContract,
  ...rolesContract,
  ...accessContract,
  ...accessMineContract,
  ...teamContract,
  ...invitationsContract,
  ...settingsContract,
  ...auditContract,
  ...hygieneContract,
  ...devicesContract
};
function isOperationName(name) {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

// main/features/audit/audit-log.ts
import { createHash as createHash2 } from "node:crypto";
var GENESIS_HASH = "0".repeat(64);
function hashRow(row) {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor_name,
    row.client,
    row.action,
    row.target_type,
    row.target_id,
    row.target_name,
    row.group_id,
    row.before,
    row.after,
    row.outcome,
    row.error_code,
    row.prev_hash
  ]);
  return createHash2("sha256").update(canonical).digest("hex");
}
var AuditLog = class {
  constructor(db) {
    this.db = db;
    this.lastStmt = db.prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
    this.insertStmt = db.prepare(
      `INSERT INTO audit_events (seq, at, actor_id, actor_name, client, action, target_type, target_id, target_name,
         group_id, before, after, outcome, error_code, prev_hash, hash)
       VALUES (@seq, @at, @actor_id, @actor_name, @client, @action, @target_type, @target_id, @target_name,
         @group_id, @before, @after, @outcome, @error_code, @prev_hash, @hash)`
    );
  }
  db;
  lastStmt;
  insertStmt;
  append(event) {
    if (!this.db.inTransaction) throw new Error("Audit events are written inside the command transaction");
    const last = this.lastStmt.get();
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: event.at,
      actor_id: event.actor?.userId ?? null,
      actor_name: event.actor?.username ?? null,
      client: event.client,
      action: event.action,
      target_type: event.target?.type ?? null,
      target_id: event.target?.id ?? null,
      target_name: event.target?.name ?? null,
      group_id: event.groupId ?? null,
      before: event.before ? JSON.stringify(event.before) : null,
      after: event.after ? JSON.stringify(event.after) : null,
      outcome: event.outcome,
      error_code: event.errorCode ?? null,
      prev_hash: last?.hash ?? GENESIS_HASH
    };
    this.insertStmt.run({ ...row, hash: hashRow(row) });
    return row.seq;
  }
  /**
   * Walks the chain from the oldest kept event (or the anchor left by pruning) and names
   * the first event whose stored hash or link does not match.
   */
  verify() {
    const anchor = this.db.prepare(
      "SELECT through_seq, anchor_hash FROM audit_prunes ORDER BY through_seq DESC LIMIT 1"
    ).get();
    let prev = anchor?.anchor_hash ?? GENESIS_HASH;
    let checked = 0;
    for (const row of this.db.prepare("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq").iterate(anchor?.through_seq ?? 0)) {
      checked++;
      if (row.prev_hash !== prev)
        return {
          checked,
          broken: { seq: row.seq, reason: "its link to the previous event is broken (an event before it was removed or changed)" },
          prunedThrough: anchor?.through_seq ?? null
        };
      const { hash, ...rest } = row;
      if (hashRow(rest) !== hash)
        return {
          checked,
          broken: { seq: row.seq, reason: "its contents were changed after it was written" },
          prunedThrough: anchor?.through_seq ?? null
        };
      prev = hash;
    }
    return { checked, broken: null, prunedThrough: anchor?.through_seq ?? null };
  }
  /** Retention: removes events older than `cutoff`, anchoring the chain at the last one removed. Returns how many. */
  prune(cutoff, now) {
    const last = this.db.prepare("SELECT seq, hash FROM audit_events WHERE at < ? ORDER BY seq DESC LIMIT 1").get(cutoff);
    if (!last) return 0;
    this.db.prepare("INSERT INTO audit_prunes (through_seq, anchor_hash, at) VALUES (?, ?, ?)").run(last.seq, last.hash, now);
    return this.db.prepare("DELETE FROM audit_events WHERE seq <= ?").run(last.seq).changes;
  }
};

// main/features/settings/settings.ts
import { z as z14 } from "zod";
var smtp = z14.object({
  host: z14.string(),
  port: z14.number().int(),
  secure: z14.boolean(),
  username: z14.string(),
  /** Sealed with the data folder's key, base64; never returned to a client. */
  passwordSealed: z14.string().nullable(),
  from: z14.string(),
  /** Absent in values stored before the option existed: those now require TLS too. */
  allowWithoutTls: z14.boolean().default(false)
}).nullable();
var SETTINGS = {
  "session.idleTimeoutMinutes": z14.number().int().min(1).max(24 * 60).default(15),
  "session.absoluteTimeoutHours": z14.number().int().min(1).max(24 * 30).default(12),
  "invitations.expiryHours": z14.number().int().min(1).max(24 * 30).default(24),
  "audit.retentionDays": z14.number().int().min(30).max(36500).nullable().default(null),
  smtp: smtp.default(null)
};
var cache = /* @__PURE__ */ new WeakMap();
function readSetting(db, key2) {
  let values = cache.get(db);
  if (!values) {
    values = /* @__PURE__ */ new Map();
    cache.set(db, values);
  }
  if (values.has(key2)) return values.get(key2);
  const row = stmt(db, "SELECT value FROM settings WHERE key = ?").get(key2);
  const schema = SETTINGS[key2];
  const parsed = schema.safeParse(row ? JSON.parse(row.value) : void 0);
  const value = parsed.success ? parsed.data : schema.parse(void 0);
  values.set(key2, value);
  return value;
}
function writeSetting(db, key2, value) {
  const checked = SETTINGS[key2].parse(value);
  stmt(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    key2,
    JSON.stringify(checked)
  );
  cache.get(db)?.delete(key2);
}

// main/log.ts
var log = {
  info(message) {
    process.stderr.write(`[steward] ${message}
`);
  },
  error(message, error) {
    const detail2 = error instanceof Error ? `
${error.stack ?? error.message}` : "";
    process.stderr.write(`[steward] ERROR ${message}${detail2}
`);
  }
};

// main/dispatch/errors.ts
var OpError = class extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    this.extra = extra;
    this.name = "OpError";
  }
  code;
  extra;
  toApiError() {
    return { code: this.code, message: this.message, ...this.extra };
  }
};
function refuse(code, message, extra = {}) {
  return { refusal: { code, message, ...extra } };
}
function isRefusal(value) {
  return typeof value === "object" && value !== null && "refusal" in value;
}

// main/dispatch/validation.ts
function validationError(error) {
  const issues = error.issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    message: describeIssue(issue)
  }));
  const first = issues[0];
  const where = first?.field ? `${first.field}: ` : "";
  return {
    code: "VALIDATION",
    message: first ? `${where}${first.message}` : "The input is not valid",
    ...first?.field ? { field: first.field } : {},
    issues
  };
}
function describeIssue(issue) {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === void 0 ? "This field is required" : `Expected ${issue.expected}`;
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
    case "invalid_union":
      return "The input matches none of the accepted forms";
    default:
      return issue.message;
  }
}

// main/dispatch/dispatcher.ts
var TOUCH_EVERY_MS = 15e3;
var REFUSAL_FLUSH_MS = 25;
var Dispatcher = class {
  constructor(services, registry, sessions, authorizer) {
    this.services = services;
    this.registry = registry;
    this.sessions = sessions;
    this.authorizer = authorizer;
    registry.assertComplete();
    this.audit = new AuditLog(services.db);
  }
  services;
  registry;
  sessions;
  authorizer;
  audit;
  commandEndHooks = [];
  /** Runs after every command, committed or rolled back: caches of what commands may change drop here. */
  onCommandEnd(hook) {
    this.commandEndHooks.push(hook);
  }
  async dispatch(name, rawInput, meta) {
    const reached = { handler: false };
    try {
      return await this.dispatchKnown(name, rawInput, meta, reached);
    } catch (error) {
      return { result: { ok: false, error: internalError(name, error) } };
    } finally {
      if (reached.handler && isOperationName(name) && contract[name].kind === "command") for (const hook of this.commandEndHooks) hook();
    }
  }
  async dispatchKnown(name, rawInput, meta, reached) {
    if (!isOperationName(name)) {
      return failure({ code: "UNKNOWN_OPERATION", message: `There is no operation named "${name.slice(0, 80)}"` });
    }
    const spec = contract[name];
    const registered = this.registry.get(name);
    if (!registered) return failure({ code: "UNKNOWN_OPERATION", message: `Operation "${name}" is not available` });
    const auth = this.authenticate(meta.token);
    const endedSession = auth.ended ? { kind: "clear" } : void 0;
    if (spec.audience !== "public") {
      if (!auth.actor) {
        return auth.ended ? failure(sessionEndedError(auth.ended, this.idleMinutes()), endedSession) : failure({ code: "UNAUTHENTICATED", message: "Sign in first" });
      }
      if (!spec.audience.includes(auth.actor.stage)) return failure(wrongStage(auth.actor.stage));
    }
    if (registered.access.kind !== "public" && !auth.actor) return failure({ code: "UNAUTHENTICATED", message: "Sign in first" });
    const parsed = spec.input.safeParse(rawInput === void 0 ? {} : rawInput, { reportInput: true });
    if (!parsed.success) return failure(validationError(parsed.error), endedSession);
    const details = {};
    let sessionChange = endedSession;
    const isCommand = spec.kind === "command";
    const ctx = {
      ...this.services,
      actor: auth.actor,
      client: meta.client,
      source: meta.source ?? "local",
      origin: meta.origin ?? null,
      audit: (more) => {
        if (!isCommand) throw new Error(`Query "${name}" tried to write an audit event`);
        Object.assign(details, more);
      },
      setSession: (change) => {
        if (!isCommand) throw new Error(`Query "${name}" tried to change the session`);
        sessionChange = change;
      }
    };
    if (auth.actor && registered.access.kind !== "public") {
      const verdict = this.authorizer.authorize(auth.actor, registered.access, parsed.data);
      if (!verdict.ok) {
        if (isCommand) {
          if (verdict.target) details.target = verdict.target;
          this.recordRefusal(name, ctx, details, verdict.error);
        }
        return failure(verdict.error, endedSession);
      }
    }
    reached.handler = true;
    let prepared;
    try {
      prepared = registered.prepare ? await registered.prepare(ctx, parsed.data) : void 0;
    } catch (error) {
      if (error instanceof OpError) return failure(error.toApiError(), endedSession);
      throw error;
    }
    try {
      const outcome = this.transaction(isCommand, () => {
        const value2 = registered.run(ctx, parsed.data, prepared);
        if (isCommand) this.writeAudit(name, ctx, details, isRefusal(value2) ? value2.refusal : null);
        return value2;
      });
      if (isRefusal(outcome)) return failure(outcome.refusal, sessionChange);
      const value = registered.after ? await this.afterCommit(name, registered.after, ctx, outcome) : outcome;
      return { result: { ok: true, value }, ...sessionChange ? { session: sessionChange } : {} };
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      const apiError = error.toApiError();
      if (isCommand) this.recordRefusal(name, ctx, details, apiError);
      return failure(apiError, endedSession);
    }
  }
  async afterCommit(name, after, ctx, output) {
    try {
      return await after(ctx, output);
    } catch (error) {
      log.error(`after-commit step of ${name} failed; the change stands`, error);
      return output;
    }
  }
  pendingRefusals = [];
  refusalTimer = null;
  /**
   * A refused command's audit event (R12). Refusals changed nothing, so their events are
   * written together: within REFUSAL_FLUSH_MS, or before the next transaction of any call,
   * so the trail keeps the order in which things happened. A flood of refused calls then
   * costs one commit per batch instead of one each, and cannot slow everyone else down.
   * A crash can lose at most the events of the last REFUSAL_FLUSH_MS.
   */
  recordRefusal(name, ctx, details, error) {
    this.pendingRefusals.push({ name, ctx, details, error, at: ctx.clock.now() });
    if (!this.refusalTimer) {
      this.refusalTimer = setTimeout(() => this.flushRefusals(), REFUSAL_FLUSH_MS);
      this.refusalTimer.unref();
    }
  }
  /** Writes the pending refusals' audit events in one transaction that does not wait for the disk. */
  flushRefusals() {
    if (this.refusalTimer) clearTimeout(this.refusalTimer);
    this.refusalTimer = null;
    if (this.pendingRefusals.length === 0) return;
    const batch = this.pendingRefusals.splice(0);
    withRelaxedSync(
      this.services.db,
      () => this.services.db.transaction(() => batch.forEach((r) => this.writeAudit(r.name, r.ctx, r.details, r.error, r.at))).immediate()
    );
  }
  transaction(write, fn) {
    this.flushRefusals();
    const tx = this.services.db.transaction(fn);
    return write ? tx.immediate() : tx.deferred();
  }
  writeAudit(name, ctx, details, error, at = ctx.clock.now()) {
    const homeOf = (userId) => userId ? stmt(this.services.db, "SELECT home_group_id FROM users WHERE id = ?").get(userId)?.home_group_id : void 0;
    const groupId = details.groupId ?? homeOf(details.target?.type === "user" ? details.target.id : void 0) ?? homeOf(ctx.actor?.userId) ?? stmt(this.services.db, "SELECT id FROM groups WHERE kind = 'provider'").get()?.id;
    this.audit.append({
      ...details,
      ...groupId ? { groupId } : {},
      at,
      actor: ctx.actor,
      client: ctx.client,
      action: details.action ?? name,
      outcome: error ? "denied" : "success",
      ...error ? { errorCode: error.code } : {}
    });
  }
  /**
   * Whether `token` belongs to a fully signed-in session right now, without touching it:
   * transports ask before accepting a large body, so no one buffers megabytes unsigned.
   */
  isSignedIn(token2) {
    const row = token2 ? this.sessions.find(token2) : void 0;
    if (!row || row.stage !== "active") return false;
    return this.services.clock.now() - row.last_seen_at <= this.idleMinutes() * 6e4;
  }
  idleMinutes() {
    return readSetting(this.services.db, "session.idleTimeoutMinutes");
  }
  authenticate(token2) {
    if (!token2) return { actor: null, ended: null };
    const row = this.sessions.find(token2);
    if (!row) return { actor: null, ended: "expired" };
    const now = this.services.clock.now();
    const idleMs = this.idleMinutes() * 6e4;
    const absoluteMs = readSetting(this.services.db, "session.absoluteTimeoutHours") * 36e5;
    const ended = now - row.created_at > absoluteMs ? "expired" : now - row.last_seen_at > idleMs ? "idle" : null;
    if (ended) {
      this.sessions.delete(row.id);
      return { actor: null, ended };
    }
    if (now - row.last_seen_at > TOUCH_EVERY_MS) this.sessions.touch(row.id, now);
    const user = stmt(
      this.services.db,
      "SELECT username, status FROM users WHERE id = ?"
    ).get(row.user_id);
    if (!user || user.status !== "active") {
      this.sessions.delete(row.id);
      return { actor: null, ended: "expired" };
    }
    return { actor: { userId: row.user_id, username: user.username, sessionId: row.id, stage: row.stage }, ended: null };
  }
};
function failure(error, session) {
  return { result: { ok: false, error }, ...session ? { session } : {} };
}
function sessionEndedError(ended, idleMinutes) {
  return ended === "idle" ? { code: "SESSION_EXPIRED", message: `Your session locked after ${idleMinutes} minutes without activity. Sign in again.` } : { code: "SESSION_EXPIRED", message: "Your session has ended. Sign in again." };
}
function wrongStage(stage) {
  const message = stage === "enroll" ? "Set up your authenticator app first" : stage === "mfa" ? "Enter the code from your authenticator app first" : "You are already signed in";
  return { code: "WRONG_STAGE", message };
}
function internalError(name, error) {
  const ref = randomBytes(4).toString("hex");
  log.error(`internal error in ${name.slice(0, 80)} (ref ${ref})`, error);
  return { code: "INTERNAL", message: `Something went wrong inside Steward and nothing was changed (reference ${ref}).` };
}

// shared/access/escalation.ts
function escalationGaps(actorBindings, grant, scope) {
  const onPath = actorBindings.filter((b) => scope.path.includes(b.groupId));
  const gaps = [];
  for (const key2 of grant.permissions) {
    const holders = onPath.filter((b) => b.role.permissions.has(key2));
    if (holders.length === 0) gaps.push(key2);
    else if (grant.deviceVisibility === "scope" && key2.startsWith("devices.") && !holders.some((b) => b.role.deviceVisibility === "scope")) {
      gaps.push(`${key2} (for every device, not only assigned ones)`);
    }
  }
  return gaps;
}

// shared/access/dominance.ts
function dominanceGaps(actorBindings, personBindings, within) {
  const gaps = [];
  for (const binding of personBindings) {
    if (within && !within.includes(binding.groupId)) continue;
    const missing = escalationGaps(actorBindings, binding.role, { path: binding.path });
    if (missing.length > 0) gaps.push({ groupId: binding.groupId, roleName: binding.role.name, missing });
  }
  return gaps;
}
function dominates(actorBindings, personBindings, within) {
  return dominanceGaps(actorBindings, personBindings, within).length === 0;
}

// shared/access/catalog.ts
var CONSOLE_KEYS = /* @__PURE__ */ new Set([
  "groups.view",
  "groups.manage",
  "locations.manage",
  "company.view",
  "company.manage",
  "users.view",
  "users.create",
  "users.edit",
  "users.delete",
  "roles.view",
  "roles.create",
  "roles.edit",
  "roles.delete",
  "settings.view",
  "settings.manage",
  "billing.view",
  "billing.manage",
  "ownership.transfer",
  "devices.view",
  "devices.manage",
  "devices.assign",
  "audit.view",
  "audit.export"
]);
var AREAS = {
  dashboard: "Dashboard",
  monitoring: "Monitoring",
  groups: "Customer groups",
  locations: "Locations",
  company: "Company info and branding",
  users: "Portal users",
  roles: "Roles",
  policies: "Backup policies",
  alarmSettings: "Alarm settings",
  plugins: "Plugin library",
  settings: "Account settings",
  billing: "Invoices and billing",
  ownership: "Ownership",
  devices: "Managed computers",
  deployment: "Automatic deployment",
  discovery: "Discovery rules",
  agents: "Backup agents",
  restores: "File-level restore",
  backupServers: "Backup servers",
  jobs: "Jobs assigned by service provider",
  publicCloud: "Public cloud backup",
  failover: "Failover plans",
  m365: "Microsoft 365 backup",
  monitoringTools: "Monitoring and reporting tools",
  reports: "Backup reports",
  activeAlarms: "Active alarms",
  protectedData: "Protected data",
  charts: "Historical charts",
  audit: "Audit trail"
};
var p = (key2, area2, level, module, label, seedName) => ({
  key: key2,
  area: area2,
  level,
  module,
  label,
  ...seedName ? { seedName } : {},
  enforcedBy: CONSOLE_KEYS.has(key2) ? "console" : "service"
});
var PERMISSIONS = [
  p("dashboard.view", "dashboard", "read", "core", "View the dashboard"),
  p("monitoring.view", "monitoring", "read", "core", "View monitoring data"),
  p("groups.view", "groups", "read", "groups", "View customer groups"),
  p("groups.manage", "groups", "full", "groups", "Create, edit, move and remove customer groups"),
  p("locations.manage", "locations", "full", "groups", "Create, edit and remove locations and departments"),
  p("company.view", "company", "read", "core", "View company profile, contacts and branding"),
  p("company.manage", "company", "full", "core", "Edit company profile, contacts, activities and branding"),
  p("users.view", "users", "read", "users", "View users page", "view_users_page"),
  p("users.create", "users", "full", "users", "Create and invite users", "create_additional_users"),
  p("users.edit", "users", "full", "users", "Edit users", "edit_users"),
  p("users.delete", "users", "full", "users", "Delete users", "delete_users"),
  p("roles.view", "roles", "read", "users", "View roles and who holds them"),
  p("roles.create", "roles", "full", "users", "Create roles", "create_user_role"),
  p("roles.edit", "roles", "full", "users", "Edit roles", "edit_user_roles"),
  p("roles.delete", "roles", "full", "users", "Delete roles", "delete_user_roles"),
  p("policies.view", "policies", "read", "backupProfiles", "View backup policies and profiles"),
  p("policies.manage", "policies", "full", "backupProfiles", "Configure backup policies and profiles"),
  p("alarmSettings.manage", "alarmSettings", "full", "core", "Configure alarms"),
  p("plugins.manage", "plugins", "full", "core", "Manage the plugin library"),
  p("settings.view", "settings", "read", "core", "View account settings"),
  p("settings.manage", "settings", "full", "core", "Change account settings"),
  p("billing.view", "billing", "read", "core", "View invoices and billing"),
  p("billing.manage", "billing", "full", "core", "Change billing, plan and seat limit"),
  p("ownership.transfer", "ownership", "full", "core", "Transfer ownership of the company"),
  p("devices.view", "devices", "read", "devices", "View devices and their backup status"),
  p("devices.manage", "devices", "full", "devices", "Add, import, edit and remove devices"),
  p("devices.assign", "devices", "full", "devices", "Assign devices to team members"),
  p("deployment.run", "deployment", "full", "deployment", "Automatic deployment"),
  p("deployment.passphrases", "deployment", "full", "deployment", "Generate passphrases"),
  p("discovery.view", "discovery", "read", "devices", "View discovery rules"),
  p("discovery.manage", "discovery", "full", "devices", "Manage discovery rules"),
  p("agents.view", "agents", "read", "devices", "View backup agents"),
  p("agents.manage", "agents", "full", "devices", "Manage backup agents"),
  p("restores.run", "restores", "full", "core", "Perform file-level restores"),
  p("restores.disasterRecovery", "restores", "full", "core", "Run disaster-recovery restores", "restore_disaster_recovery"),
  p("backupServers.view", "backupServers", "read", "core", "View backup servers (Veeam Backup & Replication)"),
  p("backupServers.manage", "backupServers", "full", "core", "Manage backup servers (Veeam Backup & Replication)"),
  p("jobs.view", "jobs", "read", "core", "View schedules, jobs and backup history", "view_schedules_page"),
  p("jobs.run", "jobs", "full", "core", "Run and stop scheduled jobs", "run_schedule"),
  p("backups.run", "jobs", "full", "core", "Run manual backups"),
  p("publicCloud.view", "publicCloud", "read", "core", "View public cloud backup"),
  p("publicCloud.manage", "publicCloud", "full", "core", "Manage public cloud backup"),
  p("failover.view", "failover", "read", "core", "View failover plans"),
  p("failover.manage", "failover", "full", "core", "Manage and run failover plans"),
  p("m365.view", "m365", "read", "core", "View Microsoft 365 backup"),
  p("m365.manage", "m365", "full", "core", "Manage Microsoft 365 backup"),
  p("monitoringTools.view", "monitoringTools", "read", "core", "Use monitoring and reporting tools (Veeam ONE)"),
  p("reports.view", "reports", "read", "core", "View backup reports"),
  p("reports.manage", "reports", "full", "core", "Configure backup reports"),
  p("alarms.view", "activeAlarms", "read", "core", "View active alarms"),
  p("alarms.manage", "activeAlarms", "full", "core", "Acknowledge and resolve alarms"),
  p("protectedData.view", "protectedData", "read", "core", "View protected data"),
  p("charts.view", "charts", "read", "charts", "View historical charts"),
  p("audit.view", "audit", "read", "core", "View the audit trail"),
  p("audit.export", "audit", "full", "core", "Export the audit trail")
];
var BY_KEY = /* @__PURE__ */ new Map();
for (const def of PERMISSIONS) {
  BY_KEY.set(def.key, def);
  if (def.seedName) BY_KEY.set(def.seedName, def);
}
var PERMISSION_KEYS = PERMISSIONS.map((d) => d.key);
function permission(keyOrSeedName) {
  return BY_KEY.get(keyOrSeedName);
}
function areaPermissions(area2) {
  return PERMISSIONS.filter((d) => d.area === area2);
}

// shared/access/modules.ts
var MODULES = {
  deployment: { label: "Automatic deployment and generating passphrases", endCustomerOnly: true },
  backupProfiles: { label: "Backup profiles", endCustomerOnly: false },
  groups: { label: "Group management", endCustomerOnly: false },
  devices: { label: "Device management", endCustomerOnly: false },
  charts: { label: "Historical charts", endCustomerOnly: false },
  users: { label: "User management", endCustomerOnly: false },
  core: { label: "Console", endCustomerOnly: false }
};
function isEndCustomerKind(kind2) {
  return kind2 === "customer" || !isCompanyKind(kind2);
}
function moduleAvailable(module, kind2) {
  return !MODULES[module].endCustomerOnly || isEndCustomerKind(kind2);
}
function moduleUnavailableReason(module, kind2) {
  if (moduleAvailable(module, kind2)) return null;
  return `${MODULES[module].label} is available only at end customers, not at ${kind2.replace("_", "-")} groups`;
}

// shared/access/decide.ts
function decide(bindings3, permissionKey2, target2) {
  const def = permission(permissionKey2);
  if (!def) return { allowed: false, missing: "unknown-permission", candidates: [] };
  if (!moduleAvailable(def.module, target2.kind)) return { allowed: false, missing: "module", permission: def, candidates: [] };
  const onPath = [];
  let assignmentBlocked = false;
  for (const binding of bindings3) {
    if (!target2.path.includes(binding.groupId)) continue;
    onPath.push(binding);
    if (!binding.role.permissions.has(def.key)) continue;
    if (target2.type === "device" && binding.role.deviceVisibility === "assigned" && !target2.assignedToSubject) {
      assignmentBlocked = true;
      continue;
    }
    return { allowed: true, binding, permission: def };
  }
  const missing = assignmentBlocked ? "assignment" : onPath.length > 0 ? "permission" : "scope";
  return { allowed: false, missing, permission: def, candidates: onPath };
}
function grantedAt(bindings3, target2) {
  const out = /* @__PURE__ */ new Set();
  for (const binding of bindings3) {
    if (!target2.path.includes(binding.groupId)) continue;
    for (const key2 of binding.role.permissions) {
      const def = permission(key2);
      if (def && moduleAvailable(def.module, target2.kind)) out.add(key2);
    }
  }
  return out;
}

// shared/access/explain.ts
function explainDecision(decision, names) {
  const path = names.pathNames.join(" \u203A ");
  if (decision.allowed) {
    const { binding, permission: permission2 } = decision;
    return `Yes. ${names.subject} holds ${binding.role.name} at ${names.groupName(binding.groupId)}, which covers ${names.target} (${path}), and ${binding.role.name} includes \u201C${permission2.label}\u201D.`;
  }
  const label = decision.permission ? `\u201C${decision.permission.label}\u201D` : "that permission";
  switch (decision.missing) {
    case "unknown-permission":
      return "No. That is not a permission Steward knows.";
    case "module":
      return `No. ${MODULES[decision.permission?.module ?? "core"].label} is available only at end customers, not at ${KIND_LABELS[names.kind].toLowerCase()} groups, whatever the role says (seed 001).`;
    case "scope":
      return names.allBindings.length === 0 ? `No. ${names.subject} holds no role anywhere.` : `No. None of ${names.subject}'s roles is on the path of ${names.target} (${path}). ${names.subject} holds: ${names.allBindings.join("; ")}.`;
    case "permission": {
      const held = decision.candidates.map((b) => `${b.role.name} at ${names.groupName(b.groupId)}`).join(" and ");
      return `No. ${names.subject} holds ${held}, which does not include ${label}.`;
    }
    case "assignment": {
      const roles = [...new Set(decision.candidates.map((b) => b.role.name))].join(", ");
      return `No. ${names.subject}'s role (${roles}) sees only devices assigned to them, and ${names.target} is not assigned to ${names.subject}.`;
    }
  }
}

// shared/access/builtin-roles.ts
var ALL = PERMISSION_KEYS;
var BUILTIN_ROLES = [
  {
    key: "owner",
    name: "Owner",
    description: "Full control over the account, including billing, team management and all backup operations. One per company; can transfer ownership.",
    deviceVisibility: "scope",
    permissions: ALL
  },
  {
    key: "admin",
    name: "Admin",
    description: "Manages team members, configures backup policies, sees all devices and performs restores. Cannot modify billing or transfer ownership.",
    deviceVisibility: "scope",
    permissions: ALL.filter((k) => k !== "billing.manage" && k !== "ownership.transfer")
  },
  {
    key: "operator",
    name: "Operator",
    description: "Sees the devices assigned to them and their backup status, runs manual backups and performs restores. Cannot manage team members or change account settings.",
    deviceVisibility: "assigned",
    permissions: [
      "dashboard.view",
      "monitoring.view",
      "groups.view",
      "devices.view",
      "agents.view",
      "backupServers.view",
      "jobs.view",
      "jobs.run",
      "backups.run",
      "restores.run",
      "m365.view",
      "failover.view",
      "publicCloud.view",
      "reports.view",
      "alarms.view",
      "protectedData.view",
      "charts.view"
    ]
  },
  {
    key: "viewer",
    name: "Viewer",
    description: "Read-only access to the dashboard, device status and backup history of the devices assigned to them. Cannot start backups or restores or change settings.",
    deviceVisibility: "assigned",
    permissions: [
      "dashboard.view",
      "monitoring.view",
      "groups.view",
      "devices.view",
      "jobs.view",
      "reports.view",
      "alarms.view",
      "protectedData.view",
      "charts.view"
    ]
  }
];

// main/features/access/roles-cache.ts
var cache2 = /* @__PURE__ */ new WeakMap();
function allRoles(db) {
  const hit = cache2.get(db);
  if (hit) return hit;
  const rows = stmt(db, "SELECT id, owner_group_id, builtin, name, description, device_visibility, protected, scope_kind, meaning FROM roles").all();
  const keys = /* @__PURE__ */ new Map();
  for (const row of stmt(db, "SELECT role_id, permission FROM role_permissions").all()) {
    let set = keys.get(row.role_id);
    if (!set) keys.set(row.role_id, set = /* @__PURE__ */ new Set());
    set.add(row.permission);
  }
  const roles = /* @__PURE__ */ new Map();
  for (const row of rows) {
    const builtin = row.builtin ? BUILTIN_ROLES.find((r) => r.key === row.builtin) : void 0;
    roles.set(row.id, {
      id: row.id,
      name: builtin?.name ?? row.name,
      description: builtin?.description ?? row.description,
      builtin: row.builtin,
      ownerGroupId: row.owner_group_id,
      deviceVisibility: row.device_visibility,
      protected: row.protected === 1,
      scopeKind: row.scope_kind,
      meaning: row.meaning,
      permissions: builtin ? new Set(builtin.permissions) : keys.get(row.id) ?? /* @__PURE__ */ new Set()
    });
  }
  cache2.set(db, roles);
  return roles;
}
function invalidateRoles(db) {
  cache2.delete(db);
}
var OWNER_ROLE_ID = "builtin-owner";
var ADMIN_ROLE_ID = "builtin-admin";

// main/features/access/tree.ts
function findGroup(db, id) {
  return stmt(db, "SELECT id, parent_id AS parentId, kind, name FROM groups WHERE id = ?").get(id);
}
function groupPath(db, id) {
  const rows = stmt(
    db,
    `SELECT g.id, g.parent_id AS parentId, g.kind, g.name FROM group_closure c JOIN groups g ON g.id = c.ancestor
     WHERE c.descendant = ? ORDER BY c.depth`
  ).all(id);
  const self = rows[0];
  if (!self) return void 0;
  return { ids: rows.map((r) => r.id), fromRoot: [...rows].reverse(), kind: self.kind };
}
function rootGroup(db) {
  return stmt(db, "SELECT id, parent_id AS parentId, kind, name FROM groups WHERE kind = 'provider'").get();
}
function companyOf(db, id) {
  return stmt(
    db,
    `SELECT g.id, g.parent_id AS parentId, g.kind, g.name FROM group_closure c JOIN groups g ON g.id = c.ancestor
     WHERE c.descendant = ? AND g.kind NOT IN ('location','department') ORDER BY c.depth LIMIT 1`
  ).get(id);
}
function isInSubtree(db, ancestorId, groupId) {
  return stmt(db, "SELECT 1 AS n FROM group_closure WHERE ancestor = ? AND descendant = ?").get(
    ancestorId,
    groupId
  ) !== void 0;
}
function linkNewGroup(db, id, parentId) {
  stmt(db, "INSERT INTO group_closure (ancestor, descendant, depth) VALUES (?, ?, 0)").run(id, id);
  stmt(
    db,
    "INSERT INTO group_closure (ancestor, descendant, depth) SELECT ancestor, ?, depth + 1 FROM group_closure WHERE descendant = ?"
  ).run(id, parentId);
}
function relinkSubtree(db, id, newParentId) {
  stmt(
    db,
    `DELETE FROM group_closure WHERE descendant IN (SELECT descendant FROM group_closure WHERE ancestor = @id)
       AND ancestor NOT IN (SELECT descendant FROM group_closure WHERE ancestor = @id)`
  ).run({ id });
  stmt(
    db,
    `INSERT INTO group_closure (ancestor, descendant, depth)
     SELECT up.ancestor, down.descendant, up.depth + down.depth + 1
     FROM group_closure up, group_closure down WHERE up.descendant = @parent AND down.ancestor = @id`
  ).run({ id, parent: newParentId });
}

// main/features/access/access.ts
function bindingsOf(db, userId) {
  const roles = allRoles(db);
  const out = [];
  for (const row of stmt(
    db,
    "SELECT role_id, group_id FROM role_bindings WHERE user_id = ?"
  ).all(userId)) {
    const role = roles.get(row.role_id);
    if (role) out.push({ groupId: row.group_id, role });
  }
  return out;
}
function resolveTarget(db, type, id, subjectId) {
  let groupId;
  let name;
  let assignedToSubject;
  if (type === "group") {
    const group = findGroup(db, id);
    groupId = group?.id;
    name = group?.name ?? "";
  } else if (type === "user") {
    const user = stmt(
      db,
      "SELECT home_group_id, username FROM users WHERE id = ?"
    ).get(id);
    groupId = user?.home_group_id;
    name = user?.username ?? "";
  } else if (type === "role") {
    const role = allRoles(db).get(id);
    groupId = role ? role.ownerGroupId ?? rootGroup(db)?.id : void 0;
    name = role?.name ?? "";
  } else if (type === "invitation") {
    const invitation = stmt(db, "SELECT group_id, email FROM invitations WHERE id = ?").get(
      id
    );
    groupId = invitation?.group_id;
    name = invitation?.email ?? "";
  } else {
    const device = stmt(db, "SELECT group_id, name FROM devices WHERE id = ?").get(id);
    groupId = device?.group_id;
    name = device?.name ?? "";
    assignedToSubject = stmt(db, "SELECT 1 FROM device_assignments WHERE device_id = ? AND user_id = ?").get(id, subjectId) !== void 0;
  }
  const path = groupId ? groupPath(db, groupId) : void 0;
  if (!path) return void 0;
  return {
    type,
    id,
    name,
    path: type === "user" ? [...path.ids, ...memberDepartments(db, id, path.ids)] : path.ids,
    kind: path.kind,
    groupPath: path,
    ...assignedToSubject === void 0 ? {} : { assignedToSubject }
  };
}
function memberDepartments(db, userId, homePath) {
  return stmt(
    db,
    "SELECT DISTINCT c.ancestor AS id FROM user_departments d JOIN group_closure c ON c.descendant = d.group_id WHERE d.user_id = ?"
  ).all(userId).map((r) => r.id).filter((id) => !homePath.includes(id));
}
function check(db, userId, permission2, target2) {
  return decide(bindingsOf(db, userId), permission2, target2);
}
function subjectName(db, userId) {
  const row = stmt(db, "SELECT username, full_name FROM users WHERE id = ?").get(userId);
  return row ? row.full_name || row.username : "This user";
}
function explainFor(db, userId, decision, target2) {
  const groupNames = new Map(target2.groupPath.fromRoot.map((g) => [g.id, g.name]));
  const groupName2 = (id) => groupNames.get(id) ?? findGroup(db, id)?.name ?? id;
  return explainDecision(decision, {
    subject: subjectName(db, userId),
    target: target2.name,
    pathNames: target2.groupPath.fromRoot.map((g) => g.name),
    kind: target2.kind,
    groupName: groupName2,
    allBindings: bindingsOf(db, userId).map((b) => `${b.role.name} at ${groupName2(b.groupId)}`)
  });
}
function requirePermission(db, userId, permission2, type, id, field) {
  const target2 = resolveTarget(db, type, id, userId);
  const notFound = new OpError("NOT_FOUND", `No ${type} with id ${id} exists, or you may not see it`, {
    field: field ?? (type === "group" ? "id" : `${type}Id`)
  });
  if (!target2) throw notFound;
  const decision = check(db, userId, permission2, target2);
  if (decision.allowed) return target2;
  const viewKey = VIEW_KEY[type];
  if (viewKey === permission2 || !check(db, userId, viewKey, target2).allowed) throw notFound;
  throw new OpError("FORBIDDEN", explainFor(db, userId, decision, target2), field ? { field } : {});
}
var VIEW_KEY = {
  group: "groups.view",
  user: "users.view",
  role: "roles.view",
  device: "devices.view",
  invitation: "users.view"
};
function scopeCondition(db, subjectId, permissionKey2, columns, prefix = "scope") {
  const def = permission(permissionKey2);
  const kinds = def ? GROUP_KINDS.filter((k) => moduleAvailable(def.module, k)) : [];
  const roots = { scope: /* @__PURE__ */ new Set(), assigned: /* @__PURE__ */ new Set() };
  for (const binding of def ? bindingsOf(db, subjectId) : []) {
    if (binding.role.permissions.has(def?.key ?? "")) roots[columns.device ? binding.role.deviceVisibility : "scope"].add(binding.groupId);
  }
  const inSubtrees = (param) => `${columns.group} IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(${param})))`;
  const assigned = columns.device ? ` OR (${inSubtrees(`@${prefix}AssignedRoots`)} AND EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = ${columns.device} AND a.user_id = @${prefix}Subject))` : "";
  const member = columns.user ? ` OR EXISTS (SELECT 1 FROM user_departments m WHERE m.user_id = ${columns.user} AND m.group_id IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(@${prefix}Roots))))` : "";
  const kindTest = kinds.length === GROUP_KINDS.length ? "" : `${columns.kind} IN (SELECT value FROM json_each(@${prefix}Kinds)) AND `;
  return {
    sql: `(${kindTest}(${inSubtrees(`@${prefix}Roots`)}${assigned}${member}))`,
    params: {
      [`${prefix}Kinds`]: JSON.stringify(kinds),
      [`${prefix}Roots`]: JSON.stringify([...roots.scope]),
      ...columns.device ? { [`${prefix}AssignedRoots`]: JSON.stringify([...roots.assigned]), [`${prefix}Subject`]: subjectId } : {}
    }
  };
}

// main/features/access/authorize.ts
function placedBindingsOf(db, userId) {
  return bindingsOf(db, userId).flatMap((b) => {
    const path = groupPath(db, b.groupId);
    return path ? [{ ...b, path: path.ids }] : [];
  });
}
function requireDominance(db, actorId, person, field, within) {
  const gaps = dominanceGaps(bindingsOf(db, actorId), placedBindingsOf(db, person.id), within);
  const gap = gaps[0];
  if (!gap) return;
  const where = findGroup(db, gap.groupId)?.name ?? "their scope";
  const keys = gap.missing.map((key2) => permission(key2.split(" ")[0] ?? key2)?.label ?? key2);
  const shown = keys.slice(0, 3).join(", ") + (keys.length > 3 ? ` and ${keys.length - 3} more` : "");
  throw new OpError(
    "FORBIDDEN",
    `${person.name} holds ${gap.roleName} at \u201C${where}\u201D, which grants what you do not hold there (${shown}); you may act only on people whose rights you hold yourself`,
    { field }
  );
}
function visibleTarget(db, actorId, ref) {
  const target2 = resolveTarget(db, ref.type, ref.id, actorId);
  if (target2 && check(db, actorId, VIEW_KEY[ref.type], target2).allowed) return target2;
  throw new OpError("NOT_FOUND", `No ${ref.type} with id ${ref.id} exists, or you may not see it`, { field: ref.field });
}
function holdsAnywhere(db, actorId, key2) {
  return bindingsOf(db, actorId).some((b) => b.role.permissions.has(key2));
}
var AccessAuthorizer = class {
  constructor(db) {
    this.db = db;
  }
  db;
  authorize(actor, rule, input) {
    const db = this.db;
    let first;
    try {
      if (rule.kind === "public" || rule.kind === "self") return { ok: true };
      const anywhere = rule.kind === "anywhere" ? rule.permission : rule.kind === "scoped" ? rule.anywhere : void 0;
      const needs = rule.kind === "anywhere" ? [] : rule.needs?.(input, actor) ?? [];
      const resolved = needs.map((need) => {
        const ref = "on" in need ? need.on : need.dominate;
        const target2 = visibleTarget(db, actor.userId, ref);
        first ??= target2;
        const within = "within" in need && need.within ? visibleTarget(db, actor.userId, need.within) : void 0;
        return { need, ref, target: target2, within };
      });
      if (anywhere && !holdsAnywhere(db, actor.userId, anywhere)) {
        const label = permission(anywhere)?.label ?? anywhere;
        throw new OpError("FORBIDDEN", `Your roles do not grant \u201C${label}\u201D (${anywhere}) anywhere`);
      }
      for (const { need, ref, target: target2 } of resolved) {
        if (!("on" in need)) continue;
        const key2 = typeof need.permission === "function" ? need.permission(target2.kind) : need.permission;
        if (rule.kind !== "anywhere" && rule.keys && !rule.keys.includes(key2))
          throw new Error(`A need named ${key2}, which its rule's keys omit`);
        const decision = check(db, actor.userId, key2, target2);
        if (!decision.allowed) throw new OpError("FORBIDDEN", explainFor(db, actor.userId, decision, target2), { field: ref.field });
      }
      for (const { need, ref, target: target2, within } of resolved) {
        if ("on" in need) continue;
        requireDominance(db, actor.userId, target2, ref.field, within?.path);
      }
      return { ok: true, ...first ? { target: { type: first.type, id: first.id, name: first.name } } : {} };
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      return {
        ok: false,
        error: error.toApiError(),
        // A refusal about an object the caller may not see names nothing in the audit trail either.
        ...first && error.code !== "NOT_FOUND" ? { target: { type: first.type, id: first.id, name: first.name } } : {}
      };
    }
  }
};

// main/dispatch/registry.ts
function handler(name, def) {
  return { name, ...def };
}
var ACCESS_KINDS = /* @__PURE__ */ new Set(["public", "self", "anywhere", "scoped", "list"]);
var Registry = class {
  handlers = /* @__PURE__ */ new Map();
  register(...entries) {
    for (const entry of entries) {
      if (!Object.prototype.hasOwnProperty.call(contract, entry.name)) {
        throw new Error(`Cannot register "${entry.name}": it is not in shared/contract`);
      }
      if (this.handlers.has(entry.name)) throw new Error(`Operation "${entry.name}" is registered twice`);
      if (!entry.access || !ACCESS_KINDS.has(entry.access.kind)) {
        throw new Error(`Operation "${entry.name}" has no access rule and cannot be registered`);
      }
      this.handlers.set(entry.name, entry);
    }
    return this;
  }
  get(name) {
    return this.handlers.get(name);
  }
  /** Every registered operation with its rule, for the catalog-coverage test and docs. */
  entries() {
    return [...this.handlers.values()];
  }
  /** Every operation the contract names has a handler, so no client call dead-ends. */
  assertComplete() {
    const missing = Object.keys(contract).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`Operations without a handler: ${missing.join(", ")}`);
  }
};

// shared/access/effective.ts
function effectiveAreas(granted) {
  return Object.keys(AREAS).map((area2) => {
    const defs = areaPermissions(area2);
    const held = defs.filter((d) => granted.has(d.key));
    const level = held.some((d) => d.level === "full") ? "full" : held.length > 0 ? "read" : "none";
    const wanted = level === "full" ? defs : defs.filter((d) => d.level === "read");
    return { area: area2, label: AREAS[area2], level, keys: held.map((d) => d.key), partial: level !== "none" && held.length < wanted.length };
  });
}

// main/features/access/handlers.ts
function subjectNeeds(userId, actor) {
  return userId === actor.userId ? [] : [{ permission: "users.view", on: { type: "user", id: userId, field: "userId" } }];
}
function targetNeed(target2) {
  return { permission: VIEW_KEY[target2.type], on: { type: target2.type, id: target2.id, field: "target.id" } };
}
var questionRule = {
  kind: "scoped",
  keys: ["users.view", ...Object.values(VIEW_KEY)],
  needs: (input, actor) => [...subjectNeeds(input.userId, actor), targetNeed(input.target)]
};
function resolveQuestion(db, input) {
  if (!permission(input.permission))
    throw new OpError("VALIDATION", `\u201C${input.permission}\u201D is not a permission Steward knows`, { field: "permission" });
  const target2 = resolveTarget(db, input.target.type, input.target.id, input.userId);
  if (!target2) throw new Error("target vanished inside a transaction");
  return target2;
}
function explainForReader(db, readerId, userId, decision, target2) {
  const groupNames = new Map(target2.groupPath.fromRoot.map((g) => [g.id, g.name]));
  const groupName2 = (id) => groupNames.get(id) ?? findGroup(db, id)?.name ?? id;
  const seen = (groupId) => {
    const group = resolveTarget(db, "group", groupId, readerId);
    return group !== void 0 && check(db, readerId, VIEW_KEY.group, group).allowed;
  };
  const bindings3 = bindingsOf(db, userId);
  const shown = bindings3.filter((b) => seen(b.groupId)).map((b) => `${b.role.name} at ${groupName2(b.groupId)}`);
  const hidden = bindings3.length - shown.length;
  return explainDecision(decision, {
    subject: subjectName(db, userId),
    target: target2.name,
    pathNames: target2.groupPath.fromRoot.map((g) => g.name),
    kind: target2.kind,
    groupName: groupName2,
    allBindings: hidden > 0 ? [...shown, `${hidden} role${hidden === 1 ? "" : "s"} at groups you may not see`] : shown
  });
}
function answer(db, readerId, userId, permission2, target2) {
  const decision = check(db, userId, permission2, target2);
  const via = decision.allowed ? {
    roleName: decision.binding.role.name,
    groupId: decision.binding.groupId,
    groupName: findGroup(db, decision.binding.groupId)?.name ?? ""
  } : null;
  return {
    allowed: decision.allowed,
    missing: decision.allowed ? null : decision.missing,
    explanation: explainForReader(db, readerId, userId, decision, target2),
    via,
    path: target2.groupPath.fromRoot.map((g) => ({ id: g.id, name: g.name }))
  };
}
function accessHandlers(db) {
  return [
    handler("access.decide", {
      access: questionRule,
      run: (_ctx, input) => ({ allowed: check(db, input.userId, input.permission, resolveQuestion(db, input)).allowed })
    }),
    handler("access.explain", {
      access: questionRule,
      run: (ctx, input) => answer(db, ctx.actor.userId, input.userId, input.permission, resolveQuestion(db, input))
    }),
    handler("access.whoCan", {
      access: { kind: "scoped", keys: Object.values(VIEW_KEY), needs: (input) => [targetNeed(input.target)] },
      run(ctx, input) {
        const { actor } = ctx;
        const def = permission(input.permission);
        if (!def) throw new OpError("VALIDATION", `\u201C${input.permission}\u201D is not a permission Steward knows`, { field: "permission" });
        const target2 = resolveTarget(db, input.target.type, input.target.id, actor.userId);
        if (!target2) throw new Error("target vanished inside a transaction");
        if (!moduleAvailable(def.module, target2.kind)) return { subjects: [] };
        const roles = allRoles(db);
        const visible = scopeCondition(db, actor.userId, "users.view", { group: "u.home_group_id", kind: "hg.kind", user: "u.id" });
        const rows = stmt(
          db,
          `SELECT u.id, u.username, u.full_name, b.role_id, b.group_id FROM role_bindings b
           JOIN users u ON u.id = b.user_id JOIN groups hg ON hg.id = u.home_group_id
           WHERE b.group_id IN (SELECT value FROM json_each(@path)) AND u.status = 'active' AND ${visible.sql}
           ORDER BY u.username`
        ).all({ path: JSON.stringify(target2.path), ...visible.params });
        const seen = /* @__PURE__ */ new Set();
        const subjects = [];
        for (const row of rows) {
          const role = roles.get(row.role_id);
          if (!role?.permissions.has(def.key) || seen.has(row.id)) continue;
          if (target2.type === "device" && role.deviceVisibility === "assigned" && !check(db, row.id, def.key, { ...target2, assignedToSubject: isAssigned(db, target2.id, row.id) }).allowed)
            continue;
          seen.add(row.id);
          subjects.push({
            userId: row.id,
            username: row.username,
            fullName: row.full_name,
            roleName: role.name,
            groupName: findGroup(db, row.group_id)?.name ?? ""
          });
        }
        return { subjects };
      }
    }),
    handler("access.effective", {
      access: {
        kind: "scoped",
        keys: ["users.view", "groups.view"],
        needs: (input, actor) => [
          ...subjectNeeds(input.userId, actor),
          { permission: "groups.view", on: { type: "group", id: input.groupId, field: "groupId" } }
        ]
      },
      run(ctx, input) {
        const group = resolveTarget(db, "group", input.groupId, ctx.actor.userId);
        if (!group) throw new Error("group vanished inside a transaction");
        return { areas: effectiveAreas(grantedAt(bindingsOf(db, input.userId), { path: group.path, kind: group.kind })) };
      }
    })
  ];
}
function isAssigned(db, deviceId, userId) {
  return stmt(db, "SELECT 1 FROM device_assignments WHERE device_id = ? AND user_id = ?").get(deviceId, userId) !== void 0;
}

// main/features/access/mine.ts
var accessMineHandler = (db) => handler("access.mine", {
  access: { kind: "self" },
  run(ctx) {
    const { actor } = ctx;
    const homeId = stmt(db, "SELECT home_group_id FROM users WHERE id = ?").get(
      actor.userId
    )?.home_group_id;
    const home = homeId ? groupPath(db, homeId) : void 0;
    if (!homeId || !home) throw new OpError("NOT_FOUND", "Your account no longer exists");
    const bindings3 = [];
    for (const binding of bindingsOf(db, actor.userId)) {
      const path = groupPath(db, binding.groupId);
      if (!path) continue;
      bindings3.push({
        groupId: binding.groupId,
        groupName: path.fromRoot[path.fromRoot.length - 1]?.name ?? "",
        path: path.ids,
        kind: path.kind,
        role: {
          id: binding.role.id,
          name: binding.role.name,
          permissions: [...binding.role.permissions].sort(),
          deviceVisibility: binding.role.deviceVisibility
        }
      });
    }
    return { bindings: bindings3, home: { groupId: homeId, path: home.ids, kind: home.kind } };
  }
});

// main/features/access/hygiene.ts
var SHOWN = 50;
function section(db, sql, params) {
  const total = stmt(db, `SELECT count(*) AS n FROM (${sql})`).get(params)?.n ?? 0;
  const items = stmt(db, `${sql} LIMIT ${SHOWN}`).all(params);
  return { total, items };
}
var hygieneHandler = (db) => handler("access.hygiene", {
  // The page is about people first (the Hygiene screen requires users.view); every section is filtered by its own key.
  access: { kind: "list", permission: "users.view" },
  run(ctx) {
    const actorId = ctx.actor.userId;
    const now = ctx.clock.now();
    const users = scopeCondition(db, actorId, "users.view", { group: "u.home_group_id", kind: "hg.kind", user: "u.id" }, "u");
    const invites = scopeCondition(db, actorId, "users.view", { group: "i.group_id", kind: "g.kind" }, "i");
    const devices2 = scopeCondition(db, actorId, "devices.view", { group: "d.group_id", kind: "g.kind", device: "d.id" }, "d");
    const fromUsers = "FROM users u JOIN groups hg ON hg.id = u.home_group_id";
    const dormantBefore = now - DORMANT_DAYS * 864e5;
    const unused = [...allRoles(db).values()].filter((role) => {
      if (role.builtin) return false;
      const target2 = resolveTarget(db, "role", role.id, actorId);
      return target2 !== void 0 && check(db, actorId, "roles.view", target2).allowed && !stmt(db, "SELECT 1 FROM role_bindings WHERE role_id = ?").get(role.id);
    });
    return {
      usersWithoutMfa: section(
        db,
        `SELECT u.id, u.username AS name, CASE WHEN u.mfa_enrolled_at IS NULL THEN 'never enrolled' ELSE 'reset, not enrolled again' END || ' \xB7 ' || hg.name AS detail
           ${fromUsers} WHERE u.totp_secret IS NULL AND u.status = 'active' AND ${users.sql} ORDER BY u.username`,
        users.params
      ),
      pendingInvitations: section(
        db,
        `SELECT i.id, i.email AS name, 'expires ' || strftime('%Y-%m-%d %H:%M', i.expires_at / 1000, 'unixepoch') || ' UTC \xB7 ' || g.name AS detail
           FROM invitations i JOIN groups g ON g.id = i.group_id WHERE i.status = 'pending' AND i.expires_at > @now AND ${invites.sql} ORDER BY i.expires_at`,
        { ...invites.params, now }
      ),
      expiredInvitations: section(
        db,
        `SELECT i.id, i.email AS name, 'expired ' || strftime('%Y-%m-%d', i.expires_at / 1000, 'unixepoch') || ' \xB7 ' || g.name AS detail
           FROM invitations i JOIN groups g ON g.id = i.group_id WHERE i.status = 'pending' AND i.expires_at <= @now AND ${invites.sql} ORDER BY i.expires_at DESC`,
        { ...invites.params, now }
      ),
      unassignedDevices: section(
        db,
        `SELECT d.id, d.name, g.name AS detail FROM devices d JOIN groups g ON g.id = d.group_id
           WHERE NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id) AND ${devices2.sql} ORDER BY d.name`,
        devices2.params
      ),
      unusedRoles: {
        total: unused.length,
        items: unused.slice(0, SHOWN).map((r) => ({ id: r.id, name: r.name, detail: "no one holds this role" }))
      },
      dormantAccounts: section(
        db,
        `SELECT u.id, u.username AS name, CASE WHEN u.last_sign_in_at IS NULL THEN 'never signed in' ELSE 'last sign-in ' || strftime('%Y-%m-%d', u.last_sign_in_at / 1000, 'unixepoch') END AS detail
           ${fromUsers} WHERE u.status = 'active' AND coalesce(u.last_sign_in_at, u.created_at) < @dormantBefore AND ${users.sql} ORDER BY coalesce(u.last_sign_in_at, 0)`,
        { ...users.params, dormantBefore }
      )
    };
  }
});

// main/features/audit/query.ts
function auditScope(db, readerId, permission2, prefix = "scope") {
  const live = scopeCondition(db, readerId, permission2, { group: "sg.id", kind: "sg.kind" }, prefix);
  const removed = scopeCondition(db, readerId, permission2, { group: "rg.surviving_id", kind: "coalesce(rg.kind, sk.kind)" }, prefix);
  return {
    sql: `e.group_id IN (SELECT sg.id FROM groups sg WHERE ${live.sql} UNION ALL SELECT rg.id FROM removed_groups rg JOIN groups sk ON sk.id = rg.surviving_id WHERE ${removed.sql})`,
    params: { ...live.params, ...removed.params }
  };
}
function groupSubtree(db, readerId, groupId) {
  const gone = stmt(
    db,
    "SELECT surviving_id FROM removed_groups WHERE id = ? AND id NOT IN (SELECT id FROM groups)"
  ).get(groupId);
  if (!gone) {
    requirePermission(db, readerId, "audit.view", "group", groupId, "groupId");
    return `e.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId
      UNION ALL SELECT r.id FROM removed_groups r WHERE r.surviving_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId))`;
  }
  try {
    requirePermission(db, readerId, "audit.view", "group", gone.surviving_id, "groupId");
  } catch {
    throw new OpError("NOT_FOUND", `No group with id ${groupId} exists, or you may not see it`, { field: "groupId" });
  }
  return `e.group_id IN (WITH RECURSIVE below(id) AS (SELECT @groupId UNION ALL SELECT r.id FROM removed_groups r JOIN below ON r.parent_id = below.id)
    SELECT id FROM below)`;
}
function requireMemberVisible(db, readerId, memberId) {
  if (stmt(db, "SELECT 1 FROM users WHERE id = ?").get(memberId)) {
    requirePermission(db, readerId, "users.view", "user", memberId, "memberId");
    return;
  }
  const scope = auditScope(db, readerId, "audit.view");
  const removal = stmt(
    db,
    `SELECT e.seq FROM audit_events e WHERE e.target_id = @memberId AND e.action = 'users.remove' AND e.outcome = 'success' AND ${scope.sql} LIMIT 1`
  ).get({ ...scope.params, memberId });
  if (!removal) throw new OpError("NOT_FOUND", `No user with id ${memberId} exists, or you may not see it`, { field: "memberId" });
}
function auditWhere(db, readerId, filter) {
  if (filter.memberId) requireMemberVisible(db, readerId, filter.memberId);
  const subtree = filter.groupId ? groupSubtree(db, readerId, filter.groupId) : null;
  const scope = auditScope(db, readerId, "audit.view");
  const clauses = [scope.sql];
  const params = { ...scope.params };
  if (filter.actorId) {
    clauses.push("e.actor_id = @actorId");
    params.actorId = filter.actorId;
  }
  if (filter.memberId) {
    clauses.push("(e.actor_id = @memberId OR e.target_id = @memberId)");
    params.memberId = filter.memberId;
  }
  if (filter.action) {
    clauses.push(filter.action.endsWith(".") ? "e.action >= @action AND e.action < @actionEnd" : "e.action = @action");
    params.action = filter.action;
    params.actionEnd = `${filter.action.slice(0, -1)}/`;
  }
  if (filter.target) {
    clauses.push("e.target_name LIKE @targetLike ESCAPE '\\'");
    params.targetLike = `%${filter.target.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (filter.groupId && subtree) {
    clauses.push(subtree);
    params.groupId = filter.groupId;
  }
  if (filter.from !== void 0) {
    clauses.push("e.at >= @from");
    params.from = filter.from;
  }
  if (filter.to !== void 0) {
    clauses.push("e.at <= @to");
    params.to = filter.to;
  }
  if (filter.outcome) {
    clauses.push("e.outcome = @outcome");
    params.outcome = filter.outcome;
  }
  const sql = clauses.join(" AND ");
  return { sql, params, from: "FROM audit_events e" };
}
function readEvents(db, where, beforeSeq, limit) {
  return stmt(
    db,
    `SELECT p.*, coalesce(g.name, gone.name) AS group_name
     FROM (SELECT e.* ${where.from} WHERE ${where.sql}${beforeSeq > 0 ? " AND e.seq < @beforeSeq" : ""} ORDER BY e.seq DESC LIMIT @limit) p
     LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN removed_groups gone ON gone.id = p.group_id
     ORDER BY p.seq DESC`
  ).all({ ...where.params, ...beforeSeq > 0 ? { beforeSeq } : {}, limit }).map(toEntry);
}
function countEvents(db, where, cap) {
  return stmt(
    db,
    `SELECT count(*) AS n FROM (SELECT 1 ${where.from} WHERE ${where.sql} LIMIT @cap)`
  ).get({ ...where.params, cap })?.n ?? 0;
}
function toEntry(r) {
  return {
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    client: r.client,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetName: r.target_name,
    groupId: r.group_id,
    groupName: r.group_name,
    outcome: r.outcome,
    errorCode: r.error_code,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null
  };
}

// main/features/audit/export.ts
var COLUMNS = [
  ["seq", (e) => e.seq],
  ["time_utc", (e) => new Date(e.at).toISOString()],
  ["actor", (e) => e.actorName ?? ""],
  ["actor_id", (e) => e.actorId ?? ""],
  ["client", (e) => e.client],
  ["action", (e) => e.action],
  ["target_type", (e) => e.targetType ?? ""],
  ["target", (e) => e.targetName ?? ""],
  ["target_id", (e) => e.targetId ?? ""],
  ["group", (e) => e.groupName ?? ""],
  ["outcome", (e) => e.outcome],
  ["error_code", (e) => e.errorCode ?? ""],
  ["before", (e) => e.before ? JSON.stringify(e.before) : ""],
  ["after", (e) => e.after ? JSON.stringify(e.after) : ""]
];
function csvCell(value) {
  let text2 = String(value);
  if (/^[=+\-@\t\r]/.test(text2)) text2 = `'${text2}`;
  return /[",\r\n]/.test(text2) ? `"${text2.replace(/"/g, '""')}"` : text2;
}
var auditExportHandler = (db) => handler("audit.export", {
  // Reading is audit.view; taking a copy away is audit.export too, at each exported event's group (the list rule below).
  // The filter may name removed groups and people: auditWhere decides those (R13), not declared needs.
  access: { kind: "anywhere", permission: "audit.export" },
  run(ctx, input) {
    const { actor } = ctx;
    const { format, ...filter } = input;
    const viewed = auditWhere(db, actor.userId, filter);
    const exportable = auditScope(db, actor.userId, "audit.export", "export");
    const where = { ...viewed, sql: `${viewed.sql} AND ${exportable.sql}`, params: { ...viewed.params, ...exportable.params } };
    const rows = countEvents(db, where, AUDIT_EXPORT_CAP + 1);
    if (rows > AUDIT_EXPORT_CAP) {
      throw new OpError(
        "CONFLICT",
        `More than ${AUDIT_EXPORT_CAP.toLocaleString("en")} events match; narrow the filter (a shorter period, one member or one action) and export again`
      );
    }
    const events = readEvents(db, where, 0, AUDIT_EXPORT_CAP);
    const content = format === "csv" ? [COLUMNS.map(([name]) => name).join(","), ...events.map((e) => COLUMNS.map(([, get]) => csvCell(get(e))).join(","))].join(
      "\r\n"
    ) + "\r\n" : events.map((e) => JSON.stringify({ ...e, time_utc: new Date(e.at).toISOString() })).join("\n") + (events.length ? "\n" : "");
    const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 19).replace(/[:T]/g, "-");
    ctx.audit({
      action: "audit.export",
      target: { type: "audit", id: "export", name: `${format.toUpperCase()} export` },
      after: { format, filter, rows: events.length }
    });
    return {
      filename: `steward-audit-${stamp}.${format}`,
      mimeType: format === "csv" ? "text/csv" : "application/x-ndjson",
      content,
      rows: events.length
    };
  }
});

// main/features/audit/list.ts
var auditListHandler = (db) => handler("audit.list", {
  // The filter may name removed groups and people: auditWhere decides those (R13), not declared needs.
  access: { kind: "list", permission: "audit.view" },
  run(ctx, input) {
    const { beforeSeq, limit, ...filter } = input;
    const where = auditWhere(db, ctx.actor.userId, filter);
    const total = countEvents(db, where, AUDIT_COUNT_CAP + 1);
    return {
      events: readEvents(db, where, beforeSeq ?? 0, limit ?? 50),
      total: Math.min(total, AUDIT_COUNT_CAP),
      totalCapped: total > AUDIT_COUNT_CAP
    };
  }
});

// main/features/audit/retention.ts
function applyAuditRetention(db, clock, actor = null) {
  const days = readSetting(db, "audit.retentionDays");
  if (days === null) return 0;
  const log2 = new AuditLog(db);
  return db.transaction(() => {
    const now = clock.now();
    const removed = log2.prune(now - days * 864e5, now);
    if (removed > 0) {
      log2.append({ at: now, actor, client: "cli", action: "audit.prune", outcome: "success", after: { removed, retentionDays: days } });
    }
    return removed;
  }).immediate();
}

// main/features/access/root-rule.ts
function atRoot(db, key2) {
  return {
    kind: "scoped",
    keys: [key2],
    needs: () => [{ permission: key2, on: { type: "group", id: rootGroup(db)?.id ?? "", field: "root" } }]
  };
}

// main/features/audit/verify.ts
var auditVerifyHandler = (db) => handler("audit.verify", {
  access: atRoot(db, "audit.view"),
  run() {
    const result = new AuditLog(db).verify();
    return { intact: result.broken === null, ...result };
  }
});

// main/features/auth/accounts.ts
var COLUMNS2 = "id, username, email, full_name, status, password_hash, totp_secret, totp_last_step, protected, home_group_id";
function findAccountByLogin(db, login2) {
  return stmt(
    db,
    `SELECT ${COLUMNS2} FROM users WHERE username = ? COLLATE NOCASE OR email = ? COLLATE NOCASE`
  ).get(login2, login2);
}
function findAccount(db, id) {
  return stmt(db, `SELECT ${COLUMNS2} FROM users WHERE id = ?`).get(id);
}
function hasAccounts(db) {
  return stmt(db, "SELECT EXISTS (SELECT 1 FROM users) AS found").get()?.found === 1;
}
function rootGroupName(db) {
  return stmt(db, "SELECT name FROM groups WHERE kind = 'provider'").get()?.name ?? null;
}
function sessionUser(row) {
  return { id: row.id, username: row.username, fullName: row.full_name, email: row.email };
}

// main/features/auth/deps.ts
function newToken(ctx) {
  return ctx.entropy.bytes(16).toString("base64url");
}
function startSession(ctx, deps, userId, stage) {
  const token2 = newToken(ctx);
  deps.sessions.create(token2, userId, stage, ctx.client, ctx.clock.now());
  ctx.setSession({ kind: "set", token: token2 });
}
function promoteSession(ctx, deps, stage) {
  const token2 = newToken(ctx);
  deps.sessions.promote(requireActor(ctx).sessionId, token2, stage, ctx.clock.now());
  ctx.setSession({ kind: "set", token: token2 });
}
function requireActor(ctx) {
  if (!ctx.actor) throw new Error("This handler runs only with a session; the dispatcher should have refused");
  return ctx.actor;
}
var throttleKeys = {
  password: (userId) => `password:user:${userId}`,
  /** `loginMac`: the login's HMAC under the installation's key, never the login or a plain digest. */
  unknownLogin: (loginMac) => `password:login:${loginMac}`,
  code: (userId) => `code:user:${userId}`
};

// main/features/auth/throttle.ts
var MINUTE = 6e4;
var PER_SOURCE = { lockAt: 5, firstLockMs: 3e4, maxLockMs: 15 * MINUTE, leakMs: 15 * MINUTE };
var PER_ACCOUNT = { lockAt: 30, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE, leakMs: 4 * MINUTE };
var CEILING_EXEMPT_SOURCE = "ipc";
var Throttle = class {
  getStmt;
  upsertStmt;
  deleteStmt;
  clearStmt;
  pruneStmt;
  constructor(db) {
    this.getStmt = db.prepare("SELECT failures, locked_until, updated_at FROM auth_throttle WHERE key = ?");
    this.upsertStmt = db.prepare(
      `INSERT INTO auth_throttle (key, failures, locked_until, updated_at) VALUES (@key, @failures, @lockedUntil, @since)
       ON CONFLICT (key) DO UPDATE SET failures = @failures, locked_until = @lockedUntil, updated_at = @since`
    );
    this.deleteStmt = db.prepare("DELETE FROM auth_throttle WHERE key = ?");
    this.clearStmt = db.prepare("DELETE FROM auth_throttle WHERE key = @key OR substr(key, 1, length(@key) + 1) = @key || '|'");
    this.pruneStmt = db.prepare("DELETE FROM auth_throttle WHERE locked_until <= @now AND updated_at + failures * @leakMs <= @now");
  }
  /** Whether `source` may try `key` now; when not, how many whole seconds until it may. */
  check(key2, source, now) {
    const until = Math.max(
      this.getStmt.get(sourceKey(key2, source))?.locked_until ?? 0,
      source === CEILING_EXEMPT_SOURCE ? 0 : this.getStmt.get(key2)?.locked_until ?? 0
    );
    return lockState(until, now);
  }
  /** Records one failure in both buckets; returns the lock it left on `source`, if any. */
  fail(key2, source, now) {
    this.pruneStmt.run({ now, leakMs: Math.max(PER_SOURCE.leakMs, PER_ACCOUNT.leakMs) });
    const own = this.count(sourceKey(key2, source), PER_SOURCE, now);
    const ceiling = this.count(key2, PER_ACCOUNT, now);
    return lockState(Math.max(own, source === CEILING_EXEMPT_SOURCE ? 0 : ceiling), now);
  }
  /** A success: the secret was known, so neither bucket of `key` holds anything against it. */
  reset(key2, source) {
    this.deleteStmt.run(sourceKey(key2, source));
    this.deleteStmt.run(key2);
  }
  /** Forgets every bucket of `key`, every source's too (an administrator replaced the secret). */
  clear(key2) {
    this.clearStmt.run({ key: key2 });
  }
  count(bucket, limit, now) {
    const row = this.getStmt.get(bucket);
    const leaked = row ? Math.max(0, Math.floor((now - row.updated_at) / limit.leakMs)) : 0;
    const held = row ? Math.max(0, row.failures - leaked) : 0;
    const since = row && held > 0 ? row.updated_at + leaked * limit.leakMs : now;
    const failures = held + 1;
    const over = failures - limit.lockAt;
    const lockMs = over < 0 ? 0 : Math.min(limit.firstLockMs * 2 ** over, limit.maxLockMs);
    const lockedUntil = Math.max(row?.locked_until ?? 0, now + lockMs);
    this.upsertStmt.run({ key: bucket, failures, lockedUntil, since });
    return lockedUntil;
  }
};
function sourceKey(key2, source) {
  return `${key2}|${source}`;
}
function lockState(until, now) {
  return until > now ? { locked: true, retryAfterSeconds: Math.ceil((until - now) / 1e3) } : { locked: false };
}
function throttledMessage(retryAfterSeconds) {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${minutes} minutes`;
  return `Too many failed attempts. Try again in ${wait}.`;
}

// main/features/auth/secret-check.ts
function lockedOut(throttle, key2, ctx, field) {
  const state = throttle.check(key2, ctx.source, ctx.clock.now());
  if (!state.locked) return null;
  return refuse("THROTTLED", throttledMessage(state.retryAfterSeconds), {
    ...field ? { field } : {},
    retryAfterSeconds: state.retryAfterSeconds
  });
}
function wrongSecret(throttle, key2, ctx, rejection) {
  const lock = throttle.fail(key2, ctx.source, ctx.clock.now());
  const field = rejection.field ? { field: rejection.field } : {};
  if (!lock.locked) return refuse(rejection.code, rejection.message, field);
  const sentence = /[.!?]$/.test(rejection.message) ? rejection.message : `${rejection.message}.`;
  return refuse("THROTTLED", `${sentence} ${throttledMessage(lock.retryAfterSeconds)}`, {
    ...field,
    retryAfterSeconds: lock.retryAfterSeconds
  });
}

// main/features/auth/passwords.ts
import { scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";

// main/assets.ts
import { fileURLToPath } from "node:url";
function assetPath(name) {
  return fileURLToPath(new URL(`./assets/${name}`, import.meta.url));
}

// main/features/auth/passwords.ts
var DEFAULT = { N: 2 ** 17, r: 8, p: 1, keylen: 32 };
function scrypt(password2, salt, keylen, options) {
  return new Promise((resolve, reject) => {
    scryptCallback(password2.normalize("NFKC"), salt, keylen, options, (error, key2) => error ? reject(error) : resolve(key2));
  });
}
function maxmem(N, r) {
  return 128 * N * r + 16 * 1024 * 1024;
}
async function hashPassword(password2, salt) {
  const { N, r, p: p2, keylen } = DEFAULT;
  const key2 = await scrypt(password2, salt, keylen, { N, r, p: p2, maxmem: maxmem(N, r) });
  return ["scrypt", N, r, p2, salt.toString("base64"), key2.toString("base64")].join("$");
}
async function verifyPassword(password2, stored) {
  const [scheme, n, r, p2, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p2 || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const N = Number(n);
  const R = Number(r);
  const key2 = await scrypt(password2, Buffer.from(salt, "base64"), expected.length, { N, r: R, p: Number(p2), maxmem: maxmem(N, R) });
  return timingSafeEqual(key2, expected);
}
var dummy;
function dummyHash() {
  dummy ??= hashPassword("steward-no-such-account", Buffer.alloc(16, 7));
  return dummy;
}
var common;
function commonPasswords() {
  common ??= new Set(readFileSync(assetPath("common-passwords.txt"), "utf8").split("\n"));
  return common;
}
function passwordProblem(password2, account) {
  const lower = password2.normalize("NFKC").toLowerCase();
  if (commonPasswords().has(lower)) return "This password is on the list of commonly used passwords; choose another";
  if (lower.includes(account.username.toLowerCase())) return "The password must not contain your username";
  const local = account.email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && lower.includes(local)) return "The password must not contain your email address";
  return null;
}

// main/features/auth/enrollment.ts
var beginEnrollmentHandler = (deps) => handler("auth.beginEnrollment", {
  access: { kind: "self" },
  async prepare(ctx) {
    const actor = requireActor(ctx);
    const secret = base32(ctx.entropy.bytes(20));
    const issuer = `Steward${rootGroupName(deps.db) ? ` (${rootGroupName(deps.db)})` : ""}`;
    return { secret, ...await enrollmentArtifacts(secret, actor.username, issuer) };
  },
  run(ctx, _input, enrollment) {
    const actor = requireActor(ctx);
    deps.sessions.setPendingSecret(actor.sessionId, ctx.secrets.seal(Buffer.from(enrollment.secret, "utf8")));
    ctx.audit({ action: "auth.mfa.enrollmentStarted", target: { type: "user", id: actor.userId, name: actor.username } });
    return enrollment;
  }
});
var confirmEnrollmentHandler = (deps) => handler("auth.confirmEnrollment", {
  access: { kind: "self" },
  async prepare(ctx, input) {
    const actor = requireActor(ctx);
    const sealed = deps.sessions.get(actor.sessionId)?.pending_totp_secret;
    if (!sealed) throw notStarted();
    let passwordOk = null;
    if (actor.stage === "active") {
      if (!input.currentPassword)
        throw new OpError("VALIDATION", "Enter your current password to replace your authenticator", { field: "currentPassword" });
      const hash = findAccount(deps.db, actor.userId)?.password_hash;
      const locked = deps.throttle.check(throttleKeys.password(actor.userId), ctx.source, ctx.clock.now()).locked;
      passwordOk = !locked && !!hash && await verifyPassword(input.currentPassword, hash);
    }
    const check2 = await checkCode(ctx.secrets.open(sealed).toString("utf8"), input.code, ctx.clock.now(), null);
    return { sealed, check: check2, passwordOk };
  },
  run(ctx, _input, { sealed, check: check2, passwordOk }) {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const target2 = { type: "user", id: actor.userId, name: actor.username };
    ctx.audit({ action: "auth.mfa.enrolled", target: target2 });
    const current = deps.sessions.get(actor.sessionId)?.pending_totp_secret;
    if (!current || !current.equals(sealed)) throw notStarted();
    if (passwordOk !== null) {
      const passwordKey = throttleKeys.password(actor.userId);
      const locked2 = lockedOut(deps.throttle, passwordKey, ctx, "currentPassword");
      if (locked2) return locked2;
      if (!passwordOk)
        return wrongSecret(deps.throttle, passwordKey, ctx, {
          code: "INVALID_CREDENTIALS",
          message: "The current password is not right",
          field: "currentPassword"
        });
      deps.throttle.reset(passwordKey, ctx.source);
    }
    const key2 = throttleKeys.code(actor.userId);
    const locked = lockedOut(deps.throttle, key2, ctx, "code");
    if (locked) return locked;
    if (check2.kind !== "valid") {
      return wrongSecret(deps.throttle, key2, ctx, {
        code: "INVALID_CODE",
        message: "That code is not right. Scan the QR code again or type the key, then enter the code the app shows.",
        field: "code"
      });
    }
    deps.throttle.reset(key2, ctx.source);
    stmt(
      deps.db,
      "UPDATE users SET totp_secret = ?, totp_last_step = ?, mfa_enrolled_at = ?, last_sign_in_at = ?, updated_at = ? WHERE id = ?"
    ).run(sealed, check2.timeStep, now, now, now, actor.userId);
    const codes = issueRecoveryCodes(ctx, deps.db, actor.userId);
    const ended = deps.sessions.deleteOthers(actor.userId, actor.sessionId);
    promoteSession(ctx, deps, "active");
    const account = findAccount(deps.db, actor.userId);
    if (!account) throw new OpError("UNAUTHENTICATED", "This account no longer exists");
    ctx.audit({ action: "auth.mfa.enrolled", target: target2, after: { recoveryCodes: codes.length, otherSessionsEnded: ended } });
    return { stage: "active", user: sessionUser(account), recoveryCodes: codes };
  }
});
function notStarted() {
  return new OpError("ENROLLMENT_NOT_STARTED", "Start the authenticator setup first; the key shown earlier is no longer pending.");
}

// main/features/auth/password.ts
var changePasswordHandler = (deps) => handler("auth.changePassword", {
  access: { kind: "self" },
  async prepare(ctx, input) {
    const account = findAccount(deps.db, requireActor(ctx).userId);
    if (!account?.password_hash) throw new OpError("UNAUTHENTICATED", "This account no longer exists");
    const key2 = throttleKeys.password(account.id);
    if (deps.throttle.check(key2, ctx.source, ctx.clock.now()).locked) return { key: key2, currentOk: false, newHash: null };
    const currentOk = await verifyPassword(input.currentPassword, account.password_hash);
    if (!currentOk) return { key: key2, currentOk, newHash: null };
    const problem = passwordProblem(input.newPassword, account);
    if (problem) throw new OpError("WEAK_PASSWORD", problem, { field: "newPassword" });
    return { key: key2, currentOk, newHash: await hashPassword(input.newPassword, ctx.entropy.bytes(16)) };
  },
  run(ctx, _input, { key: key2, currentOk, newHash }) {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    ctx.audit({ target: { type: "user", id: actor.userId, name: actor.username } });
    const locked = lockedOut(deps.throttle, key2, ctx, "currentPassword");
    if (locked) return locked;
    if (!currentOk || !newHash) {
      return wrongSecret(deps.throttle, key2, ctx, {
        code: "INVALID_CREDENTIALS",
        message: "The current password is not right",
        field: "currentPassword"
      });
    }
    deps.throttle.reset(key2, ctx.source);
    stmt(deps.db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").run(newHash, now, actor.userId);
    const ended = deps.sessions.deleteOthers(actor.userId, actor.sessionId);
    ctx.audit({ target: { type: "user", id: actor.userId, name: actor.username }, after: { otherSessionsEnded: ended } });
    return { changed: true };
  }
});

// main/features/auth/recovery-regenerate.ts
var regenerateRecoveryCodesHandler = (deps) => handler("auth.regenerateRecoveryCodes", {
  access: { kind: "self" },
  async prepare(ctx, input) {
    const account = findAccount(deps.db, requireActor(ctx).userId);
    if (!account?.totp_secret) throw new OpError("WRONG_STAGE", "Set up an authenticator first");
    return {
      check: await checkCode(ctx.secrets.open(account.totp_secret).toString("utf8"), input.code, ctx.clock.now(), account.totp_last_step)
    };
  },
  run(ctx, _input, { check: check2 }) {
    const actor = requireActor(ctx);
    const key2 = throttleKeys.code(actor.userId);
    ctx.audit({ action: "auth.mfa.recoveryCodesRegenerated", target: { type: "user", id: actor.userId, name: actor.username } });
    const locked = lockedOut(deps.throttle, key2, ctx, "code");
    if (locked) return locked;
    const last = findAccount(deps.db, actor.userId)?.totp_last_step ?? null;
    if (check2.kind !== "valid" || last !== null && check2.timeStep <= last) {
      return wrongSecret(
        deps.throttle,
        key2,
        ctx,
        check2.kind === "invalid" ? { code: "INVALID_CODE", message: "That code is not right", field: "code" } : { code: "CODE_REUSED", message: "This code was already used. Wait for the next code.", field: "code" }
      );
    }
    deps.throttle.reset(key2, ctx.source);
    stmt(deps.db, "UPDATE users SET totp_last_step = ? WHERE id = ?").run(check2.timeStep, actor.userId);
    const recoveryCodes = issueRecoveryCodes(ctx, deps.db, actor.userId);
    const ended = deps.sessions.deleteOthers(actor.userId, actor.sessionId);
    ctx.audit({ after: { otherSessionsEnded: ended } });
    return { recoveryCodes };
  }
});

// main/features/auth/setup.ts
var setupHandler = (deps) => handler("auth.setup", {
  access: { kind: "public" },
  async prepare(ctx, input) {
    if (hasAccounts(deps.db)) throw setupDone();
    const problem = passwordProblem(input.password, input);
    if (problem) throw new OpError("WEAK_PASSWORD", problem, { field: "password" });
    return { passwordHash: await hashPassword(input.password, ctx.entropy.bytes(16)) };
  },
  run(ctx, input, { passwordHash }) {
    if (hasAccounts(deps.db)) throw setupDone();
    const now = ctx.clock.now();
    const groupId = ctx.entropy.id();
    const userId = ctx.entropy.id();
    stmt(deps.db, "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, NULL, 'provider', ?, ?, ?)").run(
      groupId,
      input.rootGroupName,
      now,
      now
    );
    stmt(
      deps.db,
      `INSERT INTO users (id, username, email, full_name, home_group_id, kind, status, password_hash, protected, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'member', 'active', ?, 1, ?, ?)`
    ).run(userId, input.username, input.email, input.fullName, groupId, passwordHash, now, now);
    stmt(deps.db, "INSERT INTO group_closure (ancestor, descendant, depth) VALUES (?, ?, 0)").run(groupId, groupId);
    stmt(deps.db, "INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)").run(userId, OWNER_ROLE_ID, groupId);
    startSession(ctx, deps, userId, "enroll");
    ctx.audit({
      target: { type: "user", id: userId, name: input.username },
      groupId,
      after: { rootGroupName: input.rootGroupName, username: input.username, email: input.email, fullName: input.fullName }
    });
    const user = { id: userId, username: input.username, full_name: input.fullName, email: input.email };
    return { stage: "enroll", user: sessionUser(user) };
  }
});
function setupDone() {
  return new OpError("SETUP_DONE", "Steward is already set up. Sign in instead.");
}

// main/features/auth/sign-in.ts
var WRONG = "The username, email or password is not right";
var signInHandler = (deps) => handler("auth.signIn", {
  access: { kind: "public" },
  async prepare(ctx, input) {
    const account = findAccountByLogin(deps.db, input.login);
    const key2 = account ? throttleKeys.password(account.id) : throttleKeys.unknownLogin(ctx.secrets.mac("unknown login", input.login.toLowerCase()));
    if (deps.throttle.check(key2, ctx.source, ctx.clock.now()).locked) return { account, key: key2, passwordOk: false };
    const passwordOk = await verifyPassword(input.password, account?.password_hash ?? await dummyHash());
    return { account, key: key2, passwordOk: passwordOk && account?.password_hash != null };
  },
  run(ctx, _input, { account, key: key2, passwordOk }) {
    if (!hasAccounts(deps.db)) return refuse("SETUP_REQUIRED", "Steward is not set up yet");
    if (account) ctx.audit({ target: { type: "user", id: account.id, name: account.username } });
    const locked = lockedOut(deps.throttle, key2, ctx);
    if (locked) return locked;
    if (!account || !passwordOk) return wrongSecret(deps.throttle, key2, ctx, { code: "INVALID_CREDENTIALS", message: WRONG });
    if (account.status !== "active") return refuse("FORBIDDEN", "This account is disabled. Ask an administrator to enable it.");
    deps.throttle.reset(key2, ctx.source);
    const stage = account.totp_secret ? "mfa" : "enroll";
    startSession(ctx, deps, account.id, stage);
    ctx.audit({
      action: "auth.signIn.password",
      target: { type: "user", id: account.id, name: account.username },
      after: { next: stage }
    });
    return { stage, user: sessionUser(account) };
  }
});

// main/features/auth/sign-out.ts
var signOutHandler = (deps) => handler("auth.signOut", {
  access: { kind: "self" },
  run(ctx) {
    const actor = requireActor(ctx);
    deps.sessions.delete(actor.sessionId);
    ctx.setSession({ kind: "clear" });
    ctx.audit({ target: { type: "user", id: actor.userId, name: actor.username } });
    return { signedOut: true };
  }
});

// main/features/groups/records.ts
var EMPTY_PROFILE = { address: "", website: "", billingName: "", billingEmail: "", billingPhone: "" };
var EMPTY_BRANDING = { productName: "", logo: null, primaryColor: null, accentColor: null };
function groupRow(db, id) {
  return stmt(
    db,
    "SELECT id, parent_id, kind, name, service_type, seat_limit, profile, branding FROM groups WHERE id = ?"
  ).get(id);
}
function parseProfile(text2) {
  return { ...EMPTY_PROFILE, ...JSON.parse(text2) };
}
function parseBranding(text2) {
  return { ...EMPTY_BRANDING, ...JSON.parse(text2) };
}
function isBranded(branding) {
  return branding.productName !== "" || branding.logo !== null || branding.primaryColor !== null || branding.accentColor !== null;
}
function contactsOf(db, groupId) {
  return stmt(db, "SELECT name, role, email, phone FROM group_contacts WHERE group_id = ? ORDER BY position").all(
    groupId
  );
}
function activitiesOf(db, groupId) {
  return stmt(
    db,
    "SELECT date, kind, subject, notes FROM group_activities WHERE group_id = ? ORDER BY date DESC, position"
  ).all(groupId);
}
function replaceContacts(db, groupId, contacts) {
  stmt(db, "DELETE FROM group_contacts WHERE group_id = ?").run(groupId);
  const insert = stmt(db, "INSERT INTO group_contacts (group_id, position, name, role, email, phone) VALUES (?, ?, ?, ?, ?, ?)");
  contacts.forEach((c, i) => insert.run(groupId, i, c.name, c.role, c.email, c.phone));
}
function replaceActivities(db, groupId, activities) {
  stmt(db, "DELETE FROM group_activities WHERE group_id = ?").run(groupId);
  const insert = stmt(db, "INSERT INTO group_activities (group_id, position, date, kind, subject, notes) VALUES (?, ?, ?, ?, ?, ?)");
  activities.forEach((a, i) => insert.run(groupId, i, a.date, a.kind, a.subject, a.notes));
}
function effectiveBranding(db, groupId) {
  const rows = stmt(
    db,
    "SELECT g.id, g.branding FROM group_closure c JOIN groups g ON g.id = c.ancestor WHERE c.descendant = ? AND g.branding <> '{}' ORDER BY c.depth"
  ).all(groupId);
  for (const row of rows) {
    const branding = parseBranding(row.branding);
    if (isBranded(branding)) return { ...branding, fromGroupId: row.id };
  }
  return null;
}
function siblingWithName(db, parentId, name, exceptId = "") {
  return stmt(
    db,
    "SELECT id FROM groups WHERE parent_id = ? AND name = ? COLLATE NOCASE AND id <> ?"
  ).get(parentId, name, exceptId)?.id;
}
function manageKeyFor(kind2) {
  return kind2 === "location" || kind2 === "department" ? "locations.manage" : "groups.manage";
}

// main/features/auth/status.ts
var statusHandler = (deps) => handler("auth.status", {
  access: { kind: "public" },
  run(ctx) {
    const account = ctx.actor ? findAccount(deps.db, ctx.actor.userId) : void 0;
    return {
      setupRequired: !hasAccounts(deps.db),
      rootGroupName: rootGroupName(deps.db),
      session: ctx.actor && account ? { stage: ctx.actor.stage, user: sessionUser(account) } : null,
      idleTimeoutMinutes: readSetting(deps.db, "session.idleTimeoutMinutes"),
      branding: ctx.actor?.stage === "active" && account ? effectiveBranding(deps.db, account.home_group_id) : null
    };
  }
});

// main/features/auth/verify-code.ts
var verifyCodeHandler = (deps) => handler("auth.verifyCode", {
  access: { kind: "self" },
  async prepare(ctx, input) {
    const account = findAccount(deps.db, requireActor(ctx).userId);
    if (!account?.totp_secret) throw new OpError("WRONG_STAGE", "This account has no authenticator yet; sign in again to set one up");
    if (input.code === void 0) return { check: null };
    const secret = ctx.secrets.open(account.totp_secret).toString("utf8");
    return { check: await checkCode(secret, input.code, ctx.clock.now(), account.totp_last_step) };
  },
  run(ctx, input, { check: check2 }) {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const key2 = throttleKeys.code(actor.userId);
    ctx.audit({
      target: { type: "user", id: actor.userId, name: actor.username },
      after: { method: check2 ? "authenticator" : "recovery code" }
    });
    const locked = lockedOut(deps.throttle, key2, ctx);
    if (locked) return locked;
    const account = findAccount(deps.db, actor.userId);
    if (!account) throw new OpError("UNAUTHENTICATED", "This account no longer exists");
    const accepted = check2 ? acceptCode(deps, account.id, account.totp_last_step, check2) : acceptRecoveryCode(ctx, deps, account.id, input.recoveryCode ?? "", now);
    if (accepted !== true) return wrongSecret(deps.throttle, key2, ctx, { ...accepted, field: check2 ? "code" : "recoveryCode" });
    deps.throttle.reset(key2, ctx.source);
    stmt(deps.db, "UPDATE users SET last_sign_in_at = ? WHERE id = ?").run(now, account.id);
    promoteSession(ctx, deps, "active");
    return { stage: "active", user: sessionUser(account) };
  }
});
function acceptCode(deps, userId, lastStep, check2) {
  if (check2.kind === "reused" || check2.kind === "valid" && lastStep !== null && check2.timeStep <= lastStep) {
    return { code: "CODE_REUSED", message: "This code was already used. Wait for the next code from your authenticator app." };
  }
  if (check2.kind === "invalid")
    return { code: "INVALID_CODE", message: "That code is not right. Check the time on your device and try again." };
  stmt(deps.db, "UPDATE users SET totp_last_step = ? WHERE id = ?").run(check2.timeStep, userId);
  return true;
}
function acceptRecoveryCode(ctx, deps, userId, code, now) {
  const used = stmt(deps.db, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL").run(
    now,
    userId,
    recoveryCodeHash(ctx.secrets, code)
  );
  return used.changes === 1 ? true : { code: "INVALID_CODE", message: "That recovery code is not valid or was already used." };
}

// main/features/auth/index.ts
function authHandlers(deps) {
  return [
    statusHandler(deps),
    setupHandler(deps),
    signInHandler(deps),
    verifyCodeHandler(deps),
    beginEnrollmentHandler(deps),
    confirmEnrollmentHandler(deps),
    signOutHandler(deps),
    changePasswordHandler(deps),
    regenerateRecoveryCodesHandler(deps)
  ];
}

// main/features/devices/classify.ts
var placeCache = /* @__PURE__ */ new WeakMap();
function invalidatePlaces(db) {
  placeCache.delete(db);
}
function loadPlaces(db, groupIds) {
  let cache3 = placeCache.get(db);
  if (!cache3) placeCache.set(db, cache3 = /* @__PURE__ */ new Map());
  const places = /* @__PURE__ */ new Map();
  const missing = /* @__PURE__ */ new Set();
  for (const id of groupIds) {
    const hit = cache3.get(id);
    if (hit) places.set(id, hit);
    else missing.add(id);
  }
  if (missing.size === 0) return places;
  const rows = stmt(
    db,
    `SELECT c.descendant, c.ancestor, g.kind FROM group_closure c JOIN groups g ON g.id = c.descendant
     WHERE c.descendant IN (SELECT value FROM json_each(?)) ORDER BY c.descendant, c.depth`
  ).all(JSON.stringify([...missing]));
  for (const row of rows) {
    let place = places.get(row.descendant);
    if (!place) {
      places.set(row.descendant, place = { path: [], kind: row.kind });
      cache3.set(row.descendant, place);
    }
    place.path.push(row.ancestor);
  }
  return places;
}
function loadAssignments(db, deviceIds, userIds) {
  const out = /* @__PURE__ */ new Set();
  if (deviceIds.length === 0 || userIds.length === 0) return out;
  const wanted = new Set(userIds);
  const rows = stmt(
    db,
    "SELECT device_id, user_id FROM device_assignments WHERE device_id IN (SELECT value FROM json_each(?))"
  ).all(JSON.stringify(deviceIds));
  for (const row of rows) if (wanted.has(row.user_id)) out.add(pairKey(row.device_id, row.user_id));
  return out;
}
var pairKey = (deviceId, userId) => `${deviceId}	${userId}`;
function actorSubject(db, userId) {
  if (!userId) return { userId: "", bindings: [] };
  const status = stmt(db, "SELECT status FROM users WHERE id = ?").get(userId)?.status;
  return { userId, bindings: status === "active" ? bindingsOf(db, userId) : [] };
}
function loadMembers(db, actor, userIds) {
  return userIds.map((id) => {
    const target2 = resolveTarget(db, "user", id, actor.userId);
    const visible = target2 !== void 0 && (id === actor.userId || decide(actor.bindings, "users.view", target2).allowed);
    return { userId: id, username: target2?.name ?? "", visible, bindings: target2 ? bindingsOf(db, id) : [] };
  });
}
var deviceTarget = (id, place, assignedToSubject) => ({
  type: "device",
  id,
  path: place.path,
  kind: place.kind,
  assignedToSubject
});
function actorSees(actor, deviceId, place, assigned) {
  return decide(actor.bindings, "devices.view", deviceTarget(deviceId, place, assigned.has(pairKey(deviceId, actor.userId)))).allowed;
}
function actorAssigns(actor, deviceId, place, assigned) {
  return decide(actor.bindings, "devices.assign", deviceTarget(deviceId, place, assigned.has(pairKey(deviceId, actor.userId)))).allowed;
}
function holdRefusal(member, deviceId, place) {
  if (!member.bindings.some((b) => place.path.includes(b.groupId))) return "member-outside-company";
  return decide(member.bindings, "devices.view", deviceTarget(deviceId, place, true)).allowed ? null : "member-cannot-hold";
}
function dominatesAt(actor, member, place) {
  if (actor.userId === member.userId) return true;
  const placed = member.bindings.flatMap((b) => {
    const at = place.path.indexOf(b.groupId);
    return at < 0 ? [] : [{ ...b, path: place.path.slice(at) }];
  });
  return dominates(actor.bindings, placed);
}
function classifyDevice(action, actor, deviceId, place, members, assigned) {
  const all2 = (reason) => ({
    change: [],
    unchanged: 0,
    refused: members.map((m) => ({ userId: m.userId, reason }))
  });
  if (!place || !actorSees(actor, deviceId, place, assigned)) return all2("device-not-found");
  if (!actorAssigns(actor, deviceId, place, assigned)) return all2("device-out-of-scope");
  const out = { change: [], unchanged: 0, refused: [] };
  for (const member of members) {
    if (!member.visible) {
      out.refused.push({ userId: member.userId, reason: "member-not-visible" });
      continue;
    }
    if (!dominatesAt(actor, member, place)) {
      out.refused.push({ userId: member.userId, reason: "member-holds-more" });
      continue;
    }
    const holds = assigned.has(pairKey(deviceId, member.userId));
    if (action === "unassign") {
      if (holds) out.change.push(member.userId);
      else out.unchanged++;
      continue;
    }
    if (holds) {
      out.unchanged++;
      continue;
    }
    const refusal = holdRefusal(member, deviceId, place);
    if (refusal) out.refused.push({ userId: member.userId, reason: refusal });
    else out.change.push(member.userId);
  }
  return out;
}
var REFUSAL_MESSAGES = {
  "device-not-found": "The device does not exist, or you may not see it",
  "device-out-of-scope": "The device is outside your scope: your role lacks devices.assign (Assign devices to team members) there",
  "member-not-visible": "You may not see this member",
  "member-outside-company": "The member is outside the device\u2019s company: none of their roles reaches its group",
  "member-cannot-hold": "The member cannot hold devices there: their role grants no devices.view (View devices)",
  "member-holds-more": "The member holds rights there that you do not; only someone who holds all of them may change their devices",
  "starter-lost-authority": "Not done: the job stopped because its starter lost a right it needs (devices.view, devices.assign or users.view); see the job\u2019s note"
};
var ACTOR_REFUSALS = /* @__PURE__ */ new Set([
  "device-not-found",
  "device-out-of-scope",
  "member-not-visible",
  // Dominance (R7) compares the actor's rights with the member's: losing rights can make it fail.
  "member-holds-more"
]);

// main/features/devices/common-group.ts
function commonGroup(paths) {
  let common2;
  for (const path of paths) {
    if (!common2) {
      common2 = path;
      continue;
    }
    let i = 0;
    while (i < common2.length && i < path.length && common2[i] === path[i]) i++;
    common2 = common2.slice(0, i);
  }
  return common2?.[common2.length - 1];
}

// main/features/devices/assign.ts
function directHandler(db, action) {
  return handler(action === "assign" ? "devices.assign" : "devices.unassign", {
    // Every named device must be visible and assignable, every named member visible (the caller
    // is always visible to themselves); whether each member may hold each device stays below.
    access: {
      kind: "scoped",
      anywhere: "devices.assign",
      keys: ["devices.assign", "users.view"],
      needs: (input, caller) => [
        ...input.deviceIds.map((id, i) => ({ permission: "devices.assign", on: { type: "device", id, field: `deviceIds.${i}` } })),
        ...input.userIds.flatMap(
          (id, i) => id === caller.userId ? [] : [{ permission: "users.view", on: { type: "user", id, field: `userIds.${i}` } }]
        )
      ]
    },
    run(ctx, input) {
      const actor = actorSubject(db, ctx.actor.userId);
      const deviceIds = [...new Set(input.deviceIds)];
      const userIds = [...new Set(input.userIds)];
      const members = loadMembers(db, actor, userIds);
      const devices2 = stmt(
        db,
        "SELECT id, name, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))"
      ).all(JSON.stringify(deviceIds));
      const byId = new Map(devices2.map((d) => [d.id, d]));
      const places = loadPlaces(
        db,
        devices2.map((d) => d.group_id)
      );
      const assigned = loadAssignments(db, deviceIds, [...userIds, actor.userId]);
      const pairs = [];
      let unchanged = 0;
      for (const deviceId of deviceIds) {
        const device = byId.get(deviceId);
        const outcome = classifyDevice(action, actor, deviceId, device && places.get(device.group_id), members, assigned);
        const refusal = outcome.refused[0];
        if (refusal) {
          const member = members.find((m) => m.userId === refusal.userId);
          const deviceField = `deviceIds.${input.deviceIds.indexOf(deviceId)}`;
          const memberField = `userIds.${input.userIds.indexOf(refusal.userId)}`;
          if (refusal.reason === "device-not-found")
            throw new OpError("NOT_FOUND", `No device with id ${deviceId} exists, or you may not see it`, { field: deviceField });
          if (refusal.reason === "member-not-visible")
            throw new OpError("NOT_FOUND", `No member with id ${refusal.userId} exists, or you may not see them`, { field: memberField });
          const who = refusal.reason === "device-out-of-scope" ? "" : ` (${member?.username ?? refusal.userId})`;
          throw new OpError("FORBIDDEN", `${device?.name ?? deviceId}${who}: ${REFUSAL_MESSAGES[refusal.reason]}`, {
            field: refusal.reason === "device-out-of-scope" ? deviceField : memberField
          });
        }
        unchanged += outcome.unchanged;
        for (const userId of outcome.change) pairs.push([deviceId, userId]);
      }
      const write = action === "assign" ? stmt(db, "INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)") : stmt(db, "DELETE FROM device_assignments WHERE device_id = ? AND user_id = ?");
      for (const [deviceId, userId] of pairs) write.run(deviceId, userId);
      const only = devices2.length === 1 ? devices2[0] : void 0;
      const home = commonGroup(devices2.map((d) => [...places.get(d.group_id)?.path ?? []].reverse()));
      ctx.audit({
        target: only ? { type: "device", id: only.id, name: only.name } : { type: "devices", id: "selection", name: `${devices2.length} devices` },
        ...home ? { groupId: home } : {},
        after: {
          devices: devices2.slice(0, 20).map((d) => d.name),
          deviceCount: devices2.length,
          members: members.map((m) => m.username),
          changed: pairs.length,
          unchanged
        }
      });
      return { changed: pairs.length, unchanged };
    }
  });
}
var deviceAssignHandlers = (db) => [directHandler(db, "assign"), directHandler(db, "unassign")];

// main/features/devices/import/groups.ts
var fold = (s) => s.trim().toLowerCase();
var GroupResolver = class {
  byId = /* @__PURE__ */ new Map();
  byName = /* @__PURE__ */ new Map();
  answers = /* @__PURE__ */ new Map();
  constructor(db, actorId) {
    const visible = scopeCondition(db, actorId, "groups.view", { group: "g.id", kind: "g.kind" }, "gv");
    const manage = scopeCondition(db, actorId, "devices.manage", { group: "g.id", kind: "g.kind" }, "gm");
    const rows = stmt(
      db,
      `SELECT g.id, g.parent_id, g.name, ${visible.sql} AS visible, ${manage.sql} AS manage FROM groups g`
    ).all({ ...visible.params, ...manage.params });
    const all2 = new Map(rows.map((r) => [r.id, r]));
    const pathOf = (id) => {
      const names = [];
      const ids = [];
      for (let g = all2.get(id); g; g = g.parent_id ? all2.get(g.parent_id) : void 0) {
        names.unshift(g.name);
        ids.unshift(g.id);
      }
      return { names, ids };
    };
    for (const row of rows) {
      if (!row.visible) continue;
      const path = pathOf(row.id);
      const choice = { id: row.id, name: row.name, path: path.names, pathIds: path.ids, manage: row.manage === 1 };
      this.byId.set(row.id, choice);
      const key2 = fold(row.name);
      const list = this.byName.get(key2);
      if (list) list.push(choice);
      else this.byName.set(key2, [choice]);
    }
  }
  resolve(text2) {
    const cached = this.answers.get(text2);
    if (cached) return cached;
    const answer2 = this.lookup(text2);
    this.answers.set(text2, answer2);
    return answer2;
  }
  lookup(text2) {
    const byId = this.byId.get(text2.trim());
    if (byId) return { group: byId };
    const segments = text2.split("/").map(fold);
    if (segments.some((s) => s === "")) return { problem: `"${text2.slice(0, 80)}" is not a group path (write names joined by " / ")` };
    const candidates = (this.byName.get(segments[segments.length - 1] ?? "") ?? []).filter((g) => {
      if (g.path.length < segments.length) return false;
      const tail = g.path.slice(g.path.length - segments.length).map(fold);
      return tail.every((name, i) => name === segments[i]);
    });
    const [only, ...others] = candidates;
    if (!only) return { problem: `No group "${text2.slice(0, 80)}" that you can see` };
    if (others.length > 0)
      return {
        problem: `"${text2.slice(0, 80)}" matches ${candidates.length} groups; write more of its path (for example ${only.path.join(" / ")})`
      };
    return { group: only };
  }
};

// main/features/devices/query.ts
function deviceScope(db, subjectId, key2, prefix, bindings3 = bindingsOf(db, subjectId)) {
  const def = permission(key2);
  if (!def) return { sql: "0", params: {} };
  const scope = /* @__PURE__ */ new Set();
  const assigned = /* @__PURE__ */ new Set();
  for (const binding of bindings3) {
    if (binding.role.permissions.has(def.key)) (binding.role.deviceVisibility === "assigned" ? assigned : scope).add(binding.groupId);
  }
  const root = rootGroup(db)?.id ?? "";
  const params = {};
  const inSubtrees = (roots, name) => {
    if (roots.has(root)) return "1";
    params[name] = JSON.stringify([...roots]);
    return `d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(@${name})))`;
  };
  const parts = [];
  if (scope.size > 0) parts.push(inSubtrees(scope, `${prefix}Roots`));
  if (assigned.size > 0 && !parts.includes("1")) {
    params[`${prefix}Subject`] = subjectId;
    parts.push(
      `(d.id IN (SELECT device_id FROM device_assignments WHERE user_id = @${prefix}Subject) AND ${inSubtrees(assigned, `${prefix}AssignedRoots`)})`
    );
  }
  const any = parts.length === 0 ? "0" : parts.includes("1") ? "1" : parts.join(" OR ");
  const kinds = GROUP_KINDS.filter((k) => moduleAvailable(def.module, k));
  if (kinds.length === GROUP_KINDS.length) return { sql: `(${any})`, params };
  params[`${prefix}Kinds`] = JSON.stringify(kinds);
  return { sql: `(g.kind IN (SELECT value FROM json_each(@${prefix}Kinds)) AND (${any}))`, params };
}
var DEVICE_FROM = "FROM devices d";
var WITH_GROUP = "FROM devices d JOIN groups g ON g.id = d.group_id";
var SORT_SQL = {
  name: "d.name COLLATE NOCASE",
  kind: "d.kind",
  os: "d.os",
  status: "d.status",
  lastBackupAt: "d.last_backup_at",
  group: "g.name COLLATE NOCASE"
};
function deviceFilterNeeds(filter, at, actor) {
  const needs = [];
  if (filter?.groupId) needs.push({ permission: "groups.view", on: { type: "group", id: filter.groupId, field: `${at}.groupId` } });
  if (filter?.assigneeId && filter.assigneeId !== actor.userId)
    needs.push({ permission: "users.view", on: { type: "user", id: filter.assigneeId, field: `${at}.assigneeId` } });
  return needs;
}
var DEVICE_FILTER_KEYS = ["groups.view", "users.view"];
function deviceWhere(db, actorId, filter = {}, options = {}) {
  const scope = deviceScope(db, actorId, "devices.view", "vis", options.asOfStart);
  const parts = [scope.sql];
  const params = { ...scope.params };
  const text2 = filter.text ?? "";
  if (text2 !== "") {
    parts.push("d.name LIKE @like ESCAPE '\\'");
    params.like = `%${text2.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const list = (name, column, values) => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
    params[name] = JSON.stringify([...new Set(values)]);
  };
  list("kinds", "d.kind", filter.kinds);
  list("os", "d.os", filter.os);
  list("statuses", "d.status", filter.statuses);
  if (filter.groupId) {
    parts.push("d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId)");
    params.groupId = filter.groupId;
  }
  if (filter.assignment === "assigned") parts.push("EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)");
  if (filter.assignment === "unassigned") parts.push("NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)");
  if (filter.assigneeId) {
    parts.push("EXISTS (SELECT 1 FROM device_assignments m WHERE m.device_id = d.id AND m.user_id = @assigneeId)");
    params.assigneeId = filter.assigneeId;
  }
  const where = parts.join(" AND ");
  const from = options.needGroup || where.includes("g.kind") ? WITH_GROUP : DEVICE_FROM;
  return { from: options.idOrder ? from.replace("devices d", "devices d INDEXED BY sqlite_autoindex_devices_1") : from, where, params };
}
function describeFilter(filter, names) {
  const words = [];
  if (filter.text) words.push(`name contains "${filter.text}"`);
  if (filter.kinds?.length) words.push(`kind ${filter.kinds.join(" or ")}`);
  if (filter.os?.length) words.push(`OS ${filter.os.join(" or ")}`);
  if (filter.statuses?.length) words.push(`status ${filter.statuses.join(" or ")}`);
  if (filter.groupId) words.push(`in ${names.group ?? "a group"} and below`);
  if (filter.assignment === "assigned" || filter.assignment === "unassigned") words.push(filter.assignment);
  if (filter.assigneeId) words.push(`held by ${names.assignee ?? "a member"}`);
  return words.length === 0 ? "All devices you can see" : `Devices with ${words.join(", ")}`;
}

// main/features/devices/export.ts
var devicesExportHandler = (db) => handler("devices.export", {
  access: {
    kind: "list",
    permission: "devices.view",
    keys: DEVICE_FILTER_KEYS,
    needs: (input, actor) => deviceFilterNeeds(input.filter, "filter", actor)
  },
  run(ctx, input) {
    const actorId = ctx.actor.userId;
    const q = deviceWhere(db, actorId, input.filter);
    const rows = stmt(
      db,
      `SELECT d.name, d.kind, d.os, d.status, d.last_backup_at, d.group_id ${q.from} WHERE ${q.where} ORDER BY d.name COLLATE NOCASE, d.id`
    ).all(q.params);
    const groups = new GroupResolver(db, actorId);
    const groupPath2 = (id) => {
      const answer2 = groups.resolve(id);
      return "group" in answer2 ? answer2.group.path.join(" / ") : id;
    };
    const records = rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      os: r.os,
      status: r.status,
      lastBackupAt: r.last_backup_at === null ? "" : new Date(r.last_backup_at).toISOString(),
      group: groupPath2(r.group_id)
    }));
    const content = input.format === "json" ? `${JSON.stringify(records, null, 1)}
` : [IMPORT_COLUMNS.join(","), ...records.map((r) => IMPORT_COLUMNS.map((c) => csvCell(r[c])).join(","))].join("\r\n") + "\r\n";
    const words = describeFilter(input.filter ?? {}, {});
    ctx.audit({
      action: "devices.export",
      target: { type: "devices", id: "export", name: `${input.format.toUpperCase()} export` },
      after: { format: input.format, rows: rows.length, filter: words }
    });
    return { content, filename: `devices.${input.format}`, rows: rows.length };
  }
});

// main/features/devices/import/csv.ts
var SUSPICIOUS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\uFFFD]/;
function readCsv(text2) {
  const out = [];
  let i = text2.charCodeAt(0) === 65279 ? 1 : 0;
  let line = 1;
  while (i < text2.length) {
    let end = text2.indexOf("\n", i);
    if (end === -1) end = text2.length;
    const raw = text2.slice(i, end > i && text2[end - 1] === "\r" ? end - 1 : end);
    if (!raw.includes('"')) {
      if (raw.trim() !== "") out.push({ line, fields: raw.split(","), plain: !SUSPICIOUS.test(raw) });
      i = end + 1;
      line++;
      continue;
    }
    const quoted = readQuotedRecord(text2, i, line);
    out.push(quoted.record);
    i = quoted.next;
    line = quoted.nextLine;
  }
  return out;
}
function readQuotedRecord(text2, start, line) {
  const fields = [];
  let field = "";
  let quoted = false;
  let afterQuote = false;
  let error = null;
  let i = start;
  let currentLine = line;
  while (i < text2.length) {
    const c = text2[i];
    if (quoted) {
      if (c === '"' && text2[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
        i++;
      } else {
        if (c === "\n") currentLine++;
        field += c;
        i++;
      }
      continue;
    }
    if (c === "\n" || c === "\r" && text2[i + 1] === "\n") break;
    if (c === ",") {
      fields.push(field);
      field = "";
      afterQuote = false;
    } else if (afterQuote) {
      error ??= "Text after a closing quote";
    } else if (c === '"') {
      if (field !== "") error ??= "A quote inside an unquoted value (quote the whole value and double the quote)";
      else quoted = true;
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) error ??= "A quoted value is not closed";
  fields.push(field);
  const next = text2[i] === "\r" ? i + 2 : i + 1;
  const record = error ? { line, error } : { line, fields, plain: false };
  return { record, next, nextLine: currentLine + 1 };
}

// main/features/devices/import/rows.ts
var REQUIRED = ["name", "kind", "status"];
var BAD_ENCODING = "The text is not valid UTF-8 (it holds an undecodable byte); save the file as UTF-8 and import it again";
var undefuse = (value) => /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
function lookupEnum(value, values, labels) {
  const wanted = value.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return values.find((v) => v === wanted || labels[v].toLowerCase().replace(/[\s-]+/g, "_") === wanted);
}
function checkRow(line, raw, now, out, plain = false) {
  const before = out.length;
  const reject = (field, reason) => out.push({ line, field, reason });
  const text2 = (column) => undefuse((raw[column] ?? "").trim());
  for (const column of plain ? [] : IMPORT_COLUMNS) {
    const value = raw[column];
    if (typeof value === "string" && value.includes("\uFFFD")) reject(column, BAD_ENCODING);
    else if (typeof value === "string" && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
      reject(column, "Control characters are not allowed");
  }
  if (out.length > before) return null;
  const name = text2("name");
  if (name === "") reject("name", "A name is required");
  else if (name.length > DEVICE_NAME_MAX) reject("name", `A name is at most ${DEVICE_NAME_MAX} characters`);
  const kind2 = lookupEnum(text2("kind"), DEVICE_KINDS, DEVICE_KIND_LABELS);
  if (!kind2) reject("kind", `Kind must be one of: ${DEVICE_KINDS.join(", ")}`);
  const status = lookupEnum(text2("status"), DEVICE_STATUSES, DEVICE_STATUS_LABELS);
  if (!status) reject("status", `Status must be one of: ${DEVICE_STATUSES.join(", ")}`);
  const os = text2("os");
  if (os.length > DEVICE_OS_MAX) reject("os", `OS is at most ${DEVICE_OS_MAX} characters`);
  const backupText = text2("lastBackupAt");
  let lastBackupAt = null;
  if (backupText !== "") {
    const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(backupText);
    const parsed = iso ? Date.parse(/T|\s/.test(backupText) && !/(Z|[+-]\d{2}:?\d{2})$/.test(backupText) ? `${backupText}Z` : backupText) : NaN;
    if (Number.isNaN(parsed)) reject("lastBackupAt", "Last backup must be an ISO 8601 date or time, such as 2024-05-01T13:45:00Z");
    else if (parsed > now) reject("lastBackupAt", "Last backup is in the future");
    else if (status === "never") reject("lastBackupAt", "A device that was never backed up has no last backup");
    else lastBackupAt = parsed;
  }
  if (out.length > before || !kind2 || !status) return null;
  return { line, name, kind: kind2, os, status, lastBackupAt, group: text2("group") };
}
function checkColumns(names, needGroup) {
  const known = new Set(IMPORT_COLUMNS);
  const seen = /* @__PURE__ */ new Set();
  for (const name of names) {
    if (!known.has(name)) return `Unknown column "${name.slice(0, 40)}"; the columns are ${IMPORT_COLUMNS.join(", ")}`;
    if (seen.has(name)) return `The column "${name}" appears twice`;
    seen.add(name);
  }
  const missing = [...REQUIRED, ...needGroup ? ["group"] : []].filter((c) => !seen.has(c));
  return missing.length ? `Missing column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}` : null;
}
var normalizeHeader = (name) => {
  const n = name.trim().replace(/^\uFEFF/, "");
  return n.toLowerCase() === "lastbackupat" || n.toLowerCase() === "last_backup_at" ? "lastBackupAt" : n.toLowerCase();
};
var tooMany = (seen) => ({
  line: 0,
  field: "",
  reason: `The file has ${seen.toLocaleString("en")} rows; an import takes at most ${IMPORT_ROWS_MAX.toLocaleString("en")}`
});
function parseCsvFile(content, needGroup, now) {
  const records = readCsv(content);
  const [header, ...body] = records;
  if (!header) return { rows: [], rejected: [{ line: 0, field: "", reason: "The file is empty" }], seen: 0 };
  if (header.error !== void 0)
    return { rows: [], rejected: [{ line: header.line, field: "", reason: header.error }], seen: body.length };
  if (header.fields.some((f) => f.includes("\uFFFD")))
    return { rows: [], rejected: [{ line: 1, field: "", reason: BAD_ENCODING }], seen: body.length };
  const columns = header.fields.map(normalizeHeader);
  const problem = checkColumns(columns, needGroup);
  if (problem) return { rows: [], rejected: [{ line: header.line, field: "", reason: problem }], seen: body.length };
  if (body.length > IMPORT_ROWS_MAX) return { rows: [], rejected: [tooMany(body.length)], seen: body.length };
  const rejected = [];
  const rows = [];
  for (const record of body) {
    if (record.error !== void 0) {
      rejected.push({ line: record.line, field: "", reason: record.error });
      continue;
    }
    if (record.fields.length !== columns.length) {
      rejected.push({ line: record.line, field: "", reason: `Expected ${columns.length} values, found ${record.fields.length}` });
      continue;
    }
    const raw = {};
    columns.forEach((c, j) => raw[c] = record.fields[j]);
    const row = checkRow(record.line, raw, now, rejected, record.plain);
    if (row) rows.push(row);
  }
  return { rows, rejected, seen: body.length };
}
function parseJsonFile(content, needGroup, now) {
  let data;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ""));
  } catch (error) {
    return { rows: [], rejected: [{ line: 0, field: "", reason: `The file is not valid JSON: ${error.message}` }], seen: 0 };
  }
  if (!Array.isArray(data))
    return { rows: [], rejected: [{ line: 0, field: "", reason: "The file must hold a JSON array of devices" }], seen: 0 };
  if (data.length > IMPORT_ROWS_MAX) return { rows: [], rejected: [tooMany(data.length)], seen: data.length };
  const rejected = [];
  const rows = [];
  data.forEach((item, index) => {
    const line = index + 1;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      rejected.push({ line, field: "", reason: "Each entry must be an object with the device\u2019s fields" });
      return;
    }
    const before = rejected.length;
    const raw = {};
    const problem = checkColumns(Object.keys(item).map(normalizeHeader), needGroup);
    if (problem) {
      rejected.push({ line, field: "", reason: problem });
      return;
    }
    for (const [key2, value] of Object.entries(item)) {
      const column = normalizeHeader(key2);
      if (value === null || typeof value === "string") raw[column] = value;
      else rejected.push({ line, field: column, reason: "Values must be text (or null)" });
    }
    const row = checkRow(line, raw, now, rejected);
    if (row && rejected.length === before) rows.push(row);
  });
  return { rows, rejected, seen: data.length };
}

// main/features/devices/import/import.ts
var REPORT_MAX = 1e3;
var foldAscii = (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
var devicesImportHandler = (db) => handler("devices.import", {
  // Each row's group needs devices.manage (the resolver's per-row rule, reported row by row,
  // so a file is answered in full); the default group, when given, is decided up front.
  access: {
    kind: "scoped",
    keys: ["devices.manage"],
    needs: (input) => input.defaultGroupId ? [{ permission: "devices.manage", on: { type: "group", id: input.defaultGroupId, field: "defaultGroupId" } }] : []
  },
  prepare: (ctx, input) => {
    const needGroup = input.defaultGroupId === void 0;
    const now = ctx.clock.now();
    return Promise.resolve(
      input.format === "csv" ? parseCsvFile(input.content, needGroup, now) : parseJsonFile(input.content, needGroup, now)
    );
  },
  run(ctx, input, parsed) {
    const actorId = ctx.actor.userId;
    const resolver = new GroupResolver(db, actorId);
    let fallback;
    if (input.defaultGroupId) {
      const answer2 = resolver.resolve(input.defaultGroupId);
      if (!("group" in answer2)) throw new OpError("NOT_FOUND", answer2.problem, { field: "defaultGroupId" });
      fallback = answer2.group;
    }
    const rejected = [...parsed.rejected];
    const placed = [];
    for (const row of parsed.rows) {
      const answer2 = row.group === "" ? fallback ? { group: fallback } : { problem: "A group is required" } : resolver.resolve(row.group);
      if (!("group" in answer2)) rejected.push({ line: row.line, field: "group", reason: answer2.problem });
      else if (!answer2.group.manage)
        rejected.push({
          line: row.line,
          field: "group",
          reason: `You may not add devices to ${answer2.group.name}: your role lacks devices.manage (Add, import, edit and remove devices) there`
        });
      else placed.push({ row, group: answer2.group });
    }
    const groups = new Map(placed.map((p2) => [p2.group.id, p2.group]));
    const existing2 = new Set(
      stmt(
        db,
        "SELECT group_id, name FROM devices WHERE group_id IN (SELECT value FROM json_each(?))"
      ).all(JSON.stringify([...groups.keys()])).map((d) => `${d.group_id}	${foldAscii(d.name)}`)
    );
    const firstLine = /* @__PURE__ */ new Map();
    const good = [];
    for (const p2 of placed) {
      const key2 = `${p2.group.id}	${foldAscii(p2.row.name)}`;
      const earlier = firstLine.get(key2);
      if (existing2.has(key2))
        rejected.push({ line: p2.row.line, field: "name", reason: `${p2.group.name} already has a device named ${p2.row.name}` });
      else if (earlier !== void 0)
        rejected.push({ line: p2.row.line, field: "name", reason: `Duplicate of line ${earlier}: the same name in the same group` });
      else {
        firstLine.set(key2, p2.row.line);
        good.push(p2);
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    const write = !input.dryRun && (input.mode === "good-rows" || rejected.length === 0);
    if (write) {
      const now = ctx.clock.now();
      const insert = stmt(
        db,
        `INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
      );
      for (const { row, group } of good)
        insert.run(ctx.entropy.id(), group.id, row.name, row.kind, row.os, row.status, row.lastBackupAt, now, now);
    }
    const report = {
      accepted: good.length,
      rejectedTotal: rejected.length,
      rejected: rejected.slice(0, REPORT_MAX),
      imported: write ? good.length : 0,
      dryRun: input.dryRun === true,
      mode: input.mode
    };
    const home = commonGroup(good.length > 0 ? [...new Set(good.map((p2) => p2.group))].map((g) => g.pathIds) : []);
    ctx.audit({
      target: { type: "devices", id: "import", name: `${input.format.toUpperCase()} import` },
      ...home ? { groupId: home } : {},
      after: {
        format: input.format,
        mode: input.mode,
        dryRun: report.dryRun,
        rows: parsed.seen,
        accepted: report.accepted,
        rejected: report.rejectedTotal,
        imported: report.imported
      }
    });
    return report;
  }
});

// main/features/devices/read.ts
function assigneesOf(db, actorId, deviceIds) {
  const out = /* @__PURE__ */ new Map();
  if (deviceIds.length === 0) return out;
  const users = scopeCondition(db, actorId, "users.view", { group: "u.home_group_id", kind: "hg.kind", user: "u.id" }, "uv");
  const rows = stmt(
    db,
    `SELECT a.device_id, u.id, u.username, u.full_name FROM device_assignments a
     JOIN users u ON u.id = a.user_id JOIN groups hg ON hg.id = u.home_group_id
     WHERE a.device_id IN (SELECT value FROM json_each(@devices)) AND (u.id = @actor OR ${users.sql})
     ORDER BY u.username COLLATE NOCASE`
  ).all({ ...users.params, devices: JSON.stringify(deviceIds), actor: actorId });
  for (const row of rows) {
    let list = out.get(row.device_id);
    if (!list) out.set(row.device_id, list = []);
    list.push({ userId: row.id, username: row.username, fullName: row.full_name });
  }
  return out;
}
function heldAnywhere(db, actorId, key2) {
  const allowed = bindingsOf(db, actorId).some((b) => b.role.permissions.has(key2));
  return { allowed, reason: allowed ? null : `Your role lacks ${key2} (${permission(key2)?.label ?? key2})` };
}
var pageColumns = (canAssignSql) => `d.id, d.name, d.kind, d.os, d.status, d.last_backup_at, d.group_id, g.name AS group_name,
  d.created_at, d.updated_at, ${canAssignSql} AS can_assign`;
function toRow(r, assignees) {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    os: r.os,
    status: r.status,
    lastBackupAt: r.last_backup_at,
    groupId: r.group_id,
    groupName: r.group_name,
    assignees: assignees.get(r.id) ?? [],
    canAssign: r.can_assign === 1
  };
}
function deviceReadHandlers(db) {
  return [
    handler("devices.list", {
      access: {
        kind: "list",
        permission: "devices.view",
        keys: DEVICE_FILTER_KEYS,
        needs: (input, actor) => deviceFilterNeeds(input.filter, "filter", actor)
      },
      run(ctx, input) {
        const actorId = ctx.actor.userId;
        const sort = input.sort ?? { column: "name", direction: "asc" };
        const window = input.window ?? { offset: 0, limit: 100 };
        const q = deviceWhere(db, actorId, input.filter, { needGroup: sort.column === "group" });
        const total = stmt(db, `SELECT count(*) AS n ${q.from} WHERE ${q.where}`).get(
          q.params
        )?.n;
        const dir = sort.direction === "desc" ? "DESC" : "ASC";
        const order = `${SORT_SQL[sort.column]} ${dir}, d.name COLLATE NOCASE ${dir}, d.id ${dir}`;
        const assign = deviceScope(db, actorId, "devices.assign", "asg");
        const rows = stmt(
          db,
          `WITH page AS (SELECT d.id ${q.from} WHERE ${q.where} ORDER BY ${order} LIMIT @limit OFFSET @offset)
           SELECT ${pageColumns(assign.sql)} FROM page JOIN devices d ON d.id = page.id JOIN groups g ON g.id = d.group_id
           ORDER BY ${order}`
        ).all({ ...q.params, ...assign.params, limit: window.limit, offset: window.offset });
        const assignees = assigneesOf(
          db,
          actorId,
          rows.map((r) => r.id)
        );
        return {
          total: total ?? 0,
          offset: window.offset,
          rows: rows.map((r) => toRow(r, assignees)),
          assign: heldAnywhere(db, actorId, "devices.assign"),
          manage: heldAnywhere(db, actorId, "devices.manage")
        };
      }
    }),
    handler("devices.facets", {
      access: {
        kind: "list",
        permission: "devices.view",
        keys: ["groups.view"],
        needs: (input) => input.groupId ? [{ permission: "groups.view", on: { type: "group", id: input.groupId, field: "groupId" } }] : []
      },
      run(ctx, input) {
        const q = deviceWhere(db, ctx.actor.userId, input.groupId ? { groupId: input.groupId } : {});
        const rows = stmt(
          db,
          `SELECT d.os, d.kind, d.status, count(*) AS n ${q.from} WHERE ${q.where} GROUP BY d.os, d.kind, d.status`
        ).all(q.params);
        const tally = (pick) => {
          const counts = /* @__PURE__ */ new Map();
          for (const r of rows) counts.set(pick(r), (counts.get(pick(r)) ?? 0) + r.n);
          return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
        };
        const facets = {
          os: tally((r) => r.os),
          kinds: tally((r) => r.kind),
          statuses: tally((r) => r.status),
          total: rows.reduce((n, r) => n + r.n, 0)
        };
        return facets;
      }
    }),
    handler("devices.get", {
      access: {
        kind: "scoped",
        keys: ["devices.view"],
        needs: (input) => [{ permission: "devices.view", on: { type: "device", id: input.id, field: "id" } }]
      },
      run(ctx, input) {
        const actorId = ctx.actor.userId;
        const target2 = resolveTarget(db, "device", input.id, actorId);
        const row = stmt(
          db,
          `SELECT ${pageColumns("0")} FROM devices d JOIN groups g ON g.id = d.group_id WHERE d.id = ?`
        ).get(input.id);
        if (!row || !target2) throw new Error("device vanished between check and read inside one transaction");
        const decision = check(db, actorId, "devices.assign", target2);
        const detail2 = {
          ...toRow({ ...row, can_assign: decision.allowed ? 1 : 0 }, assigneesOf(db, actorId, [row.id])),
          groupPath: target2.groupPath.fromRoot.map((g) => ({ id: g.id, name: g.name })),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          assignReason: decision.allowed ? null : explainFor(db, actorId, decision, target2)
        };
        return detail2;
      }
    })
  ];
}

// main/features/devices/jobs/authority.ts
function authorityText(bindings3) {
  const grants = bindings3.map((b) => ({ groupId: b.groupId, visibility: b.role.deviceVisibility, keys: [...b.role.permissions].sort() })).filter((g) => g.keys.length > 0).map((g) => JSON.stringify(g)).sort().map((text2) => JSON.parse(text2));
  return JSON.stringify(grants);
}
function bindingsFromText(text2) {
  return JSON.parse(text2).map((g, i) => ({
    groupId: g.groupId,
    role: { id: `job-grant-${i}`, name: "Rights held when the job started", permissions: new Set(g.keys), deviceVisibility: g.visibility }
  }));
}
function starterLoss(start, now, before, after, deviceId, place, assigned) {
  const then = new Map(before.refused.map((r) => [r.userId, r.reason]));
  const lost = after.refused.find((r) => {
    const was = then.get(r.userId);
    return ACTOR_REFUSALS.has(r.reason) && !(was && ACTOR_REFUSALS.has(was));
  });
  if (!lost) return null;
  if (lost.reason === "member-not-visible") return { key: "users.view", groupId: null };
  if (lost.reason === "member-holds-more") return { key: "dominance", groupId: null };
  const key2 = place && actorAssigns(start, deviceId, place, assigned) && !actorAssigns(now, deviceId, place, assigned) ? "devices.assign" : "devices.view";
  const granted = place ? decide(start.bindings, key2, {
    type: "device",
    id: deviceId,
    path: place.path,
    kind: place.kind,
    assignedToSubject: assigned.has(pairKey(deviceId, start.userId))
  }) : null;
  return { key: key2, groupId: granted?.allowed ? granted.binding.groupId : null };
}

// main/features/devices/jobs/selection.ts
function normalizeSelection(selection) {
  if ("deviceIds" in selection) return { deviceIds: [...new Set(selection.deviceIds)].sort() };
  const exceptIds = [...new Set(selection.exceptIds ?? [])].sort();
  return exceptIds.length > 0 ? { filter: selection.filter, exceptIds } : { filter: selection.filter };
}
function selectionPage(db, actor, selection, maxRowid, after, limit) {
  if ("deviceIds" in selection) {
    const all2 = selection.deviceIds;
    let lo = 0;
    let hi = all2.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if ((all2[mid] ?? "") <= after) lo = mid + 1;
      else hi = mid;
    }
    const ids = all2.slice(lo, lo + limit);
    const found = new Map(
      stmt(db, "SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids)).map((d) => [d.id, d.group_id])
    );
    return {
      devices: ids.map((id) => ({ id, groupId: found.get(id) ?? null })),
      next: ids[ids.length - 1] ?? after,
      done: lo + ids.length >= all2.length
    };
  }
  const q = deviceWhere(db, actor.userId, selection.filter, { idOrder: true, ...actor.asOfStart ? { asOfStart: actor.asOfStart } : {} });
  const except = selection.exceptIds?.length ? "d.id NOT IN (SELECT value FROM json_each(@exceptIds)) AND" : "";
  const rows = stmt(
    db,
    `SELECT d.id, d.group_id ${q.from} WHERE d.id > @after AND d.rowid <= @maxRowid AND ${except} ${q.where} ORDER BY d.id LIMIT @limit`
  ).all({ ...q.params, ...except ? { exceptIds: JSON.stringify(selection.exceptIds) } : {}, after, maxRowid, limit });
  return {
    devices: rows.map((r) => ({ id: r.id, groupId: r.group_id })),
    next: rows[rows.length - 1]?.id ?? after,
    done: rows.length < limit
  };
}
function maxDeviceRowid(db) {
  return stmt(db, "SELECT max(rowid) AS m FROM devices").get()?.m ?? 0;
}
function classifyPage(db, action, actor, members, devices2, start) {
  const places = loadPlaces(
    db,
    devices2.flatMap((d) => d.groupId ? [d.groupId] : [])
  );
  const assigned = loadAssignments(
    db,
    devices2.map((d) => d.id),
    [...members.map((m) => m.userId), actor.userId]
  );
  return devices2.map((device) => {
    const place = device.groupId ? places.get(device.groupId) : void 0;
    const pairs = classifyDevice(action, actor, device.id, place, members, assigned);
    if (!start) return { device, pairs, loss: null };
    const before = classifyDevice(action, start.actor, device.id, place, start.members, assigned);
    return { device, pairs, loss: starterLoss(start.actor, actor, before, pairs, device.id, place, assigned) };
  });
}
var emptyTally = () => ({ willChange: 0, unchanged: 0, devicesChanged: 0, refused: {} });
function addPairs(tally, pairs) {
  tally.willChange += pairs.change.length;
  tally.unchanged += pairs.unchanged;
  if (pairs.change.length > 0) tally.devicesChanged++;
  for (const r of pairs.refused) tally.refused[r.reason] = (tally.refused[r.reason] ?? 0) + 1;
}
function toCounts(tally) {
  return {
    willChange: tally.willChange,
    unchanged: tally.unchanged,
    devicesChanged: tally.devicesChanged,
    refused: Object.entries(tally.refused).filter(([, count]) => count > 0).map(([reason, count]) => ({ reason, message: REFUSAL_MESSAGES[reason], count }))
  };
}

// main/features/groups/removed.ts
function survivingGroupId(db, groupId) {
  return stmt(
    db,
    "SELECT id FROM groups WHERE id = ? UNION ALL SELECT surviving_id AS id FROM removed_groups WHERE id = ? LIMIT 1"
  ).get(groupId, groupId)?.id;
}

// main/features/devices/jobs/store.ts
var ACTIVE_STATES = ["queued", "running", "cancelling", "rolling_back"];
function readJob(db, id) {
  return stmt(db, "SELECT * FROM device_jobs WHERE id = ?").get(id);
}
var parseSelection = (row) => JSON.parse(row.selection);
var parseMembers = (row) => JSON.parse(row.members);
var parseTally = (text2) => JSON.parse(text2);
function canSeeJob(db, actorId, row) {
  if (row.actor_id === actorId) return true;
  const place = survivingGroupId(db, row.actor_home_group_id);
  const home = place === void 0 ? void 0 : resolveTarget(db, "group", place, actorId);
  return home !== void 0 && check(db, actorId, "devices.assign", { ...home, type: "device", assignedToSubject: false }).allowed;
}
function maskMembers(db, viewerId, members) {
  const viewer = actorSubject(db, viewerId);
  const seen = new Set(
    loadMembers(
      db,
      viewer,
      members.map((m) => m.userId)
    ).filter((m) => m.visible).map((m) => m.userId)
  );
  return members.map((m) => seen.has(m.userId) ? m : { userId: m.userId, username: HIDDEN_MEMBER });
}
var HIDDEN_MEMBER = "(not visible to you)";
function jobInfoFor(db, viewerId, row) {
  const info = toJobInfo(row);
  return { ...info, members: maskMembers(db, viewerId, info.members) };
}
function requireJob(db, actorId, id) {
  const row = readJob(db, id);
  if (!row || !canSeeJob(db, actorId, row))
    throw new OpError("NOT_FOUND", `No job with id ${id} exists, or you may not see it`, { field: "jobId" });
  return row;
}
function toJobInfo(row) {
  const counts = toCounts(parseTally(row.counts));
  return {
    id: row.id,
    action: row.action,
    state: row.state,
    selection: row.selection_text,
    members: parseMembers(row),
    total: row.total,
    processed: row.processed,
    planned: toCounts(parseTally(row.planned)),
    counts,
    undo: row.state === "rolling_back" || row.state === "rolled_back" ? { total: counts.devicesChanged, restored: row.undo_restored, skipped: row.undo_skipped } : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    undoneAt: row.undone_at,
    by: { userId: row.actor_id, username: row.actor_name },
    note: row.note,
    canCancel: row.state === "queued" || row.state === "running",
    canUndo: (row.state === "done" || row.state === "cancelled" || row.state === "failed") && counts.devicesChanged > 0
  };
}

// main/features/devices/jobs/plan.ts
var PLAN_PAGE = 500;
var nextTurn = () => new Promise((resolve) => setImmediate(resolve));
async function planBulk(db, actorId, input) {
  const selection = normalizeSelection(input.selection);
  const userIds = [...new Set(input.userIds)];
  const selectionText = describeSelection(db, selection);
  const maxRowid = maxDeviceRowid(db);
  const tally = emptyTally();
  let devices2 = 0;
  let cursor = "";
  let members;
  for (; ; ) {
    const actor = actorSubject(db, actorId);
    members = loadMembers(db, actor, userIds);
    const page = selectionPage(db, actor, selection, maxRowid, cursor, PLAN_PAGE);
    for (const { pairs } of classifyPage(db, input.action, actor, members, page.devices)) addPairs(tally, pairs);
    devices2 += page.devices.length;
    cursor = page.next;
    if (page.done) break;
    await nextTurn();
  }
  return {
    plan: {
      action: input.action,
      devices: devices2,
      members: members.map((m) => ({ userId: m.userId, username: m.visible ? m.username : HIDDEN_MEMBER })),
      pairs: devices2 * userIds.length,
      ...toCounts(tally)
    },
    selection,
    selectionText,
    maxRowid
  };
}
function describeSelection(db, selection) {
  if ("deviceIds" in selection) {
    const n = selection.deviceIds.length;
    return `${n.toLocaleString("en")} picked device${n === 1 ? "" : "s"}`;
  }
  const { groupId, assigneeId } = selection.filter;
  const group = groupId ? findGroup(db, groupId)?.name : void 0;
  const assignee = assigneeId ? stmt(db, "SELECT username FROM users WHERE id = ?").get(assigneeId)?.username : void 0;
  const words = describeFilter(selection.filter, { ...group ? { group } : {}, ...assignee ? { assignee } : {} });
  const except = selection.exceptIds?.length ?? 0;
  return except === 0 ? words : `${words}, except ${except.toLocaleString("en")} device${except === 1 ? "" : "s"}`;
}

// main/features/devices/jobs/handlers.ts
var bulkRule = {
  kind: "scoped",
  anywhere: "devices.assign",
  keys: DEVICE_FILTER_KEYS,
  needs: (input, actor) => "filter" in input.selection ? deviceFilterNeeds(input.selection.filter, "selection.filter", actor) : []
};
var READ_JOBS = { kind: "list", permission: "devices.assign" };
function requireAssigner(db, actorId) {
  const held = heldAnywhere(db, actorId, "devices.assign");
  if (!held.allowed) throw new OpError("FORBIDDEN", held.reason ?? "You may not assign devices");
}
function visibleDevices(db, readerId, items) {
  const reader = actorSubject(db, readerId);
  const places = loadPlaces(
    db,
    items.flatMap((i) => i.group_id ? [i.group_id] : [])
  );
  const assigned = loadAssignments(
    db,
    items.map((i) => i.device_id),
    [readerId]
  );
  const seen = /* @__PURE__ */ new Set();
  for (const i of items) {
    const place = i.group_id ? places.get(i.group_id) : void 0;
    if (place && actorSees(reader, i.device_id, place, assigned)) seen.add(i.device_id);
  }
  return seen;
}
var countsOf = (text2) => {
  const tally = JSON.parse(text2);
  return { willChange: tally.willChange, unchanged: tally.unchanged, refused: tally.refused };
};
function deviceJobHandlers(db, runner) {
  return [
    handler("devices.bulkPlan", {
      access: bulkRule,
      prepare: async (ctx, input) => (await planBulk(db, ctx.actor.userId, input)).plan,
      run: (_ctx, _input, plan) => plan
    }),
    handler("devices.bulkAssign", {
      access: bulkRule,
      prepare: (ctx, input) => planBulk(db, ctx.actor.userId, input),
      run(ctx, input, planned) {
        const { actor } = ctx;
        requireAssigner(db, actor.userId);
        const home = stmt(db, "SELECT home_group_id FROM users WHERE id = ?").get(actor.userId);
        if (!home) throw new OpError("NOT_FOUND", "Your account no longer exists");
        const id = ctx.entropy.id();
        const tally = emptyTally();
        tally.willChange = planned.plan.willChange;
        tally.unchanged = planned.plan.unchanged;
        tally.devicesChanged = planned.plan.devicesChanged;
        for (const r of planned.plan.refused) tally.refused[r.reason] = r.count;
        stmt(
          db,
          `INSERT INTO device_jobs (id, action, state, actor_id, actor_name, actor_home_group_id, selection, selection_text, members,
             max_rowid, total, planned, counts, created_at, authority)
           VALUES (@id, @action, 'queued', @actorId, @actorName, @home, @selection, @selectionText, @members, @maxRowid, @total, @planned,
             @counts, @now, @authority)`
        ).run({
          id,
          action: input.action,
          actorId: actor.userId,
          actorName: actor.username,
          home: home.home_group_id,
          selection: JSON.stringify(planned.selection),
          selectionText: planned.selectionText,
          members: JSON.stringify(planned.plan.members),
          maxRowid: planned.maxRowid,
          total: planned.plan.devices,
          planned: JSON.stringify(tally),
          counts: JSON.stringify(emptyTally()),
          now: ctx.clock.now(),
          // What the starter may do now, inside the transaction that records the job: each chunk is held to it.
          authority: authorityText(actorSubject(db, actor.userId).bindings)
        });
        ctx.audit({
          action: "devices.bulkAssign",
          target: { type: "job", id, name: planned.selectionText },
          groupId: "filter" in planned.selection && planned.selection.filter.groupId || home.home_group_id,
          after: {
            jobId: id,
            action: input.action,
            selection: planned.selectionText,
            devices: planned.plan.devices,
            members: planned.plan.members.map((m) => m.username),
            planned: countsOf(JSON.stringify(tally))
          }
        });
        const row = readJob(db, id);
        if (!row) throw new Error("job row vanished inside its own transaction");
        return toJobInfo(row);
      },
      after: (_ctx, output) => {
        runner.kick();
        return Promise.resolve(output);
      }
    }),
    handler("devices.jobGet", {
      access: READ_JOBS,
      run: (ctx, input) => {
        const actorId = ctx.actor.userId;
        return jobInfoFor(db, actorId, requireJob(db, actorId, input.jobId));
      }
    }),
    handler("devices.jobs", {
      access: READ_JOBS,
      run(ctx, input) {
        const actorId = ctx.actor.userId;
        const limit = input.limit ?? 20;
        const jobs = [];
        const page = stmt(db, "SELECT * FROM device_jobs ORDER BY created_at DESC, id DESC LIMIT 200 OFFSET ?");
        for (let offset = 0; jobs.length < limit; offset += 200) {
          const rows = page.all(offset);
          for (const row of rows) if (jobs.length < limit && canSeeJob(db, actorId, row)) jobs.push(jobInfoFor(db, actorId, row));
          if (rows.length < 200) break;
        }
        return { jobs };
      }
    }),
    handler("devices.jobResults", {
      access: READ_JOBS,
      run(ctx, input) {
        const actorId = ctx.actor.userId;
        const job = requireJob(db, actorId, input.jobId);
        const window = input.window ?? { offset: 0, limit: 100 };
        const status = input.status ?? "";
        const total = stmt(
          db,
          "SELECT count(*) AS n FROM device_job_items WHERE job_id = @job AND (@status = '' OR status = @status)"
        ).get({ job: job.id, status })?.n ?? 0;
        const names = new Map(maskMembers(db, actorId, parseMembers(job)).map((m) => [m.userId, m.username]));
        const items = stmt(
          db,
          `SELECT i.seq, i.device_id, i.status, i.changed, i.unchanged, i.refused, i.undone, d.name, d.group_id, g.name AS group_name
           FROM device_job_items i LEFT JOIN devices d ON d.id = i.device_id LEFT JOIN groups g ON g.id = d.group_id
           WHERE i.job_id = @job AND (@status = '' OR i.status = @status) ORDER BY i.seq LIMIT @limit OFFSET @offset`
        ).all({ job: job.id, status, limit: window.limit, offset: window.offset });
        const member = (userId) => ({ userId, username: names.get(userId) ?? userId });
        const seen = visibleDevices(db, actorId, items);
        const rows = items.map((i) => ({
          seq: i.seq,
          deviceId: i.device_id,
          // A picked id the reader may not see (or no longer sees) stays unnamed, like a removed device.
          deviceName: seen.has(i.device_id) ? i.name : null,
          groupName: seen.has(i.device_id) ? i.group_name : null,
          status: i.status,
          changed: i.changed ? JSON.parse(i.changed).map(member) : [],
          unchanged: i.unchanged,
          refused: i.refused ? JSON.parse(i.refused).map((r) => ({
            ...member(r.userId),
            reason: r.reason,
            message: REFUSAL_MESSAGES[r.reason]
          })) : [],
          undone: i.undone === 1
        }));
        return { total, offset: window.offset, rows };
      }
    }),
    // Stopping a job undoes nothing and grants nothing: whoever sees the job may stop it.
    handler("devices.jobCancel", {
      access: READ_JOBS,
      run(ctx, input) {
        const actorId = ctx.actor.userId;
        const job = requireJob(db, actorId, input.jobId);
        if (job.state !== "queued" && job.state !== "running")
          throw new OpError("CONFLICT", `The job is ${job.state.replace("_", " ")}; only a queued or running job can be cancelled`, {
            field: "jobId"
          });
        const now = ctx.clock.now();
        if (job.state === "queued") stmt(db, "UPDATE device_jobs SET state = 'cancelled', finished_at = ? WHERE id = ?").run(now, job.id);
        else stmt(db, "UPDATE device_jobs SET state = 'cancelling' WHERE id = ?").run(job.id);
        ctx.audit({
          target: { type: "job", id: job.id, name: job.selection_text },
          groupId: job.actor_home_group_id,
          after: { jobId: job.id, processed: job.processed, total: job.total, counts: countsOf(job.counts) }
        });
        const row = readJob(db, job.id);
        if (!row) throw new Error("job row vanished inside its own transaction");
        return jobInfoFor(db, actorId, row);
      }
    }),
    handler("devices.jobUndo", {
      access: { kind: "anywhere", permission: "devices.assign" },
      run(ctx, input) {
        const actorId = ctx.actor.userId;
        const job = requireJob(db, actorId, input.jobId);
        if (!toJobInfo(job).canUndo)
          throw new OpError(
            "CONFLICT",
            job.state === "done" || job.state === "cancelled" || job.state === "failed" ? "This job changed no assignments; there is nothing to undo" : `The job is ${job.state.replace("_", " ")}; only a finished or cancelled job can be undone, once`,
            { field: "jobId" }
          );
        stmt(db, "UPDATE device_jobs SET state = 'rolling_back', undo_actor_id = ?, undo_cursor = 0 WHERE id = ?").run(actorId, job.id);
        ctx.audit({
          target: { type: "job", id: job.id, name: job.selection_text },
          groupId: job.actor_home_group_id,
          after: { jobId: job.id, devicesToRestore: toJobInfo(job).counts.devicesChanged }
        });
        const row = readJob(db, job.id);
        if (!row) throw new Error("job row vanished inside its own transaction");
        return jobInfoFor(db, actorId, row);
      },
      after: (_ctx, output) => {
        runner.kick();
        return Promise.resolve(output);
      }
    })
  ];
}

// main/features/devices/index.ts
function deviceHandlers(db, runner) {
  return [
    ...deviceReadHandlers(db),
    devicesImportHandler(db),
    devicesExportHandler(db),
    ...deviceAssignHandlers(db),
    ...deviceJobHandlers(db, runner)
  ];
}

// main/features/devices/jobs/runner.ts
import { performance } from "node:perf_hooks";
var MIN_CHUNK = 50;
var MAX_CHUNK = 2e3;
var JobRunner = class {
  constructor(db, clock, options = {}) {
    this.db = db;
    this.clock = clock;
    this.options = options;
    this.started = options.autoStart !== false;
    this.adaptive = options.chunkSize ?? 500;
  }
  db;
  clock;
  options;
  timer = null;
  closed = false;
  started;
  adaptive;
  selections = /* @__PURE__ */ new Map();
  /** After a restart: settle what a crash interrupted, then carry on. */
  recover() {
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const row of stmt(this.db, "SELECT * FROM device_jobs WHERE state IN ('queued','running','cancelling')").all()) {
        if (row.state === "cancelling") {
          this.setState(row.id, "cancelled", now, "Cancelled; Steward restarted while the job was stopping");
          continue;
        }
        const actor = row.actor_id ? actorSubject(this.db, row.actor_id) : null;
        if (!actor || !actor.bindings.some((b) => b.role.permissions.has("devices.assign"))) {
          stmt(this.db, "UPDATE device_jobs SET state = 'rolling_back', undo_actor_id = NULL, note = ? WHERE id = ?").run(
            `Rolled back after a restart: ${row.actor_name} can no longer assign devices`,
            row.id
          );
        } else if (row.state === "running" && row.stopped_at === null) {
          stmt(this.db, "UPDATE device_jobs SET note = ? WHERE id = ?").run(
            `Resumed after a restart at device ${row.processed.toLocaleString("en")} of ${row.total.toLocaleString("en")}`,
            row.id
          );
        }
      }
    }).immediate();
    this.kick();
  }
  start() {
    this.started = true;
    this.kick();
  }
  /** Something may need doing: schedule a step unless one is pending. */
  kick() {
    if (this.closed || !this.started || this.timer) return;
    const pause = this.options.pauseBetweenChunksMs ?? 0;
    this.timer = pause > 0 ? setTimeout(() => this.step(), pause) : setImmediate(() => this.step());
  }
  close() {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      clearImmediate(this.timer);
    }
    this.timer = null;
  }
  /** True while some job still has work; tests and the bench wait on it. */
  busy() {
    return this.nextJob() !== void 0;
  }
  nextJob() {
    return stmt(
      this.db,
      `SELECT * FROM device_jobs WHERE state IN ('running','cancelling','rolling_back','queued')
       ORDER BY state = 'queued', created_at, id LIMIT 1`
    ).get();
  }
  step() {
    this.timer = null;
    if (this.closed) return;
    if (this.runOne()) this.kick();
  }
  /**
   * Runs chunks right now, without yielding, until no job has work or `chunks` have run;
   * answers how many ran. For tests that need a job stopped at an exact point.
   */
  drain(chunks = Number.POSITIVE_INFINITY) {
    let ran = 0;
    while (ran < chunks && !this.closed && this.runOne()) ran++;
    return ran;
  }
  /** One chunk of the job first in line; false when there was nothing to do. */
  runOne() {
    const job = this.nextJob();
    if (!job) return false;
    const started = performance.now();
    try {
      this.relaxed(() => job.state === "rolling_back" ? this.undoChunk(job) : this.forwardChunk(job));
      const after = stmt(this.db, "SELECT state FROM device_jobs WHERE id = ?").get(job.id);
      if (after && !ACTIVE_STATES.includes(after.state))
        this.db.transaction(() => stmt(this.db, "UPDATE device_jobs SET finished_at = finished_at WHERE id = ?").run(job.id)).immediate();
    } catch (error) {
      log.error(`device job ${job.id} failed`, error);
      this.setState(
        job.id,
        "failed",
        this.clock.now(),
        "Stopped by an internal error; devices already processed stay processed and can be undone"
      );
    }
    this.resize(performance.now() - started);
    return true;
  }
  /** A chunk commits without waiting for the disk (withRelaxedSync): it resumes from its cursor after a power cut. */
  relaxed(chunk) {
    withRelaxedSync(this.db, chunk);
  }
  /** Aims each chunk at the budget, so a slow disk or a large tree does not turn into a long stall. */
  resize(elapsedMs) {
    if (this.options.chunkSize !== void 0) return;
    const budget = this.options.chunkBudgetMs ?? 8;
    const scaled = Math.round(this.adaptive * budget / Math.max(elapsedMs, 0.5));
    this.adaptive = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.min(scaled, this.adaptive * 2)));
  }
  setState(id, state, now, note) {
    const run = () => stmt(this.db, "UPDATE device_jobs SET state = ?, finished_at = ?, note = coalesce(?, note) WHERE id = ?").run(
      state,
      now,
      note ?? null,
      id
    );
    if (this.db.inTransaction) run();
    else this.db.transaction(run).immediate();
  }
  selectionOf(job) {
    let selection = this.selections.get(job.id);
    if (!selection) {
      selection = parseSelection(job);
      this.selections.set(job.id, selection);
    }
    return selection;
  }
  /**
   * One chunk forward. The starter's rights are read again for every chunk and compared,
   * device by device, with those they had when the job started: at the first device on which
   * they lost one (devices.view, devices.assign, users.view over a member), the job stops
   * applying; that device and every one after it are recorded as refused
   * (starter-lost-authority), the note says why, and the job ends failed. The selection is
   * read with the rights of the start, so the devices the starter no longer sees are refused
   * one by one instead of silently dropping out of it.
   */
  forwardChunk(snapshot) {
    const db = this.db;
    db.transaction(() => {
      const job = stmt(db, "SELECT * FROM device_jobs WHERE id = ?").get(snapshot.id);
      if (!job) return;
      const now = this.clock.now();
      if (job.state === "cancelling") {
        this.selections.delete(job.id);
        return this.setState(job.id, "cancelled", now);
      }
      if (job.state === "queued") stmt(db, "UPDATE device_jobs SET state = 'running', started_at = ? WHERE id = ?").run(now, job.id);
      const actor = actorSubject(db, job.actor_id);
      const memberIds = parseMembers(job).map((m) => m.userId);
      const members = loadMembers(db, actor, memberIds);
      const start = {
        userId: job.actor_id ?? "",
        bindings: job.authority === null ? actor.bindings : bindingsFromText(job.authority)
      };
      const selection = this.selectionOf(job);
      const page = selectionPage(
        db,
        { userId: start.userId, asOfStart: start.bindings },
        selection,
        job.max_rowid,
        job.cursor,
        this.adaptive
      );
      const changed = job.stopped_at === null && job.authority !== null && job.authority !== authorityText(actor.bindings);
      const startMembers = changed ? loadMembers(db, start, memberIds) : members;
      const classified = job.stopped_at === null ? classifyPage(db, job.action, actor, members, page.devices, changed ? { actor: start, members: startMembers } : void 0) : null;
      const assigneeLoss = changed ? this.assigneeLoss(selection, start, actor) : null;
      const tally = parseTally(job.counts);
      const apply = job.action === "assign" ? stmt(db, "INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)") : stmt(db, "DELETE FROM device_assignments WHERE device_id = ? AND user_id = ?");
      const record = stmt(
        db,
        "INSERT INTO device_job_items (job_id, seq, device_id, status, changed, unchanged, refused) VALUES (?, ?, ?, ?, ?, ?, ?)"
      );
      let seq = job.processed;
      let stoppedAt = job.stopped_at;
      let note = null;
      for (const [index, device] of page.devices.entries()) {
        seq++;
        const entry = classified?.[index];
        const loss = entry?.loss ?? (index === 0 ? assigneeLoss : null);
        if (stoppedAt === null && loss) {
          stoppedAt = seq;
          note = this.stopNote(job, seq, loss);
        }
        if (stoppedAt !== null || !entry) {
          const refused = memberIds.map((userId) => ({ userId, reason: "starter-lost-authority" }));
          record.run(job.id, seq, device.id, "refused", null, 0, JSON.stringify(refused));
          addPairs(tally, { change: [], unchanged: 0, refused });
          continue;
        }
        const { pairs } = entry;
        for (const userId of pairs.change) apply.run(device.id, userId);
        const status = pairs.change.length > 0 ? "changed" : pairs.refused.length > 0 && pairs.unchanged === 0 ? "refused" : "unchanged";
        record.run(
          job.id,
          seq,
          device.id,
          status,
          pairs.change.length > 0 ? JSON.stringify(pairs.change) : null,
          pairs.unchanged,
          pairs.refused.length > 0 ? JSON.stringify(pairs.refused) : null
        );
        addPairs(tally, pairs);
      }
      stmt(db, "UPDATE device_jobs SET cursor = ?, processed = ?, counts = ?, stopped_at = ?, note = coalesce(?, note) WHERE id = ?").run(
        page.next,
        seq,
        JSON.stringify(tally),
        stoppedAt,
        note,
        job.id
      );
      if (page.done) {
        this.selections.delete(job.id);
        this.setState(job.id, stoppedAt === null ? "done" : "failed", now);
      }
    }).immediate();
  }
  /** A filter "held by X" reads X's devices on the starter's behalf: losing sight of X is losing a right the job needs. */
  assigneeLoss(selection, start, now) {
    const assigneeId = "filter" in selection ? selection.filter.assigneeId : void 0;
    if (!assigneeId || assigneeId === start.userId) return null;
    const [then] = loadMembers(this.db, start, [assigneeId]);
    const [current] = loadMembers(this.db, now, [assigneeId]);
    return then?.visible && !current?.visible ? { key: "users.view", groupId: null } : null;
  }
  /** "Stopped at device 5,147 of 100,000: ana no longer holds devices.assign at Acme; the remaining devices were refused". */
  stopNote(job, seq, loss) {
    const status = job.actor_id ? stmt(this.db, "SELECT status FROM users WHERE id = ?").get(job.actor_id)?.status : void 0;
    const why = status === void 0 ? `${job.actor_name} was removed` : status !== "active" ? `${job.actor_name} was disabled` : loss.key === "users.view" ? `${job.actor_name} no longer holds users.view over a member this job names` : loss.key === "dominance" ? `${job.actor_name} no longer holds every right a member this job names holds there` : `${job.actor_name} no longer holds ${loss.key}${loss.groupId ? ` at ${findGroup(this.db, loss.groupId)?.name ?? "the group where they held it"}` : ""}`;
    return `Stopped at device ${seq.toLocaleString("en")} of ${job.total.toLocaleString("en")}: ${why}; the remaining devices were refused`;
  }
  /** Why an undo left devices as the job made them, for the job's note. */
  undoNote(undoerId, left) {
    const name = stmt(this.db, "SELECT username FROM users WHERE id = ?").get(undoerId)?.username ?? "The person undoing";
    return `Undone except ${left.toLocaleString("en")} device${left === 1 ? "" : "s"}, which keep the job\u2019s change: ${name} may not see or assign ${left === 1 ? "it" : "them"} (devices.view, devices.assign), or may not see a member the job gave ${left === 1 ? "it" : "them"} to (users.view)`;
  }
  /**
   * Reverses the changed pairs in processing order. A person's undo is checked chunk by
   * chunk against their rights now, as a direct unassign would be (they see and may assign
   * the device and see each member): a device they may not is left as the job made it,
   * counted as skipped, and the note says why.
   */
  undoChunk(snapshot) {
    const db = this.db;
    db.transaction(() => {
      const job = stmt(db, "SELECT * FROM device_jobs WHERE id = ?").get(snapshot.id);
      if (!job || job.state !== "rolling_back") return;
      const items = stmt(
        db,
        `SELECT seq, device_id, changed FROM device_job_items WHERE job_id = ? AND status = 'changed' AND undone = 0 AND seq > ?
         ORDER BY seq LIMIT ?`
      ).all(job.id, job.undo_cursor, this.adaptive);
      const undoer = job.undo_actor_id ? actorSubject(db, job.undo_actor_id) : null;
      const devices2 = stmt(
        db,
        "SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))"
      ).all(JSON.stringify(items.map((i) => i.device_id)));
      const groupOf = new Map(devices2.map((d) => [d.id, d.group_id]));
      const places = undoer ? loadPlaces(db, groupOf.values()) : /* @__PURE__ */ new Map();
      const assigned = undoer ? loadAssignments(
        db,
        items.map((i) => i.device_id),
        [undoer.userId]
      ) : /* @__PURE__ */ new Set();
      const reverse = job.action === "assign" ? stmt(db, "DELETE FROM device_assignments WHERE device_id = @device AND user_id = @user") : stmt(
        db,
        `INSERT OR IGNORE INTO device_assignments (device_id, user_id) SELECT @device, @user
               WHERE EXISTS (SELECT 1 FROM users WHERE id = @user) AND EXISTS (SELECT 1 FROM devices WHERE id = @device)`
      );
      const mark = stmt(db, "UPDATE device_job_items SET undone = 1 WHERE job_id = ? AND seq = ?");
      const seen = undoer ? new Set(
        loadMembers(
          db,
          undoer,
          parseMembers(job).map((m) => m.userId)
        ).filter((m) => m.visible).map((m) => m.userId)
      ) : /* @__PURE__ */ new Set();
      let restored = 0;
      let skipped = 0;
      for (const item of items) {
        const group = groupOf.get(item.device_id);
        const place = group ? places.get(group) : void 0;
        const users = JSON.parse(item.changed);
        if (undoer && (!place || !actorSees(undoer, item.device_id, place, assigned) || !actorAssigns(undoer, item.device_id, place, assigned) || !users.every((u) => seen.has(u)))) {
          skipped++;
          continue;
        }
        for (const user of users) reverse.run({ device: item.device_id, user });
        mark.run(job.id, item.seq);
        restored++;
      }
      const last = items[items.length - 1];
      stmt(
        db,
        "UPDATE device_jobs SET undo_cursor = ?, undo_restored = undo_restored + ?, undo_skipped = undo_skipped + ? WHERE id = ?"
      ).run(last ? last.seq : job.undo_cursor, restored, skipped, job.id);
      if (items.length < this.adaptive) {
        const now = this.clock.now();
        const left = job.undo_skipped + skipped;
        const note = undoer && left > 0 ? this.undoNote(job.undo_actor_id ?? "", left) : null;
        stmt(
          db,
          "UPDATE device_jobs SET state = 'rolled_back', undone_at = ?, finished_at = coalesce(finished_at, ?), note = coalesce(?, note) WHERE id = ?"
        ).run(now, now, note, job.id);
      }
    }).immediate();
  }
};

// shared/access/owner.ts
function ownerBindings(bindings3) {
  return bindings3.filter((b) => b.role.meaning === "owner");
}
function mayActOnOwner(actor, person) {
  if (actor.userId === person.userId) return true;
  const above = ownerBindings(actor.bindings).map((b) => b.groupId);
  return ownerBindings(person.bindings).every((owned) => above.some((g) => g !== owned.groupId && owned.path.includes(g)));
}

// main/features/users/grants.ts
function checkGrant(db, actorId, grantee, binding, verb, field, permission2 = "users.edit") {
  const at = (name) => field ? `${field}.${name}` : name;
  const role = allRoles(db).get(binding.roleId);
  const group = findGroup(db, binding.groupId);
  const path = group ? groupPath(db, group.id) : void 0;
  if (!group || !path) throw new OpError("NOT_FOUND", `There is no group with id ${binding.groupId}`, { field: at("groupId") });
  if (!role || role.ownerGroupId && !isInSubtree(db, role.ownerGroupId, group.id))
    throw new OpError("NOT_FOUND", `No role with id ${binding.roleId} can be used at that group`, { field: at("roleId") });
  if (role.meaning === "owner")
    throw new OpError("FORBIDDEN", "An Owner role changes hands only by ownership transfer or assignment", { field: at("roleId") });
  if (verb === "grant" && role.scopeKind && group.kind !== role.scopeKind) {
    throw new OpError(
      "VALIDATION",
      `${role.name} must be bound to a ${role.scopeKind}; \u201C${group.name}\u201D is a ${group.kind.replace("_", "-")}`,
      {
        field: at("groupId")
      }
    );
  }
  const company2 = companyOf(db, grantee.homeGroupId);
  if (company2 && !isInSubtree(db, company2.id, group.id)) {
    throw new OpError("CONFLICT", `${grantee.name} belongs to \u201C${company2.name}\u201D; their roles must sit inside it`, {
      field: at("groupId")
    });
  }
  try {
    requirePermission(db, actorId, permission2, "group", group.id);
  } catch (error) {
    if (error instanceof OpError) throw new OpError(error.code, error.message, { ...error.extra, field: at("groupId") });
    throw error;
  }
  const gaps = escalationGaps(bindingsOf(db, actorId), role, { path: path.ids });
  if (gaps.length > 0) {
    throw new OpError(
      "FORBIDDEN",
      `You cannot ${verb} \u201C${role.name}\u201D at \u201C${group.name}\u201D: you do not hold ${gaps.join(", ")} there yourself`,
      {
        field: at("roleId")
      }
    );
  }
  if (verb === "grant" && role.meaning === "admin" && !isCompanyKind(group.kind)) {
    throw new OpError("CONFLICT", "Admin is held at a company, not at a location or department", { field: at("groupId") });
  }
}

// main/features/users/guards.ts
function personNeeds(permission2, id, field) {
  const ref = { type: "user", id, field };
  return [{ permission: permission2, on: ref }, { dominate: ref }];
}
function onPerson(permission2) {
  return { kind: "scoped", keys: [permission2], needs: (input) => personNeeds(permission2, input.id, "id") };
}
function isOwner(db, userId) {
  return stmt(db, "SELECT 1 FROM role_bindings b JOIN roles r ON r.id = b.role_id WHERE b.user_id = ? AND r.meaning = 'owner' LIMIT 1").get(
    userId
  ) !== void 0;
}
function actOnUser(db, ctx, userId) {
  const row = stmt(db, "SELECT id, username, kind, status, protected, home_group_id FROM users WHERE id = ?").get(userId);
  if (!row) throw new OpError("NOT_FOUND", "That user no longer exists", { field: "id" });
  ctx.audit({ target: { type: "user", id: userId, name: row.username } });
  requireOwnerRule(db, ctx.actor.userId, { id: row.id, name: row.username }, "id");
  return {
    id: row.id,
    username: row.username,
    kind: row.kind,
    status: row.status,
    protected: row.protected === 1,
    isOwner: isOwner(db, row.id),
    homeGroupId: row.home_group_id
  };
}
function requireOwnerRule(db, actorId, person, field) {
  const allowed = mayActOnOwner(
    { userId: actorId, bindings: bindingsOf(db, actorId) },
    { userId: person.id, bindings: placedBindingsOf(db, person.id) }
  );
  if (!allowed)
    throw new OpError("FORBIDDEN", `${person.name} is an Owner; only they, or an Owner of a company above theirs, change their account`, {
      field
    });
}
function uniqueAccountProblem(db, fields, exceptId = "") {
  if (fields.username && stmt(db, "SELECT 1 FROM users WHERE username = ? COLLATE NOCASE AND id <> ?").get(fields.username, exceptId)) {
    return new OpError("CONFLICT", `The username \u201C${fields.username}\u201D is taken`, { field: "username" });
  }
  if (fields.email && stmt(db, "SELECT 1 FROM users WHERE email = ? COLLATE NOCASE AND id <> ?").get(fields.email, exceptId)) {
    return new OpError("CONFLICT", `An account with the email ${fields.email} already exists`, { field: "email" });
  }
  return null;
}
var ALPHABET2 = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
function generatePassword(bytes) {
  let out = "";
  while (out.length < 20) {
    for (const b of bytes(32)) {
      if (b < 256 - 256 % ALPHABET2.length && out.length < 20) out += ALPHABET2[b % ALPHABET2.length];
    }
  }
  return out;
}
function requireCompanyOwner(db, groupId, field) {
  const company2 = companyOf(db, groupId);
  if (!company2) return;
  const owned = stmt(db, "SELECT 1 FROM role_bindings b JOIN roles r ON r.id = b.role_id WHERE b.group_id = ? AND r.meaning = 'owner' LIMIT 1").get(
    company2.id
  ) !== void 0;
  if (!owned)
    throw new OpError(
      "CONFLICT",
      `\u201C${company2.name}\u201D has no Owner yet: its Owner joins first (through the Owner invitation, or an Owner above assigns one)`,
      { field }
    );
}

// main/features/invitations/authority.ts
function requireMayInvite(db, userId, invitation, field) {
  const status = stmt(db, "SELECT status FROM users WHERE id = ?").get(userId)?.status;
  if (status !== "active") throw new OpError("FORBIDDEN", "The person who sent it is no longer active", { field: field || "roleId" });
  const role = allRoles(db).get(invitation.roleId);
  if (role?.meaning !== "owner") {
    try {
      checkGrant(db, userId, { name: invitation.email, homeGroupId: invitation.groupId }, invitation, "grant", "", "users.create");
    } catch (error) {
      if (error instanceof OpError && field) throw new OpError(error.code, error.message, { ...error.extra, field });
      throw error;
    }
    requireCompanyOwner(db, invitation.groupId, field || "groupId");
    return;
  }
  const company2 = companyOf(db, invitation.groupId);
  const path = groupPath(db, invitation.groupId);
  if (!company2 || company2.id !== invitation.groupId || !path)
    throw new OpError("CONFLICT", "An Owner invitation is for a company as a whole", { field: field || "roleId" });
  if (stmt(db, "SELECT 1 FROM role_bindings b JOIN roles r ON r.id = b.role_id WHERE b.group_id = ? AND r.meaning = 'owner'").get(company2.id))
    throw new OpError("CONFLICT", `\u201C${company2.name}\u201D already has its Owner; ownership now changes only by transfer`, {
      field: field || "roleId"
    });
  const actor = bindingsOf(db, userId);
  const aboveOwner = ownerBindings(actor).some((b) => b.groupId !== company2.id && path.ids.includes(b.groupId));
  if (!aboveOwner || escalationGaps(actor, role, { path: path.ids }).length > 0)
    throw new OpError("FORBIDDEN", `Only an Owner of a company above \u201C${company2.name}\u201D may invite its Owner`, { field: field || "roleId" });
}

// main/features/users/seats.ts
function seatUse(db, groupId, now) {
  const company2 = companyOf(db, groupId);
  if (!company2) return null;
  const limit = stmt(db, "SELECT seat_limit FROM groups WHERE id = ?").get(company2.id)?.seat_limit ?? null;
  const members = stmt(
    db,
    "SELECT count(*) AS n FROM users u JOIN group_closure c ON c.descendant = u.home_group_id WHERE c.ancestor = ?"
  ).get(company2.id)?.n ?? 0;
  const pending = stmt(
    db,
    "SELECT count(*) AS n FROM invitations i JOIN group_closure c ON c.descendant = i.group_id WHERE c.ancestor = ? AND i.status = 'pending' AND i.expires_at > ?"
  ).get(company2.id, now)?.n ?? 0;
  return { companyId: company2.id, companyName: company2.name, limit, members, pending };
}
function requireSeat(db, groupId, now, field, alreadyCounted = 0) {
  const use = seatUse(db, groupId, now);
  if (!use || use.limit === null) return;
  const used = use.members + use.pending;
  if (used - alreadyCounted + 1 <= use.limit) return;
  throw new OpError(
    "CONFLICT",
    `${use.companyName} has no free seat: ${used} of ${use.limit} seats are used (${use.members} members, ${use.pending} pending invitations). The Owner can raise the limit in billing settings.`,
    { field }
  );
}

// main/features/invitations/records.ts
var COLUMNS3 = "id, email, kind, role_id, group_id, expires_at, status, invited_by, invited_by_name, created_at, send_count, resent_by, resent_by_name";
function invitationById(db, id) {
  return stmt(db, `SELECT ${COLUMNS3} FROM invitations WHERE id = ?`).get(id);
}
function invitationByToken(db, token2) {
  return stmt(db, `SELECT ${COLUMNS3} FROM invitations WHERE token_hash = ?`).get(digest(token2));
}
function statusOf(row, now) {
  return row.status === "pending" && row.expires_at <= now ? "expired" : row.status;
}
function summarize(db, row, now) {
  return {
    id: row.id,
    email: row.email,
    kind: row.kind,
    roleId: row.role_id,
    roleName: allRoles(db).get(row.role_id)?.name ?? row.role_id,
    groupId: row.group_id,
    groupName: findGroup(db, row.group_id)?.name ?? "",
    status: statusOf(row, now),
    invitedBy: row.invited_by_name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    sendCount: row.send_count
  };
}
function usableInvitation(db, token2, now) {
  const row = invitationByToken(db, token2);
  if (!row)
    throw new OpError("NOT_FOUND", "This invitation link is not valid. Check that you copied all of it, or ask for a new invitation.", {
      field: "token"
    });
  const status = statusOf(row, now);
  if (status === "revoked")
    throw new OpError("CONFLICT", "This invitation was revoked. Ask the person who invited you for a new one.", { field: "token" });
  if (status === "accepted") throw new OpError("CONFLICT", "This invitation was already used. Sign in instead.", { field: "token" });
  if (status === "expired") {
    throw new OpError(
      "CONFLICT",
      `This invitation expired on ${new Date(row.expires_at).toISOString().slice(0, 16).replace("T", " ")} UTC. Ask for a new one.`,
      { field: "token" }
    );
  }
  return row;
}
function inviteLink(origin, token2) {
  const base = (origin ?? "http://127.0.0.1:4780").replace(/\/$/, "");
  return `${base}/#/invite/${token2}`;
}

// main/features/invitations/accept.ts
function invitationPublicHandlers(deps) {
  const db = deps.db;
  return [
    handler("invitations.preview", {
      access: { kind: "public" },
      run(ctx, input) {
        const row = usableInvitation(db, input.token, ctx.clock.now());
        return {
          email: row.email,
          companyName: companyOf(db, row.group_id)?.name ?? "",
          roleName: allRoles(db).get(row.role_id)?.name ?? "",
          kind: row.kind,
          invitedBy: row.invited_by_name,
          expiresAt: row.expires_at
        };
      }
    }),
    handler("invitations.accept", {
      access: { kind: "public" },
      async prepare(ctx, input) {
        const row = usableInvitation(db, input.token, ctx.clock.now());
        const problem = passwordProblem(input.password, { username: input.username, email: row.email });
        if (problem) throw new OpError("WEAK_PASSWORD", problem, { field: "password" });
        return { hash: await hashPassword(input.password, ctx.entropy.bytes(16)) };
      },
      run(ctx, input, { hash }) {
        const now = ctx.clock.now();
        const row = usableInvitation(db, input.token, now);
        ctx.audit({ action: "invitations.accept", target: { type: "invitation", id: row.id, name: row.email }, groupId: row.group_id });
        const conflict = uniqueAccountProblem(db, { username: input.username, email: row.email });
        if (conflict) throw conflict;
        for (const [by, name] of [
          [row.invited_by, row.invited_by_name],
          [row.resent_by, row.resent_by_name]
        ]) {
          if (!by) continue;
          try {
            requireMayInvite(db, by, { email: row.email, roleId: row.role_id, groupId: row.group_id }, "token");
          } catch (error) {
            if (!(error instanceof OpError)) throw error;
            throw new OpError(
              "FORBIDDEN",
              `${name ?? "The sender"} can no longer grant this access, so the invitation cannot be used. Ask for a new invitation.`,
              {
                field: "token"
              }
            );
          }
        }
        requireSeat(db, row.group_id, now, "token", 1);
        const id = ctx.entropy.id();
        stmt(
          db,
          `INSERT INTO users (id, username, email, full_name, home_group_id, kind, status, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`
        ).run(id, input.username, row.email, input.fullName, row.group_id, row.kind, hash, now, now);
        stmt(db, "INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)").run(id, row.role_id, row.group_id);
        stmt(db, "UPDATE invitations SET status = 'accepted', accepted_user_id = ? WHERE id = ?").run(id, row.id);
        startSession(ctx, deps, id, "enroll");
        ctx.audit({
          action: "invitations.accept",
          target: { type: "user", id, name: input.username },
          groupId: row.group_id,
          after: { username: input.username, email: row.email, invitedBy: row.invited_by_name }
        });
        return {
          stage: "enroll",
          user: sessionUser({ id, username: input.username, full_name: input.fullName, email: row.email })
        };
      }
    })
  ];
}

// main/features/invitations/mailer.ts
import nodemailer from "nodemailer";
async function sendMail(db, secrets, mail) {
  const smtp2 = readSetting(db, "smtp");
  if (!smtp2) return false;
  const password2 = smtp2.passwordSealed ? secrets.open(Buffer.from(smtp2.passwordSealed, "base64")).toString("utf8") : "";
  const transport = nodemailer.createTransport({
    host: smtp2.host,
    port: smtp2.port,
    secure: smtp2.secure,
    requireTLS: !smtp2.secure && !smtp2.allowWithoutTls,
    ...smtp2.username ? { auth: { user: smtp2.username, pass: password2 } } : {},
    connectionTimeout: 1e4,
    greetingTimeout: 1e4,
    socketTimeout: 2e4
  });
  try {
    await transport.sendMail({ from: smtp2.from, to: mail.to, subject: mail.subject, text: mail.text });
    return true;
  } finally {
    transport.close();
  }
}

// main/features/invitations/manage.ts
function issueToken(ctx) {
  const token2 = ctx.entropy.bytes(32).toString("base64url");
  return { token: token2, hash: digest(token2) };
}
function sent(db, ctx, row, token2) {
  return { invitation: summarize(db, row, ctx.clock.now()), delivery: "link", link: inviteLink(ctx.origin, token2) };
}
function deliver(db) {
  return async (ctx, output) => {
    if (!output.link) return output;
    const group = findGroup(db, output.invitation.groupId)?.name ?? "Steward";
    try {
      const delivered = await sendMail(db, ctx.secrets, {
        to: output.invitation.email,
        subject: `${output.invitation.invitedBy} invited you to ${group} on Steward`,
        text: [
          `${output.invitation.invitedBy} invited you to join ${group} as ${output.invitation.roleName}.`,
          "",
          `Accept the invitation: ${output.link}`,
          "",
          `The link works once and expires on ${new Date(output.invitation.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC.`,
          "You will choose a password and set up two-step verification."
        ].join("\n")
      });
      if (!delivered) return output;
      return { invitation: output.invitation, delivery: "email" };
    } catch (error) {
      log.error(`invitation mail to ${output.invitation.email.replace(/^(.).*@/, "$1\u2026@")} failed; the link is shown instead`, error);
      return output;
    }
  };
}
function issueInvitation(db, ctx, input, field) {
  const actor = ctx.actor;
  const now = ctx.clock.now();
  const group = { id: input.groupId };
  const at = (name) => field ? `${field}.${name}` : name;
  const kind2 = input.kind;
  if (kind2 === "external" && input.acceptTerms !== true) {
    throw new OpError("VALIDATION", "Agree to the terms and conditions to invite an external user", { field: at("acceptTerms") });
  }
  if (stmt(db, "SELECT 1 FROM users WHERE email = ? COLLATE NOCASE").get(input.email)) {
    throw new OpError("CONFLICT", `${input.email} already has an account`, { field: at("email") });
  }
  if (stmt(db, "SELECT 1 FROM invitations WHERE email = ? COLLATE NOCASE AND status = 'pending' AND expires_at > ?").get(input.email, now)) {
    throw new OpError("CONFLICT", `${input.email} already has a pending invitation; resend it instead`, { field: at("email") });
  }
  requireMayInvite(db, actor.userId, { email: input.email, roleId: input.roleId, groupId: group.id }, field);
  requireSeat(db, group.id, now, field || "groupId");
  const { token: token2, hash } = issueToken(ctx);
  const id = ctx.entropy.id();
  const expires = now + readSetting(db, "invitations.expiryHours") * 36e5;
  stmt(
    db,
    `INSERT INTO invitations (id, email, kind, role_id, group_id, token_hash, expires_at, status, invited_by, invited_by_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`
  ).run(id, input.email, kind2, input.roleId, group.id, hash, expires, actor.userId, actor.username, now);
  const row = invitationById(db, id);
  if (!row) throw new Error("invitation vanished inside its transaction");
  ctx.audit({
    action: "invitations.create",
    target: { type: "invitation", id, name: input.email },
    groupId: group.id,
    after: { email: input.email, kind: kind2, role: summarize(db, row, now).roleName, expiresAt: expires }
  });
  return sent(db, ctx, row, token2);
}
function invitationManageHandlers(db) {
  return [
    handler("invitations.list", {
      access: { kind: "list", permission: "users.view" },
      run(ctx, input) {
        const scope = scopeCondition(db, ctx.actor.userId, "users.view", { group: "i.group_id", kind: "g.kind" });
        const rows = stmt(
          db,
          `SELECT i.id, i.email, i.kind, i.role_id, i.group_id, i.expires_at, i.status, i.invited_by, i.invited_by_name, i.created_at, i.send_count
           FROM invitations i JOIN groups g ON g.id = i.group_id WHERE ${scope.sql} ORDER BY i.created_at DESC LIMIT 1000`
        ).all(scope.params);
        const now = ctx.clock.now();
        const invitations = rows.map((r) => summarize(db, r, now)).filter((i) => !input.status || i.status === input.status);
        return { invitations };
      }
    }),
    handler("invitations.create", {
      access: {
        kind: "scoped",
        keys: ["users.create"],
        needs: (input) => [{ permission: "users.create", on: { type: "group", id: input.groupId, field: "groupId" } }]
      },
      run(ctx, input) {
        return issueInvitation(db, ctx, { ...input, kind: input.kind ?? "member" }, "");
      },
      after: deliver(db)
    }),
    handler("invitations.resend", {
      access: {
        kind: "scoped",
        keys: ["users.create"],
        needs: (input) => [{ permission: "users.create", on: { type: "invitation", id: input.id, field: "id" } }]
      },
      run(ctx, input) {
        const actor = ctx.actor;
        const now = ctx.clock.now();
        const row = invitationById(db, input.id);
        if (!row) throw new OpError("NOT_FOUND", "That invitation does not exist", { field: "id" });
        const status = statusOf(row, now);
        if (status === "accepted" || status === "revoked")
          throw new OpError("CONFLICT", `This invitation was ${status}; send a new one instead`, { field: "id" });
        requireMayInvite(db, actor.userId, { email: row.email, roleId: row.role_id, groupId: row.group_id }, "id");
        if (status === "expired") requireSeat(db, row.group_id, now, "id");
        const { token: token2, hash } = issueToken(ctx);
        const expires = now + readSetting(db, "invitations.expiryHours") * 36e5;
        stmt(
          db,
          "UPDATE invitations SET token_hash = ?, expires_at = ?, send_count = send_count + 1, resent_by = ?, resent_by_name = ? WHERE id = ?"
        ).run(hash, expires, actor.userId, actor.username, row.id);
        const updated = invitationById(db, row.id) ?? row;
        ctx.audit({
          action: "invitations.resend",
          target: { type: "invitation", id: row.id, name: row.email },
          groupId: row.group_id,
          after: { sendCount: updated.send_count, expiresAt: expires }
        });
        return sent(db, ctx, updated, token2);
      },
      after: deliver(db)
    }),
    handler("invitations.revoke", {
      access: {
        kind: "scoped",
        keys: ["users.create"],
        needs: (input) => [{ permission: "users.create", on: { type: "invitation", id: input.id, field: "id" } }]
      },
      run(ctx, input) {
        const row = invitationById(db, input.id);
        if (!row) throw new OpError("NOT_FOUND", "That invitation does not exist", { field: "id" });
        if (row.status !== "pending") throw new OpError("CONFLICT", `This invitation was already ${row.status}`, { field: "id" });
        stmt(db, "UPDATE invitations SET status = 'revoked' WHERE id = ?").run(row.id);
        ctx.audit({
          action: "invitations.revoke",
          target: { type: "invitation", id: row.id, name: row.email },
          groupId: row.group_id,
          before: { status: "pending" },
          after: { status: "revoked" }
        });
        return { id: row.id };
      }
    })
  ];
}

// main/features/settings/handlers.ts
function view(db) {
  const smtp2 = readSetting(db, "smtp");
  return {
    idleTimeoutMinutes: readSetting(db, "session.idleTimeoutMinutes"),
    invitationExpiryHours: readSetting(db, "invitations.expiryHours"),
    auditRetentionDays: readSetting(db, "audit.retentionDays"),
    smtp: smtp2 ? {
      host: smtp2.host,
      port: smtp2.port,
      secure: smtp2.secure,
      username: smtp2.username,
      hasPassword: smtp2.passwordSealed !== null,
      from: smtp2.from,
      allowWithoutTls: smtp2.allowWithoutTls
    } : null
  };
}
function nextSmtp(db, ctx, input) {
  if (!input) return null;
  const stored = readSetting(db, "smtp");
  const allowWithoutTls = input.allowWithoutTls ?? false;
  if (input.password === void 0) {
    const reason = smtpPasswordRetypeReason(stored && { ...stored, hasPassword: stored.passwordSealed !== null }, {
      ...input,
      allowWithoutTls
    });
    if (reason) throw new OpError("VALIDATION", reason, { field: "smtp.password" });
  }
  const passwordSealed = input.password === void 0 ? stored?.passwordSealed ?? null : input.password === "" ? null : ctx.secrets.seal(Buffer.from(input.password, "utf8")).toString("base64");
  return {
    host: input.host,
    port: input.port,
    secure: input.secure,
    username: input.username,
    passwordSealed,
    from: input.from,
    allowWithoutTls
  };
}
function settingsHandlers(db) {
  return [
    // Installation-wide settings belong to the root: they are read and changed there.
    handler("settings.get", { access: atRoot(db, "settings.view"), run: () => view(db) }),
    handler("settings.update", {
      access: atRoot(db, "settings.manage"),
      run(ctx, input) {
        const before = view(db);
        const smtp2 = input.smtp === void 0 ? void 0 : nextSmtp(db, ctx, input.smtp);
        if (input.idleTimeoutMinutes !== void 0) writeSetting(db, "session.idleTimeoutMinutes", input.idleTimeoutMinutes);
        if (input.invitationExpiryHours !== void 0) writeSetting(db, "invitations.expiryHours", input.invitationExpiryHours);
        if (input.auditRetentionDays !== void 0) writeSetting(db, "audit.retentionDays", input.auditRetentionDays);
        if (smtp2 !== void 0) writeSetting(db, "smtp", smtp2);
        const after = view(db);
        ctx.audit({ target: { type: "settings", id: "installation", name: "Settings" }, before: { ...before }, after: { ...after } });
        return after;
      },
      async after(ctx, output) {
        applyAuditRetention(db, ctx.clock, ctx.actor);
        return output;
      }
    })
  ];
}

// main/features/groups/read.ts
var GROUP_READ_KEYS = {
  users: "users.view",
  devices: "devices.view",
  company: "company.view",
  billing: "billing.view"
};
function tree(db, actorId) {
  const visible = scopeCondition(db, actorId, "groups.view", { group: "g.id", kind: "g.kind" }, "tv");
  const users = scopeCondition(db, actorId, GROUP_READ_KEYS.users, { group: "g.id", kind: "g.kind" }, "uv");
  const devices2 = scopeCondition(db, actorId, GROUP_READ_KEYS.devices, { group: "g.id", kind: "g.kind" }, "dv");
  const rows = stmt(
    db,
    `SELECT g.id, g.parent_id AS parentId, g.kind, g.name, ${users.sql} AS usersVisible, ${devices2.sql} AS devicesVisible
     FROM groups g WHERE ${visible.sql}`
  ).all({ ...visible.params, ...users.params, ...devices2.params });
  const userCounts = countBy(db, "SELECT home_group_id AS id, count(*) AS n FROM users GROUP BY home_group_id", {});
  const deviceScope2 = scopeCondition(db, actorId, "devices.view", { group: "d.group_id", kind: "g.kind", device: "d.id" }, "ds");
  const deviceCounts = countBy(
    db,
    `SELECT d.group_id AS id, count(*) AS n FROM devices d JOIN groups g ON g.id = d.group_id WHERE ${deviceScope2.sql} GROUP BY d.group_id`,
    deviceScope2.params
  );
  return parentsFirst(rows).map((r) => ({
    id: r.id,
    parentId: r.parentId,
    kind: r.kind,
    name: r.name,
    userCount: r.usersVisible ? userCounts.get(r.id) ?? 0 : null,
    deviceCount: r.devicesVisible ? deviceCounts.get(r.id) ?? 0 : null
  }));
}
function parentsFirst(rows) {
  const ids = new Set(rows.map((r) => r.id));
  const children = /* @__PURE__ */ new Map();
  for (const row of rows) {
    const parent = row.parentId !== null && ids.has(row.parentId) ? row.parentId : null;
    const list = children.get(parent);
    if (list) list.push(row);
    else children.set(parent, [row]);
  }
  const key2 = new Map(rows.map((r) => [r.id, r.name.toLowerCase()]));
  const byName = (a, b) => {
    const x = key2.get(a.id) ?? "";
    const y = key2.get(b.id) ?? "";
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
  };
  const out = [];
  let level = (children.get(null) ?? []).sort(byName);
  while (level.length > 0) {
    out.push(...level);
    level = level.flatMap((r) => (children.get(r.id) ?? []).sort(byName));
  }
  return out;
}
function countBy(db, sql, params) {
  return new Map(
    stmt(db, sql).all(params).map((r) => [r.id, r.n])
  );
}
function detail(db, actorId, id, now) {
  const target2 = resolveTarget(db, "group", id, actorId);
  const row = groupRow(db, id);
  if (!row || !target2) throw new Error("group vanished inside a transaction");
  const can = (key2) => check(db, actorId, key2, target2).allowed;
  const count = (sql) => stmt(db, sql).get(id)?.n ?? 0;
  const isRoot = row.parent_id === null;
  const childKinds = allowedChildKinds(row.kind).filter((kind2) => can(manageKeyFor(kind2)));
  const company2 = can(GROUP_READ_KEYS.company);
  const billing = can(GROUP_READ_KEYS.billing);
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    path: target2.groupPath.fromRoot.map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
    serviceType: row.service_type,
    seatLimit: row.seat_limit,
    // Finding 6: the company's profile, contacts, activity notes and branding are company.view's,
    // its billing contact billing.view's; a reader without them gets the parts absent, not empty.
    profile: company2 ? profileView(parseProfile(row.profile), billing) : null,
    contacts: company2 ? contactsOf(db, id) : null,
    activities: company2 ? activitiesOf(db, id) : null,
    branding: company2 ? parseBranding(row.branding) : null,
    visible: { company: company2, billing: company2 && billing },
    modules: Object.keys(MODULES).filter((m) => m !== "core").map((m) => ({
      id: m,
      label: MODULES[m].label,
      available: moduleAvailable(m, row.kind),
      reason: moduleUnavailableReason(m, row.kind)
    })),
    // Only the kinds the caller may create here, so the UI never offers a refused action.
    allowedChildKinds: childKinds,
    childCount: count("SELECT count(*) AS n FROM groups WHERE parent_id = ?"),
    userCount: can("users.view") ? count("SELECT count(*) AS n FROM users WHERE home_group_id = ?") : null,
    deviceCount: can("devices.view") ? visibleDevices2(db, actorId, id) : null,
    seats: seatsView(db, id, now),
    can: {
      edit: can(manageKeyFor(row.kind)),
      createChild: childKinds.length > 0,
      move: !isRoot && can(manageKeyFor(row.kind)),
      remove: !isRoot && can(manageKeyFor(row.kind)),
      editCompany: can("company.manage"),
      editSeats: isCompanyKind(row.kind) && can("billing.manage")
    }
  };
}
function profileView(profile, billing) {
  if (billing) return profile;
  return Object.fromEntries(Object.entries(profile).filter(([key2]) => !BILLING_FIELDS.includes(key2)));
}
function seatsView(db, groupId, now) {
  const use = seatUse(db, groupId, now);
  return use ? { companyName: use.companyName, used: use.members + use.pending, limit: use.limit, members: use.members, pending: use.pending } : null;
}
function visibleDevices2(db, actorId, groupId) {
  const scope = scopeCondition(db, actorId, "devices.view", { group: "d.group_id", kind: "g.kind", device: "d.id" });
  return stmt(
    db,
    `SELECT count(*) AS n FROM devices d JOIN groups g ON g.id = d.group_id WHERE d.group_id = @groupId AND ${scope.sql}`
  ).get({
    groupId,
    ...scope.params
  })?.n ?? 0;
}
function groupReadHandlers(db) {
  return [
    handler("groups.tree", {
      access: { kind: "list", permission: "groups.view" },
      run: (ctx) => ({ groups: tree(db, ctx.actor.userId) })
    }),
    handler("groups.get", {
      access: {
        kind: "scoped",
        keys: ["groups.view"],
        needs: (input) => [{ permission: "groups.view", on: { type: "group", id: input.id, field: "id" } }]
      },
      run: (ctx, input) => detail(db, ctx.actor.userId, input.id, ctx.clock.now())
    })
  ];
}

// main/features/groups/move-reach.ts
var SHOWN2 = 5;
function requireSameCompany(db, group, newParentId) {
  if (isCompanyKind(group.kind)) return;
  const from = companyOf(db, group.parentId);
  const to = companyOf(db, newParentId);
  if (!from || !to || from.id === to.id) return;
  throw new OpError(
    "CONFLICT",
    `\u201C${group.name}\u201D is a ${KIND_LABELS[group.kind].toLowerCase()} of \u201C${from.name}\u201D: its people and devices belong to that company, so it cannot move into \u201C${to.name}\u201D. Move it within \u201C${from.name}\u201D, or create it in \u201C${to.name}\u201D and move the devices there.`,
    { field: "parentId" }
  );
}
function requireReachGrantable(db, moverId, group, newParentId) {
  const oldPath = groupPath(db, group.parentId)?.ids ?? [];
  const newParentPath = groupPath(db, newParentId)?.ids ?? [];
  const gained = newParentPath.filter((id) => !oldPath.includes(id));
  if (gained.length === 0) return;
  const roles = allRoles(db);
  const mover = bindingsOf(db, moverId);
  const newPlace = { path: [group.id, ...newParentPath] };
  const bindings3 = stmt(
    db,
    "SELECT user_id, role_id, group_id FROM role_bindings WHERE group_id IN (SELECT value FROM json_each(?)) ORDER BY group_id, user_id"
  ).all(JSON.stringify(gained));
  const refused = [];
  for (const b of bindings3) {
    const role = roles.get(b.role_id);
    if (!role) continue;
    const missing = escalationGaps(mover, role, newPlace);
    if (missing.length > 0) refused.push({ userId: b.user_id, roleName: role.name, groupId: b.group_id, missing });
  }
  if (refused.length === 0) return;
  const named = refused.filter((r) => {
    const holder = resolveTarget(db, "user", r.userId, moverId);
    return holder !== void 0 && check(db, moverId, "users.view", holder).allowed;
  }).slice(0, SHOWN2);
  const words = named.map((r) => {
    const holder = resolveTarget(db, "user", r.userId, moverId)?.name ?? r.userId;
    const keys = r.missing.slice(0, 3).join(", ") + (r.missing.length > 3 ? ` and ${r.missing.length - 3} more` : "");
    return `${holder} (${r.roleName} at \u201C${findGroup(db, r.groupId)?.name ?? ""}\u201D: ${keys})`;
  });
  const rest = refused.length - named.length;
  const others = rest > 0 ? `${rest} ${named.length > 0 ? "more " : ""}binding${rest === 1 ? "" : "s"} held by people you may not see` : "";
  const list = [...words, others].filter((w) => w !== "").join("; ");
  const newParent = findGroup(db, newParentId)?.name ?? "";
  throw new OpError(
    "FORBIDDEN",
    `Moving \u201C${group.name}\u201D under \u201C${newParent}\u201D would give ${refused.length} binding${refused.length === 1 ? "" : "s"} there reach over its people and devices with permissions you do not hold there yourself: ${list}. Someone who holds them above \u201C${newParent}\u201D can make this move.`,
    { field: "parentId" }
  );
}

// main/features/groups/write.ts
function nameTaken(name, parentName) {
  return new OpError("CONFLICT", `\u201C${parentName}\u201D already has a group named \u201C${name}\u201D (names are compared without case)`, {
    field: "name"
  });
}
function nestingError(parent, child, field) {
  const problem = nestingProblem(parent, child);
  return problem ? new OpError("CONFLICT", problem, { field }) : null;
}
function brandingForAudit(branding) {
  return { ...branding, logo: branding.logo ? `image, ${Math.round(branding.logo.length * 3 / 4 / 1024)} KB` : null };
}
function existing(db, id) {
  const group = findGroup(db, id);
  if (!group) throw new Error("group vanished inside a transaction");
  return group;
}
function create(db, ctx, input) {
  const parent = existing(db, input.parentId);
  const nesting = nestingError(parent.kind, input.kind, "kind");
  if (nesting) throw nesting;
  if (input.seatLimit != null && !isCompanyKind(input.kind))
    throw new OpError("VALIDATION", "Only companies have a seat limit", { field: "seatLimit" });
  if (siblingWithName(db, input.parentId, input.name)) throw nameTaken(input.name, parent.name);
  const id = ctx.entropy.id();
  const now = ctx.clock.now();
  stmt(
    db,
    "INSERT INTO groups (id, parent_id, kind, name, service_type, seat_limit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
  ).run(id, input.parentId, input.kind, input.name, input.serviceType ?? "", input.seatLimit ?? null, now, now);
  linkNewGroup(db, id, input.parentId);
  if (input.owner && !isCompanyKind(input.kind))
    throw new OpError("VALIDATION", "Only a company has an Owner; leave the Owner out for a location or department", { field: "owner" });
  const ownerInvitation = input.owner ? issueInvitation(db, ctx, { email: input.owner.email, roleId: OWNER_ROLE_ID, groupId: id, kind: "member" }, "owner") : void 0;
  ctx.audit({
    action: "groups.create",
    target: { type: "group", id, name: input.name },
    groupId: id,
    after: {
      ...input.owner ? { ownerInvited: input.owner.email } : {},
      parent: parent.name,
      kind: input.kind,
      name: input.name,
      serviceType: input.serviceType ?? "",
      seatLimit: input.seatLimit ?? null
    }
  });
  return { id, ...ownerInvitation ? { ownerInvitation } : {} };
}
function updateSections(db, ctx, row, input) {
  const before = {};
  const after = {};
  const changed = (key2, was, now) => {
    before[key2] = was;
    after[key2] = now;
  };
  const parent = row.parent_id ? findGroup(db, row.parent_id) : void 0;
  if (input.name !== void 0 || input.kind !== void 0 || input.serviceType !== void 0) {
    if (input.kind !== void 0 && input.kind !== row.kind) {
      if (!parent) throw new OpError("CONFLICT", "The root group is always the provider", { field: "kind" });
      const upward = nestingError(parent.kind, input.kind, "kind");
      if (upward) throw upward;
      for (const child of stmt(db, "SELECT kind, name FROM groups WHERE parent_id = ?").all(
        row.id
      )) {
        if (nestingProblem(input.kind, child.kind)) {
          throw new OpError(
            "CONFLICT",
            `As a ${KIND_LABELS[input.kind].toLowerCase()} it could not hold its ${KIND_LABELS[child.kind].toLowerCase()} \u201C${child.name}\u201D`,
            { field: "kind" }
          );
        }
      }
      if (!isCompanyKind(input.kind) && row.seat_limit !== null) stmt(db, "UPDATE groups SET seat_limit = NULL WHERE id = ?").run(row.id);
      stmt(db, "UPDATE groups SET kind = ? WHERE id = ?").run(input.kind, row.id);
      changed("kind", row.kind, input.kind);
    }
    if (input.name !== void 0 && input.name !== row.name) {
      if (parent && siblingWithName(db, parent.id, input.name, row.id)) throw nameTaken(input.name, parent.name);
      stmt(db, "UPDATE groups SET name = ? WHERE id = ?").run(input.name, row.id);
      changed("name", row.name, input.name);
    }
    if (input.serviceType !== void 0 && input.serviceType !== row.service_type) {
      stmt(db, "UPDATE groups SET service_type = ? WHERE id = ?").run(input.serviceType, row.id);
      changed("serviceType", row.service_type, input.serviceType);
    }
  }
  if (input.seatLimit !== void 0 && input.seatLimit !== row.seat_limit) {
    if (!isCompanyKind(input.kind ?? row.kind)) throw new OpError("VALIDATION", "Only companies have a seat limit", { field: "seatLimit" });
    stmt(db, "UPDATE groups SET seat_limit = ? WHERE id = ?").run(input.seatLimit, row.id);
    changed("seatLimit", row.seat_limit, input.seatLimit);
  }
  if (input.profile) {
    const stored = parseProfile(row.profile);
    const next = { ...stored };
    for (const [key2, value] of Object.entries(input.profile))
      if (value !== void 0) next[key2] = value;
    stmt(db, "UPDATE groups SET profile = ? WHERE id = ?").run(JSON.stringify(next), row.id);
    changed("profile", stored, next);
  }
  if (input.contacts) {
    changed("contacts", contactsOf(db, row.id), input.contacts);
    replaceContacts(db, row.id, input.contacts);
  }
  if (input.activities) {
    changed("activities", activitiesOf(db, row.id).length, input.activities.length);
    replaceActivities(db, row.id, input.activities);
  }
  if (input.branding) {
    stmt(db, "UPDATE groups SET branding = ? WHERE id = ?").run(JSON.stringify(input.branding), row.id);
    changed("branding", brandingForAudit(parseBranding(row.branding)), brandingForAudit(input.branding));
  }
  stmt(db, "UPDATE groups SET updated_at = ? WHERE id = ?").run(ctx.clock.now(), row.id);
  ctx.audit({ target: { type: "group", id: row.id, name: input.name ?? row.name }, groupId: row.id, before, after });
  return { id: row.id };
}
function move(db, ctx, input) {
  const row = groupRow(db, input.id);
  if (!row) throw new Error("group vanished inside a transaction");
  if (!row.parent_id) throw new OpError("CONFLICT", "The root group cannot be moved", { field: "id" });
  const parent = existing(db, input.parentId);
  if (isInSubtree(db, input.id, input.parentId)) {
    throw new OpError("CONFLICT", `\u201C${row.name}\u201D cannot move into itself or one of its own subgroups`, { field: "parentId" });
  }
  const nesting = nestingError(parent.kind, row.kind, "parentId");
  if (nesting) throw nesting;
  if (row.parent_id === input.parentId) return { id: row.id };
  if (siblingWithName(db, input.parentId, row.name, row.id)) throw nameTaken(row.name, parent.name);
  const moved = { id: row.id, name: row.name, kind: row.kind, parentId: row.parent_id };
  requireSameCompany(db, moved, input.parentId);
  requireReachGrantable(db, ctx.actor.userId, moved, input.parentId);
  const oldParent = findGroup(db, row.parent_id);
  stmt(db, "UPDATE groups SET parent_id = ?, updated_at = ? WHERE id = ?").run(input.parentId, ctx.clock.now(), row.id);
  relinkSubtree(db, row.id, input.parentId);
  ctx.audit({
    target: { type: "group", id: row.id, name: row.name },
    groupId: row.id,
    before: { parentId: row.parent_id, parent: oldParent?.name ?? "" },
    after: { parentId: input.parentId, parent: parent.name }
  });
  return { id: row.id };
}
function remove(db, ctx, input) {
  const row = groupRow(db, input.id);
  if (row && !row.parent_id) throw new OpError("CONFLICT", "The root group cannot be removed", { field: "id" });
  const target2 = resolveTarget(db, "group", input.id, ctx.actor.userId);
  if (!target2) throw new Error("group vanished inside a transaction");
  ctx.audit({ target: { type: "group", id: input.id, name: target2.name }, groupId: input.id });
  const count = (sql) => stmt(db, sql).get(input.id)?.n ?? 0;
  const children = count("SELECT count(*) AS n FROM groups WHERE parent_id = ?");
  const devices2 = count("SELECT count(*) AS n FROM devices WHERE group_id = ?");
  const users = count("SELECT count(*) AS n FROM users WHERE home_group_id = ?");
  const roles = count("SELECT count(*) AS n FROM roles WHERE owner_group_id = ?");
  const blockers = [
    children ? plural(children, "child group") : null,
    devices2 ? plural(devices2, "device") : null,
    users ? plural(users, "user homed here", "users homed here") : null,
    roles ? plural(roles, "role of its own", "roles of its own") : null
  ].filter((b) => b !== null);
  if (blockers.length > 0) {
    const list = blockers.length > 1 ? `${blockers.slice(0, -1).join(", ")} and ${blockers.at(-1) ?? ""}` : blockers[0] ?? "";
    throw new OpError("CONFLICT", `Cannot remove \u201C${target2.name}\u201D: it has ${list}. Move or remove them first.`, { field: "id" });
  }
  const bindings3 = stmt(
    db,
    "SELECT user_id, role_id FROM role_bindings WHERE group_id = ?"
  ).all(input.id);
  stmt(db, "DELETE FROM role_bindings WHERE group_id = ?").run(input.id);
  stmt(db, "DELETE FROM groups WHERE id = ?").run(input.id);
  ctx.audit({
    target: { type: "group", id: input.id, name: target2.name },
    groupId: row?.parent_id ?? input.id,
    before: { kind: row?.kind, parent: target2.groupPath.fromRoot.at(-2)?.name ?? "", bindingsRemoved: bindings3 }
  });
  return { removed: true };
}
function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
var groupRef = (id, field) => ({ type: "group", id, field });
var manageIt = (kind2) => manageKeyFor(kind2);
var MANAGE_KEYS = ["groups.manage", "locations.manage"];
var COMPANY_SECTIONS = ["profile", "contacts", "activities", "branding"];
function updateNeeds(input) {
  const on = groupRef(input.id, "id");
  const needs = [{ permission: "groups.view", on }];
  if (input.name !== void 0 || input.kind !== void 0 || input.serviceType !== void 0) needs.push({ permission: manageIt, on });
  if (input.kind !== void 0) needs.push({ permission: manageKeyFor(input.kind), on: groupRef(input.id, "kind") });
  if (input.seatLimit !== void 0) needs.push({ permission: "billing.manage", on: groupRef(input.id, "seatLimit") });
  const section2 = COMPANY_SECTIONS.find((key2) => input[key2] !== void 0);
  if (section2) needs.push({ permission: "company.manage", on: groupRef(input.id, section2) });
  const billingField = BILLING_FIELDS.find((key2) => input.profile?.[key2] !== void 0);
  if (billingField) needs.push({ permission: "billing.view", on: groupRef(input.id, `profile.${billingField}`) });
  return needs;
}
function groupWriteHandlers(db) {
  return [
    handler("groups.create", {
      access: {
        kind: "scoped",
        keys: [...MANAGE_KEYS, "billing.manage"],
        needs: (input) => [
          { permission: manageKeyFor(input.kind), on: groupRef(input.parentId, "parentId") },
          ...input.seatLimit != null ? [{ permission: "billing.manage", on: groupRef(input.parentId, "seatLimit") }] : []
        ]
      },
      run: (ctx, input) => create(db, ctx, input),
      async after(ctx, output) {
        return output.ownerInvitation ? { ...output, ownerInvitation: await deliver(db)(ctx, output.ownerInvitation) } : output;
      }
    }),
    handler("groups.update", {
      access: {
        kind: "scoped",
        keys: ["groups.view", ...MANAGE_KEYS, "billing.manage", "company.manage", "billing.view"],
        needs: updateNeeds
      },
      run(ctx, input) {
        const row = groupRow(db, input.id);
        if (!row) throw new Error("group vanished inside a transaction");
        return updateSections(db, ctx, row, input);
      }
    }),
    handler("groups.move", {
      access: {
        kind: "scoped",
        keys: MANAGE_KEYS,
        // The new parent needs the key for the moved group's kind, not the parent's own.
        needs: (input) => [
          { permission: manageIt, on: groupRef(input.id, "id") },
          { permission: manageKeyFor(findGroup(db, input.id)?.kind ?? "customer"), on: groupRef(input.parentId, "parentId") }
        ]
      },
      run: (ctx, input) => move(db, ctx, input)
    }),
    handler("groups.remove", {
      access: { kind: "scoped", keys: MANAGE_KEYS, needs: (input) => [{ permission: manageIt, on: groupRef(input.id, "id") }] },
      run: (ctx, input) => remove(db, ctx, input)
    })
  ];
}

// main/features/groups/index.ts
function groupHandlers(db) {
  return [...groupReadHandlers(db), ...groupWriteHandlers(db)];
}

// main/features/roles/records.ts
function roleNeeds(db, key2) {
  return {
    kind: "scoped",
    anywhere: key2,
    keys: [key2],
    needs: (input) => allRoles(db).get(input.id)?.builtin ? [] : [{ permission: key2, on: { type: "role", id: input.id, field: "id" } }]
  };
}
function holdersOf(db, roleId) {
  return stmt(
    db,
    `SELECT u.id AS userId, u.username, g.id AS groupId, g.name AS groupName FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups g ON g.id = b.group_id WHERE b.role_id = ? ORDER BY u.username`
  ).all(roleId);
}
function visibleHoldersOf(db, roleId, readerId) {
  const scope = holderScope(db, readerId);
  return stmt(
    db,
    `SELECT u.id AS userId, u.username, g.id AS groupId, g.name AS groupName FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups g ON g.id = b.group_id JOIN groups hg ON hg.id = u.home_group_id
     WHERE b.role_id = @roleId AND ${scope.sql} ORDER BY u.username`
  ).all({ ...scope.params, roleId });
}
function visibleHolderCounts(db, readerId) {
  const scope = holderScope(db, readerId);
  const rows = stmt(
    db,
    `SELECT b.role_id AS roleId, COUNT(DISTINCT b.user_id) AS people FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups hg ON hg.id = u.home_group_id
     WHERE ${scope.sql} GROUP BY b.role_id`
  ).all(scope.params);
  return new Map(rows.map((r) => [r.roleId, r.people]));
}
function holderScope(db, readerId) {
  return scopeCondition(db, readerId, "users.view", { group: "u.home_group_id", kind: "hg.kind", user: "u.id" }, "holder");
}
var HIDDEN_AUTHOR = "(someone you may not see)";
function visibleVersionsOf(db, roleId, readerId) {
  const scope = holderScope(db, readerId);
  const seen = stmt(
    db,
    `SELECT u.username FROM users u JOIN groups hg ON hg.id = u.home_group_id
     WHERE u.username IN (SELECT by_name FROM role_versions WHERE role_id = @roleId) AND (u.id = @reader OR ${scope.sql})`
  ).all({ ...scope.params, roleId, reader: readerId });
  const named = new Set(seen.map((r) => r.username.toLowerCase()));
  return versionsOf(db, roleId).map((v) => named.has(v.by.toLowerCase()) ? v : { ...v, by: HIDDEN_AUTHOR });
}
function versionsOf(db, roleId) {
  return stmt(
    db,
    "SELECT version, at, by_name, name, description, device_visibility, scope_kind, permissions FROM role_versions WHERE role_id = ? ORDER BY version DESC"
  ).all(roleId).map((r) => ({
    version: r.version,
    at: r.at,
    by: r.by_name,
    name: r.name,
    description: r.description,
    deviceVisibility: r.device_visibility,
    scopeKind: r.scope_kind,
    permissions: JSON.parse(r.permissions)
  }));
}
function recordVersion(db, roleId, at, by) {
  const role = stmt(db, "SELECT name, description, device_visibility, scope_kind FROM roles WHERE id = ?").get(roleId);
  const keys = stmt(db, "SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission").all(roleId).map((r) => r.permission);
  const version = (stmt(db, "SELECT max(version) AS v FROM role_versions WHERE role_id = ?").get(roleId)?.v ?? 0) + 1;
  stmt(
    db,
    "INSERT INTO role_versions (role_id, version, at, by_name, name, description, device_visibility, scope_kind, permissions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
  ).run(
    roleId,
    version,
    at,
    by,
    role?.name ?? "",
    role?.description ?? "",
    role?.device_visibility ?? "scope",
    role?.scope_kind ?? null,
    JSON.stringify(keys)
  );
  return version;
}

// main/features/roles/preview.ts
var SHOWN3 = 200;
var rolesPreviewHandler = (db) => handler("roles.preview", {
  access: roleNeeds(db, "roles.view"),
  run(ctx, input) {
    const roles = allRoles(db);
    const role = roles.get(input.id);
    if (!role) throw new Error("role vanished inside a transaction");
    const next = new Set(input.permissions.map((k) => permission(k)?.key ?? k));
    const added = [...next].filter((k) => !role.permissions.has(k));
    const removed = [...role.permissions].filter((k) => !next.has(k));
    const scope = holderScope(db, ctx.actor.userId);
    const bindings3 = stmt(
      db,
      `SELECT b.user_id, u.username, b.group_id FROM role_bindings b JOIN users u ON u.id = b.user_id JOIN groups hg ON hg.id = u.home_group_id
         WHERE b.role_id = @role AND ${scope.sql} ORDER BY u.username`
    ).all({ ...scope.params, role: role.id });
    const others = /* @__PURE__ */ new Map();
    for (const row of stmt(
      db,
      `SELECT o.user_id, o.group_id, o.role_id FROM role_bindings o
         WHERE o.role_id <> @role AND EXISTS (SELECT 1 FROM role_bindings b WHERE b.role_id = @role AND b.user_id = o.user_id AND b.group_id = o.group_id)`
    ).all({ role: role.id })) {
      const key2 = `${row.user_id}@${row.group_id}`;
      others.set(key2, [...others.get(key2) ?? [], row.role_id]);
    }
    const counts = /* @__PURE__ */ new Map();
    const people = /* @__PURE__ */ new Map();
    for (const b of bindings3) {
      const alsoHeld = new Set((others.get(`${b.user_id}@${b.group_id}`) ?? []).flatMap((id) => [...roles.get(id)?.permissions ?? []]));
      const person = people.get(b.user_id) ?? {
        userId: b.user_id,
        username: b.username,
        gained: /* @__PURE__ */ new Set(),
        lost: /* @__PURE__ */ new Set()
      };
      people.set(b.user_id, person);
      for (const [keys, bucket] of [
        [added, "gained"],
        [removed, "lost"]
      ]) {
        for (const key2 of keys) {
          if (alsoHeld.has(key2)) continue;
          person[bucket].add(key2);
          const entry = counts.get(key2) ?? { gained: /* @__PURE__ */ new Set(), lost: /* @__PURE__ */ new Set() };
          counts.set(key2, entry);
          entry[bucket].add(b.user_id);
        }
      }
    }
    const reach = stmt(
      db,
      `WITH reach AS (SELECT DISTINCT c.descendant AS id FROM group_closure c WHERE c.ancestor IN (SELECT value FROM json_each(@groups)))
         SELECT (SELECT count(*) FROM devices WHERE group_id IN (SELECT id FROM reach)) AS devices, (SELECT count(*) FROM reach) AS groups`
    ).get({ groups: JSON.stringify([...new Set(bindings3.map((b) => b.group_id))]) });
    return {
      holders: people.size,
      changes: [...counts].map(([key2, c]) => ({ key: key2, gained: c.gained.size, lost: c.lost.size })).sort((a, b) => a.key.localeCompare(b.key)),
      people: [...people.values()].filter((p2) => p2.gained.size + p2.lost.size > 0).slice(0, SHOWN3).map((p2) => ({ userId: p2.userId, username: p2.username, gained: [...p2.gained].sort(), lost: [...p2.lost].sort() })),
      devices: reach?.devices ?? 0,
      groups: reach?.groups ?? 0
    };
  }
});

// shared/access/templates.ts
function area(id, level) {
  return areaPermissions(id).filter((p2) => level === "full" || p2.level === "read").map((p2) => p2.key);
}
function levels(spec) {
  return Object.entries(spec).flatMap(([id, level]) => area(id, level));
}
var CONFIGURATION = ["locations", "users", "policies", "alarmSettings", "company", "plugins"];
var MANAGED = [
  "devices",
  "discovery",
  "agents",
  "restores",
  "backupServers",
  "jobs",
  "publicCloud",
  "failover",
  "m365",
  "reports",
  "activeAlarms"
];
var READ_ONLY = ["monitoringTools", "monitoring", "protectedData"];
var all = (ids, level) => Object.fromEntries(ids.map((id) => [id, level]));
var SEED_003 = [
  {
    id: "seed003-company-owner",
    seed: "003",
    meaning: "owner",
    name: "Company Owner",
    description: "Seed 003. Everything in the table at its level, plus group view and the audit trail (not in the table).",
    deviceVisibility: "scope",
    permissions: levels({
      ...all(CONFIGURATION, "full"),
      ...all(MANAGED, "full"),
      ...all(READ_ONLY, "read"),
      billing: "read",
      groups: "read",
      dashboard: "read",
      audit: "read"
    })
  },
  {
    id: "seed003-company-administrator",
    seed: "003",
    meaning: "admin",
    name: "Company Administrator",
    description: "Seed 003. As Company Owner; cannot modify or remove the Owner (enforced for every Owner, not by keys).",
    deviceVisibility: "scope",
    permissions: levels({
      ...all(CONFIGURATION, "full"),
      ...all(MANAGED, "full"),
      ...all(READ_ONLY, "read"),
      billing: "read",
      groups: "read",
      dashboard: "read",
      audit: "read"
    })
  },
  {
    id: "seed003-location-administrator",
    seed: "003",
    name: "Location Administrator",
    description: "Seed 003. As Company Owner at one or more locations, without billing and without managing locations; configuration limited to portal users.",
    deviceVisibility: "scope",
    scopeKind: "location",
    permissions: levels({ users: "full", ...all(MANAGED, "full"), ...all(READ_ONLY, "read"), groups: "read", dashboard: "read" })
  },
  {
    id: "seed003-location-user",
    seed: "003",
    name: "Location User",
    description: "Seed 003. Monitoring data of one or more locations, read only where the table says Read.",
    deviceVisibility: "scope",
    scopeKind: "location",
    permissions: levels({
      devices: "read",
      agents: "read",
      backupServers: "read",
      jobs: "read",
      failover: "read",
      m365: "read",
      monitoringTools: "read",
      reports: "read",
      monitoring: "read",
      activeAlarms: "read",
      protectedData: "read",
      groups: "read",
      dashboard: "read"
    })
  },
  {
    id: "seed003-subtenant",
    seed: "003",
    name: "Subtenant",
    description: "Seed 003. Only their own computers, the ones assigned to them (backed up by their agents to their cloud repository): sees those computers, their agents, monitoring, alarms and protected data (read) and restores files on them (full); no other device, no users, no configuration.",
    deviceVisibility: "assigned",
    // devices.view under 'assigned' visibility is what makes a computer theirs: it lets a device
    // be assigned to them and shows them exactly the assigned ones. It is the table's "*" (their
    // own computers), not its "Managed computers" row, which stays N/A: no devices.manage or
    // devices.assign, and no device they do not hold.
    permissions: [
      "devices.view",
      ...levels({ agents: "read", restores: "full", monitoring: "read", activeAlarms: "read", protectedData: "read" })
    ]
  },
  {
    id: "seed003-invoice-auditor",
    seed: "003",
    name: "Company Invoice Auditor",
    description: "Seed 003. Invoices and billing notifications, read only.",
    deviceVisibility: "assigned",
    permissions: levels({ billing: "read" })
  }
];
var SEED_000 = BUILTIN_ROLES.map((r) => ({
  id: `seed000-${r.key}`,
  seed: "000",
  name: r.name,
  description: `Seed 000. ${r.description}`,
  deviceVisibility: r.deviceVisibility,
  permissions: r.permissions
}));
var SEE_DATA = ["dashboard.view", "monitoring.view", "groups.view", "devices.view", "m365.view", "jobs.view", "protectedData.view"];
var ARCHIVER_ONLY = "SaaS Backup + Archiver only.";
var SEED_004 = [
  {
    id: "seed004-full-admin",
    seed: "004",
    name: "Full Admin",
    description: "Seed 004. Reading: everything in the organization (backed-up data of every user, restores, user management and departments, settings, audit log, archive), except changing billing and transferring ownership, which stay with the Owner.",
    deviceVisibility: "scope",
    permissions: PERMISSION_KEYS.filter((k) => k !== "billing.manage" && k !== "ownership.transfer")
  },
  {
    id: "seed004-it-admin",
    seed: "004",
    name: "IT Admin",
    description: "Seed 004. Reading: runs backups and restores for every user and manages user access and departments (grant permission, login on/off), with the audit log; no account settings, billing or role editing.",
    deviceVisibility: "scope",
    permissions: [
      ...SEE_DATA,
      ...area("users", "full"),
      "roles.view",
      "locations.manage",
      "devices.manage",
      "devices.assign",
      "m365.manage",
      "jobs.run",
      "backups.run",
      "restores.run",
      "reports.view",
      "alarms.view",
      "alarms.manage",
      "audit.view"
    ]
  },
  {
    id: "seed004-restricted-it-admin",
    seed: "004",
    name: "Restricted IT Admin",
    description: "Seed 004. Reading: as IT Admin for backups and restores of every user, but cannot manage users, roles or departments (sees the user list only) and has no audit log.",
    deviceVisibility: "scope",
    permissions: [
      ...SEE_DATA,
      "users.view",
      "devices.manage",
      "m365.manage",
      "jobs.run",
      "backups.run",
      "restores.run",
      "reports.view",
      "alarms.view"
    ]
  },
  {
    id: "seed004-group-supervisor",
    seed: "004",
    name: "Group Supervisor",
    description: "Seed 004. Bound to one or more departments, chosen just below the role. Reading: admin of those departments: sees and restores the backed-up data of their users (homed in them or members of them), turns their login on or off; cannot add or delete users, and hands out only what it holds itself.",
    deviceVisibility: "scope",
    scopeKind: "department",
    permissions: [...SEE_DATA, "users.view", "users.edit", "restores.run", "reports.view", "alarms.view"]
  },
  {
    id: "seed004-user",
    seed: "004",
    name: "User",
    description: "Seed 004. Reading: a backed-up user signing in to their own backup: sees and restores only the data assigned to them (their own accounts).",
    deviceVisibility: "assigned",
    permissions: ["dashboard.view", "devices.view", "m365.view", "jobs.view", "protectedData.view", "restores.run"]
  },
  {
    id: "seed004-user-view-restore",
    seed: "004",
    name: "User View and Restore",
    description: "Seed 004. Reading: sees and restores the backed-up data of every user in scope (not only their own), without any configuration, user management or audit log.",
    deviceVisibility: "scope",
    permissions: [...SEE_DATA, "users.view", "restores.run"]
  },
  {
    id: "seed004-compliance-officer",
    seed: "004",
    name: "Compliance and Review Officer",
    description: `Seed 004, ${ARCHIVER_ONLY} Reading: reviews the archive of every user, with reports and the audit log (view and export); reads, never restores or changes.`,
    deviceVisibility: "scope",
    permissions: [...SEE_DATA, "users.view", "reports.view", "audit.view", "audit.export"]
  },
  {
    id: "seed004-reviewer",
    seed: "004",
    name: "Reviewer",
    description: `Seed 004, ${ARCHIVER_ONLY} Reading: reviews the archived data of every user in scope, read only; no audit log, users or restores.`,
    deviceVisibility: "scope",
    permissions: [...SEE_DATA]
  },
  {
    id: "seed004-limited-reviewer",
    seed: "004",
    name: "Limited Reviewer",
    description: `Seed 004, ${ARCHIVER_ONLY} Reading: as Reviewer, limited to the data assigned to them.`,
    deviceVisibility: "assigned",
    permissions: [...SEE_DATA]
  },
  {
    id: "seed004-data-protection-officer",
    seed: "004",
    name: "Data Protection Officer",
    description: `Seed 004, ${ARCHIVER_ONLY} Reading: oversight of personal data: who holds which access (users and roles), the audit log (view and export), settings and reports, read only; sees which data is held but does not restore it.`,
    deviceVisibility: "scope",
    permissions: [...SEE_DATA, "users.view", "roles.view", "settings.view", "reports.view", "audit.view", "audit.export"]
  }
];
var ROLE_TEMPLATES = [...SEED_000, ...SEED_003, ...SEED_004];

// main/features/roles/list.ts
var rolesListHandler = (db) => handler("roles.list", {
  access: { kind: "list", permission: "roles.view" },
  run(ctx) {
    const { actor } = ctx;
    const canView = (roleId) => {
      const target2 = resolveTarget(db, "role", roleId, actor.userId);
      return target2 !== void 0 && check(db, actor.userId, "roles.view", target2).allowed;
    };
    const counts = visibleHolderCounts(db, actor.userId);
    const roles = [];
    const viewsRolesSomewhere = bindingsOf(db, actor.userId).some((b) => b.role.permissions.has("roles.view"));
    for (const role of allRoles(db).values()) {
      if (role.builtin ? !viewsRolesSomewhere : !canView(role.id)) continue;
      roles.push({
        id: role.id,
        name: role.name,
        description: role.description,
        builtin: role.builtin,
        ownerGroupId: role.ownerGroupId,
        deviceVisibility: role.deviceVisibility,
        permissions: [...role.permissions].sort(),
        protected: role.protected,
        scopeKind: role.scopeKind,
        meaning: role.meaning ?? null,
        holderCount: counts.get(role.id) ?? 0
      });
    }
    return { roles };
  }
});

// main/features/roles/read.ts
function roleReadHandlers(db) {
  return [
    rolesListHandler(db),
    handler("roles.get", {
      access: roleNeeds(db, "roles.view"),
      run(ctx, input) {
        const role = allRoles(db).get(input.id);
        if (!role) throw new Error("role vanished inside a transaction");
        return {
          id: role.id,
          name: role.name,
          description: role.description,
          builtin: role.builtin,
          ownerGroupId: role.ownerGroupId,
          deviceVisibility: role.deviceVisibility,
          permissions: [...role.permissions].sort(),
          protected: role.protected,
          scopeKind: role.scopeKind,
          meaning: role.meaning ?? null,
          holders: visibleHoldersOf(db, role.id, ctx.actor.userId),
          versions: visibleVersionsOf(db, role.id, ctx.actor.userId)
        };
      }
    }),
    // Templates start a new role, so they are offered to whoever may create roles somewhere.
    handler("roles.templates", {
      access: { kind: "anywhere", permission: "roles.create" },
      run: () => ({ templates: [...ROLE_TEMPLATES] })
    })
  ];
}

// main/features/roles/write.ts
function canonicalKeys(keys) {
  const out = /* @__PURE__ */ new Set();
  keys.forEach((key2, i) => {
    const def = permission(key2);
    if (!def) throw new OpError("VALIDATION", `\u201C${key2}\u201D is not a permission Steward knows`, { field: `permissions.${i}` });
    out.add(def.key);
  });
  return [...out].sort();
}
function requireHeld(db, actorId, ownerGroupId, keys, deviceVisibility) {
  const path = groupPath(db, ownerGroupId);
  const gaps = escalationGaps(bindingsOf(db, actorId), { permissions: keys, deviceVisibility }, { path: path?.ids ?? [] });
  if (gaps.length > 0)
    throw new OpError("FORBIDDEN", `You do not hold ${gaps.join(", ")} there yourself, so this role cannot include it`, {
      field: "permissions"
    });
}
function nameTaken2(db, ownerGroupId, name, exceptId = "") {
  return stmt(db, "SELECT 1 FROM roles WHERE owner_group_id = ? AND name = ? COLLATE NOCASE AND id <> ?").get(ownerGroupId, name, exceptId) !== void 0;
}
function writeKeys(db, roleId, keys) {
  stmt(db, "DELETE FROM role_permissions WHERE role_id = ?").run(roleId);
  const insert = stmt(db, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)");
  for (const key2 of keys) insert.run(roleId, key2);
}
function contentOf(role) {
  return {
    name: role.name,
    description: role.description,
    deviceVisibility: role.deviceVisibility,
    scopeKind: role.scopeKind,
    permissions: [...role.permissions].sort()
  };
}
function saveVersion(db, ctx, actor, role, ownerGroupId, next, revertedTo) {
  const before = contentOf(role);
  const keys = [...new Set(next.permissions)].sort();
  const changed = [...keys.filter((k) => !role.permissions.has(k)), ...before.permissions.filter((k) => !keys.includes(k))];
  requireHeld(db, actor.userId, ownerGroupId, next.deviceVisibility !== role.deviceVisibility ? keys : changed, next.deviceVisibility);
  if (next.name !== role.name && nameTaken2(db, ownerGroupId, next.name, role.id)) {
    throw new OpError("CONFLICT", `A role named \u201C${next.name}\u201D already exists there`, { field: "name" });
  }
  if (next.scopeKind !== role.scopeKind) requireBindingsFit(db, role, next.scopeKind, actor.userId);
  const now = ctx.clock.now();
  stmt(db, "UPDATE roles SET name = ?, description = ?, device_visibility = ?, scope_kind = ?, updated_at = ? WHERE id = ?").run(
    next.name,
    next.description,
    next.deviceVisibility,
    next.scopeKind,
    now,
    role.id
  );
  writeKeys(db, role.id, keys);
  const version = recordVersion(db, role.id, now, actor.username);
  invalidateRoles(db);
  ctx.audit({
    target: { type: "role", id: role.id, name: next.name },
    groupId: ownerGroupId,
    before: { ...before },
    after: {
      ...next,
      permissions: keys,
      version,
      ...revertedTo === void 0 ? {} : { revertedTo }
    }
  });
  return { id: role.id, version };
}
function requireBindingsFit(db, role, scopeKind2, editorId) {
  if (scopeKind2 === null) return;
  const misplaced = stmt(
    db,
    `SELECT b.user_id, b.group_id, u.username, g.name AS group_name FROM role_bindings b JOIN users u ON u.id = b.user_id
     JOIN groups g ON g.id = b.group_id WHERE b.role_id = ? AND g.kind <> ? ORDER BY u.username`
  ).all(role.id, scopeKind2);
  if (misplaced.length === 0) return;
  const visible = new Set(visibleHoldersOf(db, role.id, editorId).map((h) => `${h.userId}	${h.groupId}`));
  const shown = misplaced.filter((m) => visible.has(`${m.user_id}	${m.group_id}`)).slice(0, 10);
  const names = shown.map((m) => `${m.username} at ${m.group_name}`);
  const rest = misplaced.length - shown.length;
  const more = rest > 0 ? `${names.length > 0 ? " and " : ""}${rest} ${names.length > 0 ? "more " : ""}binding${rest === 1 ? "" : "s"}` : "";
  throw new OpError("CONFLICT", `\u201C${role.name}\u201D is held outside a ${scopeKind2} (${names.join(", ")}${more}); move those bindings first`, {
    field: "scopeKind"
  });
}
function editable(db, ctx, roleId) {
  const { actor } = ctx;
  const role = allRoles(db).get(roleId);
  if (role?.builtin)
    throw new OpError("FORBIDDEN", `${role.name} is a built-in role and cannot be changed; copy it into a custom role instead`, {
      field: "id"
    });
  if (!role?.ownerGroupId) throw new Error("role vanished inside a transaction");
  ctx.audit({
    target: { type: "role", id: role.id, name: role.name },
    groupId: role.ownerGroupId
  });
  return { actor, role, ownerGroupId: role.ownerGroupId };
}
function roleWriteHandlers(db) {
  return [
    handler("roles.create", {
      access: {
        kind: "scoped",
        keys: ["roles.create"],
        needs: (input) => [{ permission: "roles.create", on: { type: "group", id: input.ownerGroupId, field: "ownerGroupId" } }]
      },
      run(ctx, input) {
        const { actor } = ctx;
        const keys = canonicalKeys(input.permissions);
        requireHeld(db, actor.userId, input.ownerGroupId, keys, input.deviceVisibility);
        if (input.meaning && (input.deviceVisibility !== "scope" || input.scopeKind))
          throw new OpError(
            "VALIDATION",
            `A role that means ${input.meaning === "owner" ? "Owner" : "Admin"} sees every device and is held at a company`,
            {
              field: "meaning"
            }
          );
        if (nameTaken2(db, input.ownerGroupId, input.name))
          throw new OpError("CONFLICT", `A role named \u201C${input.name}\u201D already exists there`, { field: "name" });
        const id = ctx.entropy.id();
        const now = ctx.clock.now();
        stmt(
          db,
          "INSERT INTO roles (id, owner_group_id, name, description, device_visibility, scope_kind, meaning, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ).run(
          id,
          input.ownerGroupId,
          input.name,
          input.description ?? "",
          input.deviceVisibility,
          input.scopeKind ?? null,
          input.meaning ?? null,
          now,
          now
        );
        writeKeys(db, id, keys);
        recordVersion(db, id, now, actor.username);
        invalidateRoles(db);
        ctx.audit({
          target: { type: "role", id, name: input.name },
          groupId: input.ownerGroupId,
          after: {
            name: input.name,
            deviceVisibility: input.deviceVisibility,
            scopeKind: input.scopeKind ?? null,
            permissions: keys
          }
        });
        return { id };
      }
    }),
    handler("roles.update", {
      access: roleNeeds(db, "roles.edit"),
      run(ctx, input) {
        const { actor, role, ownerGroupId } = editable(db, ctx, input.id);
        const current = contentOf(role);
        return saveVersion(db, ctx, actor, role, ownerGroupId, {
          name: input.name ?? current.name,
          description: input.description ?? current.description,
          deviceVisibility: input.deviceVisibility ?? current.deviceVisibility,
          scopeKind: input.scopeKind === void 0 ? current.scopeKind : input.scopeKind,
          permissions: input.permissions ? canonicalKeys(input.permissions) : current.permissions
        });
      }
    }),
    handler("roles.revert", {
      access: roleNeeds(db, "roles.edit"),
      run(ctx, input) {
        const { actor, role, ownerGroupId } = editable(db, ctx, input.id);
        const old = versionsOf(db, role.id).find((v) => v.version === input.version);
        if (!old) throw new OpError("NOT_FOUND", `\u201C${role.name}\u201D has no version ${input.version}`, { field: "version" });
        const permissions2 = old.permissions.filter((k) => permission(k) !== void 0);
        return saveVersion(db, ctx, actor, role, ownerGroupId, { ...old, permissions: permissions2 }, input.version);
      }
    }),
    handler("roles.remove", {
      access: roleNeeds(db, "roles.delete"),
      run(ctx, input) {
        const { role, ownerGroupId, actor } = editable(db, ctx, input.id);
        const bindings3 = holdersOf(db, role.id).length;
        if (bindings3 > 0) {
          const shown = visibleHoldersOf(db, role.id, actor.userId).slice(0, 10);
          const names = shown.map((h) => `${h.username} at ${h.groupName}`);
          const rest = bindings3 - shown.length;
          const more = rest > 0 ? `${names.length > 0 ? " and" : ""} ${rest} more binding${rest === 1 ? "" : "s"}` : "";
          throw new OpError("CONFLICT", `\u201C${role.name}\u201D is in use and cannot be deleted. Held by: ${names.join(", ")}${more}.`, {
            field: "id"
          });
        }
        if (stmt(db, "SELECT 1 FROM invitations WHERE role_id = ? AND status = 'pending'").get(role.id)) {
          throw new OpError("CONFLICT", `\u201C${role.name}\u201D is offered by a pending invitation; revoke it first`, { field: "id" });
        }
        const invitations = stmt(db, "DELETE FROM invitations WHERE role_id = ? AND status <> 'pending'").run(role.id).changes;
        stmt(db, "DELETE FROM roles WHERE id = ?").run(role.id);
        invalidateRoles(db);
        ctx.audit({
          target: { type: "role", id: role.id, name: role.name },
          groupId: ownerGroupId,
          before: {
            name: role.name,
            permissions: [...role.permissions].sort(),
            closedInvitationsRemoved: invitations
          }
        });
        return { removed: true };
      }
    })
  ];
}

// main/features/roles/index.ts
function roleHandlers(db) {
  return [...roleReadHandlers(db), rolesPreviewHandler(db), ...roleWriteHandlers(db)];
}

// main/features/auth/sessions.ts
var SessionStore = class {
  constructor(db) {
    this.db = db;
  }
  db;
  create(token2, userId, stage, client, now) {
    stmt(this.db, "INSERT INTO sessions (id, user_id, stage, client, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)").run(
      digest(token2),
      userId,
      stage,
      client,
      now,
      now
    );
  }
  find(token2) {
    return stmt(this.db, "SELECT * FROM sessions WHERE id = ?").get(digest(token2));
  }
  get(id) {
    return stmt(this.db, "SELECT * FROM sessions WHERE id = ?").get(id);
  }
  touch(id, now) {
    stmt(this.db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?").run(now, id);
  }
  /** Moves a session to a new stage under a new token, so a token seen before sign-in completes is worthless after. */
  promote(id, newToken2, stage, now) {
    stmt(this.db, "UPDATE sessions SET id = ?, stage = ?, last_seen_at = ?, pending_totp_secret = NULL WHERE id = ?").run(
      digest(newToken2),
      stage,
      now,
      id
    );
  }
  setPendingSecret(id, sealed) {
    stmt(this.db, "UPDATE sessions SET pending_totp_secret = ? WHERE id = ?").run(sealed, id);
  }
  delete(id) {
    stmt(this.db, "DELETE FROM sessions WHERE id = ?").run(id);
  }
  deleteAllOf(userId) {
    return stmt(this.db, "DELETE FROM sessions WHERE user_id = ?").run(userId).changes;
  }
  deleteOthers(userId, keepId) {
    return stmt(this.db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?").run(userId, keepId).changes;
  }
};

// main/features/ownership/transfer.ts
function confirmStepUp(db, ctx, throttle, check2, notDone) {
  const now = ctx.clock.now();
  const key2 = throttleKeys.code(ctx.actor.userId);
  const throttled = throttle.check(key2, ctx.source, now);
  if (throttled.locked)
    return refuse("THROTTLED", throttledMessage(throttled.retryAfterSeconds), {
      field: "code",
      retryAfterSeconds: throttled.retryAfterSeconds
    });
  const last = findAccount(db, ctx.actor.userId)?.totp_last_step ?? null;
  if (check2.kind !== "valid" || last !== null && check2.timeStep <= last) {
    throttle.fail(key2, ctx.source, now);
    return check2.kind === "invalid" ? refuse("INVALID_CODE", `That code is not right; ${notDone}`, { field: "code" }) : refuse("CODE_REUSED", "This code was already used. Wait for the next code.", { field: "code" });
  }
  throttle.reset(key2, ctx.source);
  stmt(db, "UPDATE users SET totp_last_step = ? WHERE id = ?").run(check2.timeStep, ctx.actor.userId);
  return null;
}
async function stepUpCheck(db, ctx, code, action) {
  const account = findAccount(db, ctx.actor.userId);
  if (!account?.totp_secret) throw new OpError("FORBIDDEN", `Set up your authenticator before ${action}`);
  return checkCode(ctx.secrets.open(account.totp_secret).toString("utf8"), code, ctx.clock.now(), account.totp_last_step);
}
var ownershipTransferHandler = (db, throttle) => handler("ownership.transfer", {
  access: {
    kind: "scoped",
    keys: ["ownership.transfer", "users.view"],
    needs: (input) => [
      { permission: "ownership.transfer", on: { type: "group", id: input.companyId, field: "companyId" } },
      { permission: "users.view", on: { type: "user", id: input.toUserId, field: "toUserId" } }
    ]
  },
  async prepare(ctx, input) {
    return { check: await stepUpCheck(db, ctx, input.code, "transferring ownership") };
  },
  run(ctx, input, { check: check2 }) {
    const actor = ctx.actor;
    const company2 = findGroup(db, input.companyId) ?? { id: input.companyId, name: "" };
    const meaningAt = (userId, meaning) => stmt(
      db,
      "SELECT b.role_id FROM role_bindings b JOIN roles r ON r.id = b.role_id WHERE b.user_id = ? AND b.group_id = ? AND r.meaning = ?"
    ).get(userId, company2.id, meaning)?.role_id;
    const ownerRole = meaningAt(actor.userId, "owner");
    if (!ownerRole)
      throw new OpError("FORBIDDEN", `Only the Owner of ${company2.name} can transfer its ownership`, { field: "companyId" });
    const heirRow = stmt(db, "SELECT username FROM users WHERE id = ?").get(input.toUserId);
    const heir = { id: input.toUserId, name: heirRow?.username ?? "" };
    const heirAdminRole = meaningAt(heir.id, "admin");
    const row = stmt(
      db,
      "SELECT status, kind, totp_secret, home_group_id FROM users WHERE id = ?"
    ).get(heir.id);
    const problem = heir.id === actor.userId ? "You already own this company" : row?.kind !== "member" ? "Ownership cannot go to an external (delegated) user" : row.status !== "active" ? `${heir.name} is disabled` : !row.totp_secret ? `${heir.name} has not set up two-step verification` : companyOf(db, row.home_group_id)?.id !== company2.id || !heirAdminRole ? `${heir.name} is not an Admin of ${company2.name}` : null;
    if (problem)
      throw new OpError("CONFLICT", `${problem}; ownership goes to an active, MFA-enrolled Admin of the same company`, {
        field: "toUserId"
      });
    ctx.audit({ action: "ownership.transfer", target: { type: "group", id: company2.id, name: company2.name }, groupId: company2.id });
    const refused = confirmStepUp(db, ctx, throttle, check2, "ownership was not transferred");
    if (refused) return refused;
    const unbind = stmt(db, "DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?");
    const bind = stmt(db, "INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)");
    unbind.run(actor.userId, ownerRole, company2.id);
    unbind.run(heir.id, heirAdminRole ?? "", company2.id);
    bind.run(heir.id, ownerRole, company2.id);
    bind.run(actor.userId, heirAdminRole ?? "", company2.id);
    const sessions = new SessionStore(db);
    sessions.deleteAllOf(heir.id);
    sessions.deleteOthers(actor.userId, actor.sessionId);
    ctx.audit({
      action: "ownership.transfer",
      target: { type: "group", id: company2.id, name: company2.name },
      groupId: company2.id,
      before: { owner: actor.username },
      after: { owner: heir.name, previousOwnerNowAdmin: actor.username }
    });
    return { newOwnerId: heir.id, companyId: company2.id };
  }
});

// main/features/ownership/assign.ts
function currentOwner(db, companyId) {
  return stmt(
    db,
    `SELECT b.user_id, b.role_id, u.username FROM role_bindings b JOIN roles r ON r.id = b.role_id JOIN users u ON u.id = b.user_id
     WHERE b.group_id = ? AND r.meaning = 'owner'`
  ).get(companyId);
}
var ownershipAssignHandler = (db, throttle) => handler("ownership.assign", {
  access: {
    kind: "scoped",
    keys: ["ownership.transfer", "users.view"],
    needs: (input) => [
      { permission: "ownership.transfer", on: { type: "group", id: input.companyId, field: "companyId" } },
      { permission: "users.view", on: { type: "user", id: input.toUserId, field: "toUserId" } }
    ]
  },
  async prepare(ctx, input) {
    return { check: await stepUpCheck(db, ctx, input.code, "assigning an Owner") };
  },
  run(ctx, input, { check: check2 }) {
    const actor = ctx.actor;
    const company2 = findGroup(db, input.companyId);
    const path = groupPath(db, input.companyId);
    if (!company2 || !path || companyOf(db, company2.id)?.id !== company2.id)
      throw new OpError("VALIDATION", "Owners are assigned to companies, not to locations or departments", { field: "companyId" });
    const above = ownerBindings(bindingsOf(db, actor.userId)).some((b) => b.groupId !== company2.id && path.ids.includes(b.groupId));
    if (!above)
      throw new OpError("FORBIDDEN", `Only an Owner of a company above ${company2.name} can assign its Owner`, { field: "companyId" });
    const heir = stmt(db, "SELECT id, username, status, kind, totp_secret, home_group_id FROM users WHERE id = ?").get(input.toUserId);
    const previous = currentOwner(db, company2.id);
    const problem = !heir ? "That person no longer exists" : previous?.user_id === heir.id ? `${heir.username} already owns ${company2.name}` : heir.kind !== "member" ? "Ownership cannot go to an external (delegated) user" : heir.status !== "active" ? `${heir.username} is disabled` : !heir.totp_secret ? `${heir.username} has not set up two-step verification` : companyOf(db, heir.home_group_id)?.id !== company2.id ? `${heir.username} is not a member of ${company2.name}` : null;
    if (problem || !heir)
      throw new OpError("CONFLICT", `${problem}; an Owner is an active, MFA-enrolled member of the company`, { field: "toUserId" });
    ctx.audit({ action: "ownership.assign", target: { type: "group", id: company2.id, name: company2.name }, groupId: company2.id });
    const refused = confirmStepUp(db, ctx, throttle, check2, "no Owner was assigned");
    if (refused) return refused;
    const roles = allRoles(db);
    const ownerRole = previous?.role_id ?? [...roles.values()].find((r) => r.builtin === "owner")?.id ?? "";
    const ownerRoleGroup = roles.get(ownerRole)?.ownerGroupId ?? null;
    const adminRole = [...roles.values()].find((r) => r.meaning === "admin" && r.ownerGroupId === ownerRoleGroup)?.id ?? ADMIN_ROLE_ID;
    const unbind = stmt(db, "DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?");
    const bind = stmt(db, "INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)");
    stmt(
      db,
      "DELETE FROM role_bindings WHERE user_id = ? AND group_id = ? AND role_id IN (SELECT id FROM roles WHERE meaning = 'admin')"
    ).run(heir.id, company2.id);
    if (previous) {
      unbind.run(previous.user_id, previous.role_id, company2.id);
      bind.run(previous.user_id, adminRole, company2.id);
    }
    bind.run(heir.id, ownerRole, company2.id);
    const sessions = new SessionStore(db);
    sessions.deleteAllOf(heir.id);
    if (previous) sessions.deleteAllOf(previous.user_id);
    ctx.audit({
      action: "ownership.assign",
      target: { type: "group", id: company2.id, name: company2.name },
      groupId: company2.id,
      before: { owner: previous?.username ?? null },
      after: { owner: heir.username, ...previous ? { previousOwnerNowAdmin: previous.username } : {} }
    });
    return { newOwnerId: heir.id, companyId: company2.id, previousOwnerId: previous?.user_id ?? null };
  }
});

// main/features/users/bindings.ts
function bindingSummaries(db, userId) {
  const roles = allRoles(db);
  return stmt(
    db,
    "SELECT b.role_id, b.group_id, g.name AS group_name FROM role_bindings b JOIN groups g ON g.id = b.group_id WHERE b.user_id = ? ORDER BY g.name, b.role_id"
  ).all(userId).map((r) => ({ roleId: r.role_id, roleName: roles.get(r.role_id)?.name ?? r.role_id, groupId: r.group_id, groupName: r.group_name }));
}

// main/features/users/create.ts
function requireHoldable(db, userId, deviceIds) {
  const holder = { userId, bindings: bindingsOf(db, userId) };
  const devices2 = stmt(
    db,
    "SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))"
  ).all(JSON.stringify(deviceIds));
  const places = loadPlaces(
    db,
    devices2.map((d) => d.group_id)
  );
  const groupOf = new Map(devices2.map((d) => [d.id, d.group_id]));
  deviceIds.forEach((deviceId, i) => {
    const place = places.get(groupOf.get(deviceId) ?? "");
    const reason = place ? holdRefusal(holder, deviceId, place) : "device-not-found";
    if (reason) throw new OpError("VALIDATION", REFUSAL_MESSAGES[reason], { field: `deviceIds.${i}` });
  });
}
var usersCreateHandler = (db) => handler("users.create", {
  access: {
    kind: "scoped",
    keys: ["users.create", "groups.view", "devices.assign"],
    needs: (input) => [
      { permission: "users.create", on: { type: "group", id: input.homeGroupId, field: "homeGroupId" } },
      // The grant itself (R5) is checked in the transaction; here each named group must be one the caller sees.
      ...input.bindings.map((b, i) => ({
        permission: "groups.view",
        on: { type: "group", id: b.groupId, field: `bindings.${i}.groupId` }
      })),
      ...(input.deviceIds ?? []).map((id, i) => ({
        permission: "devices.assign",
        on: { type: "device", id, field: `deviceIds.${i}` }
      }))
    ]
  },
  async prepare(ctx) {
    const password2 = generatePassword((n) => ctx.entropy.bytes(n));
    return { password: password2, hash: await hashPassword(password2, ctx.entropy.bytes(16)) };
  },
  run(ctx, input, { password: password2, hash }) {
    const actor = ctx.actor;
    const home = { id: input.homeGroupId };
    const conflict = uniqueAccountProblem(db, input);
    if (conflict) throw conflict;
    const now = ctx.clock.now();
    requireSeat(db, home.id, now, "homeGroupId");
    const grantee = { name: input.username, homeGroupId: home.id };
    input.bindings.forEach((b, i) => checkGrant(db, actor.userId, grantee, b, "grant", `bindings.${i}`, "users.create"));
    const deviceIds = [...new Set(input.deviceIds ?? [])];
    const id = ctx.entropy.id();
    stmt(
      db,
      `INSERT INTO users (id, username, email, full_name, company, home_group_id, kind, status, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`
    ).run(id, input.username, input.email, input.fullName ?? "", input.company ?? "", home.id, input.kind ?? "member", hash, now, now);
    const bind = stmt(db, "INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)");
    for (const b of input.bindings) bind.run(id, b.roleId, b.groupId);
    requireHoldable(db, id, deviceIds);
    requireCompanyOwner(db, home.id, "homeGroupId");
    const assign = stmt(db, "INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)");
    for (const deviceId of deviceIds) assign.run(deviceId, id);
    ctx.audit({
      target: { type: "user", id, name: input.username },
      groupId: home.id,
      after: {
        username: input.username,
        email: input.email,
        fullName: input.fullName ?? "",
        company: input.company ?? "",
        kind: input.kind ?? "member",
        bindings: bindingSummaries(db, id).map((b) => `${b.roleName} at ${b.groupName}`),
        devices: deviceIds.length
      }
    });
    return { id, password: password2 };
  }
});

// main/features/access/reach.ts
function requireNoNewReach(db, actorId, groupId, personId, field) {
  const path = groupPath(db, groupId);
  if (!path) return;
  const reached = new Set(
    stmt(
      db,
      `SELECT c.ancestor AS id FROM group_closure c WHERE c.descendant = (SELECT home_group_id FROM users WHERE id = ?)
       UNION SELECT c.ancestor FROM user_departments d JOIN group_closure c ON c.descendant = d.group_id WHERE d.user_id = ?`
    ).all(personId, personId).map((r) => r.id)
  );
  const fresh = path.ids.filter((id) => !reached.has(id));
  if (fresh.length === 0) return;
  const roles = allRoles(db);
  const actor = bindingsOf(db, actorId);
  const rows = stmt(
    db,
    "SELECT DISTINCT role_id FROM role_bindings WHERE group_id IN (SELECT value FROM json_each(?))"
  ).all(JSON.stringify(fresh));
  for (const row of rows) {
    const role = roles.get(row.role_id);
    if (!role) continue;
    const gaps = escalationGaps(actor, role, { path: path.ids });
    if (gaps.length > 0)
      throw new OpError(
        "FORBIDDEN",
        `Someone holds ${role.name} there, which would reach this person with rights you do not hold (${gaps.slice(0, 3).join(", ")})`,
        { field }
      );
  }
}

// main/features/users/departments.ts
function departmentsOf(db, userId) {
  return stmt(
    db,
    "SELECT g.id AS groupId, g.name AS groupName FROM user_departments d JOIN groups g ON g.id = d.group_id WHERE d.user_id = ? ORDER BY g.name"
  ).all(userId);
}
var usersSetDepartmentsHandler = (db) => handler("users.setDepartments", {
  access: {
    kind: "scoped",
    keys: ["users.edit"],
    needs: (input) => [
      ...personNeeds("users.edit", input.userId, "userId"),
      ...input.departmentIds.map((id, i) => ({
        permission: "users.edit",
        on: { type: "group", id, field: `departmentIds.${i}` }
      }))
    ]
  },
  run(ctx, input) {
    const actor = ctx.actor;
    const account = actOnUser(db, ctx, input.userId);
    const user = { name: account.username };
    const company2 = companyOf(db, account.homeGroupId);
    const before = departmentsOf(db, input.userId);
    const wanted = [...new Set(input.departmentIds)];
    const beforeIds = new Set(before.map((d) => d.groupId));
    const added = wanted.filter((id) => !beforeIds.has(id));
    const removed = before.map((d) => d.groupId).filter((id) => !wanted.includes(id));
    for (const id of [...added, ...removed]) {
      const index = input.departmentIds.indexOf(id);
      const field = index >= 0 ? `departmentIds.${index}` : "departmentIds";
      const group = findGroup(db, id);
      if (!group) throw new OpError("NOT_FOUND", `There is no department with id ${id}`, { field });
      if (removed.includes(id)) requirePermission(db, actor.userId, "users.edit", "group", id, field);
      if (added.includes(id)) {
        requireNoNewReach(db, actor.userId, id, account.id, field);
        if (group.kind !== "department")
          throw new OpError("VALIDATION", `\u201C${group.name}\u201D is a ${group.kind.replace("_", "-")}, not a department`, { field });
        if (company2 && !isInSubtree(db, company2.id, group.id))
          throw new OpError("VALIDATION", `${user.name} belongs to \u201C${company2.name}\u201D; their departments must be inside it`, { field });
      }
    }
    const del = stmt(db, "DELETE FROM user_departments WHERE user_id = ? AND group_id = ?");
    const ins = stmt(db, "INSERT INTO user_departments (user_id, group_id) VALUES (?, ?)");
    for (const id of removed) del.run(input.userId, id);
    for (const id of added) ins.run(input.userId, id);
    const after = departmentsOf(db, input.userId);
    ctx.audit({
      target: { type: "user", id: input.userId, name: user.name },
      before: { departments: before.map((d) => d.groupName) },
      after: { departments: after.map((d) => d.groupName) }
    });
    return { departments: after };
  }
});

// main/features/users/list.ts
var ORDER = {
  username: "u.username COLLATE NOCASE",
  fullName: "u.full_name COLLATE NOCASE",
  email: "u.email COLLATE NOCASE",
  company: "u.company COLLATE NOCASE",
  kind: "u.kind",
  status: "u.status",
  lastSignInAt: "u.last_sign_in_at",
  homeGroupName: "hg.name COLLATE NOCASE"
};
var MFA_STATE_SQL = `CASE WHEN u.totp_secret IS NOT NULL THEN 'enrolled' WHEN u.mfa_enrolled_at IS NOT NULL THEN 'reset_pending' ELSE 'not_enrolled' END`;
var USER_COLUMNS = `u.id, u.username, u.full_name, u.email, u.company, u.home_group_id, hg.name AS home_group_name, u.kind, u.status,
  ${MFA_STATE_SQL} AS mfa, u.last_sign_in_at, u.protected,
  EXISTS (SELECT 1 FROM role_bindings ob WHERE ob.user_id = u.id AND ob.role_id IN (SELECT id FROM roles WHERE meaning = 'owner')) AS is_owner`;
function toSummary(db, r) {
  return {
    id: r.id,
    username: r.username,
    fullName: r.full_name,
    email: r.email,
    company: r.company,
    homeGroupId: r.home_group_id,
    homeGroupName: r.home_group_name,
    kind: r.kind,
    status: r.status,
    mfa: r.mfa,
    lastSignInAt: r.last_sign_in_at,
    protected: r.protected === 1,
    isOwner: r.is_owner === 1,
    bindings: bindingSummaries(db, r.id)
  };
}
var usersListHandler = (db) => handler("users.list", {
  access: { kind: "list", permission: "users.view" },
  run(ctx, input) {
    const scope = scopeCondition(db, ctx.actor.userId, "users.view", { group: "u.home_group_id", kind: "hg.kind", user: "u.id" });
    const query = input.query ?? "";
    const params = {
      ...scope.params,
      query,
      like: `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      status: input.status ?? "",
      kind: input.kind ?? "",
      mfa: input.mfa ?? "",
      roleId: input.roleId ?? "",
      groupId: input.groupId ?? ""
    };
    const where = `${scope.sql}
        AND (@query = '' OR u.username LIKE @like ESCAPE '\\' OR u.full_name LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\' OR u.company LIKE @like ESCAPE '\\')
        AND (@status = '' OR u.status = @status)
        AND (@kind = '' OR u.kind = @kind)
        AND (@mfa = '' OR ${MFA_STATE_SQL} = @mfa)
        AND (@roleId = '' OR EXISTS (SELECT 1 FROM role_bindings rb WHERE rb.user_id = u.id AND rb.role_id = @roleId))
        AND (@groupId = '' OR EXISTS (SELECT 1 FROM group_closure gc WHERE gc.ancestor = @groupId AND gc.descendant = u.home_group_id))`;
    const from = "FROM users u JOIN groups hg ON hg.id = u.home_group_id";
    const total = stmt(db, `SELECT count(*) AS n ${from} WHERE ${where}`).get(params)?.n ?? 0;
    const direction = input.descending ? "DESC" : "ASC";
    const rows = stmt(
      db,
      `WITH page AS (SELECT u.id ${from} WHERE ${where} ORDER BY ${ORDER[input.sort ?? "username"]} ${direction}, u.id ${direction} LIMIT @limit OFFSET @offset)
         SELECT ${USER_COLUMNS} FROM page JOIN users u ON u.id = page.id JOIN groups hg ON hg.id = u.home_group_id
         ORDER BY ${ORDER[input.sort ?? "username"]} ${direction}, u.id ${direction}`
    ).all({ ...params, limit: input.limit ?? 50, offset: input.offset ?? 0 });
    return { total, users: rows.map((r) => toSummary(db, r)) };
  }
});

// main/features/users/get.ts
function parseNotifications(text2) {
  const stored = JSON.parse(text2);
  return Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, stored[t] ?? t !== "weeklyReport"]));
}
function actions(db, actorId, user) {
  const target2 = requirePermission(db, actorId, "users.view", "user", user.id);
  const reasons = {};
  const self = user.id === actorId;
  const may = (key2) => check(db, actorId, key2, target2).allowed;
  const deny = (action, ...why) => {
    const reason = why.find((w) => typeof w === "string");
    if (reason) reasons[action] = reason;
    return !reason;
  };
  const actorBindings = bindingsOf(db, actorId);
  const personBindings = placedBindingsOf(db, user.id);
  const ownerGuard = !mayActOnOwner({ userId: actorId, bindings: actorBindings }, { userId: user.id, bindings: personBindings }) && `${user.username} is an Owner; only they, or an Owner of a company above, change their account`;
  const gap = dominanceGaps(actorBindings, personBindings)[0];
  const dominance = gap !== void 0 && `${user.username} holds ${gap.roleName} with rights you do not hold there (${gap.missing.slice(0, 3).join(", ")})`;
  const edit = may("users.edit") ? dominance : "Your role lacks users.edit (Edit users) here";
  return {
    edit: deny("edit", edit, ownerGuard),
    setRoles: deny("setRoles", edit, ownerGuard, user.protected && "The first admin\u2019s role cannot be changed"),
    setDepartments: deny("setDepartments", edit, ownerGuard),
    disable: deny(
      "disable",
      edit,
      ownerGuard,
      self && "You cannot disable your own account",
      user.protected && "The first admin cannot be disabled"
    ),
    resetPassword: deny("resetPassword", edit, ownerGuard),
    resetMfa: deny("resetMfa", edit, ownerGuard, user.mfa !== "enrolled" && "This user has no authenticator to reset"),
    remove: deny(
      "remove",
      may("users.delete") ? dominance : "Your role lacks users.delete (Delete users) here",
      self && "You cannot delete your own account",
      user.protected && "The first admin is protected from deletion",
      user.kind === "external" && "External users can be disabled but not deleted",
      ownerGuard,
      user.isOwner && "Transfer ownership before removing the Owner"
    ),
    reasons
  };
}
var usersGetHandler = (db) => handler("users.get", {
  access: {
    kind: "scoped",
    keys: ["users.view"],
    needs: (input) => [{ permission: "users.view", on: { type: "user", id: input.id, field: "id" } }]
  },
  run(ctx, input) {
    const actor = ctx.actor;
    const row = stmt(
      db,
      `SELECT ${USER_COLUMNS}, u.notifications FROM users u JOIN groups hg ON hg.id = u.home_group_id WHERE u.id = ?`
    ).get(input.id);
    if (!row) throw new OpError("NOT_FOUND", "That user no longer exists", { field: "id" });
    const visible = scopeCondition(db, actor.userId, "devices.view", { group: "d.group_id", kind: "g.kind", device: "d.id" }, "dv");
    const devices2 = stmt(
      db,
      `SELECT count(*) AS n FROM device_assignments a JOIN devices d ON d.id = a.device_id JOIN groups g ON g.id = d.group_id
           WHERE a.user_id = @member AND ${visible.sql}`
    ).get({ ...visible.params, member: input.id })?.n ?? 0;
    const detail2 = {
      ...toSummary(db, row),
      departments: departmentsOf(db, input.id),
      notifications: parseNotifications(row.notifications),
      deviceCount: devices2,
      can: {
        edit: false,
        setRoles: false,
        setDepartments: false,
        disable: false,
        resetPassword: false,
        resetMfa: false,
        remove: false,
        reasons: {}
      }
    };
    return { ...detail2, can: actions(db, actor.userId, detail2) };
  }
});

// main/features/users/preferences.ts
var usersUpdatePreferencesHandler = (db) => handler("users.updatePreferences", {
  access: { kind: "self" },
  run(ctx, input) {
    const actor = requireActor(ctx);
    const before = parseNotifications(
      stmt(db, "SELECT notifications FROM users WHERE id = ?").get(actor.userId)?.notifications ?? "{}"
    );
    stmt(db, "UPDATE users SET notifications = ?, updated_at = ? WHERE id = ?").run(
      JSON.stringify(input.notifications),
      ctx.clock.now(),
      actor.userId
    );
    ctx.audit({ target: { type: "user", id: actor.userId, name: actor.username }, before, after: input.notifications });
    return { notifications: input.notifications };
  }
});

// main/features/users/remove.ts
function requireHandOver(db, actorId, leaving, heir, deviceIds) {
  const actor = actorSubject(db, actorId);
  const taker = { userId: heir.id, bindings: bindingsOf(db, heir.id) };
  const devices2 = stmt(
    db,
    "SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))"
  ).all(JSON.stringify(deviceIds));
  const places = loadPlaces(
    db,
    devices2.map((d) => d.group_id)
  );
  const assigned = loadAssignments(db, deviceIds, [actorId, heir.id]);
  let outOfScope = 0;
  const refused = /* @__PURE__ */ new Map();
  for (const device of devices2) {
    const place = places.get(device.group_id);
    if (!place || !actorAssigns(actor, device.id, place, assigned)) {
      outOfScope++;
      continue;
    }
    if (assigned.has(pairKey(device.id, heir.id))) continue;
    const reason = holdRefusal(taker, device.id, place) ?? (dominatesAt(actor, taker, place) ? null : "member-holds-more");
    if (reason) refused.set(reason, (refused.get(reason) ?? 0) + 1);
  }
  if (outOfScope > 0)
    throw new OpError(
      "FORBIDDEN",
      `Some of ${leaving}\u2019s devices are outside your scope: your role lacks devices.assign (Assign devices to team members) on them. Remove ${leaving} without handing over devices, or ask someone who oversees them.`,
      { field: "reassignDevicesTo" }
    );
  const [first] = [...refused];
  if (first) {
    const count = [...refused.values()].reduce((a, b) => a + b, 0);
    throw new OpError(
      "VALIDATION",
      `${heir.name} cannot take over ${count} of ${leaving}\u2019s ${devices2.length} devices. ${REFUSAL_MESSAGES[first[0]]}. Pick a member who can hold them, or remove ${leaving} without handing over devices.`,
      { field: "reassignDevicesTo" }
    );
  }
}
var usersRemoveHandler = (db) => handler("users.remove", {
  access: {
    kind: "scoped",
    keys: ["users.delete", "users.view"],
    needs: (input) => [
      ...personNeeds("users.delete", input.id, "id"),
      // The heir gains the devices: dominance over them where those devices are is checked with the hand-over.
      ...input.reassignDevicesTo ? [{ permission: "users.view", on: { type: "user", id: input.reassignDevicesTo, field: "reassignDevicesTo" } }] : []
    ]
  },
  run(ctx, input) {
    const actor = requireActor(ctx);
    const user = actOnUser(db, ctx, input.id);
    if (user.id === actor.userId) throw new OpError("FORBIDDEN", "You cannot delete your own account", { field: "id" });
    if (user.protected) throw new OpError("FORBIDDEN", "The first admin is protected from deletion", { field: "id" });
    if (user.kind === "external") throw new OpError("FORBIDDEN", "External users can be disabled but not deleted", { field: "id" });
    if (user.isOwner) throw new OpError("FORBIDDEN", "Transfer ownership before removing the Owner", { field: "id" });
    const devices2 = stmt(db, "SELECT device_id FROM device_assignments WHERE user_id = ?").all(user.id).map((r) => r.device_id);
    let reassigned = 0;
    if (input.reassignDevicesTo) {
      if (input.reassignDevicesTo === user.id)
        throw new OpError("CONFLICT", "Pick someone other than the member being removed", { field: "reassignDevicesTo" });
      const heir = resolveTarget(db, "user", input.reassignDevicesTo, actor.userId);
      if (!heir) throw new OpError("NOT_FOUND", "That person no longer exists", { field: "reassignDevicesTo" });
      const status = stmt(db, "SELECT status FROM users WHERE id = ?").get(heir.id)?.status;
      if (status !== "active")
        throw new OpError("CONFLICT", `${heir.name} is disabled and cannot take over devices`, { field: "reassignDevicesTo" });
      requireHandOver(db, actor.userId, user.username, heir, devices2);
      const assign = stmt(db, "INSERT OR IGNORE INTO device_assignments (device_id, user_id) VALUES (?, ?)");
      for (const deviceId of devices2) reassigned += assign.run(deviceId, heir.id).changes;
    }
    const before = {
      username: user.username,
      bindings: bindingSummaries(db, user.id).map((b) => `${b.roleName} at ${b.groupName}`),
      devicesAssigned: devices2.length,
      devicesReassignedTo: input.reassignDevicesTo ?? null
    };
    ctx.audit({ target: { type: "user", id: user.id, name: user.username }, groupId: user.homeGroupId, before });
    stmt(db, "DELETE FROM users WHERE id = ?").run(user.id);
    return { removed: true, devicesReassigned: reassigned };
  }
});

// main/features/users/secrets.ts
var usersResetPasswordHandler = (db) => handler("users.resetPassword", {
  access: onPerson("users.edit"),
  async prepare(ctx) {
    const password2 = generatePassword((n) => ctx.entropy.bytes(n));
    return { password: password2, hash: await hashPassword(password2, ctx.entropy.bytes(16)) };
  },
  run(ctx, input, { password: password2, hash }) {
    const user = actOnUser(db, ctx, input.id);
    stmt(db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").run(hash, ctx.clock.now(), user.id);
    const ended = new SessionStore(db).deleteAllOf(user.id);
    new Throttle(db).clear(throttleKeys.password(user.id));
    ctx.audit({ target: { type: "user", id: user.id, name: user.username }, after: { passwordReset: true, sessionsEnded: ended } });
    return { password: password2 };
  }
});
var usersResetMfaHandler = (db) => handler("users.resetMfa", {
  access: onPerson("users.edit"),
  run(ctx, input) {
    const user = actOnUser(db, ctx, input.id);
    const enrolled = stmt(db, "SELECT totp_secret FROM users WHERE id = ?").get(
      user.id
    )?.totp_secret;
    if (!enrolled) throw new OpError("CONFLICT", `${user.username} has no authenticator to reset`, { field: "id" });
    stmt(db, "UPDATE users SET totp_secret = NULL, totp_last_step = NULL, updated_at = ? WHERE id = ?").run(ctx.clock.now(), user.id);
    stmt(db, "DELETE FROM recovery_codes WHERE user_id = ?").run(user.id);
    const ended = new SessionStore(db).deleteAllOf(user.id);
    ctx.audit({
      action: "users.resetMfa",
      target: { type: "user", id: user.id, name: user.username },
      after: { mfa: "reset_pending", sessionsEnded: ended }
    });
    return { id: user.id };
  }
});

// main/features/users/set-roles.ts
var key = (b) => `${b.roleId}@${b.groupId}`;
function setRoles(db, ctx, input) {
  const actor = ctx.actor;
  const user = {
    name: stmt(db, "SELECT username FROM users WHERE id = ?").get(input.userId)?.username ?? ""
  };
  requireOwnerRule(db, actor.userId, { id: input.userId, name: user.name }, "userId");
  const account = stmt(
    db,
    "SELECT protected, home_group_id FROM users WHERE id = ?"
  ).get(input.userId);
  if (account?.protected)
    throw new OpError("FORBIDDEN", `${user.name} is the first admin: their role cannot be changed`, { field: "userId" });
  const current = stmt(
    db,
    "SELECT role_id AS roleId, group_id AS groupId FROM role_bindings WHERE user_id = ?"
  ).all(input.userId);
  const wanted = [...new Map(input.bindings.map((b) => [key(b), b])).values()];
  const currentKeys = new Set(current.map(key));
  const wantedKeys = new Set(wanted.map(key));
  const added = wanted.filter((b) => !currentKeys.has(key(b)));
  const removed = current.filter((b) => !wantedKeys.has(key(b)));
  const grantee = { name: user.name, homeGroupId: account?.home_group_id ?? "" };
  added.forEach(
    (binding) => checkGrant(db, actor.userId, grantee, binding, "grant", `bindings.${input.bindings.findIndex((b) => key(b) === key(binding))}`)
  );
  removed.forEach((binding) => checkGrant(db, actor.userId, grantee, binding, "take away", "bindings"));
  const roles = allRoles(db);
  const ownerBindings2 = current.filter((b) => roles.get(b.roleId)?.meaning === "owner");
  if (ownerBindings2.some((o) => !wantedKeys.has(key(o)))) {
    throw new OpError("FORBIDDEN", `${user.name} is an Owner; hand ownership over first`, { field: "bindings" });
  }
  const del = stmt(db, "DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?");
  const ins = stmt(db, "INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)");
  for (const b of removed) del.run(input.userId, b.roleId, b.groupId);
  for (const b of added) ins.run(input.userId, b.roleId, b.groupId);
  const before = bindingSummariesFrom(db, current);
  const after = bindingSummaries(db, input.userId);
  if ((added.length > 0 || removed.length > 0) && input.userId !== actor.userId) new SessionStore(db).deleteAllOf(input.userId);
  ctx.audit({
    target: { type: "user", id: input.userId, name: user.name },
    groupId: account?.home_group_id ?? "",
    before: { bindings: before },
    after: { bindings: after }
  });
  return { bindings: after };
}
function bindingSummariesFrom(db, bindings3) {
  const roles = allRoles(db);
  return bindings3.map((b) => ({ role: roles.get(b.roleId)?.name ?? b.roleId, group: findGroup(db, b.groupId)?.name ?? b.groupId }));
}
var setRolesHandler = (db) => handler("users.setRoles", {
  access: {
    kind: "scoped",
    keys: ["users.edit", "groups.view"],
    needs: (input) => [
      ...personNeeds("users.edit", input.userId, "userId"),
      // Every group named must be one the caller sees (NOT_FOUND first); the grant rule (R5) follows in the transaction.
      ...input.bindings.map((b, i) => ({
        permission: "groups.view",
        on: { type: "group", id: b.groupId, field: `bindings.${i}.groupId` }
      }))
    ]
  },
  run: (ctx, input) => setRoles(db, ctx, input)
});

// main/features/users/status.ts
var usersSetStatusHandler = (db) => handler("users.setStatus", {
  access: onPerson("users.edit"),
  run(ctx, input) {
    const actor = requireActor(ctx);
    const user = actOnUser(db, ctx, input.id);
    if (input.status === "disabled") {
      if (user.id === actor.userId) throw new OpError("FORBIDDEN", "You cannot disable your own account", { field: "id" });
      if (user.protected) throw new OpError("FORBIDDEN", "The first admin cannot be disabled", { field: "id" });
    }
    if (user.status !== input.status) {
      stmt(db, "UPDATE users SET status = ?, updated_at = ? WHERE id = ?").run(input.status, ctx.clock.now(), user.id);
      if (input.status === "disabled") new SessionStore(db).deleteAllOf(user.id);
    }
    ctx.audit({
      action: input.status === "disabled" ? "users.disable" : "users.enable",
      target: { type: "user", id: user.id, name: user.username },
      before: { status: user.status },
      after: { status: input.status }
    });
    return { id: user.id, status: input.status };
  }
});

// main/features/users/update.ts
var COLUMNS4 = { username: "username", email: "email", fullName: "full_name", company: "company" };
var usersUpdateHandler = (db) => handler("users.update", {
  access: onPerson("users.edit"),
  run(ctx, input) {
    const user = actOnUser(db, ctx, input.id);
    const conflict = uniqueAccountProblem(db, input, input.id);
    if (conflict) throw conflict;
    const current = stmt(db, "SELECT username, email, full_name, company FROM users WHERE id = ?").get(input.id) ?? {};
    const before = {};
    const after = {};
    for (const [field, column] of Object.entries(COLUMNS4)) {
      const value = input[field];
      if (value === void 0 || value === current[column]) continue;
      before[field] = current[column];
      after[field] = value;
      stmt(db, `UPDATE users SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, ctx.clock.now(), input.id);
    }
    ctx.audit({ target: { type: "user", id: input.id, name: input.username ?? user.username }, before, after });
    return { id: input.id };
  }
});

// main/features/users/index.ts
function userHandlers(db, throttle) {
  return [
    usersListHandler(db),
    usersGetHandler(db),
    usersCreateHandler(db),
    usersUpdateHandler(db),
    setRolesHandler(db),
    usersSetDepartmentsHandler(db),
    usersSetStatusHandler(db),
    usersResetPasswordHandler(db),
    usersResetMfaHandler(db),
    usersRemoveHandler(db),
    usersUpdatePreferencesHandler(db),
    ownershipTransferHandler(db, throttle),
    ownershipAssignHandler(db, throttle)
  ];
}

// main/security/secret-box.ts
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes as randomBytes2 } from "node:crypto";
import { chmodSync as chmodSync2, existsSync as existsSync2, readFileSync as readFileSync2, writeFileSync } from "node:fs";
import { join } from "node:path";
var VERSION = 1;
function createSecretBox(key2) {
  if (key2.length !== 32) throw new Error("The secret key must be 32 bytes");
  const macKeys = /* @__PURE__ */ new Map();
  const macKey = (purpose) => {
    let derived = macKeys.get(purpose);
    if (!derived) macKeys.set(purpose, derived = Buffer.from(hkdfSync("sha256", key2, Buffer.alloc(0), `steward mac: ${purpose}`, 32)));
    return derived;
  };
  return {
    mac(purpose, data) {
      return createHmac("sha256", macKey(purpose)).update(data, "utf8").digest("hex");
    },
    seal(plain) {
      const iv = randomBytes2(12);
      const cipher = createCipheriv("aes-256-gcm", key2, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed[0] !== VERSION) throw new Error("Unknown secret format");
      const decipher = createDecipheriv("aes-256-gcm", key2, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    }
  };
}
var PLAIN_KEY = "secret.key";
var SEALED_KEY = "secret.key.sealed";
var SealedKeyError = class extends Error {
  constructor() {
    super(
      "This data folder's encryption key is sealed by the desktop app's keyring. Open it with the Steward desktop app, or use another data folder."
    );
    this.name = "SealedKeyError";
  }
};
function loadOrCreateKey(dataDir, sealer) {
  const keysDir = join(dataDir, "keys");
  ensurePrivateDir(keysDir);
  const plainPath = join(keysDir, PLAIN_KEY);
  const sealedPath = join(keysDir, SEALED_KEY);
  if (existsSync2(sealedPath)) {
    chmodSync2(sealedPath, PRIVATE_FILE_MODE);
    if (!sealer) throw new SealedKeyError();
    return sealer.open(readFileSync2(sealedPath));
  }
  if (existsSync2(plainPath)) {
    chmodSync2(plainPath, PRIVATE_FILE_MODE);
    return readFileSync2(plainPath);
  }
  const key2 = randomBytes2(32);
  if (sealer) writeFileSync(sealedPath, sealer.seal(key2), { mode: PRIVATE_FILE_MODE, flag: "wx" });
  else writeFileSync(plainPath, key2, { mode: PRIVATE_FILE_MODE, flag: "wx" });
  return key2;
}

// main/app.ts
var systemClock = { now: () => Date.now() };
var systemEntropy = { bytes: (n) => randomBytes3(n), id: () => randomUUID() };
var DATABASE_FILE = "steward.db";
function openSteward(options) {
  ensurePrivateDir(options.dataDir);
  const secrets = createSecretBox(loadOrCreateKey(options.dataDir, options.keySealer));
  const db = openDatabase(join2(options.dataDir, DATABASE_FILE), {
    ...options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
    secrets
  });
  const services = { db, clock: options.clock ?? systemClock, entropy: options.entropy ?? systemEntropy, secrets };
  applyAuditRetention(db, services.clock);
  const sessions = new SessionStore(db);
  const throttle = new Throttle(db);
  const authDeps = { db, sessions, throttle };
  const jobs = new JobRunner(db, services.clock, options.jobs);
  const registry = new Registry().register(
    ...authHandlers(authDeps),
    ...groupHandlers(db),
    ...userHandlers(db, throttle),
    ...roleHandlers(db),
    ...accessHandlers(db),
    accessMineHandler(db),
    ...invitationManageHandlers(db),
    ...invitationPublicHandlers(authDeps),
    ...settingsHandlers(db),
    auditListHandler(db),
    auditExportHandler(db),
    auditVerifyHandler(db),
    hygieneHandler(db),
    ...deviceHandlers(db, jobs)
  );
  const dispatcher = new Dispatcher(services, registry, sessions, new AccessAuthorizer(db));
  dispatcher.onCommandEnd(() => invalidateRoles(db));
  dispatcher.onCommandEnd(() => invalidatePlaces(db));
  jobs.recover();
  return {
    dataDir: options.dataDir,
    db,
    secrets,
    dispatcher,
    registry,
    jobs,
    close: () => {
      dispatcher.flushRefusals();
      jobs.close();
      db.close();
    }
  };
}

// .prof/prof.ts
async function main() {
  const dir = mkdtempSync(join3(tmpdir(), "prof-"));
  const steward = openSteward({ dataDir: dir });
  const call = (name, input, token2) => steward.dispatcher.dispatch(name, input, { token: token2, client: "cli" });
  await call("auth.setup", { rootGroupName: "P", username: "owner", email: "o@e.test", fullName: "O", password: "correct horse battery staple" }, null);
  const root = steward.db.prepare("SELECT id FROM groups WHERE kind='provider'").get().id;
  const owner = steward.db.prepare("SELECT id FROM users WHERE username='owner'").get().id;
  const now = Date.now();
  steward.db.prepare("INSERT INTO users (id, username, email, full_name, home_group_id, kind, created_at, updated_at) VALUES ('v','viewer','v@e.test','V',?, 'member', ?, ?)").run(root, now, now);
  steward.db.prepare("INSERT INTO role_bindings (user_id, role_id, group_id) VALUES ('v','builtin-viewer',?)").run(root);
  new SessionStore(steward.db).create("tok", "v", "active", "cli", now);
  for (let round = 0; round < 3; round++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < 3e3; i++) await call("auth.status", {}, "tok");
    const status = Number(process.hrtime.bigint() - t) / 3e3 / 1e3;
    t = process.hrtime.bigint();
    for (let i = 0; i < 3e3; i++) await call("users.resetPassword", { id: owner }, "tok");
    const refused = Number(process.hrtime.bigint() - t) / 3e3 / 1e3;
    console.log(`status ${status.toFixed(1)} \xB5s, refused ${refused.toFixed(1)} \xB5s, ratio ${(refused / status).toFixed(2)}`);
  }
  steward.close();
}
void main();
