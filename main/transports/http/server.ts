import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ApiError, Result } from '../../../shared/result';
import type { Dispatcher } from '../../dispatch/dispatcher';
import { cookieWriter, parseCookies } from './cookies';
import { handleSsoRoute, isSsoRoute } from './sso-routes';
import { serveStatic, SECURITY_HEADERS } from './static-files';
import { jsonPieces, writeJsonPieces } from './json-body';
import { httpStatus } from './status-codes';

export const CSRF_HEADER = 'x-steward-csrf';
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Operations that carry whole files: a 100,000-row device import is about 10 MB of CSV, more once JSON-escaped. */
export const LARGE_BODY_LIMITS: Readonly<Record<string, number>> = { 'devices.import': 64 * 1024 * 1024 };

export interface WebServerOptions {
  dispatcher: Dispatcher;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer; without it only the API is served. */
  staticDir?: string;
  bodyLimitBytes?: number;
  /** The address to listen on; 127.0.0.1 unless a hub is told otherwise. */
  host?: string;
  /** HTTPS with this certificate and key (PEM); plain HTTP without (loopback only). */
  tls?: { cert: string; key: string };
  /**
   * Names (and addresses) besides 127.0.0.1 and localhost that clients reach this server by:
   * the Host and Origin checks accept them with the server's port (DNS rebinding, CSRF).
   */
  publicNames?: readonly string[];
  /** Requests outside /api/ and the console that another part answers (the hub's /sync/); true when it did. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

export interface WebServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** The web console's front door: POST /api/<operation> on 127.0.0.1 only, plus the built renderer. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  let port = options.port;
  const names = () => ({ session: `steward_session_${port}`, csrf: `steward_csrf_${port}`, sso: `steward_sso_${port}` });
  const scheme = options.tls ? 'https' : 'http';
  const cookie = cookieWriter({ https: options.tls !== undefined });
  const hostNames = ['127.0.0.1', 'localhost', ...(options.publicNames ?? [])].map((n) => n.toLowerCase());
  const known = (host: string) => hostNames.some((n) => host.toLowerCase() === `${n.includes(':') ? `[${n}]` : n}:${port}`);

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, { code: 'INTERNAL', message: 'The request could not be handled' });
      else res.destroy();
    });
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createServer(listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves to this address must not reach us.
    const host = req.headers.host ?? '';
    if (!known(host)) {
      return sendError(res, {
        code: 'FORBIDDEN',
        message: options.publicNames?.length
          ? 'Steward answers only on its configured names'
          : 'Steward answers only on its loopback address',
      });
    }
    const url = new URL(req.url ?? '/', `${scheme}://${host}`);
    if (options.routes && !url.pathname.startsWith('/api/') && (await options.routes(req, res, url))) return;
    const cookies = parseCookies(req.headers.cookie);
    const csrfCookie = cookies.get(names().csrf);
    const setCsrf = csrfCookie ? [] : [cookie(names().csrf, randomBytes(16).toString('base64url'), { httpOnly: false })];

    if (isSsoRoute(url.pathname) && req.method === 'GET') {
      return handleSsoRoute(url, res, {
        dispatcher: options.dispatcher,
        origin: `${scheme}://${host}`,
        source: `ip:${req.socket.remoteAddress ?? 'unknown'}`,
        cookies,
        names: names(),
        cookie,
      });
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendError(res, { code: 'BAD_REQUEST', message: 'Only GET is served here' }, 405);
      if (!options.staticDir) return sendError(res, { code: 'NOT_FOUND', message: 'No console is served here' });
      return serveStatic(options.staticDir, url.pathname, res, setCsrf.length ? { 'Set-Cookie': setCsrf[0] ?? '' } : {});
    }
    if (url.pathname === '/api/csrf' && req.method === 'GET') {
      return sendJson(res, 200, { ok: true, value: { ready: true } }, setCsrf);
    }
    if (req.method !== 'POST') return sendError(res, { code: 'BAD_REQUEST', message: 'Operations are called with POST' }, 405);

    const origin = req.headers.origin;
    if (origin !== undefined && !(origin.startsWith(`${scheme}://`) && known(origin.slice(scheme.length + 3)))) {
      return sendError(res, { code: 'CSRF', message: 'Requests from other sites are refused' });
    }
    const csrfHeader = req.headers[CSRF_HEADER];
    if (typeof csrfHeader !== 'string' || !csrfCookie || !sameToken(csrfHeader, csrfCookie)) {
      return sendError(
        res,
        { code: 'CSRF', message: `The ${CSRF_HEADER} header is missing or does not match; reload the console` },
        undefined,
        setCsrf,
      );
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendError(res, { code: 'BAD_REQUEST', message: 'The body must be JSON (Content-Type: application/json)' }, 415);
    }
    const name = operationName(url.pathname.slice('/api/'.length));
    if (name === undefined) return sendError(res, { code: 'UNKNOWN_OPERATION', message: 'The operation name is not valid' });
    const token = cookies.get(names().session) ?? null;
    // The larger limit is for signed-in callers only: without a session the call fails anyway.
    const large = Object.prototype.hasOwnProperty.call(LARGE_BODY_LIMITS, name) && options.dispatcher.isSignedIn(token);
    const bodyLimit = large ? Math.max(limit, LARGE_BODY_LIMITS[name] ?? 0) : limit;
    const body = await readBody(req, bodyLimit);
    if (body.kind === 'too-large') {
      res.setHeader('Connection', 'close');
      return sendError(res, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${Math.round(bodyLimit / 1024)} KiB` });
    }
    let input: unknown;
    try {
      input = body.text.trim() === '' ? {} : JSON.parse(body.text);
    } catch {
      return sendError(res, { code: 'BAD_REQUEST', message: 'The request body is not valid JSON' });
    }
    // A client that goes away (a closed tab, an aborted fetch) stops its read in the read pool.
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableEnded) gone.abort();
    });
    const { result, session } = await options.dispatcher.dispatch(name, input, {
      token,
      client: 'web',
      source: `ip:${req.socket.remoteAddress ?? 'unknown'}`,
      origin: `${scheme}://${host}`,
      signal: gone.signal,
    });
    if (gone.signal.aborted) return;
    const setCookies = [...setCsrf];
    if (session?.kind === 'set') setCookies.push(cookie(names().session, session.token, { httpOnly: true }));
    if (session?.kind === 'clear') setCookies.push(cookie(names().session, '', { httpOnly: true, maxAgeSeconds: 0 }));
    sendJson(res, result.ok ? 200 : httpStatus(result.error.code), result, setCookies);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  server.requestTimeout = 60_000;
  // An idle keep-alive connection is closed by the server only well after a client would stop
  // reusing it (browsers keep them about a minute; Node's fetch until the Keep-Alive hint less a
  // second). With Node's 5 s default, a loaded server closed connections a client was just
  // reusing, and that request failed with "other side closed" (RFC 9112 §9.3 lets either side
  // close an idle one; this makes the server the later of the two).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const shown = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A malformed percent-escape names no operation (decodeURIComponent would throw). */
function operationName(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Body = { kind: 'ok'; text: string } | { kind: 'too-large' };

export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? { kind: 'too-large' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

/** Writes a JSON answer; one holding a very long string (an export) is written in slices, the event loop free between them (json-body.ts). */
export function sendJson(res: ServerResponse, status: number, body: Result<unknown>, cookies: string[] = []): void {
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
    ...(cookies.length ? { 'Set-Cookie': cookies } : {}),
  };
  const pieces = jsonPieces(body);
  if (pieces) {
    // Its length is known only once written: sent chunked.
    res.writeHead(status, headers);
    void writeJsonPieces(res, pieces);
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError, status?: number, cookies: string[] = []): void {
  sendJson(res, status ?? httpStatus(error.code), { ok: false, error }, cookies);
}
