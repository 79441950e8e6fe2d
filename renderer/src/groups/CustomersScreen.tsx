import { useEffect, useMemo, useRef, useState } from 'react';
import { invoke } from '../api/client';
import { useCustomerTree, useSelectedGroupId } from '../state/customer-tree';
import { ContextMenu, type MenuAction } from '../ui/ContextMenu';
import { FormError } from '../ui/FormError';
import { AddGroupDialog } from './dialogs/AddGroupDialog';
import type { GroupChange, GroupDialogState } from './dialogs/group-dialog';
import { MoveGroupDialog } from './dialogs/MoveGroupDialog';
import { RemoveGroupDialog } from './dialogs/RemoveGroupDialog';
import { RenameGroupDialog } from './dialogs/RenameGroupDialog';
import { groupMenuActions } from './group-actions';
import { GroupDetailPanel } from './GroupDetail';
import { GroupTree } from './GroupTree';
import { useGroups } from '../state/groups-store';
import { revealGroup } from './reveal';
import { ancestorIds, browseRows, searchRows } from '../state/tree-model';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';

interface MenuState {
  ticket: number;
  groupId: string;
  name: string;
  x: number;
  y: number;
  actions: MenuAction[] | null;
  error: string | null;
}

export function CustomersScreen() {
  const { model, error, loading } = useGroups();
  const { expanded, searchCollapsed, query, setQuery } = useCustomerTree();
  const [dialog, setDialog] = useState<GroupDialogState | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const menuTicket = useRef(0);

  useEffect(() => {
    void useGroups.getState().load();
  }, []);

  // On the first answer, open the top of the tree and show it, so there is never a blank panel to start from.
  // An address naming a group (a link, Back, a reload) opens the tree down to it.
  const selectedId = useSelectedGroupId();
  useEffect(() => {
    if (!model) return;
    const tree = useCustomerTree.getState();
    if (tree.expanded.size === 0) tree.expandAll(model.roots);
    const first = model.roots[0];
    if (selectedId === null) {
      if (first) navigateTo(paths.group(first), { replace: true });
    } else if (model.nodes.has(selectedId)) {
      tree.expandAll(ancestorIds(model, selectedId));
      if (tree.activeId === null) tree.focus(selectedId);
    }
  }, [model, selectedId]);

  const searching = query.trim() !== '';
  const { rows, matches } = useMemo(() => {
    if (!model) return { rows: [], matches: 0 };
    return searching ? searchRows(model, query, searchCollapsed) : { rows: browseRows(model, expanded), matches: 0 };
  }, [model, searching, query, searchCollapsed, expanded]);

  function openMenu(groupId: string, x: number, y: number) {
    const ticket = ++menuTicket.current;
    const name = model?.nodes.get(groupId)?.group.name ?? '';
    setMenu({ ticket, groupId, name, x, y, actions: null, error: null });
    // Actions come from the server's `can` for this group, never from a guess.
    void invoke('groups.get', { id: groupId }).then((result) =>
      setMenu((m) =>
        m?.ticket !== ticket
          ? m
          : result.ok
            ? { ...m, actions: groupMenuActions(result.value, setDialog) }
            : { ...m, actions: [], error: result.error.message },
      ),
    );
  }

  async function onDone(change: GroupChange) {
    setDialog(null);
    await useGroups.getState().load();
    if (change.type === 'created' || change.type === 'moved') revealGroup(change.id);
    else if (change.type === 'removed') {
      // The parent may lie above the person's reach: then the top of what they see is shown, never "no longer exists".
      const parent = change.parentId;
      if (parent && useGroups.getState().model?.nodes.has(parent)) revealGroup(parent);
      else useCustomerTree.getState().select(null);
    }
  }

  const total = model?.order.length ?? 0;
  let body;
  if (!model) {
    body = loading || !error ? <p className="loading">Loading groups…</p> : null;
  } else if (total === 0) {
    body = (
      <p className="empty-state">You cannot see any groups yet. Ask an administrator to give you a role at the group you look after.</p>
    );
  } else if (searching && matches === 0) {
    body = (
      <p className="empty-state">No groups match “{query.trim()}”. Check the spelling, or clear the search to browse the whole tree.</p>
    );
  } else {
    body = <GroupTree rows={rows} query={searching ? query.trim() : ''} onMenu={openMenu} />;
  }

  return (
    <div className="page customers">
      <div className="page-head">
        <h1>Customers</h1>
        {model && (
          <p className="muted" data-testid="tree-legend">
            {total === 1 ? '1 group' : `${total.toLocaleString()} groups`} you can see. Each counts the people homed in it and its devices,
            with the groups inside.
          </p>
        )}
      </div>
      <div className="split">
        <section className="tree-pane" aria-label="Customer tree">
          <div className="field tree-search">
            <label htmlFor="group-search">Find a group</label>
            <input
              id="group-search"
              type="search"
              value={query}
              placeholder="Type part of a name"
              autoComplete="off"
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && query) {
                  e.preventDefault();
                  setQuery('');
                }
              }}
            />
          </div>
          <p className="tree-status" aria-live="polite">
            {searching && matches > 0 ? `${matches.toLocaleString()} ${matches === 1 ? 'group matches' : 'groups match'}` : ''}
          </p>
          {error && (
            <div className="row">
              <FormError message={`The groups could not be loaded: ${error}`} />
              <button type="button" onClick={() => void useGroups.getState().load()}>
                Try again
              </button>
            </div>
          )}
          {body}
          {model && total > 0 && (
            <p className="field-hint">Arrow keys move, Enter opens, Shift+F10 or right-click shows what you can do with a group.</p>
          )}
        </section>
        <GroupDetailPanel onDialog={setDialog} />
      </div>
      {menu && (
        <ContextMenu
          label={`Actions for ${menu.name}`}
          x={menu.x}
          y={menu.y}
          actions={menu.actions}
          error={menu.error}
          emptyText="You cannot change this group."
          onClose={() => setMenu(null)}
        />
      )}
      {dialog?.type === 'add' && (
        <AddGroupDialog parent={dialog.parent} kind={dialog.kind} onClose={() => setDialog(null)} onDone={onDone} />
      )}
      {dialog?.type === 'rename' && <RenameGroupDialog group={dialog.group} onClose={() => setDialog(null)} onDone={onDone} />}
      {dialog?.type === 'move' && <MoveGroupDialog group={dialog.group} onClose={() => setDialog(null)} onDone={onDone} />}
      {dialog?.type === 'remove' && <RemoveGroupDialog group={dialog.group} onClose={() => setDialog(null)} onDone={onDone} />}
    </div>
  );
}
