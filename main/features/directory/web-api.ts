import * as oidc from 'openid-client';
import type { z } from 'zod';
import { isLoopbackHost } from '../../security/loopback';

/** How long each token request and each page may take, in seconds. */
const TIMEOUT_SECONDS = 15;
/** The most pages one read follows: 200,000 people (the sync's limit) at Google's 500 a page, with room to spare. */
const MAX_PAGES = 1000;
/** How often one page is asked again after the API said it was busy (429 or 503), and the longest wait honoured, in ms. */
const BUSY_RETRIES = 5;
const BUSY_WAIT_MAX_MS = 60_000;
/** The most entries one read returns (directory.syncScheduled's input limit). */
export const MAX_ENTRIES = 200_000;

/** An HTTP answer from a directory API that is not 2xx, with the API's own message. */
export class DirectoryApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryApiError';
  }
}

/**
 * openid-client's client for a fixed token endpoint (Microsoft's and Google's are published,
 * not discovered), authenticating with `auth`. Plain http:// is allowed only when every
 * address the client will reach (`tokenUrl` and `apiUrls`) is on the loopback address
 * (how tests reach a local stand-in); otherwise openid-client refuses anything but HTTPS.
 */
export function tokenClient(tokenUrl: string, clientId: string, auth: oidc.ClientAuth, apiUrls: readonly string[]): oidc.Configuration {
  const token = new URL(tokenUrl);
  const config = new oidc.Configuration({ issuer: token.origin, token_endpoint: token.href }, clientId, undefined, auth);
  config.timeout = TIMEOUT_SECONDS;
  const addresses = [token, ...apiUrls.map((u) => new URL(u))];
  if (addresses.some((u) => u.protocol === 'http:') && addresses.every((u) => u.protocol === 'https:' || isLoopbackHost(u.hostname)))
    oidc.allowInsecureRequests(config);
  return config;
}

/**
 * Reads every page of a paged JSON API with the access token, from `first` on: `parse`
 * checks each page's shape (zod) and `next` names the following page's URL, or undefined at
 * the end. A page the API is too busy to answer is asked again (fetchPatiently). R34: the token goes only to `first`'s origin; a next page elsewhere is refused,
 * as is a page seen before (a loop). Throws DirectoryApiError for an answer that is not 2xx
 * (with the API's `error.message`), zod's error for a page of the wrong shape, and
 * openid-client's errors for the network.
 */
export async function readPages<Page>(
  config: oidc.Configuration,
  accessToken: string,
  first: URL,
  parse: z.ZodType<Page>,
  next: (page: Page, url: URL) => URL | undefined,
): Promise<Page[]> {
  const pages: Page[] = [];
  const seen = new Set<string>();
  for (let url: URL | undefined = first; url;) {
    if (url.origin !== first.origin)
      throw new Error(`the directory named a next page on ${url.origin}; Steward sends its token only to ${first.origin}`);
    if (seen.has(url.href)) throw new Error('the directory named a page it had already sent');
    if (pages.length >= MAX_PAGES) throw new Error(`the directory sent more than ${MAX_PAGES} pages`);
    seen.add(url.href);
    const response = await fetchPatiently(config, accessToken, url);
    if (!response.ok)
      throw new DirectoryApiError(response.status, `${url.pathname} answered HTTP ${response.status}${await apiMessage(response)}`);
    const page = parse.parse(await response.json());
    pages.push(page);
    url = next(page, url);
  }
  return pages;
}

/**
 * One GET of a page, asked again while the API says it is busy: 429 Too Many Requests or 503,
 * after the Retry-After it names (seconds or an HTTP date, RFC 9110 §10.2.3; Microsoft Graph's
 * throttling guidance and Google's both ask for it), else after 1, 2, 4, … s. At most
 * BUSY_RETRIES more times and BUSY_WAIT_MAX_MS per wait; the last answer is returned as it came.
 */
async function fetchPatiently(config: oidc.Configuration, accessToken: string, url: URL): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await oidc.fetchProtectedResource(
      config,
      accessToken,
      url,
      'GET',
      undefined,
      new Headers({ accept: 'application/json' }),
    );
    if ((response.status !== 429 && response.status !== 503) || attempt >= BUSY_RETRIES) return response;
    await response.body?.cancel();
    // eslint-disable-next-line no-restricted-syntax -- a wait on the wall clock, as the API's date is; nothing recorded takes this time
    const now = Date.now();
    await new Promise((resolve) => setTimeout(resolve, busyWaitMs(response.headers.get('retry-after'), attempt, now)));
  }
}

/** How long to wait before asking again, from a Retry-After header (delay-seconds or HTTP-date) or by doubling from 1 s. */
export function busyWaitMs(retryAfter: string | null, attempt: number, now: number): number {
  const fallback = Math.min(1000 * 2 ** attempt, BUSY_WAIT_MAX_MS);
  if (retryAfter === null) return fallback;
  const value = retryAfter.trim();
  // delay-seconds is digits only; an HTTP-date names its day and month (IMF-fixdate, RFC 9110 §5.6.7).
  const wait = /^\d+$/.test(value)
    ? Number(value) * 1000
    : /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} /.test(value)
      ? Date.parse(value) - now
      : NaN;
  return Number.isFinite(wait) ? Math.min(Math.max(wait, 0), BUSY_WAIT_MAX_MS) : fallback;
}

/** Graph and Google both answer errors as `{"error": {"message": …}}`. */
async function apiMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown; code?: unknown } };
    const message = body.error?.message;
    const code = body.error?.code;
    return typeof message === 'string' ? `: ${typeof code === 'string' ? `${code}: ` : ''}${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

/** A department's name without surrounding spaces; an empty one is no department. */
export function departmentName(value: string | null | undefined): string | null {
  const name = value?.trim() ?? '';
  return name === '' ? null : name;
}
