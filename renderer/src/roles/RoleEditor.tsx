import { useState } from 'react';
import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import type { ScopeKind } from '../../../shared/access/templates';
import type { RoleDetail, RoleSummary } from '../../../shared/contract';
import { useMissingPermission } from '../state/missing-permission';
import { useMyAccess } from '../state/my-access';
import { invoke } from '../api/client';
import { useGroups } from '../state/groups-store';
import { plural } from '../ui/format';
import { ActionButton } from '../ui/ActionButton';
import { Field } from '../ui/Field';
import { SelectField } from '../ui/SelectField';
import { TextAreaField } from '../ui/TextAreaField';
import { keyChanges, sameKeys } from './matrix-model';
import { PermissionMatrix, type MatrixColumn } from './PermissionMatrix';
import { ReviewDialog } from './ReviewDialog';
import { RoleHistory } from './RoleHistory';
import { ownerText, SCOPE_KIND_LABELS, VISIBILITY_HINTS, VISIBILITY_LABELS } from './role-words';
import { grantGaps } from './role-guard';
import { useRoleGuard } from './use-role-guard';

interface Draft {
  name: string;
  description: string;
  deviceVisibility: DeviceVisibility;
  scopeKind: ScopeKind | null;
  keys: Set<string>;
}

const toDraft = (role: RoleDetail): Draft => ({
  name: role.name,
  description: role.description,
  deviceVisibility: role.deviceVisibility,
  scopeKind: role.scopeKind,
  keys: new Set(role.permissions),
});

interface RoleEditorProps {
  role: RoleDetail;
  compare: readonly RoleSummary[];
  onSaved: (message: string) => void;
  /** Fetches the role again (after a save refused as based on a stale copy); the editor starts again from it. */
  onReload: () => void;
  onCopy: () => void;
}

/** One role: its fields, the matrix (with roles to compare beside it), save through a preview, and its history. */
export function RoleEditor({ role, compare, onSaved, onReload, onCopy }: RoleEditorProps) {
  const model = useGroups((s) => s.model);
  const access = useMyAccess((s) => s.access);
  const guard = useRoleGuard(role);
  const copyLock = useMissingPermission('roles.create');
  const [draft, setDraft] = useState<Draft>(() => toDraft(role));
  const [reviewing, setReviewing] = useState(false);
  const readOnly = guard.locked;

  const before = new Set(role.permissions);
  const { added, removed } = keyChanges(before, draft.keys);
  const fieldsChanged =
    draft.name.trim() !== role.name ||
    draft.description.trim() !== role.description ||
    draft.deviceVisibility !== role.deviceVisibility ||
    draft.scopeKind !== role.scopeKind;
  const dirty = fieldsChanged || !sameKeys(before, draft.keys);
  const holders = new Set(role.holders.map((h) => h.userId)).size;

  // Changing visibility re-grants every key, so the editor must hold them all under the new visibility.
  const visibilityLock = (v: DeviceVisibility): string | null => {
    if (v === role.deviceVisibility || !access || !guard.place) return null;
    const gaps = grantGaps(access, guard.place, draft.keys, v);
    return gaps.length > 0 ? `You do not hold ${gaps.join(', ')} there yourself` : null;
  };

  const columns: MatrixColumn[] = [
    { id: role.id, name: draft.name.trim() || role.name, keys: draft.keys, readOnly },
    ...compare.map((r) => ({
      id: r.id,
      name: r.name,
      keys: new Set(r.permissions),
      readOnly: r.builtin ? 'Built-in role: protected and read-only' : 'Shown for comparison; open it to edit',
    })),
  ];

  const content = {
    name: draft.name.trim(),
    description: draft.description.trim(),
    deviceVisibility: draft.deviceVisibility,
    scopeKind: draft.scopeKind,
    permissions: [...draft.keys],
  };

  return (
    <div className="role-editor">
      <header className="role-editor-head">
        <div>
          <h2>{role.name}</h2>
          <p className="muted">
            {ownerText(role, model)} · {VISIBILITY_LABELS[role.deviceVisibility]} · {plural(holders, 'holder', 'holders')}
            {!role.builtin && ` · version ${role.version}`}
          </p>
          {readOnly && (
            <p className="notice" data-testid="role-locked">
              {readOnly}
            </p>
          )}
        </div>
        <ActionButton quiet reason={copyLock} onClick={onCopy}>
          Copy into a new role…
        </ActionButton>
      </header>

      {!role.builtin && (
        <section className="panel" aria-label="Role details">
          <div className="form-grid">
            <Field label="Role name" value={draft.name} disabled={readOnly !== null} onChange={(name) => setDraft({ ...draft, name })} />
            <SelectField
              label="Devices its holders see"
              value={draft.deviceVisibility}
              disabled={readOnly !== null}
              onChange={(v) => setDraft({ ...draft, deviceVisibility: v as DeviceVisibility })}
              hint={visibilityHint(draft.deviceVisibility, visibilityLock)}
            >
              {(['scope', 'assigned'] as const).map((v) => (
                <option key={v} value={v} disabled={visibilityLock(v) !== null}>
                  {VISIBILITY_LABELS[v]}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Where it can be given"
              value={draft.scopeKind ?? ''}
              disabled={readOnly !== null}
              onChange={(v) => setDraft({ ...draft, scopeKind: v === '' ? null : (v as ScopeKind) })}
              hint="Location roles are given per location; Group Supervisor per department."
            >
              {Object.entries(SCOPE_KIND_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </SelectField>
          </div>
          <TextAreaField
            label="Role description"
            value={draft.description}
            disabled={readOnly !== null}
            onChange={(description) => setDraft({ ...draft, description })}
          />
        </section>
      )}

      <PermissionMatrix
        columns={columns}
        guard={guard}
        visibility={draft.deviceVisibility}
        onChange={(keys) => setDraft({ ...draft, keys })}
      />

      {!readOnly && (
        // Focus goes here when its buttons are disabled (saved, discarded) or the editor is drawn anew after a save (ui/focus.ts).
        <div className="save-bar" role="group" aria-label="Unsaved changes" tabIndex={-1} data-focus-handoff>
          <span className="muted" data-testid="draft-changes">
            {dirty
              ? `Unsaved: ${plural(added.length, 'key added', 'keys added')}, ${plural(removed.length, 'key removed', 'keys removed')}${fieldsChanged ? ', details changed' : ''}.`
              : 'No unsaved changes.'}
          </span>
          <button type="button" disabled={!dirty} onClick={() => setDraft(toDraft(role))}>
            Discard changes
          </button>
          <ActionButton
            quiet
            className="primary"
            reason={!content.name ? 'A role needs a name' : null}
            disabled={!dirty}
            onClick={() => setReviewing(true)}
          >
            Review and save…
          </ActionButton>
        </div>
      )}

      {reviewing && (
        <ReviewDialog
          title={`Save changes to ${role.name}?`}
          roleId={role.id}
          baseVersion={role.version}
          next={content}
          changesLabel="Changes to save"
          confirmLabel="Save"
          run={() =>
            invoke('roles.update', {
              id: role.id,
              baseVersion: role.version,
              ...(content.name !== role.name ? { name: content.name } : {}),
              ...(content.description !== role.description ? { description: content.description } : {}),
              ...(content.deviceVisibility !== role.deviceVisibility ? { deviceVisibility: content.deviceVisibility } : {}),
              ...(content.scopeKind !== role.scopeKind ? { scopeKind: content.scopeKind } : {}),
              permissions: content.permissions,
            })
          }
          onDone={(version) => {
            setReviewing(false);
            onSaved(`${content.name} saved as version ${version}.`);
          }}
          onReload={() => {
            setReviewing(false);
            onReload();
          }}
          onClose={() => setReviewing(false)}
        />
      )}

      {!role.builtin && (
        <RoleHistory
          key={role.versions.length}
          role={role}
          guard={guard}
          onReload={onReload}
          onReverted={(version) => onSaved(`${role.name} reverted; saved as version ${version}.`)}
        />
      )}
    </div>
  );
}

/** The chosen option's meaning, then why the other cannot be chosen, when it cannot: the hint never describes the option not selected. */
function visibilityHint(chosen: DeviceVisibility, lock: (v: DeviceVisibility) => string | null): string {
  const other: DeviceVisibility = chosen === 'scope' ? 'assigned' : 'scope';
  const reason = lock(other);
  return reason ? `${VISIBILITY_HINTS[chosen]} “${VISIBILITY_LABELS[other]}” is not available: ${reason}.` : VISIBILITY_HINTS[chosen];
}
