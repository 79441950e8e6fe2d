import { useCallback, useState, type FormEvent } from 'react';
import { nestingProblem } from '../../../../shared/access/groups';
import type { GroupDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { useApiForm } from '../../ui/use-api-form';
import { GroupPicker } from '../../ui/GroupPicker';
import { useGroups } from '../../state/groups-store';
import { isWithin } from '../../state/tree-model';
import type { GroupChange } from './group-dialog';

export function MoveGroupDialog({
  group,
  onClose,
  onDone,
}: {
  group: GroupDetail;
  onClose: () => void;
  onDone: (change: GroupChange) => void;
}) {
  const form = useApiForm(['parentId']);
  const model = useGroups((s) => s.model);
  const [parentId, setParentId] = useState<string | null>(null);

  // Only a hint to save a round trip: the server checks nesting, cycles and permissions again.
  const reasonAgainst = useCallback(
    (id: string): string | null => {
      const candidate = model?.nodes.get(id)?.group;
      if (!model || !candidate) return null;
      if (id === group.parentId) return 'Its current parent';
      if (isWithin(model, id, group.id)) return id === group.id ? 'The group being moved' : 'Inside the group being moved';
      return nestingProblem(candidate.kind, group.kind);
    },
    [model, group],
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!parentId) return;
    void form.submit(
      () => invoke('groups.move', { id: group.id, parentId }),
      () => onDone({ type: 'moved', id: group.id }),
    );
  }

  return (
    <Dialog
      title={`Move “${group.name}”`}
      onClose={onClose}
      wide
      description={
        <p>
          Now in {group.path.map((p) => p.name).join(' › ')}. Its subgroups, users and devices move with it; roles held above the new parent
          will cover it from now on.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <GroupPicker
          label="New parent group"
          selectedId={parentId}
          onSelect={setParentId}
          reasonAgainst={reasonAgainst}
          error={form.fieldError('parentId')}
          autoFocus
        />
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending || !parentId}>
            {form.pending ? 'Moving…' : 'Move here'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
