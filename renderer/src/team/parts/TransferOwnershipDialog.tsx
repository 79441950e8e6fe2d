import { useEffect, useState, type FormEvent } from 'react';
import type { UserSummary } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { SelectField } from '../../ui/SelectField';
import { useApiForm } from '../../ui/use-api-form';
import { useRoles } from '../roles-store';
import { CodeField } from '../../ui/CodeField';

interface TransferOwnershipDialogProps {
  companyId: string;
  companyName: string;
  /** The member whose page the dialog was opened from, chosen to start with. */
  preselectedId?: string | null;
  onClose: () => void;
  onDone: (message: string) => void;
}

interface Candidates {
  users: UserSummary[];
  error: string | null;
}

/**
 * Seed 000 and R10: the Owner hands the company to an active, MFA-enrolled
 * Admin of the same company, confirmed with a fresh code for this transfer; the old
 * Owner stays on as Admin. Only such Admins are offered; the server checks again.
 */
export function TransferOwnershipDialog({ companyId, companyName, preselectedId, onClose, onDone }: TransferOwnershipDialogProps) {
  const roles = useRoles((s) => s.roles);
  // Every role meaning Admin counts (the built-in Admin, a company role set's Company Administrator: R9).
  const adminRoleIds = roles ? roles.filter((r) => r.meaning === 'admin').map((r) => r.id) : null;
  const adminKey = adminRoleIds?.join(',') ?? null;
  const [candidates, setCandidates] = useState<Candidates | null>(null);
  const [toUserId, setToUserId] = useState(preselectedId ?? '');
  const [code, setCode] = useState('');
  const form = useApiForm(['toUserId', 'code']);

  useEffect(() => {
    if (!useRoles.getState().roles) void useRoles.getState().load();
  }, []);

  useEffect(() => {
    if (adminKey === null) return;
    let live = true;
    // One page per Admin-meaning role, each filtered on the server, so a large company cannot push its Admins off the page.
    const pages = adminKey
      .split(',')
      .filter(Boolean)
      .map((roleId) =>
        invoke('users.list', {
          roleIds: [roleId],
          statuses: ['active'],
          mfa: ['enrolled'],
          kinds: ['member'],
          groupId: companyId,
          limit: 500,
        }).then((result) =>
          result.ok
            ? {
                users: result.value.users.filter((u) => u.bindings.some((b) => b.roleId === roleId && b.groupId === companyId)),
                error: null,
              }
            : { users: [], error: result.error.message },
        ),
      );
    void Promise.all(pages).then((answers) => {
      if (!live) return;
      const users = new Map(answers.flatMap((a) => a.users).map((u) => [u.id, u]));
      setCandidates({ users: [...users.values()], error: answers.find((a) => a.error)?.error ?? null });
    });
    return () => {
      live = false;
    };
  }, [adminKey, companyId]);

  const chosen = candidates?.users.find((u) => u.id === toUserId) ?? null;
  const chosenName = chosen ? chosen.fullName || chosen.username : 'the new Owner';

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('ownership.transfer', { companyId, toUserId, code }),
      () => onDone(`${chosenName} is now the Owner of ${companyName}. You are an Admin of ${companyName}.`),
    );
  }

  return (
    <Dialog
      title={`Transfer ownership of ${companyName}`}
      onClose={onClose}
      description={
        <>
          <p>
            There is one Owner per company. The new Owner gets billing and ownership transfer; you become an <strong>Admin</strong> of{' '}
            {companyName} and keep managing the team.
          </p>
          <p>Only active Admins of {companyName} who have set up two-step verification can become Owner. External users never can.</p>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <SelectField
          label="New Owner"
          value={toUserId}
          onChange={setToUserId}
          error={form.fieldError('toUserId') ?? candidates?.error ?? undefined}
          disabled={!candidates || candidates.users.length === 0}
          hint={
            candidates && candidates.users.length === 0 && !candidates.error
              ? `Nobody can take over yet: first give an active member with two-step verification the Admin role at ${companyName}.`
              : undefined
          }
        >
          <option value="" disabled>
            {candidates ? 'Choose an Admin' : 'Loading Admins…'}
          </option>
          {(candidates?.users ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.fullName ? `${u.fullName} (${u.username})` : u.username}
            </option>
          ))}
        </SelectField>
        <CodeField
          value={code}
          onChange={setCode}
          error={form.fieldError('code')}
          hint="A fresh code confirms that you, the Owner, are making this transfer."
        />
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger-button" disabled={form.pending || !toUserId}>
            {form.pending ? 'Transferring…' : 'Transfer ownership'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
