import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';

/**
 * Local stand-ins for Microsoft Graph and Google's Admin SDK Directory API, which these
 * machines cannot reach. Each is a real HTTP server on loopback that answers the requests and
 * responses the vendors document (token endpoint, users list, paging), refuses what the real
 * service would refuse (a wrong secret, a bad assertion, a missing or wrong bearer token), and
 * records every request so tests can check what Steward sent.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The form body of a token request. */
  form: URLSearchParams | null;
}

interface StandIn {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Route = (req: RecordedRequest, res: ServerResponse) => Promise<void> | void;

async function serve(route: Route): Promise<{ server: Server; url: string; requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : null;
      const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, form };
      requests.push(recorded);
      Promise.resolve(route(recorded, res)).catch((error: unknown) => json(res, 500, { error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

/** The access token a bearer request carries, or null. */
function bearer(req: RecordedRequest): string | null {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

// Microsoft Graph ---------------------------------------------------------------------------

export interface GraphUser {
  id: string;
  mail: string | null;
  userPrincipalName: string;
  department: string | null;
}

export interface GraphStandIn extends StandIn {
  /** The tenant's users; change it between syncs. */
  users: GraphUser[];
  /** Tokens issued by the token endpoint. */
  issued: string[];
  /** Where the next page links point (Graph's own address unless a test moves them). */
  nextLinkBase: string;
  /** The next this many /users requests are throttled as Graph throttles: 429 with Retry-After (seconds). */
  throttle: { requests: number; retryAfter: string };
}

/**
 * Microsoft identity platform's token endpoint and Graph's users list, as documented:
 * - `POST /{tenant}/oauth2/v2.0/token`, form `grant_type=client_credentials`, `client_id`,
 *   `client_secret`, `scope=<graph>/.default` → `{token_type, expires_in, access_token}`;
 *   a wrong secret is `401 {"error":"invalid_client","error_description":"AADSTS7000215: …"}`.
 * - `GET /v1.0/users?$select=…&$top=N` with `Authorization: Bearer` →
 *   `{"@odata.context", value: [...], "@odata.nextLink"?}`; `$top` is at most 999, and Graph
 *   may send fewer (here `pageSize`); the next link carries an opaque `$skiptoken`.
 * - Throttling, when a test asks for it: `429 TooManyRequests` with `Retry-After`.
 */
export async function startGraph(options: {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  users: GraphUser[];
  pageSize: number;
}): Promise<GraphStandIn> {
  const skipTokens = new Map<string, number>();
  const standIn: GraphStandIn = {
    url: '',
    requests: [],
    users: options.users,
    issued: [],
    nextLinkBase: '',
    throttle: { requests: 0, retryAfter: '0' },
    close: async () => undefined,
  };
  const { server, url, requests } = await serve((req, res) => {
    if (req.method === 'POST' && req.path === `/${options.tenantId}/oauth2/v2.0/token`) {
      const form = req.form;
      if (!form || form.get('grant_type') !== 'client_credentials')
        return json(res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'AADSTS70003: The app requested an unsupported grant type.',
        });
      if (form.get('scope') !== `${url}/.default`)
        return json(res, 400, {
          error: 'invalid_scope',
          error_description: `AADSTS70011: The provided value for scope ${form.get('scope') ?? ''} is not valid.`,
        });
      if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret)
        return json(res, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${options.clientId}'.`,
          error_codes: [7000215],
        });
      const token = randomBytes(24).toString('base64url');
      standIn.issued.push(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    if (req.method === 'POST' && req.path.endsWith('/oauth2/v2.0/token'))
      return json(res, 400, {
        error: 'invalid_request',
        error_description: 'AADSTS90002: Tenant not found. Check to make sure you have the correct tenant ID.',
      });
    if (req.method === 'GET' && req.path === '/v1.0/users' && standIn.throttle.requests > 0) {
      standIn.throttle.requests -= 1;
      res.setHeader('Retry-After', standIn.throttle.retryAfter);
      return json(res, 429, {
        error: { code: 'TooManyRequests', message: 'Too many requests are being made; please retry after the time in Retry-After.' },
      });
    }
    if (req.method === 'GET' && req.path === '/v1.0/users') {
      const token = bearer(req);
      if (!token || !standIn.issued.includes(token))
        return json(res, 401, {
          error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' },
        });
      const top = Number(req.query.get('$top') ?? '100');
      if (!Number.isInteger(top) || top < 1 || top > 999)
        return json(res, 400, { error: { code: 'Request_UnsupportedQuery', message: 'Invalid page size specified.' } });
      const select = (req.query.get('$select') ?? '').split(',').filter(Boolean);
      const skip = req.query.get('$skiptoken');
      const offset = skip === null ? 0 : skipTokens.get(skip);
      if (offset === undefined)
        return json(res, 400, { error: { code: 'Directory_ExpiredPageToken', message: 'The specified page token value has expired.' } });
      const size = Math.min(top, options.pageSize);
      const page = standIn.users.slice(offset, offset + size).map((user) => {
        if (select.length === 0) return user;
        return Object.fromEntries(select.map((key) => [key, (user as unknown as Record<string, unknown>)[key] ?? null]));
      });
      const body: Record<string, unknown> = { '@odata.context': `${url}/v1.0/$metadata#users(${select.join(',')})`, value: page };
      if (offset + size < standIn.users.length) {
        const next = randomBytes(12).toString('hex');
        skipTokens.set(next, offset + size);
        const link = new URL(`${standIn.nextLinkBase}/v1.0/users`);
        link.searchParams.set('$select', select.join(','));
        link.searchParams.set('$top', String(top));
        link.searchParams.set('$skiptoken', next);
        body['@odata.nextLink'] = link.href;
      }
      return json(res, 200, body);
    }
    return json(res, 404, { error: { code: 'Request_ResourceNotFound', message: `Resource ${req.path} does not exist.` } });
  });
  Object.assign(standIn, { url, requests, nextLinkBase: url, close: closer(server) });
  return standIn;
}

// Google Admin SDK Directory API --------------------------------------------------------------

export interface GoogleUser {
  id: string;
  primaryEmail: string;
  orgUnitPath: string;
  organizations?: Array<{ department?: string; primary?: boolean; title?: string }>;
}

export interface GoogleStandIn extends StandIn {
  users: GoogleUser[];
  issued: string[];
  /** The claims of every assertion the token endpoint accepted. */
  assertions: Array<Record<string, unknown>>;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

/**
 * Google's OAuth 2.0 token endpoint for service accounts and the Directory API's users.list,
 * as documented:
 * - `POST /token`, form `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
 *   `assertion` (RS256, `iss` the service account, `sub` the administrator, `scope`, `aud` the
 *   token URL, `exp` at most an hour after `iat`), verified with the service account's public
 *   key; an administrator without delegation is `401 unauthorized_client`.
 * - `GET /admin/directory/v1/users?customer=my_customer|domain=…&maxResults=N&pageToken=…`
 *   with `Authorization: Bearer` → `{kind: "admin#directory#users", users: [...], nextPageToken?}`;
 *   `maxResults` is 1 to 500, and the service sends `pageSize` at most here.
 */
export async function startGoogleDirectory(options: {
  serviceAccountEmail: string;
  /** The service account's public key (SPKI PEM). */
  publicKey: string;
  /** Administrators the service account may act as (domain-wide delegation). */
  delegatedAdmins: string[];
  users: GoogleUser[];
  pageSize: number;
}): Promise<GoogleStandIn> {
  const key = await importSPKI(options.publicKey, 'RS256');
  const pageTokens = new Map<string, number>();
  const standIn: GoogleStandIn = { url: '', requests: [], users: options.users, issued: [], assertions: [], close: async () => undefined };
  const { server, url, requests } = await serve(async (req, res) => {
    if (req.method === 'POST' && req.path === '/token') {
      const form = req.form;
      if (!form || form.get('grant_type') !== JWT_BEARER)
        return json(res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'Invalid grant_type: ' + (form?.get('grant_type') ?? ''),
        });
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(form.get('assertion') ?? '', key, {
          algorithms: ['RS256'],
          issuer: options.serviceAccountEmail,
          audience: `${url}/token`,
          requiredClaims: ['iat', 'exp', 'sub', 'scope'],
          maxTokenAge: '1h',
        }));
      } catch (error) {
        return json(res, 400, { error: 'invalid_grant', error_description: `Invalid JWT: ${(error as Error).message}` });
      }
      const lifetime = Number(claims.exp) - Number(claims.iat);
      if (lifetime > 3600)
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes)' });
      if (claims.scope !== DIRECTORY_SCOPE || !options.delegatedAdmins.includes(String(claims.sub)))
        return json(res, 401, {
          error: 'unauthorized_client',
          error_description:
            'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        });
      standIn.assertions.push(claims);
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      standIn.issued.push(token);
      return json(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    if (req.method === 'GET' && req.path === '/admin/directory/v1/users') {
      const token = bearer(req);
      if (!token || !standIn.issued.includes(token))
        return json(res, 401, {
          error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
        });
      const customer = req.query.get('customer');
      const domain = req.query.get('domain');
      if ((customer === null) === (domain === null))
        return json(res, 400, { error: { code: 400, message: 'Bad Request', errors: [{ reason: 'badRequest', message: 'Bad Request' }] } });
      const max = Number(req.query.get('maxResults') ?? '100');
      if (!Number.isInteger(max) || max < 1 || max > 500)
        return json(res, 400, { error: { code: 400, message: 'Invalid Input: maxResults', errors: [{ reason: 'invalid' }] } });
      const pageToken = req.query.get('pageToken');
      const offset = pageToken === null ? 0 : pageTokens.get(pageToken);
      if (offset === undefined) return json(res, 400, { error: { code: 400, message: 'Invalid Input: pageToken' } });
      const inScope = standIn.users.filter((u) => domain === null || u.primaryEmail.endsWith(`@${domain}`));
      const size = Math.min(max, options.pageSize);
      const body: Record<string, unknown> = {
        kind: 'admin#directory#users',
        etag: `"${randomBytes(8).toString('hex')}"`,
        users: inScope.slice(offset, offset + size).map((u) => ({ kind: 'admin#directory#user', ...u })),
      };
      if (offset + size < inScope.length) {
        const next = randomBytes(16).toString('base64url');
        pageTokens.set(next, offset + size);
        body.nextPageToken = next;
      }
      return json(res, 200, body);
    }
    return json(res, 404, { error: { code: 404, message: 'Not Found' } });
  });
  Object.assign(standIn, { url, requests, close: closer(server) });
  return standIn;
}
