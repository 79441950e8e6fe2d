import { create } from 'zustand';
import type { DeviceListOutput } from '../../../shared/contract';
import { missingPermissionText, useMissingPermission } from '../state/missing-permission';
import { useSession } from '../state/session';

interface GatesState {
  assign: DeviceListOutput['assign'] | null;
  manage: DeviceListOutput['manage'] | null;
  record(output: Pick<DeviceListOutput, 'assign' | 'manage'>): void;
}

/** The server's own answer, with every device list, on whether the caller may assign and import at all. */
export const useDeviceGates = create<GatesState>()((set) => ({
  assign: null,
  manage: null,
  record: ({ assign, manage }) => set({ assign, manage }),
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useDeviceGates.setState({ assign: null, manage: null });
});

/**
 * Why the caller cannot assign devices or import them, or null when they can: the shared gate
 * (it names the permission) first, then the server's answer from the list, which decides.
 */
export function useDevicesLock(action: 'assign' | 'manage'): string | null {
  const key = action === 'assign' ? 'devices.assign' : 'devices.manage';
  const missing = useMissingPermission(key);
  const server = useDeviceGates((s) => s[action]);
  if (missing) return missing;
  return server && !server.allowed ? (server.reason ?? missingPermissionText(key)) : null;
}
