import type { BulkSelection, DeviceFilter } from '../../../shared/contract';
import { BULK_EXCEPT_MAX } from '../../../shared/contract';

/**
 * What the bulk actions act on: rows ticked one by one (kept while scrolling), or every device
 * matching the filter, however many, which the server resolves itself, less the rows unticked
 * since (Gmail's "all matching, except these"). A selection belongs to one filter: another
 * filter starts with nothing selected. Each ticked or unticked id maps to its device's group,
 * which places the selection for the member picker (selectionGroups).
 */
export type DeviceSelection =
  | { filterKey: string; mode: 'picked'; picked: Readonly<Record<string, string>> }
  | { filterKey: string; mode: 'all'; except: Readonly<Record<string, string>> };

export function emptySelection(filterKey: string): DeviceSelection {
  return { filterKey, mode: 'picked', picked: {} };
}

export function allMatching(filterKey: string): DeviceSelection {
  return { filterKey, mode: 'all', except: {} };
}

export function exceptCount(selection: DeviceSelection): number {
  return selection.mode === 'all' ? Object.keys(selection.except).length : 0;
}

export function selectedCount(selection: DeviceSelection, total: number): number {
  return selection.mode === 'all' ? Math.max(0, total - exceptCount(selection)) : Object.keys(selection.picked).length;
}

export function isPicked(selection: DeviceSelection, id: string): boolean {
  return selection.mode === 'all' ? !(id in selection.except) : id in selection.picked;
}

const without = (set: Readonly<Record<string, string>>, id: string) =>
  Object.fromEntries(Object.entries(set).filter(([key]) => key !== id));

/**
 * Ticks or unticks one row. Under "all matching" an unticked row becomes an exception and ticking it
 * again takes the exception back; past the server's limit of exceptions the untick is refused (null).
 */
export function toggled(selection: DeviceSelection, id: string, groupId: string, on: boolean): DeviceSelection | null {
  if (selection.mode === 'all') {
    if (!on && !(id in selection.except) && exceptCount(selection) >= BULK_EXCEPT_MAX) return null;
    return { ...selection, except: on ? without(selection.except, id) : { ...selection.except, [id]: groupId } };
  }
  return { ...selection, picked: on ? { ...selection.picked, [id]: groupId } : without(selection.picked, id) };
}

/**
 * The groups the selected devices lie in, as far as the console knows: the picked devices' own
 * groups, or the filter's group for "all matching" (none known when the filter names no group).
 */
export function selectionGroups(selection: DeviceSelection, filter: DeviceFilter): string[] {
  if (selection.mode === 'picked') return [...new Set(Object.values(selection.picked))];
  return filter.groupId ? [filter.groupId] : [];
}

export function toBulkSelection(selection: DeviceSelection, filter: DeviceFilter): BulkSelection {
  if (selection.mode === 'picked') return { deviceIds: Object.keys(selection.picked) };
  const exceptIds = Object.keys(selection.except);
  return exceptIds.length > 0 ? { filter, exceptIds } : { filter };
}

/**
 * In words, for the wizard's title and the job's record: "all 12,408 devices matching the filters",
 * "12,405 of 12,408 devices matching the filters" or "3 picked devices".
 */
export function selectionText(selection: DeviceSelection, total: number): string {
  const n = selectedCount(selection, total);
  const devices = `${n.toLocaleString()} ${n === 1 ? 'device' : 'devices'}`;
  if (selection.mode === 'picked') return `${devices} picked`;
  return exceptCount(selection) > 0
    ? `${n.toLocaleString()} of ${total.toLocaleString()} devices matching the filters`
    : `all ${devices} matching the filters`;
}

/** The toolbar's line: "All 12,408 matching devices selected", "12,405 of 12,408 matching devices selected", "3 selected". */
export function selectedLine(selection: DeviceSelection, total: number): string {
  const n = selectedCount(selection, total);
  if (selection.mode === 'picked') return `${n.toLocaleString()} selected`;
  const matching = `${total.toLocaleString()} matching ${total === 1 ? 'device' : 'devices'}`;
  return exceptCount(selection) > 0 ? `${n.toLocaleString()} of ${matching} selected` : `All ${matching} selected`;
}
