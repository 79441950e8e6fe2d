import type { InvitationSent } from '../../../../shared/contract';
import { formatDateTime } from '../../ui/format';
import { ShownOnce } from '../parts/ShownOnce';

/** After inviting or resending: either the mail went out, or here is the link to hand over (no mail server set up). */
export function InvitationSentView({ sent }: { sent: InvitationSent }) {
  const { invitation } = sent;
  return (
    <div className="invitation-sent">
      {sent.delivery === 'email' ? (
        <p role="status">
          An invitation email went to <strong>{invitation.email}</strong>. The link in it works once and expires{' '}
          {formatDateTime(invitation.expiresAt)}.
        </p>
      ) : (
        <>
          <p role="status">
            No mail server is set up, so nothing was emailed. Hand this link to <strong>{invitation.email}</strong> yourself; it works once
            and expires {formatDateTime(invitation.expiresAt)}.
          </p>
          {sent.link && (
            <ShownOnce
              label="Invitation link"
              value={sent.link}
              advice="Steward keeps only a digest of it. To get a new link, resend the invitation."
              testId="invitation-link"
            />
          )}
          <p className="muted">To have Steward email invitations, set up a mail server under Settings.</p>
        </>
      )}
    </div>
  );
}
