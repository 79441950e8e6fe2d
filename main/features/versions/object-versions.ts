import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { authorName, listWords, visibleAuthorNames } from './authors';

/** The stored objects (besides roles, which keep full snapshots in role_versions) whose updates carry a base version. */
export type VersionedType = 'group' | 'user' | 'invitation' | 'settings';

export interface ObjectRef {
  type: VersionedType;
  /** The object's id; 'installation' for the settings. */
  id: string;
}

export const SETTINGS_REF: ObjectRef = { type: 'settings', id: 'installation' };

// Fixed per type, never built from input: the id is always a bound parameter. Settings are one object; their
// statements take the id too (and ignore it) so every type binds alike.
const READ_SQL: Record<VersionedType, string> = {
  group: 'SELECT version FROM groups WHERE id = ?',
  user: 'SELECT version FROM users WHERE id = ?',
  invitation: 'SELECT version FROM invitations WHERE id = ?',
  settings: 'SELECT version FROM settings_version WHERE id = 1 AND ? IS NOT NULL',
};
const BUMP_SQL: Record<VersionedType, string> = {
  group: 'UPDATE groups SET version = version + 1 WHERE id = ? RETURNING version',
  user: 'UPDATE users SET version = version + 1 WHERE id = ? RETURNING version',
  invitation: 'UPDATE invitations SET version = version + 1 WHERE id = ? RETURNING version',
  settings: 'UPDATE settings_version SET version = version + 1 WHERE id = 1 AND ? IS NOT NULL RETURNING version',
};

/** What each recorded field is called in a refusal; a field not listed is shown by its own name. */
const FIELD_WORDS: Record<string, string> = {
  name: 'the name',
  kind: 'the kind',
  serviceType: 'the service type',
  seatLimit: 'the seat limit',
  profile: 'the profile',
  contacts: 'the contacts',
  activities: 'the activities',
  branding: 'the branding',
  parent: 'its place in the tree',
  username: 'the username',
  email: 'the email address',
  fullName: 'the full name',
  company: 'the company',
  status: 'the status',
  roles: 'the roles',
  departments: 'the departments',
  idleTimeoutMinutes: 'the idle timeout',
  invitationExpiryHours: 'the invitation expiry',
  auditRetentionDays: 'the audit retention',
  historyRetentionDays: 'the status history retention',
  publicAddress: 'the public address',
  smtp: 'the mail server (SMTP)',
  link: 'the link and its expiry (resent)',
};

/** The object's current version (1 for an object never changed since versions were kept). */
export function currentVersion(db: Db, ref: ObjectRef): number {
  return stmt<[string], { version: number }>(db, READ_SQL[ref.type]).get(ref.id)?.version ?? 1;
}

/**
 * Records a change of `fields` (names, never values) to the object as its next version, by
 * the command's actor, and returns that version. No fields: nothing changed, no new version.
 * Call it in the command's transaction, together with the change itself.
 */
export function recordChange(db: Db, ctx: CommandContext, ref: ObjectRef, fields: readonly string[]): number {
  if (fields.length === 0) return currentVersion(db, ref);
  const row = stmt<[string], { version: number }>(db, BUMP_SQL[ref.type]).get(ref.id);
  if (!row) throw new Error(`${ref.type} ${ref.id} vanished inside a transaction`);
  stmt(db, 'INSERT INTO object_changes (object_type, object_id, version, at, by_id, by_name, fields) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    ref.type,
    ref.id,
    row.version,
    ctx.clock.now(),
    ctx.actor?.userId ?? null,
    ctx.actor?.username ?? 'Steward',
    JSON.stringify([...new Set(fields)]),
  );
  return row.version;
}

/**
 * Refuses an update based on an older copy than the stored one, before anything is
 * written. `baseVersion` is the input's; `label` names the object in words ("“Acme”",
 * "the settings"). Throws CONFLICT on field `baseVersion`, saying which fields each later
 * version changed and who changed it (named only where `ctx.actor` may see them, R13);
 * VALIDATION when `baseVersion` is newer than any stored version.
 */
export function requireBase(db: Db, ctx: CommandContext, ref: ObjectRef, baseVersion: number, label: string): void {
  const current = currentVersion(db, ref);
  if (baseVersion === current) return;
  if (baseVersion > current)
    throw new OpError('VALIDATION', `${label} is at version ${current}; there is no version ${baseVersion}`, { field: 'baseVersion' });
  const changes = stmt<[string, string, number], { version: number; by_id: string | null; fields: string }>(
    db,
    'SELECT version, by_id, fields FROM object_changes WHERE object_type = ? AND object_id = ? AND version > ? ORDER BY version',
  ).all(ref.type, ref.id, baseVersion);
  const names = visibleAuthorNames(
    db,
    ctx.actor?.userId ?? '',
    changes.flatMap((c) => (c.by_id ? [c.by_id] : [])),
  );
  const lines = changes.map((c) => {
    const fields = (JSON.parse(c.fields) as string[]).map((f) => FIELD_WORDS[f] ?? f);
    return `version ${c.version} by ${authorName(names, c.by_id)} changed ${listWords(fields)}`;
  });
  throw new OpError('CONFLICT', staleMessage(label, baseVersion, current, lines), { field: 'baseVersion' });
}

/** The words of every stale-update refusal, roles included. */
export function staleMessage(label: string, baseVersion: number, current: number, lines: readonly string[]): string {
  const what = lines.length > 0 ? `: ${lines.join('; ')}` : '';
  return (
    `${label} changed since version ${baseVersion}, the copy you started from${what}. ` +
    `Nothing was saved. Reload it to see version ${current}, then make your change again.`
  );
}
