import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher, DispatchResult } from '../dispatch/dispatcher';
import { SECURITY_HEADERS } from './http/static-files';

export const LOOPBACK_CALLBACK_PATH = '/callback';

export interface LoopbackSignInOptions {
  dispatcher: Dispatcher;
  providerId: string;
  /** Opens the URL in the system browser (Electron's shell.openExternal); never in Steward's own window. */
  openBrowser(url: string): Promise<void>;
  /** How long to wait for the provider's redirect back, in ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The desktop's single sign-on, as RFC 8252 asks of a native app: the sign-in happens in
 * the system browser, and the provider redirects back to a listener on the loopback address
 * (127.0.0.1, section 7.3; a port the system picks, which the provider must ignore), with
 * the authorization code flow and PKCE. The listener lives only for this one sign-in and
 * takes only GET /callback. Resolves with `auth.ssoComplete`'s outcome (its session is for
 * the desktop window that asked), or with `auth.ssoBegin`'s refusal; the browser tab is told
 * in words to go back to Steward.
 */
export async function signInThroughBrowser(options: LoopbackSignInOptions): Promise<DispatchResult> {
  const meta = { token: null, client: 'desktop' as const, source: 'ipc' };
  const binding = randomBytes(24).toString('base64url');
  let finish: (outcome: DispatchResult) => void = () => undefined;
  const done = new Promise<DispatchResult>((resolve) => (finish = resolve));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' || url.pathname !== LOOPBACK_CALLBACK_PATH) {
      res.writeHead(404, SECURITY_HEADERS).end();
      return;
    }
    void options.dispatcher.dispatch('auth.ssoComplete', { callbackUrl: url.href, binding }, meta).then((outcome) => {
      page(res, outcome.result.ok ? 'You are signed in. Go back to Steward; you can close this tab.' : outcome.result.error.message);
      finish(outcome);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(
    () => finish({ result: { ok: false, error: { code: 'SSO_FAILED', message: 'The sign-in was not finished in the browser in time' } } }),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  try {
    const begun = await options.dispatcher.dispatch(
      'auth.ssoBegin',
      { providerId: options.providerId, redirectUri: `http://127.0.0.1:${port}${LOOPBACK_CALLBACK_PATH}`, binding },
      meta,
    );
    if (!begun.result.ok) return begun;
    await options.openBrowser((begun.result.value as { authorizationUrl: string }).authorizationUrl);
    return await done;
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
}

function page(res: ServerResponse, message: string): void {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Steward sign-in</title></head><body><p>${text}</p></body></html>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
  res.end(body);
}
