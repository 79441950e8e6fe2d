import { KIND_LABELS } from '../../../shared/access/groups';
import type { GroupDetail } from '../../../shared/contract';
import type { MenuAction } from '../ui/ContextMenu';
import type { GroupDialogState } from './dialogs/group-dialog';

/** Only what `can` allows: an action the person may not take is never offered. */
export function groupMenuActions(group: GroupDetail, open: (dialog: GroupDialogState) => void): MenuAction[] {
  const actions: MenuAction[] = [];
  if (group.can.createChild) {
    for (const kind of group.allowedChildKinds) {
      actions.push({
        id: `add-${kind}`,
        label: `Add ${KIND_LABELS[kind].toLowerCase()}…`,
        onSelect: () => open({ type: 'add', parent: group, kind }),
      });
    }
  }
  if (group.can.rename) actions.push({ id: 'rename', label: 'Rename…', onSelect: () => open({ type: 'rename', group }) });
  if (group.can.move) actions.push({ id: 'move', label: 'Move…', onSelect: () => open({ type: 'move', group }) });
  if (group.can.remove) actions.push({ id: 'remove', label: 'Remove…', danger: true, onSelect: () => open({ type: 'remove', group }) });
  return actions;
}
