import { DEVICE_STATUS_LABELS, DEVICE_STATUSES, type DashboardHistory, type DeviceStatus } from '../../../shared/contract';

/** One row of a chart's table (and of its CSV): a day, or the present, with a count per status. */
export interface ChartRow {
  label: string;
  /** The moment counted (epoch ms). */
  at: number;
  counts: Record<DeviceStatus, number>;
}

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** The chart's points as rows: each snapshot day by its UTC date, the last one as "Now". */
export function chartRows(history: DashboardHistory): ChartRow[] {
  return history.points.map((p, i) => ({
    label: i === history.points.length - 1 ? 'Now' : day.format(new Date(p.day * 86_400_000)),
    at: p.at,
    counts: p.counts,
  }));
}

/** A CSV field as RFC 4180 writes it, with a formula's leading sign defused (a spreadsheet would run it). */
function field(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table alternative as CSV: a header, then one line per row, times in UTC (ISO 8601). */
export function chartCsv(rows: readonly ChartRow[]): string {
  const header = ['Day', 'Counted at (UTC)', ...DEVICE_STATUSES.map((s) => DEVICE_STATUS_LABELS[s])];
  const lines = rows.map((r) => [r.label, new Date(r.at).toISOString(), ...DEVICE_STATUSES.map((s) => r.counts[s])]);
  return `${[header, ...lines].map((line) => line.map(field).join(',')).join('\r\n')}\r\n`;
}

/** "12 OK, 3 Failed, …": a row in words, for the readout that follows hover and focus. */
export function rowWords(row: ChartRow): string {
  return `${row.label}: ${DEVICE_STATUSES.map((s) => `${row.counts[s].toLocaleString()} ${DEVICE_STATUS_LABELS[s]}`).join(', ')}`;
}
