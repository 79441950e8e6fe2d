import { useState, type FormEvent } from 'react';
import { KIND_LABELS, isCompanyKind, type GroupKind } from '../../../../shared/access/groups';
import type { GroupDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { SelectField } from '../../ui/SelectField';
import { useApiForm } from '../../ui/use-api-form';
import type { GroupChange } from './group-dialog';
import { parseSeatLimit } from './seat-limit';

interface AddGroupDialogProps {
  parent: GroupDetail;
  kind: GroupKind;
  onClose: () => void;
  onDone: (change: GroupChange) => void;
}

export function AddGroupDialog({ parent, kind: initialKind, onClose, onDone }: AddGroupDialogProps) {
  const [kind, setKind] = useState<GroupKind>(
    parent.allowedChildKinds.includes(initialKind) ? initialKind : (parent.allowedChildKinds[0] ?? initialKind),
  );
  const [name, setName] = useState('');
  const [serviceType, setServiceType] = useState('');
  const [seatLimit, setSeatLimit] = useState('');
  const [seatError, setSeatError] = useState<string | null>(null);
  const [ownerEmail, setOwnerEmail] = useState('');
  const company = isCompanyKind(kind);
  // Setting a seat limit needs the billing permission the parent's editSeats reflects; without it the field is not offered.
  const seats = company && parent.can.editSeats;
  const form = useApiForm(['name', 'kind', 'serviceType', 'owner', 'owner.email', ...(seats ? ['seatLimit'] : [])]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const limit = seats ? parseSeatLimit(seatLimit) : { value: null, error: null };
    setSeatError(limit.error);
    if (limit.error) return;
    void form.submit(
      () =>
        invoke('groups.create', {
          parentId: parent.id,
          kind,
          name,
          ...(serviceType.trim() ? { serviceType } : {}),
          ...(limit.value !== null ? { seatLimit: limit.value } : {}),
          ...(company && ownerEmail.trim() ? { owner: { email: ownerEmail.trim() } } : {}),
        }),
      (created) => onDone({ type: 'created', id: created.id }),
    );
  }

  return (
    <Dialog title={`Add a group to ${parent.name}`} onClose={onClose} description={<p>{parent.path.map((p) => p.name).join(' › ')}</p>}>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Name" value={name} onChange={setName} error={form.fieldError('name')} data-autofocus="" autoComplete="off" />
        <SelectField
          label="Kind"
          value={kind}
          onChange={(v) => setKind(v as GroupKind)}
          error={form.fieldError('kind')}
          hint={`A ${KIND_LABELS[parent.kind].toLowerCase()} may contain: ${parent.allowedChildKinds.map((k) => KIND_LABELS[k]).join(', ')}.`}
        >
          {parent.allowedChildKinds.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </SelectField>
        <Field
          label="Service type"
          value={serviceType}
          onChange={setServiceType}
          error={form.fieldError('serviceType')}
          hint="Optional, e.g. Managed backup or Self-service."
          autoComplete="off"
        />
        {company && (
          <Field
            label="Owner’s email"
            type="email"
            value={ownerEmail}
            onChange={setOwnerEmail}
            error={form.fieldError('owner.email') ?? form.fieldError('owner')}
            hint="The Owner is invited to this company alone. Until they accept, the company takes no other members. If mail is not set up, resend the invitation from Team › Invitations to get its link."
            autoComplete="off"
          />
        )}
        {seats && (
          <Field
            label="Seat limit"
            inputMode="numeric"
            value={seatLimit}
            onChange={setSeatLimit}
            error={seatError ?? form.fieldError('seatLimit')}
            hint="Optional. Leave empty for no limit."
            autoComplete="off"
          />
        )}
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? 'Adding…' : `Add ${KIND_LABELS[kind].toLowerCase()}`}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
