import { type FormEvent } from 'react';
import type { GroupDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { useApiForm } from '../../ui/use-api-form';
import type { GroupChange } from './group-dialog';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function RemoveGroupDialog({
  group,
  onClose,
  onDone,
}: {
  group: GroupDetail;
  onClose: () => void;
  onDone: (change: GroupChange) => void;
}) {
  const form = useApiForm([]);
  const contents = [
    group.childCount > 0 ? plural(group.childCount, 'child group', 'child groups') : null,
    group.deviceCount ? plural(group.deviceCount, 'device', 'devices') : null,
    group.userCount ? plural(group.userCount, 'user homed here', 'users homed here') : null,
  ].filter((part): part is string => part !== null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('groups.remove', { id: group.id }),
      () => onDone({ type: 'removed', id: group.id, parentId: group.parentId }),
    );
  }

  return (
    <Dialog
      title={`Remove “${group.name}”?`}
      onClose={onClose}
      description={
        <>
          <p>
            This removes <strong>{group.name}</strong> ({group.path.map((p) => p.name).join(' › ')}) with its profile, contacts, activities
            and branding. It cannot be undone.
          </p>
          {contents.length > 0 && (
            <p className="notice" data-testid="remove-blocked">
              It cannot be removed: it still has{' '}
              {contents.length > 1 ? `${contents.slice(0, -1).join(', ')} and ${contents.at(-1) ?? ''}` : contents[0]}. A group can be
              removed only when nothing lives in it: no groups, devices or users of its own.
            </p>
          )}
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose} data-autofocus="">
            Cancel
          </button>
          <button
            type="submit"
            className="danger-button"
            disabled={form.pending || contents.length > 0 || form.final}
            title={contents.length > 0 ? `${group.name} is not empty` : form.final ? (form.formError ?? undefined) : undefined}
          >
            {form.pending ? 'Removing…' : 'Remove group'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
