import { importPKCS8, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { DirectoryEntry, GoogleSettings } from '../../../shared/contract';
import { departmentName, MAX_ENTRIES, readPages, tokenClient } from './web-api';

/** The one scope asked for: reading users, which domain-wide delegation must grant the service account. */
export const GOOGLE_DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The Directory API's largest page for users.list. */
const PAGE_SIZE = 500;
/** Only the fields the sync reads (the API's partial response). */
const FIELDS = 'nextPageToken,users(id,primaryEmail,orgUnitPath,organizations(department,primary))';

const googleUser = z.object({
  id: z.string(),
  primaryEmail: z.string().nullish(),
  orgUnitPath: z.string().nullish(),
  organizations: z.array(z.object({ department: z.string().nullish(), primary: z.boolean().nullish() })).nullish(),
});
const googlePage = z.object({ users: z.array(googleUser).optional(), nextPageToken: z.string().optional() });
type GoogleUser = z.infer<typeof googleUser>;

/** What "synced from …" says: the Workspace domain (or the whole account), never the service account's key. */
export function googleSource(settings: GoogleSettings): string {
  return `Google Workspace${settings.domain ? `, ${settings.domain}` : ''}`;
}

/** The RS256 key of a PEM private key (PKCS #8, as Google's JSON key files hold it); throws jose's error for anything else. */
export function googlePrivateKey(pem: string): ReturnType<typeof importPKCS8> {
  return importPKCS8(pem.trim(), 'RS256');
}

/**
 * A user's departments: with `organization`, every `organizations[].department`, the primary
 * organization's first; with `orgUnit`, the org unit's path without its leading slash
 * ("/Sales/EMEA" is "Sales/EMEA"; the root "/" is none).
 */
function departmentsOf(user: GoogleUser, from: GoogleSettings['departmentFrom']): string[] {
  if (from === 'orgUnit') {
    const unit = departmentName(user.orgUnitPath?.replace(/^\/+/, ''));
    return unit ? [unit] : [];
  }
  const organizations = [...(user.organizations ?? [])].sort((a, b) => Number(b.primary === true) - Number(a.primary === true));
  return [...new Set(organizations.map((o) => departmentName(o.department)).filter((d): d is string => d !== null))];
}

/**
 * Reads a Google Workspace account's users from the Admin SDK Directory API. The token comes
 * from `tokenUrl` by the JWT bearer grant (RFC 7523 section 2.1): an assertion signed RS256 with
 * the service account's private key, `iss` the service account, `sub` the administrator it acts
 * as (domain-wide delegation), `scope` admin.directory.user.readonly, `aud` the token URL,
 * valid one hour. Then `GET <apiUrl>/admin/directory/v1/users` with `customer=my_customer` (or
 * `domain=`), `maxResults=500` and `pageToken` to the last page. A user's email is
 * `primaryEmail`. Throws jose's error for a key that is not an RSA private key, openid-client's
 * for the token (unauthorized_client when delegation is missing, …), DirectoryApiError for an
 * API answer that is not 2xx.
 */
export async function readGoogle(settings: GoogleSettings, privateKeyPem: string): Promise<DirectoryEntry[]> {
  const assertion = await new SignJWT({ scope: GOOGLE_DIRECTORY_SCOPE })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(settings.serviceAccountEmail)
    .setSubject(settings.adminEmail)
    .setAudience(settings.tokenUrl)
    // Google judges these by its own clock, so they are the machine's time, not Steward's.
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await googlePrivateKey(privateKeyPem));
  // The assertion is the grant and authenticates the service account: the request carries no client authentication.
  const config = tokenClient(settings.tokenUrl, settings.serviceAccountEmail, () => undefined, [settings.apiUrl]);
  const token = await oidc.genericGrantRequest(config, JWT_BEARER, { assertion });
  const first = new URL(`${settings.apiUrl}/admin/directory/v1/users`);
  if (settings.domain) first.searchParams.set('domain', settings.domain);
  else first.searchParams.set('customer', 'my_customer');
  first.searchParams.set('maxResults', String(PAGE_SIZE));
  first.searchParams.set('projection', 'basic');
  first.searchParams.set('fields', FIELDS);
  const pages = await readPages(config, token.access_token, first, googlePage, (page, url) => {
    if (!page.nextPageToken) return undefined;
    const next = new URL(url);
    next.searchParams.set('pageToken', page.nextPageToken);
    return next;
  });
  const users = pages.flatMap((p) => p.users ?? []);
  if (users.length > MAX_ENTRIES) throw new Error(`the account has more than ${MAX_ENTRIES.toLocaleString('en')} users`);
  return users.map((user) => ({
    dn: user.id,
    email: user.primaryEmail ?? null,
    departments: departmentsOf(user, settings.departmentFrom),
  }));
}
