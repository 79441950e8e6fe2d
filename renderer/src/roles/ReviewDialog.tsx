import { useEffect, useState, type ReactNode } from 'react';
import { diffRoleVersions, type RoleContent } from '../../../shared/access/role-diff';
import type { RoleDetail, RolePreview } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { invoke } from '../api/client';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { FormError } from '../ui/FormError';
import { StaleCopyNotice } from '../ui/StaleCopyNotice';
import { useApiForm } from '../ui/use-api-form';
import { PreviewSummary } from './PreviewSummary';
import { RoleDiffView } from './RoleDiffView';

interface ReviewDialogProps {
  title: string;
  roleId: string;
  /** The version the editor loaded: what the save is based on. */
  baseVersion: number;
  /** The role as it would be afterwards: compared with the role as it is now, and what the preview is asked about. */
  next: RoleContent;
  /** Label of the list of changes ("Changes to save"). */
  changesLabel: string;
  /** Said before the changes, if anything. */
  note?: ReactNode;
  confirmLabel: string;
  run: () => Promise<Result<{ id: string; version: number }>>;
  onDone: (version: number) => void;
  /** After a save refused as based on a stale copy: fetch the role again (the editor starts from it). */
  onReload: () => void;
  onClose: () => void;
}

/**
 * Issue 5: the effect of a role change is shown before it is applied, for a save and for a
 * revert alike. Issue 12: the changes are worked out against the role as it is now, fetched
 * when the dialog opens, never against the copy the editor loaded, so a key someone else
 * removed since shows as one this save would add back.
 */
export function ReviewDialog(props: ReviewDialogProps) {
  const { title, roleId, baseVersion, next, changesLabel, note, confirmLabel, run, onDone, onReload, onClose } = props;
  const form = useApiForm(['baseVersion']);
  const [current, setCurrent] = useState<Result<RoleDetail> | null>(null);
  const [preview, setPreview] = useState<Result<RolePreview> | null>(null);
  const keyList = next.permissions.join('\n');

  useEffect(() => {
    let live = true;
    void invoke('roles.get', { id: roleId }).then((result) => {
      if (live) setCurrent(result);
    });
    void invoke('roles.preview', { id: roleId, permissions: keyList ? keyList.split('\n') : [] }).then((result) => {
      if (live) setPreview(result);
    });
    return () => {
      live = false;
    };
  }, [roleId, keyList]);

  const now = current?.ok ? current.value : null;
  return (
    <Dialog title={title} onClose={onClose} wide>
      <div className="review-changes">
        {note}
        {current === null ? (
          <p className="loading">Reading the role as it is now…</p>
        ) : now ? (
          <>
            {now.version !== baseVersion && (
              <p className="notice" data-testid="review-newer-version">
                Someone saved this role after you opened it: it is now at version {now.version}, and you started from version {baseVersion}.
                The changes below compare your edits with version {now.version}.
              </p>
            )}
            <RoleDiffView diff={diffRoleVersions(now, next)} label={changesLabel} />
          </>
        ) : (
          <FormError message={`The role could not be read: ${current.ok ? '' : current.error.message}`} />
        )}
      </div>
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
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="role" onReload={onReload} />
      <DialogButtons>
        <button type="button" onClick={onClose} data-autofocus="">
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={form.pending || preview === null || current === null}
          onClick={() => void form.submit(run, (value) => onDone(value.version))}
        >
          {form.pending ? 'Saving…' : confirmLabel}
        </button>
      </DialogButtons>
    </Dialog>
  );
}
