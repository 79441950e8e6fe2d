import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

/**
 * A panel opened by a button beside it (a filter's checklist, saved filters): a click outside
 * the frame closes it, and Escape inside closes it and gives the focus back to the button.
 * Spread `frameProps` on the element holding both, and put `buttonRef` on the button.
 */
export function usePopover() {
  const [open, setOpen] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (event.target instanceof Node && !frame.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const frameProps = {
    ref: frame,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !open) return;
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    },
  };
  /** Closes the panel and puts the focus back on its button (after picking in it). */
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return { open, setOpen, close, frameProps, buttonRef: button };
}
