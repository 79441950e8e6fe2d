import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL, IPC_SSO_CHANNEL, type StewardBridge } from '../../shared/bridge';
import type { Result } from '../../shared/result';

const bridge: StewardBridge = {
  invoke: (name, input) => ipcRenderer.invoke(IPC_CHANNEL, name, input) as Promise<Result<unknown>>,
  signInWithProvider: (providerId) => ipcRenderer.invoke(IPC_SSO_CHANNEL, providerId) as Promise<Result<unknown>>,
};

contextBridge.exposeInMainWorld('steward', bridge);
