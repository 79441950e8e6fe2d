import { useEffect, useRef, type FocusEvent, type ReactNode } from 'react';
import { focusFirstIn } from './focus';

/** Focus is lost when it is on the page itself, or on a focus home around `root` (main, say) it was handed to. */
function lostAround(root: HTMLElement): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || (active !== root && active.contains(root));
}

/**
 * Wraps content that is drawn anew in place when `version` changes (a form or an editor keyed by
 * the version it just saved). The old copy goes with the control that had focus; when focus was
 * inside, it goes to the new copy's `data-focus-handoff` element, else its first `tabIndex={-1}`
 * title, else its first control (issue 15: focus never drops to the page after a save).
 */
export function KeepsFocus({ version, children }: { version: unknown; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const inside = useRef(false);
  const shown = useRef(version);

  useEffect(() => {
    const root = ref.current;
    if (shown.current === version || !root) return;
    shown.current = version;
    if (!inside.current || !lostAround(root)) return;
    const target = root.querySelector<HTMLElement>('[data-focus-handoff]') ?? root.querySelector<HTMLElement>('[tabindex="-1"]');
    if (target) target.focus();
    else focusFirstIn(root);
  }, [version]);

  function onBlur(event: FocusEvent<HTMLDivElement>) {
    const to = event.relatedTarget;
    // Moved elsewhere by the person: no longer inside. Lost (its control disabled or removed): still ours to put back.
    if (to instanceof Node ? !event.currentTarget.contains(to) : event.target.isConnected && !event.target.matches(':disabled'))
      inside.current = false;
  }

  return (
    <div ref={ref} className="keeps-focus" onFocus={() => (inside.current = true)} onBlur={onBlur}>
      {children}
    </div>
  );
}
