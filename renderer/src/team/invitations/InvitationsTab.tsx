import { useState } from 'react';
import type { InvitationSent, InvitationStatus, InvitationSummary } from '../../../../shared/contract';
import { useMissingPermissionCheck } from '../../state/missing-permission';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { TableHead } from '../../ui/TableHead';
import { formatDateTime, INVITATION_STATUS_LABELS, KIND_LABELS, relativeTime } from '../../ui/format';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { capitalize, scopeText } from '../scope-text';
import { InvitationSentView } from './InvitationSentView';
import { useInvitations } from './use-invitations';

type Pending = { type: 'revoke'; invitation: InvitationSummary } | { type: 'resent'; sent: InvitationSent } | null;

/** Seed 004's Invitation List: check, cancel or resend invitations. */
/** Invitations made elsewhere on the screen show without a manual refresh: invitations.create refreshes the list. */
export function InvitationsTab({ onInvite }: { onInvite: () => void }) {
  const [status, setStatus] = useState<InvitationStatus | ''>('pending');
  const { invitations, error, initial, loading, reload } = useInvitations(status);
  const [dialog, setDialog] = useState<Pending>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  // A resend from a row someone else has resent, revoked or seen accepted since: said apart, with a way to the current list.
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const missing = useMissingPermissionCheck();

  function resend(invitation: InvitationSummary) {
    setBusyId(invitation.id);
    setRowError(null);
    setStale(null);
    setNotice(null);
    void invoke('invitations.resend', { id: invitation.id, baseVersion: invitation.version }).then((result) => {
      setBusyId(null);
      if (result.ok) {
        if (result.value.delivery === 'link') setDialog({ type: 'resent', sent: result.value });
        else setNotice(`Invitation sent again to ${invitation.email}.`);
        reload();
      } else if (result.error.code === 'CONFLICT' && result.error.field === 'baseVersion') setStale(result.error.message);
      else setRowError(`${invitation.email}: ${result.error.message}`);
    });
  }

  let body;
  if (initial) body = <p className="loading">Loading invitations…</p>;
  else if (error) {
    body = (
      <div className="row">
        <FormError message={`The invitations could not be loaded: ${error}`} />
        <button type="button" onClick={reload}>
          Try again
        </button>
      </div>
    );
  } else if (invitations.length === 0) {
    body = (
      <div className="empty-state">
        <p>
          {status === 'pending'
            ? 'No invitations are waiting for an answer.'
            : `No ${status ? INVITATION_STATUS_LABELS[status].toLowerCase() : ''} invitations.`}
        </p>
        <button type="button" onClick={onInvite} disabled={missing('users.create') !== null} title={missing('users.create') ?? undefined}>
          Send an invitation…
        </button>
      </div>
    );
  } else {
    body = (
      <div className={`grid-scroll${loading ? ' stale' : ''}`}>
        <table className="data-table invitations-table" aria-label="Invitations" aria-busy={loading || undefined}>
          <TableHead columns={['Email', 'Role', 'Kind', 'Status', 'Expires', 'Sent', 'Invited by']} actions="Actions" />
          <tbody>
            {invitations.map((inv) => (
              <tr key={inv.id}>
                <th scope="row">{inv.email}</th>
                <td>
                  <span className="role-badge" title={capitalize(scopeText(inv.groupName))}>
                    {inv.roleName} · {inv.groupName}
                  </span>
                </td>
                <td>{KIND_LABELS[inv.kind]}</td>
                <td>
                  <span className={`invitation-status invitation-${inv.status}`}>{INVITATION_STATUS_LABELS[inv.status]}</span>
                </td>
                <td title={formatDateTime(inv.expiresAt)}>
                  {inv.status === 'pending' ? relativeTime(inv.expiresAt) : formatDateTime(inv.expiresAt)}
                </td>
                <td>{inv.sendCount === 1 ? 'once' : `${inv.sendCount} times`}</td>
                <td>{inv.invitedBy}</td>
                <td className="row-actions">
                  {(inv.status === 'pending' || inv.status === 'expired') && (
                    <button
                      type="button"
                      onClick={() => resend(inv)}
                      disabled={busyId === inv.id || missing('users.create', inv.groupId) !== null}
                      title={missing('users.create', inv.groupId) ?? undefined}
                      aria-label={`Resend the invitation to ${inv.email}`}
                    >
                      {busyId === inv.id ? 'Sending…' : 'Resend'}
                    </button>
                  )}
                  {inv.status === 'pending' && (
                    <button
                      type="button"
                      className="danger-outline"
                      onClick={() => setDialog({ type: 'revoke', invitation: inv })}
                      disabled={missing('users.create', inv.groupId) !== null}
                      title={missing('users.create', inv.groupId) ?? undefined}
                      aria-label={`Revoke the invitation to ${inv.email}`}
                    >
                      Revoke…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="invitations">
      <div className="members-toolbar">
        <div className="field">
          <label htmlFor="invitation-status">Show</label>
          <select id="invitation-status" value={status} onChange={(e) => setStatus(e.target.value as InvitationStatus | '')}>
            <option value="pending">Pending</option>
            <option value="">All invitations</option>
            <option value="accepted">Accepted</option>
            <option value="revoked">Revoked</option>
            <option value="expired">Expired</option>
          </select>
        </div>
        <button type="button" onClick={reload} disabled={loading} aria-label="Refresh the invitations list">
          {loading && !initial ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <FormError message={rowError} />
      <StaleCopyNotice
        message={stale}
        what="invitations"
        onReload={() => {
          setStale(null);
          reload();
        }}
      />
      {body}
      {dialog?.type === 'revoke' && (
        <ConfirmDialog
          title={`Revoke the invitation to ${dialog.invitation.email}?`}
          description={<p>The link stops working at once and the seat it held is free again. You can invite the same address later.</p>}
          confirmLabel="Revoke invitation"
          pendingLabel="Revoking…"
          run={() => invoke('invitations.revoke', { id: dialog.invitation.id })}
          onDone={() => {
            setNotice(`The invitation to ${dialog.invitation.email} was revoked.`);
            setDialog(null);
            reload();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.type === 'resent' && (
        <Dialog title={`Invitation for ${dialog.sent.invitation.email}`} onClose={() => setDialog(null)}>
          <InvitationSentView sent={dialog.sent} />
          <DialogButtons>
            <button type="button" className="primary" onClick={() => setDialog(null)}>
              Done
            </button>
          </DialogButtons>
        </Dialog>
      )}
    </div>
  );
}
