import type { FacetValue } from '../../shared/contract';

/** One filter of a list seen as a facet: how a grouped row names its value, and the values chosen (none: any). */
export interface Dimension<R> {
  pick: (row: R) => string;
  chosen?: readonly string[] | undefined;
}

/**
 * Cross-filtered facet counts (issue 15, finding 6) from rows grouped by every facet's value and
 * counted (`n`), read with the list's other conditions only: each facet sums the rows that
 * every other facet's choice keeps, per value of its own, most first then by value; `total`
 * sums the rows all choices keep, which is what the list counts. Devices and people share it.
 */
export function crossFiltered<R extends { n: number }, D extends string>(
  rows: readonly R[],
  dimensions: Record<D, Dimension<R>>,
): { facets: Record<D, FacetValue[]>; total: number } {
  const names = Object.keys(dimensions) as D[];
  const keeps = (row: R, name: D) => {
    const { pick, chosen } = dimensions[name];
    return !chosen?.length || chosen.includes(pick(row));
  };
  const facets = {} as Record<D, FacetValue[]>;
  for (const name of names) {
    const counts = new Map<string, number>();
    for (const row of rows) {
      if (!names.every((other) => other === name || keeps(row, other))) continue;
      const value = dimensions[name].pick(row);
      counts.set(value, (counts.get(value) ?? 0) + row.n);
    }
    facets[name] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  const total = rows.filter((row) => names.every((name) => keeps(row, name))).reduce((n, row) => n + row.n, 0);
  return { facets, total };
}
