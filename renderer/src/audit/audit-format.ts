import type { AuditEntry } from '../../../shared/contract';

const localTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Local date and time to the second: the column shows this, the tooltip the UTC time the server stored. */
export function formatLocal(ms: number): string {
  return localTime.format(new Date(ms));
}

/** "2025-03-04 09:15:02.123 UTC" */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

export const CLIENT_LABELS: Record<AuditEntry['client'], string> = { desktop: 'Desktop', web: 'Web', cli: 'CLI' };

/** "12 events", "Showing 100 of 12,345 events", "Showing 100 of more than 100,000 events" */
export function countText(shown: number, total: number, capped: boolean): string {
  const noun = (n: number) => (n === 1 ? 'event' : 'events');
  const all = capped ? `more than ${total.toLocaleString()}` : total.toLocaleString();
  if (!capped && shown >= total) return `${total.toLocaleString()} ${noun(total)}`;
  return `Showing ${shown.toLocaleString()} of ${all} ${capped ? 'events' : noun(total)}`;
}

export type DiffKind = 'added' | 'removed' | 'changed' | 'same';

export interface DiffLine {
  field: string;
  before: string | null;
  after: string | null;
  kind: DiffKind;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (value === '') return '(empty)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The fields of before and after side by side, changed ones first noticed by their kind; keys in a stable order. */
export function diffLines(before: Record<string, unknown> | null, after: Record<string, unknown> | null): DiffLine[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const had = before !== null && Object.hasOwn(before, field);
    const has = after !== null && Object.hasOwn(after, field);
    const b = had ? show(before[field]) : null;
    const a = has ? show(after[field]) : null;
    const kind: DiffKind = !had ? 'added' : !has ? 'removed' : a === b ? 'same' : 'changed';
    return { field, before: b, after: a, kind };
  });
}
