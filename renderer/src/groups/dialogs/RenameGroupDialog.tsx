import { useState, type FormEvent } from 'react';
import type { GroupDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { useApiForm } from '../../ui/use-api-form';
import type { GroupChange } from './group-dialog';

export function RenameGroupDialog({
  group,
  onClose,
  onDone,
}: {
  group: GroupDetail;
  onClose: () => void;
  onDone: (change: GroupChange) => void;
}) {
  const form = useApiForm(['name', 'baseVersion']);
  const [name, setName] = useState(group.name);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('groups.update', { id: group.id, baseVersion: group.version, name }),
      () => onDone({ type: 'renamed', id: group.id }),
    );
  }

  return (
    <Dialog
      title={`Rename “${group.name}”`}
      onClose={onClose}
      description={<p>People who sign in to the backup service with the group name will need to use the new one.</p>}
    >
      <form onSubmit={onSubmit} noValidate>
        <Field label="Name" value={name} onChange={setName} error={form.fieldError('name')} data-autofocus="" autoComplete="off" />
        <FormError message={form.formError} />
        <StaleCopyNotice
          message={form.fieldError('baseVersion')}
          what="group"
          onReload={() => onDone({ type: 'reloaded', id: group.id })}
        />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending || name.trim() === group.name}>
            {form.pending ? 'Renaming…' : 'Rename'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
