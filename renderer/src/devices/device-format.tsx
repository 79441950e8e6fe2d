import type { DeviceAssignee, DeviceStatus } from '../../../shared/contract';
import { DEVICE_STATUS_LABELS } from '../../../shared/contract';
import { isCompanyKind } from '../../../shared/access/groups';
import { useGroups } from '../state/groups-store';
import { ancestorIds, pathLabel } from '../state/tree-model';
import { formatDateTime, relativeTime } from '../ui/format';

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

/**
 * The owning group, followed by its company: at 100,000 devices many customers have a
 * "Berlin" location, and the name alone does not say whose it is. The full path is in the
 * tooltip once the tree has loaded.
 */
export function GroupCell({ groupId, groupName }: { groupId: string; groupName: string }) {
  const model = useGroups((s) => s.model);
  const node = model?.nodes.get(groupId);
  if (!model || !node) return <>{groupName}</>;
  const company = isCompanyKind(node.group.kind)
    ? null
    : ancestorIds(model, groupId)
        .map((id) => model.nodes.get(id)?.group)
        .find((group) => group !== undefined && isCompanyKind(group.kind));
  return (
    <span title={pathLabel(model, groupId)}>
      {groupName}
      {company && <span className="muted"> · {company.name}</span>}
    </span>
  );
}
