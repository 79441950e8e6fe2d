import { useState } from 'react';
import { Link } from 'react-router';
import type { DeviceAssignee, WhoCanAnswer } from '../../../shared/contract';
import { DEVICE_KIND_LABELS } from '../../../shared/contract';
import { hiddenText } from '../ui/AccessAnswerView';
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
import { DeviceTimeline } from './DeviceTimeline';

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
          <SeenBy deviceId={device.id} seenBy={device.seenBy} />
          <section aria-labelledby="device-assignees">
            <h3 id="device-assignees">Assigned to</h3>
            {device.assignees.length === 0 ? (
              <p className="muted">
                Nobody is assigned. People whose roles see every device in its group still see it: they are listed under “Who sees it”.
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
          <DeviceTimeline deviceId={device.id} />
        </>
      )}
    </aside>
  );
}

/** The most people the panel names; "Who can access this" lists them all. */
const SEEN_BY_SHOWN = 8;

/**
 * Who sees the device, from the server's one answer to "who can see this" (the same function
 * as Access › Who can, so the two never disagree; issue 15, finding 2).
 */
function SeenBy({ deviceId, seenBy }: { deviceId: string; seenBy: WhoCanAnswer }) {
  const shown = seenBy.subjects.slice(0, SEEN_BY_SHOWN);
  const more = seenBy.subjects.length - shown.length;
  return (
    <section aria-labelledby="device-seen-by">
      <h3 id="device-seen-by">Who sees it</h3>
      {shown.length === 0 ? (
        <p className="muted" data-testid="seen-by-none">
          {seenBy.hidden > 0 ? `Nobody you can see; ${hiddenText(seenBy.hidden)} do.` : 'Nobody sees it.'}
        </p>
      ) : (
        <ul className="seen-by-list" aria-label="People who see this device">
          {shown.map((s) => (
            <li key={s.userId}>
              {s.fullName || s.username}{' '}
              <span className="muted">
                ({s.username}) · {s.roleName} at {s.groupName}
              </span>
            </li>
          ))}
        </ul>
      )}
      {(more > 0 || (shown.length > 0 && seenBy.hidden > 0)) && (
        <p className="muted" data-testid="seen-by-more">
          {[more > 0 ? `${more.toLocaleString()} more` : null, seenBy.hidden > 0 ? hiddenText(seenBy.hidden) : null]
            .filter(Boolean)
            .join(' and ')}
          .
        </p>
      )}
      <p>
        <Link to={paths.whoCanAccess({ type: 'device', id: deviceId })}>Who can access this</Link>
      </p>
    </section>
  );
}
