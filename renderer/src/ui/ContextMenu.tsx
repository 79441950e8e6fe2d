import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useReturnFocus } from './focus';

export interface MenuAction {
  id: string;
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

interface ContextMenuProps {
  label: string;
  x: number;
  y: number;
  /** Null while the actions are being worked out. */
  actions: MenuAction[] | null;
  /** Shown instead of items when there is nothing the person may do. */
  emptyText: string;
  error?: string | null;
  onClose: () => void;
}

/** A WAI-ARIA menu at a point: arrows move, Enter picks, Escape or Tab or a click elsewhere closes. */
export function ContextMenu({ label, x, y, actions, emptyText, error, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    // Kept inside the window, measured after the items are in place.
    const rect = menu.getBoundingClientRect();
    menu.style.left = `${Math.max(4, Math.min(x, window.innerWidth - rect.width - 4))}px`;
    menu.style.top = `${Math.max(4, Math.min(y, window.innerHeight - rect.height - 4))}px`;
  }, [x, y, actions, error]);

  // The latest onClose, so that the mount effect below runs once and restores focus only on close.
  const closeRef = useRef(onClose);
  useLayoutEffect(() => {
    closeRef.current = onClose;
  });

  useReturnFocus();
  useEffect(() => {
    const close = () => closeRef.current();
    const onPointerDown = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) close();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('blur', close);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('blur', close);
    };
  }, []);

  useEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    (menu.querySelector<HTMLElement>('[role="menuitem"]') ?? menu).focus();
  }, [actions]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(items.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={label} tabIndex={-1} onKeyDown={onKeyDown} aria-busy={actions === null}>
      {error ? (
        <p className="menu-note" role="alert">
          {error}
        </p>
      ) : actions === null ? (
        <p className="menu-note">Loading actions…</p>
      ) : actions.length === 0 ? (
        <p className="menu-note">{emptyText}</p>
      ) : (
        actions.map((action) => (
          <button
            key={action.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={action.danger ? 'danger' : undefined}
            onClick={() => {
              onClose();
              action.onSelect();
            }}
          >
            {action.label}
          </button>
        ))
      )}
    </div>
  );
}
