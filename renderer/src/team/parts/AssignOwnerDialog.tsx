import { useState, type FormEvent } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { useApiForm } from '../../ui/use-api-form';
import { CodeField } from '../../ui/CodeField';

interface AssignOwnerDialogProps {
  user: UserDetail;
  companyId: string;
  companyName: string;
  /** The company above whose Owner the signed-in person is. */
  aboveName: string;
  onClose: () => void;
  onDone: (message: string) => void;
}

/**
 * R10 and R11: an Owner of a company above makes a member of this company its Owner
 * (ownership.assign), confirmed with a fresh code; the company's present Owner, if any,
 * becomes its Admin. The server checks the member again (active, two-step verification,
 * homed in the company).
 */
export function AssignOwnerDialog({ user, companyId, companyName, aboveName, onClose, onDone }: AssignOwnerDialogProps) {
  const [code, setCode] = useState('');
  const form = useApiForm(['toUserId', 'code', 'companyId']);
  const name = user.fullName || user.username;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('ownership.assign', { companyId, toUserId: user.id, code }),
      (value) =>
        onDone(
          `${name} is now the Owner of ${companyName}.` +
            (value.previousOwnerId ? ` ${companyName}’s previous Owner is its Admin now.` : ''),
        ),
    );
  }

  return (
    <Dialog
      title={`Make ${name} the Owner of ${companyName}`}
      onClose={onClose}
      description={
        <>
          <p>
            There is one Owner per company. As an Owner of {aboveName}, you can give {companyName} its Owner. {name} gets billing and
            ownership transfer there; the present Owner, if there is one, becomes an <strong>Admin</strong> of {companyName}.
          </p>
          <p>Both of them are signed out everywhere, since their rights change.</p>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <FormError message={form.fieldError('toUserId') ?? form.fieldError('companyId') ?? null} />
        <CodeField
          value={code}
          onChange={setCode}
          error={form.fieldError('code')}
          hint={`A fresh code confirms that you, an Owner of ${aboveName}, are making this change.`}
        />
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger-button" disabled={form.pending || code.length === 0}>
            {form.pending ? 'Assigning…' : 'Make Owner'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
