import { useId, type ButtonHTMLAttributes } from 'react';

interface ActionButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Why the action is not available, or null/undefined when it is. */
  reason?: string | null | undefined;
  /** Tooltip only, for tight rows such as the screen's header; otherwise the reason is also written next to the button. */
  quiet?: boolean;
}

/** A button that, when refused, stays visible, disabled, and says why instead of vanishing. */
export function ActionButton({ reason, quiet, disabled, children, ...button }: ActionButtonProps) {
  const id = useId();
  return (
    <span className="action">
      <button
        type="button"
        {...button}
        disabled={disabled || Boolean(reason)}
        title={reason ?? button.title}
        aria-describedby={reason ? `${id}-reason` : button['aria-describedby']}
      >
        {children}
      </button>
      {reason && (
        <span id={`${id}-reason`} className={quiet ? 'sr-only' : 'action-reason'}>
          {reason}
        </span>
      )}
    </span>
  );
}
