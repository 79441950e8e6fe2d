import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from '../../../shared/result';
import type { SyncHub } from '../../sync/hub';
import { DEFAULT_BODY_LIMIT, readBody, sendError, sendJson } from './server';
import { SECURITY_HEADERS } from './static-files';
import { httpStatus } from './status-codes';

/** A push of 1,000 envelopes (a large one holds a 100,000-row import) fits; read only once the token is checked. Connect and pull take DEFAULT_BODY_LIMIT. */
const SYNC_BODY_LIMIT = 256 * 1024 * 1024;
/** How often the hub looks at its change log's head for listening replicas; SSE comments keep proxies from closing quiet streams. */
const HEAD_POLL_MS = 200;
const KEEPALIVE_MS = 15_000;

/**
 * The hub's sync endpoints (docs/sync.md), beside the console and its /api/:
 * - `GET /sync/health`: `{ok: true, value: {status, installation, head}}`, for monitors; no token.
 * - `POST /sync/connect`: password and code → a replica token.
 * - `POST /sync/push`, `POST /sync/pull`, `POST /sync/job` (a finished job's results): with
 *   `Authorization: Bearer <token>`, checked before the body is read (a caller without one never
 *   has megabytes buffered).
 * - `GET /sync/events`: Server-Sent Events; a `change` event each time the change log moves. A
 *   stream ends when its token does (the person disabled, their password reset: R18).
 * Browsers are refused (an Origin header): replicas are programs, and a token is not a cookie.
 */
export function syncRoutes(
  hub: SyncHub,
  installation: string,
): {
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  close: () => void;
} {
  /** Each open stream with the token it was opened with: a token that has ended (R18) ends its stream. */
  const listeners = new Map<ServerResponse, string>();
  const stillConnected = (res: ServerResponse, token: string) => {
    if (hub.authenticate(token).ok) return true;
    listeners.delete(res);
    res.end();
    return false;
  };
  let head = hub.head();
  const poll = setInterval(() => {
    if (listeners.size === 0) return;
    const now = hub.head();
    if (now === head) return;
    head = now;
    for (const [res, token] of listeners) if (stillConnected(res, token)) res.write(`event: change\ndata: ${now}\n\n`);
  }, HEAD_POLL_MS);
  poll.unref();
  const keepAlive = setInterval(() => {
    for (const [res, token] of listeners) if (stillConnected(res, token)) res.write(': keep-alive\n\n');
  }, KEEPALIVE_MS);
  keepAlive.unref();

  const answer = (res: ServerResponse, result: Result<unknown>) => sendJson(res, result.ok ? 200 : httpStatus(result.error.code), result);

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/sync/')) return false;
    const route = url.pathname.slice('/sync/'.length);
    if (route === 'health' && req.method === 'GET') {
      answer(res, { ok: true, value: { status: 'ok', installation, head: hub.head() } });
      return true;
    }
    if (req.headers.origin !== undefined) {
      sendError(res, { code: 'CSRF', message: 'Sync endpoints are for replicas, not for pages' });
      return true;
    }
    const bearer = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (route === 'events' && req.method === 'GET') {
      const caller = hub.authenticate(bearer);
      if (!caller.ok) {
        answer(res, caller);
        return true;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        ...SECURITY_HEADERS,
      });
      res.write(`event: change\ndata: ${hub.head()}\n\n`);
      listeners.set(res, bearer ?? '');
      req.on('close', () => listeners.delete(res));
      return true;
    }
    if (req.method !== 'POST' || !['connect', 'push', 'pull', 'job'].includes(route)) {
      sendError(res, { code: 'NOT_FOUND', message: `No sync endpoint ${req.method ?? ''} ${url.pathname.slice(0, 80)}` });
      return true;
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendError(res, { code: 'BAD_REQUEST', message: 'The body must be JSON (Content-Type: application/json)' }, 415);
      return true;
    }
    // Who is calling is known before any body is read: only a connected replica's push may be large.
    const caller = route === 'connect' ? null : hub.authenticate(bearer);
    if (caller && !caller.ok) {
      res.setHeader('Connection', 'close');
      answer(res, caller);
      return true;
    }
    const limit = route === 'push' ? SYNC_BODY_LIMIT : DEFAULT_BODY_LIMIT;
    const body = await readBody(req, limit);
    if (body.kind === 'too-large') {
      res.setHeader('Connection', 'close');
      sendError(res, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${Math.round(limit / 1024)} KiB` });
      return true;
    }
    let input: unknown;
    try {
      input = JSON.parse(body.text);
    } catch {
      sendError(res, { code: 'BAD_REQUEST', message: 'The request body is not valid JSON' });
      return true;
    }
    if (!caller) answer(res, await hub.connect(input, `ip:${req.socket.remoteAddress ?? 'unknown'}`));
    // What the replica's commands do at the hub (mail links, throttling by source) names where they reached it, never what an envelope says.
    else if (route === 'push')
      answer(res, await hub.push(caller.value, input, { origin: url.origin, source: `ip:${req.socket.remoteAddress ?? 'unknown'}` }));
    else if (route === 'job') answer(res, hub.job(caller.value, input));
    else answer(res, hub.pull(caller.value, input));
    return true;
  }

  return {
    handle,
    close: () => {
      clearInterval(poll);
      clearInterval(keepAlive);
      for (const res of listeners.keys()) res.end();
      listeners.clear();
    },
  };
}
