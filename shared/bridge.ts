import type { Result } from './result';

/** The one thing the Electron preload exposes to the page, as `window.steward`. */
export interface StewardBridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Single sign-on in the system browser with a loopback redirect; answers like `auth.ssoComplete`. */
  signInWithProvider(providerId: string): Promise<Result<unknown>>;
}

export const IPC_CHANNEL = 'steward:invoke';
export const IPC_SSO_CHANNEL = 'steward:sign-in-with-provider';
export const APP_SCHEME = 'steward';
export const APP_HOST = 'app';
