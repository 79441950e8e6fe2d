import {
  DEVICE_KIND_LABELS,
  DEVICE_KINDS,
  DEVICE_NAME_MAX,
  DEVICE_OS_MAX,
  DEVICE_STATUS_LABELS,
  DEVICE_STATUSES,
  IMPORT_COLUMNS,
  IMPORT_ROWS_MAX,
  type DeviceKind,
  type DeviceStatus,
  type ImportRejection,
} from '../../../../shared/contract';
import { readCsv } from './csv';

/** A row whose values are well formed; its group is still words until resolved. */
export interface CandidateRow {
  line: number;
  name: string;
  kind: DeviceKind;
  os: string;
  status: DeviceStatus;
  lastBackupAt: number | null;
  /** Empty when the row names no group (the import's default group then applies). */
  group: string;
}

export interface ParsedFile {
  rows: CandidateRow[];
  rejected: ImportRejection[];
  /** Rows seen, good or bad (not counting the header). */
  seen: number;
}

type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['name', 'kind', 'status'];
const BAD_ENCODING = 'The text is not valid UTF-8 (it holds an undecodable byte); save the file as UTF-8 and import it again';
const SEMICOLONS =
  'The columns are separated by semicolons; save the file as CSV with commas (in a spreadsheet program: "CSV UTF-8 (comma delimited)") and import it again';

/** The export defuses formulas with a leading apostrophe; reading it back restores the value. */
const undefuse = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

function lookupEnum<T extends string>(value: string, values: readonly T[], labels: Record<T, string>): T | undefined {
  const wanted = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return values.find((v) => v === wanted || labels[v].toLowerCase().replace(/[\s-]+/g, '_') === wanted);
}

/** Checks one row's values; pushes its rejections and answers the row when it has none. */
function checkRow(
  line: number,
  raw: Partial<Record<Column, string | null>>,
  now: number,
  out: ImportRejection[],
  plain = false,
  format: 'csv' | 'json' = 'csv',
): CandidateRow | null {
  const before = out.length;
  const reject = (field: string, reason: string) => out.push({ line, field, reason });
  // Only a CSV export defuses formulas; JSON carries values verbatim, so "'=x" stays "'=x".
  const text = (column: Column) => (format === 'csv' ? undefuse((raw[column] ?? '').trim()) : (raw[column] ?? '').trim());
  for (const column of plain ? [] : IMPORT_COLUMNS) {
    const value = raw[column];
    if (typeof value === 'string' && value.includes('\uFFFD')) reject(column, BAD_ENCODING);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    else if (typeof value === 'string' && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
      reject(column, 'Control characters are not allowed');
  }
  if (out.length > before) return null;
  const name = text('name');
  if (name === '') reject('name', 'A name is required');
  else if (name.length > DEVICE_NAME_MAX) reject('name', `A name is at most ${DEVICE_NAME_MAX} characters`);
  const kind = lookupEnum(text('kind'), DEVICE_KINDS, DEVICE_KIND_LABELS);
  if (!kind) reject('kind', `Kind must be one of: ${DEVICE_KINDS.join(', ')}`);
  const status = lookupEnum(text('status'), DEVICE_STATUSES, DEVICE_STATUS_LABELS);
  if (!status) reject('status', `Status must be one of: ${DEVICE_STATUSES.join(', ')}`);
  const os = text('os');
  if (os.length > DEVICE_OS_MAX) reject('os', `OS is at most ${DEVICE_OS_MAX} characters`);
  const backupText = text('lastBackupAt');
  let lastBackupAt: number | null = null;
  if (backupText !== '') {
    const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(backupText);
    // A date without a zone is read as UTC, so the same file imports the same everywhere.
    const parsed = iso
      ? Date.parse(/T|\s/.test(backupText) && !/(Z|[+-]\d{2}:?\d{2})$/.test(backupText) ? `${backupText}Z` : backupText)
      : NaN;
    if (Number.isNaN(parsed)) reject('lastBackupAt', 'Last backup must be an ISO 8601 date or time, such as 2024-05-01T13:45:00Z');
    else if (parsed > now) reject('lastBackupAt', 'Last backup is in the future');
    else if (status === 'never') reject('lastBackupAt', 'A device that was never backed up has no last backup');
    else lastBackupAt = parsed;
  }
  if (out.length > before || !kind || !status) return null;
  return { line, name, kind, os, status, lastBackupAt, group: text('group') };
}

function checkColumns(names: readonly string[], needGroup: boolean): string | null {
  const known = new Set<string>(IMPORT_COLUMNS);
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.has(name)) return `Unknown column "${name.slice(0, 40)}"; the columns are ${IMPORT_COLUMNS.join(', ')}`;
    if (seen.has(name)) return `The column "${name}" appears twice`;
    seen.add(name);
  }
  const missing = [...REQUIRED, ...(needGroup ? (['group'] as const) : [])].filter((c) => !seen.has(c));
  return missing.length ? `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` : null;
}

const normalizeHeader = (name: string) => {
  const n = name.trim().replace(/^\uFEFF/, '');
  return n.toLowerCase() === 'lastbackupat' || n.toLowerCase() === 'last_backup_at' ? 'lastBackupAt' : n.toLowerCase();
};

const tooMany = (seen: number): ImportRejection => ({
  line: 0,
  field: '',
  reason: `The file has ${seen.toLocaleString('en')} rows; an import takes at most ${IMPORT_ROWS_MAX.toLocaleString('en')}`,
});

export function parseCsvFile(content: string, needGroup: boolean, now: number): ParsedFile {
  const records = readCsv(content);
  const [header, ...body] = records;
  if (!header) return { rows: [], rejected: [{ line: 0, field: '', reason: 'The file is empty' }], seen: 0 };
  if (header.error !== undefined)
    return { rows: [], rejected: [{ line: header.line, field: '', reason: header.error }], seen: body.length };
  if (header.fields.some((f) => f.includes('\uFFFD')))
    return { rows: [], rejected: [{ line: 1, field: '', reason: BAD_ENCODING }], seen: body.length };
  const columns = header.fields.map(normalizeHeader);
  // Spreadsheet programs in many languages save "CSV" with semicolons: say so, rather than name one odd column.
  if (columns.length === 1 && checkColumns((columns[0] ?? '').split(';').map(normalizeHeader), needGroup) === null)
    return { rows: [], rejected: [{ line: header.line, field: '', reason: SEMICOLONS }], seen: body.length };
  const problem = checkColumns(columns, needGroup);
  if (problem) return { rows: [], rejected: [{ line: header.line, field: '', reason: problem }], seen: body.length };
  if (body.length > IMPORT_ROWS_MAX) return { rows: [], rejected: [tooMany(body.length)], seen: body.length };
  const rejected: ImportRejection[] = [];
  const rows: CandidateRow[] = [];
  for (const record of body) {
    if (record.error !== undefined) {
      rejected.push({ line: record.line, field: '', reason: record.error });
      continue;
    }
    if (record.fields.length !== columns.length) {
      rejected.push({ line: record.line, field: '', reason: `Expected ${columns.length} values, found ${record.fields.length}` });
      continue;
    }
    const raw: Partial<Record<Column, string>> = {};
    columns.forEach((c, j) => (raw[c as Column] = record.fields[j]));
    const row = checkRow(record.line, raw, now, rejected, record.plain);
    if (row) rows.push(row);
  }
  return { rows, rejected, seen: body.length };
}

export function parseJsonFile(content: string, needGroup: boolean, now: number): ParsedFile {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    // A UTF-16 file read as UTF-8 fails to parse at its first byte: the encoding is what to fix.
    const reason = content.includes('\uFFFD') ? BAD_ENCODING : `The file is not valid JSON: ${(error as Error).message}`;
    return { rows: [], rejected: [{ line: 0, field: '', reason }], seen: 0 };
  }
  if (!Array.isArray(data))
    return { rows: [], rejected: [{ line: 0, field: '', reason: 'The file must hold a JSON array of devices' }], seen: 0 };
  if (data.length > IMPORT_ROWS_MAX) return { rows: [], rejected: [tooMany(data.length)], seen: data.length };
  const rejected: ImportRejection[] = [];
  const rows: CandidateRow[] = [];
  data.forEach((item: unknown, index) => {
    const line = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      rejected.push({ line, field: '', reason: 'Each entry must be an object with the device’s fields' });
      return;
    }
    const before = rejected.length;
    const raw: Partial<Record<Column, string | null>> = {};
    const problem = checkColumns(Object.keys(item).map(normalizeHeader), needGroup);
    if (problem) {
      rejected.push({ line, field: '', reason: problem });
      return;
    }
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const column = normalizeHeader(key) as Column;
      if (value === null || typeof value === 'string') raw[column] = value;
      else rejected.push({ line, field: column, reason: 'Values must be text (or null)' });
    }
    const row = checkRow(line, raw, now, rejected, false, 'json');
    if (row && rejected.length === before) rows.push(row);
  });
  return { rows, rejected, seen: data.length };
}
