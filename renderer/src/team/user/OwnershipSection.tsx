import { useState } from 'react';
import type { RoleSummary, UserDetail } from '../../../../shared/contract';
import { ActionButton } from '../../ui/ActionButton';
import { AssignOwnerDialog } from '../parts/AssignOwnerDialog';
import { TransferOwnershipDialog } from '../parts/TransferOwnershipDialog';

/**
 * What the signed-in Owner may do about this member's company: hand their own company over
 * (`transfer`, the member is in it), or, as an Owner of a company above, give the member's
 * company its Owner (`assign`).
 */
export type OwnershipMode =
  | { kind: 'transfer'; companyId: string; companyName: string }
  | { kind: 'assign'; companyId: string; companyName: string; aboveName: string };

interface OwnershipSectionProps {
  user: UserDetail;
  mode: OwnershipMode;
  roles: readonly RoleSummary[];
  onDone: (message: string) => void;
}

/** Why this member cannot take the company over, or null when they can (R10). */
function ineligible(user: UserDetail, mode: OwnershipMode, roles: readonly RoleSummary[]): string | null {
  const name = user.fullName || user.username;
  const adminIds = new Set(roles.filter((r) => r.meaning === 'admin').map((r) => r.id));
  const ownerIds = new Set(roles.filter((r) => r.meaning === 'owner').map((r) => r.id));
  if (user.kind === 'external') return 'External users cannot become Owner';
  if (user.status !== 'active') return `${name}'s login is off; switch it on first`;
  if (user.mfa !== 'enrolled') return `${name} has not set up two-step verification yet`;
  if (mode.kind === 'assign') {
    if (user.bindings.some((b) => ownerIds.has(b.roleId) && b.groupId === mode.companyId))
      return `${name} already owns ${mode.companyName}`;
    return null;
  }
  if (!user.bindings.some((b) => adminIds.has(b.roleId) && b.groupId === mode.companyId))
    return `${name} is not an Admin of ${mode.companyName}; give them the Admin role there first`;
  return null;
}

/** Shown to an Owner on another member's page: of the member's own company, or of a company above it. */
export function OwnershipSection({ user, mode, roles, onDone }: OwnershipSectionProps) {
  const [open, setOpen] = useState(false);
  const name = user.fullName || user.username;
  const done = (message: string) => {
    setOpen(false);
    onDone(message);
  };
  return (
    <section className="panel user-section" aria-labelledby="user-ownership">
      <h2 id="user-ownership">Ownership</h2>
      {mode.kind === 'transfer' ? (
        <p className="muted">You are the Owner of {mode.companyName}. You can hand it to an Admin; you then stay on as Admin.</p>
      ) : (
        <p className="muted">
          You are an Owner of {mode.aboveName}, above {mode.companyName}. You can make a member of {mode.companyName} its Owner; its present
          Owner, if any, becomes Admin.
        </p>
      )}
      <ActionButton reason={ineligible(user, mode, roles)} onClick={() => setOpen(true)}>
        Make {name} the Owner{mode.kind === 'assign' ? ` of ${mode.companyName}` : ''}…
      </ActionButton>
      {open &&
        (mode.kind === 'transfer' ? (
          <TransferOwnershipDialog
            companyId={mode.companyId}
            companyName={mode.companyName}
            preselectedId={user.id}
            onClose={() => setOpen(false)}
            onDone={done}
          />
        ) : (
          <AssignOwnerDialog
            user={user}
            companyId={mode.companyId}
            companyName={mode.companyName}
            aboveName={mode.aboveName}
            onClose={() => setOpen(false)}
            onDone={done}
          />
        ))}
    </section>
  );
}
