import type { DeviceAssignee, DeviceStatus } from '../../../shared/contract';
import { DEVICE_STATUS_LABELS } from '../../../shared/contract';
import { formatDateTime, relativeTime } from '../team/format';

const STATUS_MARKS: Record<DeviceStatus, string> = { ok: '✔', warning: '!', failed: '✖', offline: '○', never: '–' };

/** Colour is never the only signal: each status has a mark and its word. */
export function StatusBadge({ status }: { status: DeviceStatus }) {
  return (
    <span className={`device-status device-status-${status}`}>
      <span aria-hidden="true">{STATUS_MARKS[status]} </span>
      {DEVICE_STATUS_LABELS[status]}
    </span>
  );
}

/** "3 hours ago", with the exact local time in the tooltip and the machine-readable time for tools. */
export function LastBackup({ at, now }: { at: number | null; now?: number }) {
  if (at === null) return <span className="muted">Never</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {relativeTime(at, now)}
    </time>
  );
}

export function assigneeName(a: DeviceAssignee | { username: string; fullName?: string }): string {
  return a.fullName || a.username;
}

export function countText(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
