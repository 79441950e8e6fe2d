import { useEffect, useState, type FormEvent } from 'react';
import type { InvitationSent, UserKind } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { useApiForm } from '../../ui/use-api-form';
import { useMe } from '../../state/me-store';
import { KindChoice } from '../parts/KindChoice';
import { RoleScopeFields } from '../parts/RoleScopeFields';
import { InvitationSentView } from './InvitationSentView';

const FIELDS = ['email', 'roleId', 'groupId', 'kind', 'acceptTerms'];

/**
 * Seeds 000 and 004: invite by email with a role and a scope, as a member or an external user.
 * `defaultGroupId` is the group the dialog was opened from (issue 15, finding 3).
 */
export function InviteDialog({ defaultGroupId = null, onClose }: { defaultGroupId?: string | null; onClose: () => void }) {
  const me = useMe((s) => s.me);
  const form = useApiForm(FIELDS);
  const [email, setEmail] = useState('');
  const [kind, setKind] = useState<UserKind>('member');
  const [roleId, setRoleId] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [terms, setTerms] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<InvitationSent | null>(null);

  useEffect(() => {
    if (!useMe.getState().me) void useMe.getState().load();
  }, []);

  // Until the person picks, the role applies where the dialog was opened from (a customer's page, a member of it), else at their home.
  const scope = groupId ?? defaultGroupId ?? me?.homeGroupId ?? null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!roleId) problems.role = 'Choose a role';
    if (!scope) problems.scope = 'Choose the group the role applies to';
    if (kind === 'external' && !terms) problems.terms = 'Agree to the terms and conditions to invite an external user';
    setMissing(problems);
    if (Object.keys(problems).length > 0 || !scope) return;
    void form.submit(
      () =>
        invoke('invitations.create', {
          email,
          roleId,
          groupId: scope,
          kind,
          ...(kind === 'external' ? { acceptTerms: true as const } : {}),
        }),
      (value) => setSent(value),
    );
  }

  if (sent) {
    return (
      <Dialog key="sent" title={`Invitation for ${sent.invitation.email}`} onClose={onClose}>
        <InvitationSentView sent={sent} />
        <DialogButtons>
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </DialogButtons>
      </Dialog>
    );
  }

  return (
    <Dialog
      key="form"
      title="Invite member"
      wide
      onClose={onClose}
      description="The invitee gets a single-use link that expires; with it they choose a username and password and set up two-step verification. Each invitation holds a seat until it is accepted, revoked or expires."
    >
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" type="email" value={email} onChange={setEmail} error={form.fieldError('email')} autoComplete="off" />
        <KindChoice
          value={kind}
          onChange={(k) => {
            setKind(k);
            if (k === 'member') setTerms(false);
          }}
          error={form.fieldError('kind')}
        />
        <RoleScopeFields
          roleId={roleId}
          groupId={scope}
          onRole={setRoleId}
          onGroup={setGroupId}
          roleError={missing.role ?? form.fieldError('roleId')}
          groupError={missing.scope ?? form.fieldError('groupId')}
          groupLabel="Role applies to"
        />
        {kind === 'external' && (
          <div className={`field${missing.terms || form.fieldError('acceptTerms') ? ' field-invalid' : ''}`}>
            <label className="check">
              <input
                type="checkbox"
                checked={terms}
                onChange={(e) => setTerms(e.target.checked)}
                aria-invalid={missing.terms ? true : undefined}
              />
              I agree to the terms and conditions on behalf of the organization
            </label>
            {(missing.terms ?? form.fieldError('acceptTerms')) && (
              <p className="field-error" role="alert">
                {missing.terms ?? form.fieldError('acceptTerms')}
              </p>
            )}
          </div>
        )}
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? 'Inviting…' : 'Invite'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
