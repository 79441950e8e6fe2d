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
}

/** Asks before a change that is hard to take back; Cancel has the focus so Enter alone does nothing harmful. */
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
          <button type="submit" className={danger ? 'danger-button' : 'primary'} disabled={form.pending}>
            {form.pending ? pendingLabel : confirmLabel}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
