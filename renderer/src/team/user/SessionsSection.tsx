import { useState } from 'react';
import type { SessionInfo, UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { useOp } from '../../data/query';
import { useSession } from '../../state/session';
import { FormError } from '../../ui/FormError';
import { TableHead } from '../../ui/TableHead';
import { formatDateTime } from '../../ui/format';
import { ActionButton } from '../../ui/ActionButton';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

const CLIENTS: Record<SessionInfo['client'], string> = { desktop: 'Desktop app', web: 'Web console', cli: 'Command line' };
const STAGES: Record<SessionInfo['stage'], string> = {
  active: 'Signed in',
  mfa: 'Waiting for the two-step code',
  enroll: 'Setting up two-step verification',
};

/**
 * Where a person is signed in, and "Sign out everywhere" (issue 15; R18): another person's
 * every session ends; one's own every session but this one.
 */
export function SessionsSection({ user, onSaved }: { user: UserDetail; onSaved: (message: string) => void }) {
  const self = useSession((s) => s.user?.id) === user.id;
  const query = useOp('users.sessions', { id: user.id });
  const [confirming, setConfirming] = useState(false);
  const name = user.fullName || user.username;
  const sessions = query.data?.sessions ?? [];
  const others = self ? sessions.filter((s) => !s.current).length : sessions.length;
  const lock = self ? null : user.can.resetPassword ? null : (user.can.reasons.resetPassword ?? 'You cannot sign this person out');

  return (
    <section className="panel user-section" aria-labelledby="user-sessions">
      <h2 id="user-sessions">Sessions</h2>
      {query.isPending ? (
        <p className="loading">Loading the sessions…</p>
      ) : query.error ? (
        <FormError message={`The sessions could not be loaded: ${query.error.message}`} />
      ) : sessions.length === 0 ? (
        <p className="muted" data-testid="sessions-none">
          {name} is not signed in anywhere.
        </p>
      ) : (
        <table className="data-table" aria-label={`Sessions of ${name}`}>
          <TableHead columns={['Where', 'State', 'Started', 'Last used']} />
          <tbody>
            {sessions.map((s, i) => (
              <tr key={i}>
                <th scope="row">
                  {CLIENTS[s.client]}
                  {s.current && <span className="tag">This session</span>}
                </th>
                <td>{STAGES[s.stage]}</td>
                <td>{formatDateTime(s.startedAt)}</td>
                <td>{formatDateTime(s.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions start">
        <ActionButton
          reason={lock ?? (others === 0 ? (self ? 'You are signed in nowhere else' : `${name} is not signed in anywhere`) : null)}
          onClick={() => setConfirming(true)}
        >
          {self ? 'Sign out everywhere else…' : 'Sign out everywhere…'}
        </ActionButton>
      </div>
      {confirming && (
        <ConfirmDialog
          title={self ? 'Sign out everywhere else?' : `Sign ${name} out everywhere?`}
          description={
            <p>
              {self
                ? `Your ${others === 1 ? 'other session ends' : `${others} other sessions end`}; this one stays signed in.`
                : `${name}'s ${others === 1 ? 'session ends' : `${others} sessions end`} at once; they sign in again to go on.`}
            </p>
          }
          confirmLabel="Sign out everywhere"
          pendingLabel="Signing out…"
          run={() => invoke('users.signOutEverywhere', { id: user.id })}
          onDone={({ ended }) => {
            setConfirming(false);
            onSaved(`${ended === 1 ? '1 session' : `${ended} sessions`} ended.`);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
