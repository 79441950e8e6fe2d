import type { BindingSummary, UserSummary } from '../../../../shared/contract';
import { useMissingPermissionCheck } from '../../state/missing-permission';
import { useRoles } from '../roles-store';
import { capitalize, scopeText } from '../scope-text';

interface RoleBadgesProps {
  user: UserSummary;
  /** Opens the in-place role change for one binding (seed 000: click the role badge). */
  onChange?: (user: UserSummary, index: number | null) => void;
}

/** Why a badge cannot be clicked to change the role, or null when it can. */
export function badgeLock(
  user: Pick<UserSummary, 'protected' | 'fullName' | 'username'>,
  binding: BindingSummary | null,
  ownerRoleIds: ReadonlySet<string>,
): string | null {
  const name = user.fullName || user.username;
  if (user.protected) return `${name} is the first admin: their role cannot be changed`;
  if (binding && ownerRoleIds.has(binding.roleId)) return 'The Owner role changes hands only by ownership transfer';
  return null;
}

/** Each role binding as "Role · Group"; the full scope is in the tooltip. */
export function RoleBadges({ user, onChange }: RoleBadgesProps) {
  const roles = useRoles((s) => s.roles);
  const ownerRoleIds = new Set((roles ?? []).filter((r) => r.meaning === 'owner').map((r) => r.id));
  const name = user.fullName || user.username;
  // Changing a role is users.setRoles, which needs users.edit at the member's home group.
  const editLock = useMissingPermissionCheck()('users.edit', user.homeGroupId);

  if (user.bindings.length === 0) {
    return onChange ? (
      <button
        type="button"
        className="role-badge role-badge-none"
        onClick={() => !editLock && onChange(user, null)}
        title={editLock ?? undefined}
        aria-disabled={editLock ? true : undefined}
        aria-label={`Give ${name} a role${editLock ? `: ${editLock}` : ''}`}
      >
        No role
      </button>
    ) : (
      <span className="role-badge role-badge-none">No role</span>
    );
  }

  return (
    <span className="role-badges">
      {user.bindings.map((binding, index) => {
        const text = `${binding.roleName} · ${binding.groupName}`;
        const scope = capitalize(scopeText(binding.groupName));
        const lock = badgeLock(user, binding, ownerRoleIds) ?? editLock;
        const owner = ownerRoleIds.has(binding.roleId);
        const className = `role-badge${owner ? ' role-badge-owner' : ''}`;
        if (!onChange)
          return (
            <span key={`${binding.roleId}@${binding.groupId}`} className={className} title={scope}>
              {text}
            </span>
          );
        return (
          <button
            key={`${binding.roleId}@${binding.groupId}`}
            type="button"
            className={className}
            title={lock ?? `${scope}. Click to change the role.`}
            aria-label={`${binding.roleName} at ${binding.groupName}${lock ? `: ${lock}` : `: change the role of ${name}`}`}
            aria-disabled={lock ? true : undefined}
            onClick={() => !lock && onChange(user, index)}
          >
            {text}
          </button>
        );
      })}
    </span>
  );
}
