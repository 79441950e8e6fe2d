import type { FormEvent, ReactNode } from 'react';
import type { Result } from '../../../shared/result';
import { Dialog, DialogButtons } from './Dialog';
import { FormError } from './FormError';
import { useApiForm } from './use-api-form';

interface ConfirmDialogProps<T> {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  danger?: boolean;
  run: () => Promise<Result<T>>;
  onDone: (value: T) => void;
  onClose: () => void;
  children?: ReactNode;
  /** Why the change cannot be made, when the dialog already knows: the confirm button is disabled and says so. */
  blocked?: string | null;
}

/**
 * Asks before a change that is hard to take back; Cancel has the focus so Enter alone does nothing harmful.
 * Once the dialog has said the change cannot be made (known before, or refused), its button stays disabled.
 */
export function ConfirmDialog<T>({
  title,
  description,
  confirmLabel,
  pendingLabel,
  danger = true,
  run,
  onDone,
  onClose,
  children,
  blocked = null,
}: ConfirmDialogProps<T>) {
  const form = useApiForm([]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(run, onDone);
  }

  return (
    <Dialog title={title} onClose={onClose} description={description}>
      <form onSubmit={onSubmit} noValidate>
        {children}
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose} data-autofocus="">
            Cancel
          </button>
          <button
            type="submit"
            className={danger ? 'danger-button' : 'primary'}
            disabled={form.pending || blocked !== null || form.final}
            title={blocked ?? (form.final ? (form.formError ?? undefined) : undefined)}
          >
            {form.pending ? pendingLabel : confirmLabel}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
