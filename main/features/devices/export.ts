import { IMPORT_COLUMNS } from '../../../shared/contract';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { csvFile } from '../audit/export';
import { GroupResolver } from './import/groups';
import { DEVICE_FILTER_KEYS, deviceFilterNeeds, deviceWhere, describeFilter } from './query';

interface ExportRow {
  name: string;
  kind: string;
  os: string;
  status: string;
  last_backup_at: number | null;
  group_id: string;
}

/**
 * The visible devices matching a filter, in exactly the import's format (groups as
 * paths from the highest group the exporter sees, or as ids where a path would not find the
 * group again), so an export can be edited and imported elsewhere. Audited: who took which
 * slice of the inventory.
 */
export const devicesExportHandler = () =>
  handler('devices.export', {
    access: {
      kind: 'list',
      permission: 'devices.view',
      keys: DEVICE_FILTER_KEYS,
      needs: (input, actor) => deviceFilterNeeds(input.filter, 'filter', actor),
    },
    // The file is read and written in the read pool; a replay reads it again rather than storing it.
    readPool: true,
    prepareAgain: true,
    prepare: (ctx, input) => {
      const { db } = ctx;
      const actorId = ctx.actor.userId;
      const q = deviceWhere(db, actorId, input.filter);
      const groups = new GroupResolver(db, actorId);
      // A path that would not find this group again (a name holding "/", names from before R24 that read the same) is written as the id.
      const groupPath = (id: string) => {
        const answer = groups.resolve(id);
        if (!('group' in answer)) return id;
        const path = answer.group.path.join(' / ');
        const back = groups.resolve(path);
        return 'group' in back && back.group.id === id ? path : id;
      };
      const rows = stmt<Record<string, string | number>, ExportRow>(
        db,
        `SELECT d.name, d.kind, d.os, d.status, d.last_backup_at, d.group_id ${q.from} WHERE ${q.where} ORDER BY d.name COLLATE NOCASE, d.id`,
      ).all(q.params);
      const records = rows.map((r) => ({
        name: r.name,
        kind: r.kind,
        os: r.os,
        status: r.status,
        lastBackupAt: r.last_backup_at === null ? '' : new Date(r.last_backup_at).toISOString(),
        group: groupPath(r.group_id),
      }));
      const content =
        input.format === 'json'
          ? `${JSON.stringify(records, null, 1)}\n`
          : csvFile(
              IMPORT_COLUMNS,
              records.map((r) => IMPORT_COLUMNS.map((c) => r[c])),
              input.bom,
            );
      return Promise.resolve({ content, rows: rows.length });
    },
    run(ctx, input, file) {
      const words = describeFilter(input.filter ?? {}, {});
      ctx.audit({
        action: 'devices.export',
        target: { type: 'devices', id: 'export', name: `${input.format.toUpperCase()} export` },
        after: { format: input.format, rows: file.rows, filter: words },
      });
      return { content: file.content, filename: `devices.${input.format}`, rows: file.rows };
    },
  });
