import { invoke } from '../api/client';
import { useSession } from './session';

/** Branding is resolved by the server for the signed-in user; after a change, ask again rather than guess. */
export async function refreshSessionBranding(): Promise<void> {
  const result = await invoke('auth.status', {});
  if (result.ok) useSession.getState().fromStatus(result.value);
}
