import { AUDIT_EXPORT_CAP, type AuditEntry } from '../../../shared/contract';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { auditScope, auditWhere, countEvents, readEvents } from './query';
import { redactForReader } from './redact';

const COLUMNS: Array<[string, (e: AuditEntry) => unknown]> = [
  ['seq', (e) => e.seq],
  ['time_utc', (e) => new Date(e.at).toISOString()],
  ['actor', (e) => e.actorName ?? ''],
  ['actor_id', (e) => e.actorId ?? ''],
  ['client', (e) => e.client],
  ['action', (e) => e.action],
  ['target_type', (e) => e.targetType ?? ''],
  ['target', (e) => e.targetName ?? ''],
  ['target_id', (e) => e.targetId ?? ''],
  ['group', (e) => e.groupName ?? ''],
  ['outcome', (e) => e.outcome],
  ['error_code', (e) => e.errorCode ?? ''],
  ['before', (e) => (e.before ? JSON.stringify(e.before) : '')],
  ['after', (e) => (e.after ? JSON.stringify(e.after) : '')],
];

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: unknown): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8's byte order mark: spreadsheet programs (Excel) read a CSV as UTF-8 only when it starts with one. */
export const UTF8_BOM = '\uFEFF';

/**
 * A CSV file: `header` and `rows` of cells (csvCell each), CRLF line ends (RFC 4180), and a
 * leading byte order mark when `bom` is set, for spreadsheet programs. Steward's own import
 * reads it either way.
 */
export function csvFile(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>, bom = false): string {
  const lines = [header.join(','), ...rows.map((cells) => cells.map(csvCell).join(','))];
  return `${bom ? UTF8_BOM : ''}${lines.join('\r\n')}\r\n`;
}

/** The export's input less what shapes the file: the filter its audit event records. */
function auditFilterOf<T extends { format: unknown; bom?: unknown }>(input: T): Omit<T, 'format' | 'bom'> {
  const filter: Partial<T> = { ...input };
  delete filter.format;
  delete filter.bom;
  return filter as Omit<T, 'format' | 'bom'>;
}

export const auditExportHandler = () =>
  handler('audit.export', {
    // Reading is audit.view; taking a copy away is audit.export too, at each exported event's group (the list rule below).
    // The filter may name removed groups and people: auditWhere decides those (R13), not declared needs.
    access: { kind: 'anywhere', permission: 'audit.export' },
    // The file is read and written in the read pool; a replay reads it again rather than storing it.
    readPool: true,
    prepareAgain: true,
    prepare: (ctx, input) => {
      const { actor, db } = ctx;
      const { format, bom } = input;
      const filter = auditFilterOf(input);
      const viewed = auditWhere(db, actor.userId, filter);
      const exportable = auditScope(db, actor.userId, 'audit.export', 'export');
      // Every event the view shows is filed under a live or removed group: exportable everywhere adds no test.
      const where = exportable.everyGroup
        ? viewed
        : { ...viewed, sql: `${viewed.sql} AND ${exportable.sql}`, params: { ...viewed.params, ...exportable.params } };
      const rows = countEvents(db, where, AUDIT_EXPORT_CAP + 1);
      if (rows > AUDIT_EXPORT_CAP) {
        throw new OpError(
          'CONFLICT',
          `More than ${AUDIT_EXPORT_CAP.toLocaleString('en')} events match; narrow the filter (a shorter period, one member or one action) and export again`,
        );
      }
      const events = redactForReader(db, actor.userId, readEvents(db, where, 0, AUDIT_EXPORT_CAP));
      const content =
        format === 'csv'
          ? csvFile(
              COLUMNS.map(([name]) => name),
              events.map((e) => COLUMNS.map(([, get]) => get(e))),
              bom,
            )
          : events.map((e) => JSON.stringify({ ...e, time_utc: new Date(e.at).toISOString() })).join('\n') + (events.length ? '\n' : '');
      return Promise.resolve({ content, rows: events.length });
    },
    run(ctx, input, file) {
      const { format } = input;
      const filter = auditFilterOf(input);
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
      // The export is itself an audited event: who took which slice of the record, and how much.
      ctx.audit({
        action: 'audit.export',
        target: { type: 'audit', id: 'export', name: `${format.toUpperCase()} export` },
        after: { format, filter, rows: file.rows },
      });
      return {
        filename: `steward-audit-${stamp}.${format}`,
        mimeType: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        content: file.content,
        rows: file.rows,
      };
    },
  });
