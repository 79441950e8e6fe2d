import type { Result } from './result';

/** The one thing the Electron preload exposes to the page, as `window.steward`. */
export interface StewardBridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
}

export const IPC_CHANNEL = 'steward:invoke';
export const APP_SCHEME = 'steward';
export const APP_HOST = 'app';
