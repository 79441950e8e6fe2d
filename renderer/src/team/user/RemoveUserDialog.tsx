import { useState, type FormEvent } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { UserPicker, type PickedUser } from '../../ui/UserPicker';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { useApiForm } from '../../ui/use-api-form';
import { plural } from '../../ui/format';

interface RemoveUserDialogProps {
  user: UserDetail;
  onClose: () => void;
  onDone: (message: string) => void;
}

/** Seed 000: removing a member revokes their access; their devices stay backed up and can be reassigned. */
export function RemoveUserDialog({ user, onClose, onDone }: RemoveUserDialogProps) {
  const form = useApiForm(['reassignDevicesTo']);
  const [reassign, setReassign] = useState(false);
  const [to, setTo] = useState<PickedUser | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const name = user.fullName || user.username;
  const devices = plural(user.deviceCount, 'device', 'devices');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (reassign && !to) {
      setMissing('Choose the member who takes the devices over');
      return;
    }
    if (reassign && to?.id === user.id) {
      setMissing(`The devices cannot go to ${name}, who is being removed`);
      return;
    }
    setMissing(null);
    void form.submit(
      () => invoke('users.remove', { id: user.id, ...(reassign && to ? { reassignDevicesTo: to.id } : {}) }),
      (value) =>
        onDone(
          value.devicesReassigned > 0
            ? `${name} was removed; ${plural(value.devicesReassigned, 'device went', 'devices went')} to ${to?.fullName || to?.username}.`
            : `${name} was removed.`,
        ),
    );
  }

  return (
    <Dialog
      title={`Remove ${name}?`}
      onClose={onClose}
      wide={user.deviceCount > 0}
      description={
        <p>
          {name} ({user.username}) loses access at once and the account is deleted with its roles. This cannot be undone. Their actions stay
          in the audit trail.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        {user.deviceCount > 0 && (
          <fieldset>
            <legend>
              {devices} assigned to {name}
            </legend>
            <p className="muted">The devices stay backed up either way.</p>
            <label className="check">
              <input type="radio" name="devices" checked={!reassign} onChange={() => setReassign(false)} />
              Leave them unassigned (people whose roles see every device in their groups still see them)
            </label>
            <label className="check">
              <input type="radio" name="devices" checked={reassign} onChange={() => setReassign(true)} />
              Reassign them to another member
            </label>
            {reassign && (
              <UserPicker label="Reassign devices to" value={to} onChange={setTo} error={missing ?? form.fieldError('reassignDevicesTo')} />
            )}
          </fieldset>
        )}
        <FormError message={form.formError} />
        <DialogButtons>
          <button type="button" onClick={onClose} data-autofocus="">
            Cancel
          </button>
          <button type="submit" className="danger-button" disabled={form.pending}>
            {form.pending ? 'Removing…' : `Remove ${name}`}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
