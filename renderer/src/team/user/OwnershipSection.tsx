import { useState } from 'react';
import type { RoleSummary, UserDetail } from '../../../../shared/contract';
import { ActionButton } from '../parts/ActionButton';
import { TransferOwnershipDialog } from '../parts/TransferOwnershipDialog';

interface OwnershipSectionProps {
  user: UserDetail;
  companyId: string;
  companyName: string;
  roles: readonly RoleSummary[];
  onDone: (message: string) => void;
}

/** Why this member cannot take the company over, or null when they can (R10). */
function ineligible(user: UserDetail, companyId: string, companyName: string, roles: readonly RoleSummary[]): string | null {
  const name = user.fullName || user.username;
  const adminIds = new Set(roles.filter((r) => r.meaning === 'admin').map((r) => r.id));
  if (user.kind === 'external') return 'External users cannot become Owner';
  if (user.status !== 'active') return `${name}'s login is off; switch it on first`;
  if (user.mfa !== 'enrolled') return `${name} has not set up two-step verification yet`;
  if (!user.bindings.some((b) => adminIds.has(b.roleId) && b.groupId === companyId))
    return `${name} is not an Admin of ${companyName}; give them the Admin role there first`;
  return null;
}

/** Shown to the Owner only, on another member's page. */
export function OwnershipSection({ user, companyId, companyName, roles, onDone }: OwnershipSectionProps) {
  const [open, setOpen] = useState(false);
  const name = user.fullName || user.username;
  return (
    <section className="panel user-section" aria-labelledby="user-ownership">
      <h2 id="user-ownership">Ownership</h2>
      <p className="muted">You are the Owner of {companyName}. You can hand it to an Admin; you then stay on as Admin.</p>
      <ActionButton reason={ineligible(user, companyId, companyName, roles)} onClick={() => setOpen(true)}>
        Make {name} the Owner…
      </ActionButton>
      {open && (
        <TransferOwnershipDialog
          companyId={companyId}
          companyName={companyName}
          preselectedId={user.id}
          onClose={() => setOpen(false)}
          onDone={(message) => {
            setOpen(false);
            onDone(message);
          }}
        />
      )}
    </section>
  );
}
