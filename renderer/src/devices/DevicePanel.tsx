import { useState } from 'react';
import { Link } from 'react-router';
import type { DeviceAssignee } from '../../../shared/contract';
import { DEVICE_KIND_LABELS } from '../../../shared/contract';
import { UserPicker, type PickedUser } from '../ui/UserPicker';
import { invoke } from '../api/client';
import { useOp } from '../data/query';
import { paths } from '../routes/paths';
import { CopyId } from '../ui/CopyId';
import { formatDateTime } from '../ui/format';
import { ActionButton } from '../ui/ActionButton';
import { FormError } from '../ui/FormError';
import { useFocusOnShow, useReturnFocus } from '../ui/focus';
import { assigneeName, LastBackup, StatusBadge } from './device-format';

interface DevicePanelProps {
  deviceId: string;
  onClose: () => void;
}

/** One device beside the grid: what it is, and who it is assigned to, with add and remove. */
export function DevicePanel({ deviceId, onClose }: DevicePanelProps) {
  const query = useOp('devices.get', { id: deviceId });
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The last removal, which one click puts back. */
  const [removed, setRemoved] = useState<DeviceAssignee | null>(null);
  const device = query.data ?? null;

  // Opening the panel moves focus into it (it sits after the grid in the page); closing returns focus where it was,
  // or to the device's link when the grid has drawn its row again meanwhile.
  useReturnFocus(deviceId, `tr[data-device-id="${CSS.escape(deviceId)}"] .device-link`);
  const titleRef = useFocusOnShow<HTMLHeadingElement>(true, deviceId);

  async function change(kind: 'assign' | 'unassign', userId: string): Promise<boolean> {
    setPending(true);
    setError(null);
    const result = await invoke(kind === 'assign' ? 'devices.assign' : 'devices.unassign', { deviceIds: [deviceId], userIds: [userId] });
    setPending(false);
    if (!result.ok) {
      setError(result.error.message);
      return false;
    }
    return true;
  }

  async function add(user: PickedUser) {
    if (await change('assign', user.id)) {
      setAdding(false);
      setRemoved(null);
    }
  }

  async function remove(assignee: DeviceAssignee) {
    if (await change('unassign', assignee.userId)) setRemoved(assignee);
  }

  const lock = device && !device.canAssign ? (device.assignReason ?? 'You cannot assign this device') : null;

  return (
    <aside
      className="panel device-panel"
      aria-labelledby="device-panel-title"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || event.defaultPrevented) return;
        event.preventDefault();
        onClose();
      }}
    >
      <div className="device-panel-head">
        <h2 id="device-panel-title" ref={titleRef} tabIndex={-1}>
          {device?.name ?? 'Device'}
        </h2>
        <button type="button" className="link" onClick={onClose} aria-label="Close the device panel">
          ✕
        </button>
      </div>
      {query.isPending ? (
        <p className="loading">Loading the device…</p>
      ) : !device ? (
        <FormError message={`The device could not be loaded: ${query.error?.message ?? 'not found'}`} />
      ) : (
        <>
          <dl className="facts device-facts">
            <dt>Kind</dt>
            <dd>{DEVICE_KIND_LABELS[device.kind]}</dd>
            <dt>OS</dt>
            <dd>{device.os}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={device.status} />
            </dd>
            <dt>Last backup</dt>
            <dd>
              <LastBackup at={device.lastBackupAt} />
              {device.lastBackupAt !== null && <span className="muted"> ({formatDateTime(device.lastBackupAt)})</span>}
            </dd>
            <dt>Group</dt>
            <dd>{device.groupPath.map((g) => g.name).join(' › ')}</dd>
          </dl>
          <p className="device-id">
            <CopyId id={device.id} label="the device's id" />
          </p>
          <p>
            <Link to={paths.whoCanAccess({ type: 'device', id: device.id })}>Who can access this</Link>
          </p>
          <section aria-labelledby="device-assignees">
            <h3 id="device-assignees">Assigned to</h3>
            {device.assignees.length === 0 ? (
              <p className="muted">
                Nobody is assigned. People whose roles see every device in its group still see it: “Who can access this” lists them.
              </p>
            ) : (
              <ul className="assignee-list" aria-label="Assignees">
                {device.assignees.map((a) => (
                  <li key={a.userId}>
                    <span>
                      {assigneeName(a)} <span className="muted">({a.username})</span>
                    </span>
                    <ActionButton
                      className="link"
                      quiet
                      reason={lock}
                      disabled={pending}
                      aria-label={`Remove ${assigneeName(a)}`}
                      onClick={() => void remove(a)}
                    >
                      Remove
                    </ActionButton>
                  </li>
                ))}
              </ul>
            )}
            {removed && (
              <p className="success" role="status">
                {assigneeName(removed)} no longer holds this device.{' '}
                <button type="button" className="link" disabled={pending} onClick={() => void add({ id: removed.userId, ...removed })}>
                  Undo
                </button>
              </p>
            )}
            <FormError message={error} />
            {adding ? (
              <div className="device-add">
                <UserPicker label="Add a member" value={null} onChange={(user) => void add(user)} />
                <button type="button" onClick={() => setAdding(false)}>
                  Cancel
                </button>
              </div>
            ) : (
              <ActionButton reason={lock} onClick={() => setAdding(true)}>
                Add a member…
              </ActionButton>
            )}
          </section>
        </>
      )}
    </aside>
  );
}
