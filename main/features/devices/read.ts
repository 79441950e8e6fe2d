import type {
  DeviceAssignee,
  DeviceDetail,
  DeviceFacets,
  DeviceFilter,
  DeviceKind,
  DeviceRow,
  DeviceStatus,
  FacetValue,
} from '../../../shared/contract';
import { permission as lookup } from '../../../shared/access/catalog';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { bindingsOf, check, explainFor, HOME_GROUP_KIND, pathSeenBy, resolveTarget, scopeCondition } from '../access/access';
import { whoCan } from '../access/who-can';
import { crossFiltered } from '../facet-counts';
import { tallyRowsFor, type DeviceTallyRow } from './aggregates';
import { listDevices } from './list';
import { DEVICE_FILTER_KEYS, deviceFilterNeeds, deviceScope, deviceWhere } from './query';

/** Keys the device reads filter or report by (assignees by users.view, the assign and manage actions), for the catalog-coverage test. */
export const DEVICE_READ_KEYS = ['devices.view', 'users.view', 'devices.assign', 'devices.manage'] as const;

interface DeviceRecord {
  id: string;
  name: string;
  kind: DeviceKind;
  os: string;
  status: DeviceStatus;
  last_backup_at: number | null;
  group_id: string;
  group_name: string;
  can_assign: number;
  created_at: number;
  updated_at: number;
}

/**
 * Members holding each device, limited to those the caller may see (users.view) and the
 * caller: an Operator learns nothing about colleagues through a shared device.
 */
export function assigneesOf(db: Db, actorId: string, deviceIds: readonly string[]): Map<string, DeviceAssignee[]> {
  const out = new Map<string, DeviceAssignee[]>();
  if (deviceIds.length === 0) return out;
  const users = scopeCondition(db, actorId, 'users.view', { group: 'u.home_group_id', kind: HOME_GROUP_KIND, user: 'u.id' }, 'uv');
  // Held at the root at every kind, users.view reaches every holder: nothing to test per row (the grid's window, issue 17).
  const seen = users.everyGroup ? '' : `AND (u.id = @actor OR ${users.sql})`;
  const rows = stmt<Record<string, string>, { device_id: string; id: string; username: string; full_name: string }>(
    db,
    `SELECT a.device_id, u.id, u.username, u.full_name FROM device_assignments a CROSS JOIN users u ON u.id = a.user_id
     WHERE a.device_id IN (SELECT value FROM json_each(@devices)) ${seen}
     ORDER BY u.username COLLATE NOCASE`,
  ).all({ ...(users.everyGroup ? {} : { ...users.params, actor: actorId }), devices: JSON.stringify(deviceIds) });
  for (const row of rows) {
    let list = out.get(row.device_id);
    if (!list) out.set(row.device_id, (list = []));
    list.push({ userId: row.id, username: row.username, fullName: row.full_name });
  }
  return out;
}

/** Whether the caller holds a permission anywhere, and the tooltip when not. */
export function heldAnywhere(db: Db, actorId: string, key: string): { allowed: boolean; reason: string | null } {
  const allowed = bindingsOf(db, actorId).some((b) => b.role.permissions.has(key));
  return { allowed, reason: allowed ? null : `Your role lacks ${key} (${lookup(key)?.label ?? key})` };
}

const pageColumns = (canAssignSql: string) => `d.id, d.name, d.kind, d.os, d.status, d.last_backup_at, d.group_id, g.name AS group_name,
  d.created_at, d.updated_at, ${canAssignSql} AS can_assign`;

function toRow(r: DeviceRecord, assignees: Map<string, DeviceAssignee[]>): DeviceRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    os: r.os,
    status: r.status,
    lastBackupAt: r.last_backup_at,
    groupId: r.group_id,
    groupName: r.group_name,
    assignees: assignees.get(r.id) ?? [],
    canAssign: r.can_assign === 1,
  };
}

type FacetRow = { os: string; kind: DeviceKind; status: DeviceStatus; n: number };

/**
 * Cross-filtered facet counts (DeviceFacets): one grouped count over the devices matching the
 * filter without its three facet conditions, then each facet keeps the rows the other two
 * conditions keep. The same WHERE as the grid (deviceWhere), so counts and list agree.
 */
function facets(db: Db, actorId: string, filter: DeviceFilter): DeviceFacets {
  const { kinds, os, statuses, ...rest } = filter;
  const rows = tallyRowsFor(db, actorId, rest)?.map(asFacetRow) ?? scannedFacetRows(db, actorId, rest);
  const { facets: f, total } = crossFiltered(rows, {
    os: { pick: (r) => r.os, chosen: os },
    kinds: { pick: (r) => r.kind, chosen: kinds },
    statuses: { pick: (r) => r.status, chosen: statuses },
  });
  return { os: f.os, kinds: f.kinds as Array<FacetValue<DeviceKind>>, statuses: f.statuses as Array<FacetValue<DeviceStatus>>, total };
}

const asFacetRow = (r: DeviceTallyRow): FacetRow => ({ os: r.os, kind: r.kind, status: r.status, n: r.count });

/** The combinations counted over the devices themselves, for a filter the tallies do not hold (name text, assignment, last backup). */
function scannedFacetRows(db: Db, actorId: string, filter: DeviceFilter): FacetRow[] {
  const q = deviceWhere(db, actorId, filter);
  return stmt<Record<string, string | number>, FacetRow>(
    db,
    `SELECT d.os, d.kind, d.status, count(*) AS n ${q.from} WHERE ${q.where} GROUP BY d.os, d.kind, d.status`,
  ).all(q.params);
}

export function deviceReadHandlers(): RegisteredHandler[] {
  return [
    handler('devices.list', {
      readPool: true,
      access: {
        kind: 'list',
        permission: 'devices.view',
        keys: DEVICE_FILTER_KEYS,
        needs: (input, actor) => deviceFilterNeeds(input.filter, 'filter', actor),
      },
      run(ctx, input) {
        const { db } = ctx;
        const actorId = ctx.actor.userId;
        const window = input.window ?? { offset: 0, limit: 100 };
        const answer = listDevices(db, actorId, { filter: input.filter, sort: input.sort, window });
        const assign = deviceScope(db, actorId, 'devices.assign', 'asg');
        // The columns and the assign decision are computed for the window's rows only, in the window's order.
        const rows = stmt<Record<string, string>, DeviceRecord>(
          db,
          `SELECT ${pageColumns(assign.sql)} FROM json_each(@rowids) j CROSS JOIN devices d ON d.rowid = j.value CROSS JOIN groups g ON g.id = d.group_id
           ORDER BY j.key`,
        ).all({ ...assign.params, rowids: JSON.stringify(answer.rowids) });
        const assignees = assigneesOf(
          db,
          actorId,
          rows.map((r) => r.id),
        );
        return {
          total: answer.total,
          offset: window.offset,
          rows: rows.map((r) => toRow(r, assignees)),
          after: answer.after,
          assign: heldAnywhere(db, actorId, 'devices.assign'),
          manage: heldAnywhere(db, actorId, 'devices.manage'),
        };
      },
    }),
    handler('devices.facets', {
      readPool: true,
      access: {
        kind: 'list',
        permission: 'devices.view',
        keys: DEVICE_FILTER_KEYS,
        needs: (input, actor) => deviceFilterNeeds(input.filter, 'filter', actor),
      },
      run: (ctx, input) => facets(ctx.db, ctx.actor.userId, input.filter ?? {}),
    }),
    handler('devices.get', {
      access: {
        kind: 'scoped',
        keys: ['devices.view'],
        needs: (input) => [{ permission: 'devices.view', on: { type: 'device', id: input.id, field: 'id' } }],
      },
      run(ctx, input) {
        const { db } = ctx;
        const actorId = ctx.actor.userId;
        const target = resolveTarget(db, 'device', input.id, actorId);
        const row = stmt<[string], DeviceRecord>(
          db,
          `SELECT ${pageColumns('0')} FROM devices d JOIN groups g ON g.id = d.group_id WHERE d.id = ?`,
        ).get(input.id);
        if (!row || !target) throw new Error('device vanished between check and read inside one transaction');
        const decision = check(db, actorId, 'devices.assign', target);
        const detail: DeviceDetail = {
          ...toRow({ ...row, can_assign: decision.allowed ? 1 : 0 }, assigneesOf(db, actorId, [row.id])),
          groupPath: pathSeenBy(db, actorId, target.groupPath.fromRoot).map((g) => ({ id: g.id, name: g.name })),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          assignReason: decision.allowed ? null : explainFor(db, actorId, decision, target),
          seenBy: whoCan(db, actorId, 'devices.view', target),
        };
        return detail;
      },
    }),
  ];
}
