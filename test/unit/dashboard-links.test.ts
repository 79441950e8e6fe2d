import { describe, expect, it } from 'vitest';
import { DEVICE_STATUSES, FRESHNESS_BUCKETS, freshnessFilter, type DashboardHistory } from '../../shared/contract';
import { chartCsv, chartRows } from '../../renderer/src/dashboard/chart-data';

const HOUR = 3_600_000;
const AS_OF = Date.UTC(2026, 5, 15, 12);

/** Which bucket a last backup falls in by the filters' own bounds; exactly one must match. */
function bucketsOf(lastBackupAt: number | null): string[] {
  return FRESHNESS_BUCKETS.filter((bucket) => {
    const f = freshnessFilter(bucket, AS_OF);
    if (f.neverBackedUp) return lastBackupAt === null;
    if (lastBackupAt === null) return false;
    return (
      (f.backedUpFrom === undefined || lastBackupAt >= f.backedUpFrom) &&
      (f.backedUpBefore === undefined || lastBackupAt < f.backedUpBefore)
    );
  });
}

describe('freshness buckets (issue 18)', () => {
  it('place every last backup in exactly one bucket, edges included', () => {
    const cases: Array<[number | null, string]> = [
      [null, 'never'],
      [AS_OF + HOUR, 'day'],
      [AS_OF - 24 * HOUR, 'day'],
      [AS_OF - 24 * HOUR - 1, 'days3'],
      [AS_OF - 72 * HOUR, 'days3'],
      [AS_OF - 72 * HOUR - 1, 'week'],
      [AS_OF - 168 * HOUR, 'week'],
      [AS_OF - 168 * HOUR - 1, 'older'],
      [0, 'older'],
    ];
    for (const [at, bucket] of cases) expect(bucketsOf(at), String(at)).toEqual([bucket]);
  });
});

describe('a chart’s CSV', () => {
  it('has a header, one line per point with its UTC moment, and a formula-like name defused', () => {
    const counts = Object.fromEntries(DEVICE_STATUSES.map((s, i) => [s, i])) as DashboardHistory['points'][number]['counts'];
    const history: DashboardHistory = {
      groupId: 'g',
      groupName: '=cmd',
      days: 30,
      source: 'snapshots',
      points: [
        { day: 20_000, at: 20_000 * 86_400_000 + 60_000, counts },
        { day: 20_001, at: 20_001 * 86_400_000 + 5, counts },
      ],
    };
    const lines = chartCsv(chartRows(history)).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Day,Counted at (UTC),OK,Warning,Failed,Offline,Never backed up');
    expect(lines[1]).toMatch(/^.+,2024-10-04T00:01:00\.000Z,0,1,2,3,4$/);
    expect(lines[2]).toBe('Now,2024-10-05T00:00:00.005Z,0,1,2,3,4');
    expect(
      chartCsv([{ label: '=1+1', at: 0, counts }])
        .split('\r\n')[1]
        ?.startsWith("'=1+1,"),
    ).toBe(true);
  });
});
