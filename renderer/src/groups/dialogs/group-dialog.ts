import type { GroupKind } from '../../../../shared/access/groups';
import type { GroupDetail } from '../../../../shared/contract';

/** The one dialog the customers screen may have open, with the group it acts on as the server last described it. */
export type GroupDialogState =
  | { type: 'add'; parent: GroupDetail; kind: GroupKind }
  | { type: 'rename'; group: GroupDetail }
  | { type: 'move'; group: GroupDetail }
  | { type: 'remove'; group: GroupDetail };

/** What happened, so that the screen can refresh the tree and show the right group. */
export type GroupChange =
  | { type: 'created'; id: string }
  | { type: 'renamed'; id: string }
  /** Nothing changed here, but the group did elsewhere: fetch it again (a save refused as based on a stale copy). */
  | { type: 'reloaded'; id: string }
  | { type: 'moved'; id: string }
  | { type: 'removed'; id: string; parentId: string | null };
