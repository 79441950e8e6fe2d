import type { SortingState } from '@tanstack/react-table';
import type { DeviceFilter, DeviceSort, Input } from '../../../shared/contract';
import { DEVICE_SORTS, freshnessFilter } from '../../../shared/contract';
import { NO_DEVICE_FILTERS, type DeviceFilters } from './devices-store';

type ListQuery = Omit<Input<'devices.list'>, 'window'>;

function isSort(id: string): id is DeviceSort {
  return (DEVICE_SORTS as readonly string[]).includes(id);
}

/** The form's filters as the server's filter: only what is set, so an empty form asks for everything visible. */
export function toDeviceFilter(filters: DeviceFilters, text: string): DeviceFilter {
  return {
    ...(text.trim() ? { text: text.trim() } : {}),
    ...(filters.kinds.length > 0 ? { kinds: filters.kinds } : {}),
    ...(filters.os.length > 0 ? { os: filters.os } : {}),
    ...(filters.statuses.length > 0 ? { statuses: filters.statuses } : {}),
    ...(filters.groupId ? { groupId: filters.groupId } : {}),
    ...(filters.assignment !== 'any' ? { assignment: filters.assignment } : {}),
    ...(filters.assignee ? { assigneeId: filters.assignee.id } : {}),
    ...(filters.backup ? freshnessFilter(filters.backup.bucket, filters.backup.asOf) : {}),
  };
}

export function toListQuery(filter: DeviceFilter, sorting: SortingState): ListQuery {
  const sort = sorting[0];
  return {
    filter,
    ...(sort && isSort(sort.id) ? { sort: { column: sort.id, direction: sort.desc ? 'desc' : 'asc' } } : {}),
  };
}

/** One string per question (filter and sort): the window cache and the selection are kept per key. */
export function queryKey(query: ListQuery): string {
  return JSON.stringify(query);
}

export function parseQueryKey(key: string): ListQuery {
  return JSON.parse(key) as ListQuery;
}

export function hasDeviceFilters(filters: DeviceFilters): boolean {
  return JSON.stringify(filters) !== JSON.stringify(NO_DEVICE_FILTERS);
}
