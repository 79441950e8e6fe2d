import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { SyncedMark } from '../../../shared/contract';
import { useCustomerTree, useSelectedGroupId } from '../state/customer-tree';
import { useGroups } from '../state/groups-store';
import { KindIcon } from '../ui/KindIcon';
import { SyncedMarker } from '../ui/SyncedMarker';
import type { TreeModel, TreeRow } from '../state/tree-model';

const ROW_HEIGHT = 32;
const INDENT = 18;

export const treeItemDomId = (groupId: string) => `group-tree-item-${groupId}`;

interface GroupTreeProps {
  /** The rows to show, from browsing or searching (the screen computes them once for its status line too). */
  rows: readonly TreeRow[];
  /** The search text to highlight in names, or '' when browsing. */
  query: string;
  /** Opens the actions menu for a group at a point on screen. */
  onMenu: (groupId: string, x: number, y: number) => void;
}

/**
 * The customer tree as a WAI-ARIA tree. Only the rows in view are in the DOM, so ten
 * thousand groups scroll like ten; focus is the tree's aria-activedescendant, which
 * survives rows being recycled as they scroll out of view.
 */
export function GroupTree({ rows, query, onMenu }: GroupTreeProps) {
  const model = useGroups((s) => s.model);
  const { activeId, setOpen, select, focus } = useCustomerTree();
  const selectedId = useSelectedGroupId();

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read fresh on every render, never memoized.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const found = rows.findIndex((r) => r.id === activeId);
  const selectedIndex = rows.findIndex((r) => r.id === selectedId);
  const current = found >= 0 ? found : selectedIndex >= 0 ? selectedIndex : 0;
  const currentRow = rows[current];

  useEffect(() => {
    if (found >= 0) virtualizer.scrollToIndex(found, { align: 'auto' });
  }, [found, virtualizer]);

  const typeahead = useRef({ text: '', at: 0 });

  // The latest onMenu, so that rowActions can stay the same object for the memoized rows.
  const onMenuRef = useRef(onMenu);
  useLayoutEffect(() => {
    onMenuRef.current = onMenu;
  });
  const rowActions = useMemo<RowActions>(
    () => ({
      toggle: (row) => setOpen(row.id, !row.expanded),
      pick: select,
      menu: (id, event) => {
        event.preventDefault();
        focus(id);
        onMenuRef.current(id, event.clientX, event.clientY);
      },
    }),
    [setOpen, select, focus],
  );

  function moveTo(index: number) {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row) focus(row.id);
  }

  function openMenuAtRow(row: TreeRow) {
    const rect = (document.getElementById(treeItemDomId(row.id)) ?? scrollRef.current)?.getBoundingClientRect();
    onMenu(row.id, rect ? rect.left + 40 : 0, rect ? rect.bottom : 0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!currentRow || !model) return;
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      openMenuAtRow(currentRow);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(current + 1);
        break;
      case 'ArrowUp':
        moveTo(current - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (currentRow.hasChildren && !currentRow.expanded) setOpen(currentRow.id, true);
        else if (currentRow.expanded) moveTo(current + 1);
        break;
      case 'ArrowLeft': {
        if (currentRow.expanded) {
          setOpen(currentRow.id, false);
          break;
        }
        const parentId = model.nodes.get(currentRow.id)?.parentId;
        const parentIndex = parentId ? rows.findIndex((r) => r.id === parentId) : -1;
        if (parentIndex >= 0) moveTo(parentIndex);
        break;
      }
      case 'Enter':
      case ' ':
        select(currentRow.id);
        break;
      default:
        if (event.key.length !== 1) return;
        typeAhead(event.key, event.timeStamp, model);
    }
    event.preventDefault();
  }

  // Typing letters jumps to the next group whose name starts with them (the tree pattern's type-ahead).
  function typeAhead(char: string, now: number, treeModel: TreeModel) {
    const state = typeahead.current;
    state.text = now - state.at > 700 ? char : state.text + char;
    state.at = now;
    const needle = state.text.toLocaleLowerCase();
    for (let step = state.text.length > 1 ? 0 : 1; step <= rows.length; step++) {
      const row = rows[(current + step) % rows.length];
      if (row && treeModel.nodes.get(row.id)?.group.name.toLocaleLowerCase().startsWith(needle)) {
        focus(row.id);
        return;
      }
    }
  }

  if (!model) return null;

  return (
    <div
      ref={scrollRef}
      className="tree-scroll"
      role="tree"
      aria-label="Customer groups"
      tabIndex={0}
      aria-activedescendant={currentRow ? treeItemDomId(currentRow.id) : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="tree-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          const node = row ? model.nodes.get(row.id) : undefined;
          if (!row || !node) return null;
          return (
            <TreeItem
              key={row.id}
              row={row}
              name={node.group.name}
              kind={node.group.kind}
              synced={node.group.synced}
              users={node.userTotal}
              devices={node.deviceTotal}
              top={item.start}
              query={query}
              active={item.index === current}
              selected={row.id === selectedId}
              actions={rowActions}
            />
          );
        })}
      </div>
    </div>
  );
}

interface TreeItemProps {
  row: TreeRow;
  name: string;
  kind: Parameters<typeof KindIcon>[0]['kind'];
  synced: SyncedMark | null;
  users: number | null;
  devices: number | null;
  top: number;
  query: string;
  active: boolean;
  selected: boolean;
  actions: RowActions;
}

interface RowActions {
  toggle: (row: TreeRow) => void;
  pick: (id: string) => void;
  menu: (id: string, event: MouseEvent) => void;
}

/**
 * Memoized with row-independent handlers: while scrolling, rows already on screen keep
 * their props and skip rendering, so only the rows scrolling into view cost anything.
 */
const TreeItem = memo(function TreeItem({ row, name, kind, synced, users, devices, top, query, active, selected, actions }: TreeItemProps) {
  const onToggle = () => actions.toggle(row);
  return (
    <div
      id={treeItemDomId(row.id)}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={selected}
      className={`tree-row${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT, paddingLeft: 6 + row.depth * INDENT }}
      onClick={() => actions.pick(row.id)}
      onDoubleClick={() => row.hasChildren && onToggle()}
      onContextMenu={(event) => actions.menu(row.id, event)}
    >
      <span
        className={`twisty${row.hasChildren ? '' : ' leaf'}${row.expanded ? ' open' : ''}`}
        aria-hidden="true"
        onClick={(event) => {
          if (!row.hasChildren) return;
          event.stopPropagation();
          onToggle();
        }}
      />
      <KindIcon kind={kind} />
      <span className="tree-name">
        <Highlighted text={name} query={query} />
        {synced && <SyncedMarker source={synced.source} locked={synced.locked} />}
      </span>
      <span className="tree-counts">
        {users !== null && (
          <span
            className="count"
            title={`${users.toLocaleString()} ${users === 1 ? 'person' : 'people'} homed here and in the groups inside`}
          >
            <CountIcon what="user" />
            <span className="sr-only">, </span>
            {users.toLocaleString()}
            <span className="sr-only"> {users === 1 ? 'person' : 'people'} homed here and in the groups inside</span>
          </span>
        )}
        {devices !== null && (
          <span
            className="count"
            title={`${devices.toLocaleString()} ${devices === 1 ? 'device' : 'devices'} here and in the groups inside`}
          >
            <CountIcon what="device" />
            <span className="sr-only">, </span>
            {devices.toLocaleString()}
            <span className="sr-only"> {devices === 1 ? 'device' : 'devices'} here and in the groups inside</span>
          </span>
        )}
      </span>
    </div>
  );
});

function Highlighted({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLocaleLowerCase().indexOf(query.toLocaleLowerCase()) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}

function CountIcon({ what }: { what: 'user' | 'device' }) {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" className="count-icon">
      <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
        {what === 'user' ? (
          <>
            <circle cx="8" cy="5" r="2.6" />
            <path d="M2.5 14c0-3 2.4-5 5.5-5s5.5 2 5.5 5" />
          </>
        ) : (
          <>
            <rect x="1.5" y="2.5" width="13" height="8.5" rx="1" />
            <path d="M5.5 14h5M8 11v3" />
          </>
        )}
      </g>
    </svg>
  );
}
