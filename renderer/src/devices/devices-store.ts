import type { SortingState } from '@tanstack/react-table';
import { create } from 'zustand';
import type { DeviceKind, DeviceStatus } from '../../../shared/contract';
import type { PickedUser } from '../access/UserPicker';
import { useSession } from '../state/session';
import { useNavigation } from '../state/navigation';

export interface DeviceFilters {
  text: string;
  kind: DeviceKind | '';
  os: string;
  status: DeviceStatus | '';
  /** A group: devices owned by it or anywhere below it. */
  groupId: string | null;
  assignment: 'any' | 'assigned' | 'unassigned';
  assignee: PickedUser | null;
}

export const NO_DEVICE_FILTERS: DeviceFilters = {
  text: '',
  kind: '',
  os: '',
  status: '',
  groupId: null,
  assignment: 'any',
  assignee: null,
};

export const DEFAULT_DEVICE_SORT: SortingState = [{ id: 'name', desc: false }];

interface DevicesState {
  filters: DeviceFilters;
  sorting: SortingState;
  /** The device whose panel is open, or null. */
  openDeviceId: string | null;
  /** The bulk job whose progress or results are shown, or null. */
  openJobId: string | null;
  setFilters(change: Partial<DeviceFilters>): void;
  clearFilters(): void;
  setSorting(sorting: SortingState): void;
  openDevice(id: string | null): void;
  openJob(id: string | null): void;
}

/** Where the person is on the Devices screen (UI state only; the devices themselves stay on the server). */
export const useDevicesView = create<DevicesState>()((set) => ({
  filters: NO_DEVICE_FILTERS,
  sorting: DEFAULT_DEVICE_SORT,
  openDeviceId: null,
  openJobId: null,
  setFilters: (change) => set((s) => ({ filters: { ...s.filters, ...change } })),
  clearFilters: () => set({ filters: NO_DEVICE_FILTERS }),
  setSorting: (sorting) => set({ sorting }),
  openDevice: (openDeviceId) => set({ openDeviceId }),
  openJob: (openJobId) => set({ openJobId }),
}));

// Another person on this console starts from a clean screen: filters can name people the next one may not see.
useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useDevicesView.setState({ filters: NO_DEVICE_FILTERS, sorting: DEFAULT_DEVICE_SORT, openDeviceId: null, openJobId: null });
});

/** From elsewhere in the console (an audit event of a job): the Devices screen with that job's results open. */
export function showJobResults(jobId: string): void {
  useDevicesView.getState().openJob(jobId);
  useNavigation.getState().go('devices');
}
