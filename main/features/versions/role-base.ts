import { permission as lookup } from '../../../shared/access/catalog';
import { diffRoleVersions } from '../../../shared/access/role-diff';
import type { RoleVersion } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { visibleVersionsOf } from '../roles/records';
import { listWords } from './authors';
import { staleMessage } from './object-versions';

/** A role's current version: its newest saved one (1 for a built-in role, which has no history and never changes). */
export function currentRoleVersion(db: Db, roleId: string): number {
  return stmt<[string], { v: number | null }>(db, 'SELECT max(version) AS v FROM role_versions WHERE role_id = ?').get(roleId)?.v ?? 1;
}

const keyWords = (keys: readonly string[]) => listWords(keys.map((k) => `${lookup(k)?.label ?? k} (${k})`));

/** What one version did to the one before it, in words: keys added and removed, then the other fields. */
function describe(previous: RoleVersion | undefined, version: RoleVersion): string {
  if (!previous) return 'saved it';
  const diff = diffRoleVersions(previous, version);
  const parts = [
    ...(diff.removed.length > 0 ? [`removed ${keyWords(diff.removed)}`] : []),
    ...(diff.added.length > 0 ? [`added ${keyWords(diff.added)}`] : []),
    ...diff.changed.map((c) =>
      c.field === 'name'
        ? `renamed it to “${c.to ?? ''}”`
        : c.field === 'description'
          ? 'changed the description'
          : c.field === 'deviceVisibility'
            ? 'changed which devices its holders see'
            : 'changed where it can be given',
    ),
  ];
  return parts.length > 0 ? listWords(parts) : 'saved it without changes';
}

/**
 * Refuses a role update or revert based on an older version than the newest, before
 * anything is written (CONFLICT on `baseVersion`): each later version is described by its
 * author (named only where the reader may see them, R13) and the keys it added and
 * removed, so the person sees what their stale copy would have undone.
 * VALIDATION when `baseVersion` is newer than the newest version.
 */
export function requireRoleBase(db: Db, readerId: string, role: { id: string; name: string }, baseVersion: number): void {
  const current = currentRoleVersion(db, role.id);
  if (baseVersion === current) return;
  const label = `“${role.name}”`;
  if (baseVersion > current)
    throw new OpError('VALIDATION', `${label} is at version ${current}; there is no version ${baseVersion}`, { field: 'baseVersion' });
  const versions = visibleVersionsOf(db, role.id, readerId);
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  const lines = versions
    .filter((v) => v.version > baseVersion)
    .sort((a, b) => a.version - b.version)
    .map((v) => `version ${v.version} by ${v.by} ${describe(byNumber.get(v.version - 1), v)}`);
  throw new OpError('CONFLICT', staleMessage(label, baseVersion, current, lines), { field: 'baseVersion' });
}
