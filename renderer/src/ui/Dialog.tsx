import { useEffect, useId, useRef, type ReactNode } from 'react';
import { focusFirstIn, focusStep, useReturnFocus } from './focus';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** A sentence under the title saying what the dialog is about. */
  description?: ReactNode;
  wide?: boolean;
  /** For a dialog that goes through steps (a wizard): when it changes, the new step's title or first control takes focus. */
  step?: string;
}

/**
 * A modal built on <dialog>.showModal(): the browser makes the rest of the page inert (so
 * focus stays inside) and turns Escape into a cancel event, which closes through onClose.
 * The first field is focused on open and focus goes back to where it was on close (ui/focus.ts).
 */
export function Dialog({ title, onClose, children, description, wide, step }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // Before the effect below: it notes the opener while focus is still on it.
  useReturnFocus();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    focusFirstIn(dialog);
    return () => dialog.close();
  }, []);

  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step || !ref.current) return;
    shownStep.current = step;
    focusStep(ref.current);
  }, [step]);

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {description && (
        <div id={descriptionId} className="dialog-description">
          {description}
        </div>
      )}
      {children}
    </dialog>
  );
}

/** The row of buttons at the bottom of a dialog: the main action last, Cancel before it. */
export function DialogButtons({ children }: { children: ReactNode }) {
  return <div className="dialog-buttons">{children}</div>;
}
