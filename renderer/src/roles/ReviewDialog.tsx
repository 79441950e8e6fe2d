import { useEffect, useState, type ReactNode } from 'react';
import type { RolePreview } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { invoke } from '../api/client';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';
import { PreviewSummary } from './PreviewSummary';

interface ReviewDialogProps {
  title: string;
  roleId: string;
  /** The permissions the role would have afterwards: what the preview is asked about. */
  permissions: readonly string[];
  /** What changes besides the permissions, in words. */
  changes: ReactNode;
  confirmLabel: string;
  run: () => Promise<Result<{ id: string; version: number }>>;
  onDone: (version: number) => void;
  onClose: () => void;
}

/** Issue 5: the effect of a role change is shown before it is applied, for a save and for a revert alike. */
export function ReviewDialog({ title, roleId, permissions, changes, confirmLabel, run, onDone, onClose }: ReviewDialogProps) {
  const form = useApiForm([]);
  const [preview, setPreview] = useState<Result<RolePreview> | null>(null);
  const keyList = permissions.join('\n');

  useEffect(() => {
    let live = true;
    void invoke('roles.preview', { id: roleId, permissions: keyList ? keyList.split('\n') : [] }).then((result) => {
      if (live) setPreview(result);
    });
    return () => {
      live = false;
    };
  }, [roleId, keyList]);

  return (
    <Dialog title={title} onClose={onClose} wide>
      <div className="review-changes">{changes}</div>
      <section aria-label="Preview of the effect" className="review-preview">
        <h3>Effect on the people who hold it</h3>
        {preview === null ? (
          <p className="loading">Working out who gains and loses what…</p>
        ) : preview.ok ? (
          <PreviewSummary preview={preview.value} />
        ) : (
          <FormError message={`The preview could not be made: ${preview.error.message}`} />
        )}
      </section>
      <FormError message={form.formError} />
      <DialogButtons>
        <button type="button" onClick={onClose} data-autofocus="">
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={form.pending || preview === null}
          onClick={() => void form.submit(run, (value) => onDone(value.version))}
        >
          {form.pending ? 'Saving…' : confirmLabel}
        </button>
      </DialogButtons>
    </Dialog>
  );
}
