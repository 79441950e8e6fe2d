import type { StewardBridge } from '../../../shared/bridge';
import type { Result } from '../../../shared/result';

declare global {
  interface Window {
    steward?: StewardBridge;
  }
}

export type Transport = (name: string, input: unknown) => Promise<Result<unknown>>;

const CSRF_HEADER = 'x-steward-csrf';

function csrfCookie(): string | null {
  const name = `steward_csrf_${location.port}=`;
  const hit = document.cookie.split('; ').find((part) => part.startsWith(name));
  return hit ? hit.slice(name.length) : null;
}

async function ensureCsrf(): Promise<string> {
  const existing = csrfCookie();
  if (existing) return existing;
  await fetch('/api/csrf', { credentials: 'same-origin' });
  const token = csrfCookie();
  if (!token) throw new Error('The console could not obtain its request token');
  return token;
}

/** Browser: POST /api/<name> with the session cookie and the CSRF header. */
const httpTransport: Transport = async (name, input) => {
  try {
    const response = await fetch(`/api/${encodeURIComponent(name)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: await ensureCsrf() },
      body: JSON.stringify(input ?? {}),
    });
    return (await response.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'Steward could not be reached. Is the console still running?' } };
  }
};

/** Electron: the preload's narrow bridge; the session lives in the main process. */
function ipcTransport(bridge: StewardBridge): Transport {
  return (name, input) => bridge.invoke(name, input);
}

export function detectTransport(): Transport {
  return window.steward ? ipcTransport(window.steward) : httpTransport;
}
