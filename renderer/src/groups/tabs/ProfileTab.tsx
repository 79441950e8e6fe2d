import { useMemo, useState, type FormEvent } from 'react';
import { GROUP_KINDS, KIND_LABELS, isCompanyKind, nestingProblem, type GroupKind } from '../../../../shared/access/groups';
import type { GroupDetail, Input, Profile } from '../../../../shared/contract';
import { permissionName } from '../../state/missing-permission';
import { invoke } from '../../api/client';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { SelectField } from '../../ui/SelectField';
import { TextAreaField } from '../../ui/TextAreaField';
import { useApiForm } from '../../ui/use-api-form';
import { parseSeatLimit } from '../dialogs/seat-limit';
import { useGroups } from '../../state/groups-store';
import { missingPermissionText } from '../permission-hints';
import type { TabProps } from './tab-props';

const EMPTY_PROFILE: Profile = { address: '', website: '', billingName: '', billingEmail: '', billingPhone: '' };

// baseVersion: a save from a stale copy is shown by StaleCopyNotice, with a way to reload.
const FIELDS = [
  'baseVersion',
  'name',
  'kind',
  'serviceType',
  'seatLimit',
  'profile.address',
  'profile.website',
  'profile.billingName',
  'profile.billingEmail',
  'profile.billingPhone',
];

/** Kinds this group could become where it stands: its parent must accept it and it must still accept its children. */
function kindChoices(detail: GroupDetail, childKinds: readonly GroupKind[]): GroupKind[] {
  if (detail.kind === 'provider') return ['provider'];
  const parentKind = detail.path.find((p) => p.id === detail.parentId)?.kind;
  return GROUP_KINDS.filter(
    (kind) =>
      kind === detail.kind ||
      ((parentKind === undefined || nestingProblem(parentKind, kind) === null) &&
        childKinds.every((child) => nestingProblem(kind, child) === null)),
  );
}

export function ProfileTab({ detail, onSaved, onReload }: TabProps) {
  const company = isCompanyKind(detail.kind);
  const form = useApiForm(company ? FIELDS : FIELDS.filter((f) => f !== 'seatLimit'));
  const model = useGroups((s) => s.model);
  const [values, setValues] = useState({
    name: detail.name,
    kind: detail.kind,
    serviceType: detail.serviceType,
    seatLimit: detail.seatLimit === null ? '' : String(detail.seatLimit),
    ...EMPTY_PROFILE,
    ...detail.profile,
  });
  const [seatError, setSeatError] = useState<string | null>(null);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const childKinds = useMemo(
    () =>
      (model?.nodes.get(detail.id)?.children ?? [])
        .map((id) => model?.nodes.get(id)?.group.kind)
        .filter((k): k is GroupKind => k !== undefined),
    [model, detail.id],
  );
  const kinds = kindChoices(detail, childKinds);
  const { can } = detail;
  const lock = (allowed: boolean, action: Parameters<typeof missingPermissionText>[0]) =>
    allowed ? {} : { disabled: true, title: missingPermissionText(action, detail.kind) };

  // R29: a department the directory sync owns keeps the directory's name and kind.
  const ownedBySync = detail.synced?.locked === true && can.edit;
  const renameLock = ownedBySync
    ? {
        disabled: true,
        title: `Synced from ${detail.synced?.source ?? 'the directory'}: its name and kind follow the directory while the sync is on`,
      }
    : lock(can.rename, 'rename');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const input: Input<'groups.update'> = { id: detail.id, baseVersion: detail.version };
    if (can.rename) {
      if (values.name.trim() !== detail.name) input.name = values.name;
      if (values.kind !== detail.kind) input.kind = values.kind as GroupKind;
    }
    if (can.edit) {
      if (values.serviceType.trim() !== detail.serviceType) input.serviceType = values.serviceType;
    }
    if (can.editSeats && company) {
      const seats = parseSeatLimit(values.seatLimit);
      setSeatError(seats.error);
      if (seats.error) return;
      if (seats.value !== detail.seatLimit) input.seatLimit = seats.value;
    }
    if (can.editCompany && detail.visible.company) {
      // The billing fields are sent only to a reader who sees them; left out, the server keeps them.
      const profile: Input<'groups.update'>['profile'] = {
        address: values.address,
        website: values.website.trim(),
        ...(detail.visible.billing
          ? { billingName: values.billingName, billingEmail: values.billingEmail.trim(), billingPhone: values.billingPhone }
          : {}),
      };
      if (JSON.stringify(profile) !== JSON.stringify(detail.profile)) input.profile = profile;
    }
    if (Object.keys(input).length === 2) {
      onSaved('Nothing to save: the profile is as it was.');
      return;
    }
    void form.submit(
      () => invoke('groups.update', input),
      () => onSaved('Profile saved.'),
    );
  }

  const anyEditable = can.edit || can.editCompany || (can.editSeats && company);

  return (
    <form onSubmit={onSubmit} noValidate className="tab-form">
      <fieldset>
        <legend>Group</legend>
        <div className="form-grid">
          <Field
            label="Name"
            value={values.name}
            onChange={set('name')}
            error={form.fieldError('name')}
            autoComplete="off"
            {...renameLock}
          />
          <SelectField
            label="Kind"
            value={values.kind}
            onChange={set('kind')}
            error={form.fieldError('kind')}
            {...(ownedBySync ? renameLock : lock(can.rename && kinds.length > 1, 'rename'))}
            {...(can.rename && kinds.length <= 1 ? { title: 'No other kind fits between its parent and its subgroups' } : {})}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </SelectField>
          <Field
            label="Service type"
            value={values.serviceType}
            onChange={set('serviceType')}
            error={form.fieldError('serviceType')}
            autoComplete="off"
            {...lock(can.edit, 'edit')}
          />
          {company && (
            <Field
              label="Seat limit"
              inputMode="numeric"
              value={values.seatLimit}
              onChange={set('seatLimit')}
              error={seatError ?? form.fieldError('seatLimit')}
              hint="Empty means no limit."
              autoComplete="off"
              {...lock(can.editSeats, 'editSeats')}
            />
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Company profile</legend>
        {detail.visible.company ? (
          <>
            <TextAreaField
              label="Address"
              value={values.address}
              onChange={set('address')}
              error={form.fieldError('profile.address')}
              {...lock(can.editCompany, 'editCompany')}
            />
            <div className="form-grid">
              <Field
                label="Website"
                type="url"
                value={values.website}
                onChange={set('website')}
                error={form.fieldError('profile.website')}
                placeholder="https://"
                {...lock(can.editCompany, 'editCompany')}
              />
              {detail.visible.billing ? (
                <>
                  <Field
                    label="Billing contact"
                    value={values.billingName}
                    onChange={set('billingName')}
                    error={form.fieldError('profile.billingName')}
                    {...lock(can.editCompany, 'editCompany')}
                  />
                  <Field
                    label="Billing email"
                    type="email"
                    value={values.billingEmail}
                    onChange={set('billingEmail')}
                    error={form.fieldError('profile.billingEmail')}
                    {...lock(can.editCompany, 'editCompany')}
                  />
                  <Field
                    label="Billing phone"
                    type="tel"
                    value={values.billingPhone}
                    onChange={set('billingPhone')}
                    error={form.fieldError('profile.billingPhone')}
                    {...lock(can.editCompany, 'editCompany')}
                  />
                </>
              ) : (
                <p className="hint">The billing contact is hidden: it is shown to holders of {permissionName('billing.view')} here.</p>
              )}
            </div>
          </>
        ) : (
          <p className="hint">
            The company profile, contacts, activities and branding are hidden: they are shown to holders of {permissionName('company.view')}{' '}
            here.
          </p>
        )}
      </fieldset>
      <FormError message={form.formError} />
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="group" onReload={onReload} />
      {anyEditable ? (
        <div className="form-actions">
          <button type="submit" className="primary inline" disabled={form.pending}>
            {form.pending ? 'Saving…' : 'Save profile'}
          </button>
        </div>
      ) : (
        <p className="muted">You can see this profile but not change it.</p>
      )}
    </form>
  );
}
