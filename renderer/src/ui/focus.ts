import { useEffect, useRef, type RefObject } from 'react';

/**
 * Where keyboard focus goes when what a person acted on changes under them (issue 15: focus
 * must never drop to the page). Three cases, one helper each:
 * - new content that answers an action (a panel, a page, a dry run, an answer) takes focus
 *   on its heading: `useFocusOnShow`;
 * - content that closes gives focus back to what opened it, or, when that was drawn anew
 *   meanwhile, to its successor once it is in the page: `useReturnFocus`, `focusWhenShown`;
 * - a dialog's next step takes focus on its title: `focusStep`, through Dialog's `step`;
 * - a focused control that becomes disabled (a button while its request runs) hands focus
 *   to its focus home, and takes it back when enabled again: `keepFocusThroughDisabling`.
 */

/** The first control a dialog or a step offers, in document order. */
export const FOCUSABLE =
  '[data-autofocus], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])';

/**
 * Focuses the control inside `container` marked `data-autofocus` (the one its task starts at,
 * wherever it sits: a search field under an option, a safe button), else the first control;
 * false when there is none.
 */
export function focusFirstIn(container: HTMLElement): boolean {
  const first = container.querySelector<HTMLElement>('[data-autofocus]') ?? container.querySelector<HTMLElement>(FOCUSABLE);
  first?.focus();
  return first !== null;
}

/**
 * The element a focused control hands focus to when it can no longer hold it: the nearest
 * enclosing element made focusable for that (`tabIndex={-1}`: a panel, a dialog's step, the
 * main content), else the open dialog, else the page's main content.
 */
export function focusHome(from: Element): HTMLElement | null {
  return from.parentElement?.closest<HTMLElement>('[tabindex="-1"], dialog[open]') ?? document.getElementById('main-content') ?? null;
}

function canTakeFocus(element: HTMLElement): boolean {
  return element.isConnected && !element.matches(':disabled') && element.closest('[inert]') === null;
}

/**
 * Focuses the element `selector` names once it is in the page: at once, or when it is drawn (a
 * list read again after going back to it). Gives up when the person moves focus themselves
 * meanwhile, or after `withinMs` milliseconds.
 */
export function focusWhenShown(selector: string, withinMs = 5000): void {
  const tryNow = () => {
    const element = document.querySelector<HTMLElement>(selector);
    if (!element || !canTakeFocus(element)) return false;
    element.focus();
    return true;
  };
  if (tryNow()) return;
  const startedOn = document.activeElement;
  const observer = new MutationObserver(() => {
    if (document.activeElement !== startedOn && document.activeElement !== document.body) stop();
    else if (tryNow()) stop();
  });
  const timer = window.setTimeout(() => stop(), withinMs);
  function stop() {
    observer.disconnect();
    window.clearTimeout(timer);
  }
  observer.observe(document.body, { childList: true, subtree: true });
}

/**
 * A ref for the element (a heading with `tabIndex={-1}`, usually) that takes focus when it is
 * shown: on mount once `ready` is true, and again whenever `key` changes (another device in the
 * same panel). A person already typing in a field inside it keeps their place.
 */
export function useFocusOnShow<T extends HTMLElement>(ready = true, key?: unknown): RefObject<T | null> {
  const ref = useRef<T | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!ready || !element) return;
    if (element.contains(document.activeElement) && document.activeElement !== element) return;
    element.focus();
  }, [ready, key]);
  return ref;
}

/**
 * On unmount (or when `key` changes), focus goes back to the element that had it when this
 * mounted; if that one is gone or disabled, to `successor` (a selector) once it is shown, else
 * to the focus home of where it was. Focus the person (or newer content) already put somewhere
 * else stays there: only focus left on the page itself is handed back.
 */
export function useReturnFocus(key?: unknown, successor?: string): void {
  useEffect(() => {
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && active !== document.body ? active : null;
    return () => {
      if (document.activeElement !== null && document.activeElement !== document.body) return;
      if (opener && canTakeFocus(opener)) opener.focus();
      else if (successor) focusWhenShown(successor);
      else if (opener?.isConnected) focusHome(opener)?.focus();
    };
  }, [key, successor]);
}

/**
 * Focuses a step that replaced the previous one in `container` (a dialog's next step): its
 * title (`data-step-title`, with `tabIndex={-1}`) or else its first control, since the control
 * that led there is usually gone.
 */
export function focusStep(container: HTMLElement): void {
  const title = container.querySelector<HTMLElement>('[data-step-title]');
  if (title) title.focus();
  else focusFirstIn(container);
}

/**
 * Installed once for the page. A browser drops focus to the page when the focused control is
 * disabled (a submit button while its request runs), and a keyboard user must start again from
 * the top. This moves focus to the control's focus home instead, and back to the control when
 * it is enabled again, unless the person moved focus meanwhile. Returns the uninstaller.
 */
export function keepFocusThroughDisabling(): () => void {
  let watch: MutationObserver | null = null;
  const forget = () => {
    watch?.disconnect();
    watch = null;
  };
  const onFocusOut = (event: FocusEvent) => {
    const control = event.target;
    if (event.relatedTarget !== null || !(control instanceof HTMLElement) || !control.isConnected || !control.matches(':disabled')) return;
    const home = focusHome(control);
    if (!home) return;
    forget();
    home.focus({ preventScroll: true });
    watch = new MutationObserver(() => {
      if (!control.isConnected || document.activeElement !== home) forget();
      else if (!control.matches(':disabled')) {
        forget();
        control.focus({ preventScroll: true });
      }
    });
    watch.observe(control, { attributes: true, attributeFilter: ['disabled'] });
  };
  document.addEventListener('focusout', onFocusOut, true);
  return () => {
    forget();
    document.removeEventListener('focusout', onFocusOut, true);
  };
}
