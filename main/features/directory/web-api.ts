import * as oidc from 'openid-client';
import type { z } from 'zod';
import { isLoopbackHost } from '../../security/loopback';

/** How long each token request and each page may take, in seconds. */
const TIMEOUT_SECONDS = 15;
/** The most pages one read follows: 200,000 people (the sync's limit) at Google's 500 a page, with room to spare. */
const MAX_PAGES = 1000;
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
 * the end. R34: the token goes only to `first`'s origin; a next page elsewhere is refused,
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
    const response = await oidc.fetchProtectedResource(
      config,
      accessToken,
      url,
      'GET',
      undefined,
      new Headers({ accept: 'application/json' }),
    );
    if (!response.ok)
      throw new DirectoryApiError(response.status, `${url.pathname} answered HTTP ${response.status}${await apiMessage(response)}`);
    const page = parse.parse(await response.json());
    pages.push(page);
    url = next(page, url);
  }
  return pages;
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
