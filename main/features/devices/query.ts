import type { DeviceFilter, DeviceSort } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { requirePermission, scopeCondition } from '../access/access';

/**
 * The devices a caller may see, narrowed by a filter: one WHERE clause for the grid, its
 * count, the facets, the export and "all N matching" jobs, so they can never disagree.
 * The SQL text varies only by which filters are present; every value is a parameter.
 */
export interface DeviceWhere {
  /** FROM clause naming devices `d` (and groups `g` when a condition needs it). */
  from: string;
  where: string;
  params: Record<string, string | number>;
}

export const DEVICE_FROM = 'FROM devices d';
const WITH_GROUP = 'FROM devices d JOIN groups g ON g.id = d.group_id';

export const SORT_SQL: Record<DeviceSort, string> = {
  name: 'd.name COLLATE NOCASE',
  kind: 'd.kind',
  os: 'd.os',
  status: 'd.status',
  lastBackupAt: 'd.last_backup_at',
  group: 'g.name COLLATE NOCASE',
};

export function deviceWhere(db: Db, actorId: string, filter: DeviceFilter = {}, options: { needGroup?: boolean } = {}): DeviceWhere {
  const scope = scopeCondition(db, actorId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' }, 'vis');
  const parts = [scope.sql];
  const params: Record<string, string | number> = { ...scope.params };
  const text = filter.text ?? '';
  if (text !== '') {
    parts.push("d.name LIKE @like ESCAPE '\\'");
    params.like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const list = (name: string, column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
    params[name] = JSON.stringify([...new Set(values)]);
  };
  list('kinds', 'd.kind', filter.kinds);
  list('os', 'd.os', filter.os);
  list('statuses', 'd.status', filter.statuses);
  if (filter.groupId) {
    parts.push('d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId)');
    params.groupId = filter.groupId;
  }
  if (filter.assignment === 'assigned') parts.push('EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)');
  if (filter.assignment === 'unassigned') parts.push('NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)');
  if (filter.assigneeId) {
    // Filtering by a member reveals whom they hold: only for members the caller may see.
    // (users.view is the view key itself, so a refusal is always NOT_FOUND: existence does not leak.)
    if (filter.assigneeId !== actorId) requirePermission(db, actorId, 'users.view', 'user', filter.assigneeId, 'filter.assigneeId');
    parts.push('EXISTS (SELECT 1 FROM device_assignments m WHERE m.device_id = d.id AND m.user_id = @assigneeId)');
    params.assigneeId = filter.assigneeId;
  }
  const where = parts.join(' AND ');
  // The groups join costs a lookup per row; only a kind-limited permission or a group sort needs it.
  const from = options.needGroup || where.includes('g.kind') ? WITH_GROUP : DEVICE_FROM;
  return { from, where, params };
}

/** Words for a filter, for job lists and audit events ("OS Windows 11, status failed, unassigned"). */
export function describeFilter(filter: DeviceFilter, names: { group?: string; assignee?: string }): string {
  const words: string[] = [];
  if (filter.text) words.push(`name contains "${filter.text}"`);
  if (filter.kinds?.length) words.push(`kind ${filter.kinds.join(' or ')}`);
  if (filter.os?.length) words.push(`OS ${filter.os.join(' or ')}`);
  if (filter.statuses?.length) words.push(`status ${filter.statuses.join(' or ')}`);
  if (filter.groupId) words.push(`in ${names.group ?? 'a group'} and below`);
  if (filter.assignment === 'assigned' || filter.assignment === 'unassigned') words.push(filter.assignment);
  if (filter.assigneeId) words.push(`held by ${names.assignee ?? 'a member'}`);
  return words.length === 0 ? 'All devices you can see' : `Devices with ${words.join(', ')}`;
}
