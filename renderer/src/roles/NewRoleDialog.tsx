import { useEffect, useState, type FormEvent } from 'react';
import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import { permission } from '../../../shared/access/catalog';
import { TEMPLATE_SET_TITLES, TEMPLATE_SETS, type RoleTemplate } from '../../../shared/access/templates';
import type { RoleSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { missingAt, placeOf } from '../state/missing-permission';
import { useMyAccess } from '../state/my-access';
import { GroupPicker } from '../ui/GroupPicker';
import { useGroups } from '../state/groups-store';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { SelectField } from '../ui/SelectField';
import { TextAreaField } from '../ui/TextAreaField';
import { useApiForm } from '../ui/use-api-form';
import { VISIBILITY_HINTS, VISIBILITY_LABELS } from './role-words';
import { grantGaps } from './role-guard';

const FIELDS = ['name', 'description', 'ownerGroupId', 'deviceVisibility', 'permissions'];

type Start = 'blank' | 'copy' | 'template';

interface Source {
  name: string;
  description: string;
  deviceVisibility: DeviceVisibility;
  permissions: readonly string[];
  scopeKind?: RoleTemplate['scopeKind'] | null;
  meaning?: RoleTemplate['meaning'] | null;
}

/** Create a role from scratch, by copying a role, or from a template (issue 5, item 1). */
export function NewRoleDialog({
  roles,
  defaultOwnerGroupId = null,
  copyOf,
  onClose,
  onCreated,
}: {
  roles: readonly RoleSummary[];
  /** The group the dialog was opened from (issue 15, finding 3): the role's owner until the person picks. */
  defaultOwnerGroupId?: string | null;
  copyOf: RoleSummary | null;
  onClose: () => void;
  onCreated: (id: string, name: string) => void;
}) {
  const access = useMyAccess((s) => s.access);
  const model = useGroups((s) => s.model);
  const form = useApiForm(FIELDS);
  const [templates, setTemplates] = useState<RoleTemplate[] | null>(null);
  const [start, setStart] = useState<Start>(copyOf ? 'copy' : 'blank');
  const [copyId, setCopyId] = useState(copyOf?.id ?? '');
  const [templateId, setTemplateId] = useState('');
  const [ownerGroupId, setOwnerGroupId] = useState<string | null>(null);
  const [name, setName] = useState(copyOf ? `Copy of ${copyOf.name}` : '');
  const [description, setDescription] = useState(copyOf?.description ?? '');
  const [visibility, setVisibility] = useState<DeviceVisibility>(copyOf?.deviceVisibility ?? 'assigned');
  const [missing, setMissing] = useState<string | null>(null);

  useEffect(() => {
    if (!useGroups.getState().model) void useGroups.getState().load();
    let live = true;
    void invoke('roles.templates', {}).then((result) => {
      if (live && result.ok) setTemplates(result.value.templates);
    });
    return () => {
      live = false;
    };
  }, []);

  const owner = ownerGroupId ?? defaultOwnerGroupId ?? access?.home.groupId ?? null;
  const place = owner && access ? placeOf(owner, access, model) : null;
  const createReason = (id: string) => {
    const at = access ? placeOf(id, access, model) : null;
    return access && at ? missingAt(access, 'roles.create', at) : null;
  };

  const source: Source | null =
    start === 'copy'
      ? (roles.find((r) => r.id === copyId) ?? null)
      : start === 'template'
        ? (templates?.find((t) => t.id === templateId) ?? null)
        : null;
  const wanted = source?.permissions ?? [];
  // Keys the creator does not hold there cannot go into the role (R5); say so instead of failing on save.
  const leftOut = access && place ? wanted.filter((k) => grantGaps(access, place, [k], visibility).length > 0) : [];
  const kept = wanted.filter((k) => !leftOut.includes(k));

  function adopt(next: Source | null) {
    if (!next) return;
    setName(start === 'copy' ? `Copy of ${next.name}` : next.name);
    setDescription(next.description);
    setVisibility(next.deviceVisibility);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!owner) return setMissing('Choose the group that owns the role');
    if (start !== 'blank' && !source) return setMissing(start === 'copy' ? 'Choose the role to copy' : 'Choose a template');
    setMissing(null);
    const scopeKind = source?.scopeKind ?? null;
    // A template's Owner or Admin meaning comes with it; a copied role keeps its own.
    const meaning = source?.meaning ?? null;
    void form.submit(
      () =>
        invoke('roles.create', {
          ownerGroupId: owner,
          name,
          description,
          deviceVisibility: visibility,
          permissions: kept,
          ...(scopeKind ? { scopeKind } : {}),
          ...(meaning ? { meaning } : {}),
        }),
      ({ id }) => onCreated(id, name.trim()),
    );
  }

  const bySet = TEMPLATE_SETS.map((set) => ({ set, items: (templates ?? []).filter((t) => t.set === set) }));
  const chosenTemplate = start === 'template' ? (templates?.find((t) => t.id === templateId) ?? null) : null;

  return (
    <Dialog
      title="New role"
      onClose={onClose}
      wide
      description="A custom role belongs to a group and can be given to people in that group's subtree."
    >
      <form onSubmit={onSubmit} noValidate className="new-role">
        <fieldset className="start-choice">
          <legend>Start from</legend>
          {(
            [
              ['blank', 'Nothing (tick permissions in the matrix)'],
              ['copy', 'A copy of a role'],
              ['template', 'A ready-made template'],
            ] as const
          ).map(([id, label]) => (
            <label key={id} className="check">
              <input type="radio" name="start" checked={start === id} onChange={() => setStart(id)} />
              {label}
            </label>
          ))}
        </fieldset>
        {start === 'copy' && (
          <SelectField
            label="Role to copy"
            value={copyId}
            onChange={(id) => {
              setCopyId(id);
              adopt(roles.find((r) => r.id === id) ?? null);
            }}
          >
            <option value="" disabled>
              Choose a role
            </option>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
        )}
        {start === 'template' && (
          <SelectField
            label="Template"
            value={templateId}
            disabled={!templates}
            onChange={(id) => {
              setTemplateId(id);
              adopt(templates?.find((t) => t.id === id) ?? null);
            }}
          >
            <option value="" disabled>
              {templates ? 'Choose a template' : 'Loading templates…'}
            </option>
            {bySet.map(({ set, items }) =>
              items.length === 0 ? null : (
                <optgroup key={set} label={TEMPLATE_SET_TITLES[set]}>
                  {items.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </optgroup>
              ),
            )}
          </SelectField>
        )}
        {chosenTemplate && (
          // How the template was read is for the person choosing it; the role keeps only its description.
          <div className="template-explanation" data-testid="template-explanation">
            <p>{chosenTemplate.description}</p>
            {chosenTemplate.explanation && <p className="muted">{chosenTemplate.explanation}</p>}
          </div>
        )}
        <div className="form-grid">
          <Field label="Name" value={name} onChange={setName} error={form.fieldError('name')} />
          <SelectField
            label="Device visibility"
            value={visibility}
            onChange={(v) => setVisibility(v as DeviceVisibility)}
            error={form.fieldError('deviceVisibility')}
            hint={VISIBILITY_HINTS[visibility]}
          >
            <option value="scope">{VISIBILITY_LABELS.scope}</option>
            <option value="assigned">{VISIBILITY_LABELS.assigned}</option>
          </SelectField>
        </div>
        <TextAreaField label="Description" value={description} onChange={setDescription} error={form.fieldError('description')} />
        <GroupPicker
          label="Owner group"
          selectedId={owner}
          onSelect={setOwnerGroupId}
          reasonAgainst={createReason}
          error={form.fieldError('ownerGroupId')}
        />
        {source && (
          <p className="muted" data-testid="new-role-keys">
            {kept.length} of {wanted.length} permissions will be copied.
            {source.scopeKind && ` Its bindings are limited to ${source.scopeKind === 'location' ? 'locations' : 'departments'}.`}
          </p>
        )}
        {leftOut.length > 0 && (
          <div className="notice" role="note">
            Left out, because you do not hold them at {place?.name ?? 'that group'} yourself:
            <ul>
              {leftOut.map((k) => (
                <li key={k}>
                  {permission(k)?.label ?? k} ({k})
                </li>
              ))}
            </ul>
          </div>
        )}
        <FormError message={missing ?? form.formError ?? form.fieldError('permissions') ?? null} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? 'Creating…' : 'Create role'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
