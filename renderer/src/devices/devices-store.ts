import type { SortingState } from '@tanstack/react-table';
import { create } from 'zustand';
import type { DeviceKind, DeviceStatus, FreshnessBucket } from '../../../shared/contract';
import type { PickedUser } from '../ui/UserPicker';
import { useSession } from '../state/session';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';

/** Each list is "any of these" (empty: any); the conditions of different filters all apply. */
export interface DeviceFilters {
  text: string;
  kinds: DeviceKind[];
  os: string[];
  statuses: DeviceStatus[];
  /** A group: devices owned by it or anywhere below it. */
  groupId: string | null;
  assignment: 'any' | 'assigned' | 'unassigned';
  assignee: PickedUser | null;
  /** A freshness bucket, measured from `asOf` (epoch ms): when it was chosen, or the dashboard figure's moment. */
  backup: { bucket: FreshnessBucket; asOf: number } | null;
}

export const NO_DEVICE_FILTERS: DeviceFilters = {
  text: '',
  kinds: [],
  os: [],
  statuses: [],
  groupId: null,
  assignment: 'any',
  assignee: null,
  backup: null,
};

export const DEFAULT_DEVICE_SORT: SortingState = [{ id: 'name', desc: false }];

interface DevicesState {
  filters: DeviceFilters;
  sorting: SortingState;
  setFilters(change: Partial<DeviceFilters>): void;
  clearFilters(): void;
  setSorting(sorting: SortingState): void;
  /** Opens a device's panel (`/devices/<id>`), or closes it. */
  openDevice(id: string | null): void;
  /** Shows a bulk job's progress or results (`/devices/jobs/<id>`), or closes them. */
  openJob(id: string | null): void;
}

/** Where the person is on the Devices screen (UI state only; the devices themselves stay on the server). */
export const useDevicesView = create<DevicesState>()((set) => ({
  filters: NO_DEVICE_FILTERS,
  sorting: DEFAULT_DEVICE_SORT,
  setFilters: (change) => set((s) => ({ filters: { ...s.filters, ...change } })),
  clearFilters: () => set({ filters: NO_DEVICE_FILTERS }),
  setSorting: (sorting) => set({ sorting }),
  openDevice: (id) => navigateTo(id ? paths.device(id) : paths.screen('devices')),
  openJob: (id) => navigateTo(id ? paths.job(id) : paths.screen('devices')),
}));

// Another person on this console starts from a clean screen: filters can name people the next one may not see.
useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useDevicesView.setState({ filters: NO_DEVICE_FILTERS, sorting: DEFAULT_DEVICE_SORT });
});
