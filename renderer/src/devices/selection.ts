import type { BulkSelection, DeviceFilter } from '../../../shared/contract';

/**
 * What the bulk actions act on: rows ticked one by one (kept while scrolling), or every device
 * matching the filter, however many, which the server resolves itself. A selection belongs to
 * one filter: another filter starts with nothing selected.
 */
export type DeviceSelection =
  { filterKey: string; mode: 'picked'; picked: Readonly<Record<string, string>> } | { filterKey: string; mode: 'all' };

export function emptySelection(filterKey: string): DeviceSelection {
  return { filterKey, mode: 'picked', picked: {} };
}

export function selectedCount(selection: DeviceSelection, total: number): number {
  return selection.mode === 'all' ? total : Object.keys(selection.picked).length;
}

export function isPicked(selection: DeviceSelection, id: string): boolean {
  return selection.mode === 'all' || id in selection.picked;
}

export function toggled(selection: DeviceSelection, id: string, name: string, on: boolean): DeviceSelection {
  if (selection.mode === 'all') return selection;
  const picked = on
    ? { ...selection.picked, [id]: name }
    : Object.fromEntries(Object.entries(selection.picked).filter(([key]) => key !== id));
  return { ...selection, picked };
}

export function toBulkSelection(selection: DeviceSelection, filter: DeviceFilter): BulkSelection {
  return selection.mode === 'all' ? { filter } : { deviceIds: Object.keys(selection.picked) };
}

/** In words, for the wizard's title and the job's record: "all 12,408 devices matching the filter" or "3 picked devices". */
export function selectionText(selection: DeviceSelection, total: number): string {
  const n = selectedCount(selection, total);
  const devices = `${n.toLocaleString()} ${n === 1 ? 'device' : 'devices'}`;
  return selection.mode === 'all' ? `all ${devices} matching the filters` : `${devices} picked`;
}
