import { permission } from '../../../shared/access/catalog';
import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import { escalationGaps } from '../../../shared/access/escalation';
import { KIND_LABELS } from '../../../shared/access/groups';
import { moduleUnavailableReason } from '../../../shared/access/modules';
import type { MyAccess, RoleSummary } from '../../../shared/contract';
import { missingAt, permissionName, toBindings, type Place } from '../state/permission-text';

export interface RoleGuard {
  /** Why this role cannot be edited at all (built-in, or no roles.edit at its group), or null. */
  locked: string | null;
  /** Why the editor may not change this key (R5: a role hands out only what its editor holds), or null. */
  keyLock(key: string, visibility: DeviceVisibility): string | null;
  /** Why a key has no effect at the owner group itself, or null; it still applies in the groups below where it is available. */
  unavailable(key: string): string | null;
  place: Place | null;
}

export const BUILTIN_LOCK = 'Built-in roles are protected and read-only; copy one into a custom role to change it.';

/** Gaps in the editor's own grant at a place, as the server's guard finds them (shared/access/escalation.ts). */
export function grantGaps(access: MyAccess, place: Place, keys: Iterable<string>, visibility: DeviceVisibility): string[] {
  return escalationGaps(toBindings(access), { permissions: keys, deviceVisibility: visibility }, { path: place.path });
}

export function roleGuard(role: Pick<RoleSummary, 'builtin' | 'ownerGroupId'>, access: MyAccess | null, place: Place | null): RoleGuard {
  const where = place?.name ? ` at ${place.name}` : ' at the role’s group';
  return {
    place,
    locked: role.builtin ? BUILTIN_LOCK : access && place ? missingAt(access, 'roles.edit', place) : null,
    keyLock(key, visibility) {
      if (!access || !place) return null;
      const gap = grantGaps(access, place, [key], visibility)[0];
      if (!gap) return null;
      const nuance = gap === key ? '' : ' for every device, not only assigned ones,';
      return `You do not hold ${permissionName(key)}${nuance}${where} yourself, so you cannot give or take it away.`;
    },
    unavailable(key) {
      const def = permission(key);
      if (!def || !place) return null;
      const reason = moduleUnavailableReason(def.module, place.kind);
      return reason
        ? `${reason}: no effect at this ${KIND_LABELS[place.kind].toLowerCase()} itself, only in end customers below it.`
        : null;
    },
  };
}
