import { useEffect, useState } from 'react';
import type { RoleHolder, RoleSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { ConfirmDialog } from '../ui/ConfirmDialog';

/**
 * Seed 002's safety rail: a role in use cannot be deleted. The holders known to the caller
 * are listed before asking; the server refuses anyway and names who holds it.
 */
export function DeleteRoleDialog({ role, onClose, onDone }: { role: RoleSummary; onClose: () => void; onDone: () => void }) {
  const [holders, setHolders] = useState<RoleHolder[] | null>(null);

  useEffect(() => {
    let live = true;
    void invoke('roles.get', { id: role.id }).then((result) => {
      if (live && result.ok) setHolders(result.value.holders);
    });
    return () => {
      live = false;
    };
  }, [role.id]);

  return (
    <ConfirmDialog
      title={`Delete ${role.name}?`}
      description={
        holders && holders.length > 0
          ? `${role.name} is held by the people below; Steward refuses to delete a role in use. Remove it from them first.`
          : `${role.name} and its version history are deleted. This cannot be undone.`
      }
      confirmLabel="Delete role"
      pendingLabel="Deleting…"
      run={() => invoke('roles.remove', { id: role.id })}
      onDone={onDone}
      onClose={onClose}
      blocked={holders && holders.length > 0 ? `${role.name} is in use` : null}
    >
      {holders && holders.length > 0 && (
        <ul className="role-holders" aria-label={`Holders of ${role.name}`}>
          {holders.map((h) => (
            <li key={`${h.userId}@${h.groupId}`}>
              {h.username} at {h.groupName}
            </li>
          ))}
        </ul>
      )}
    </ConfirmDialog>
  );
}
