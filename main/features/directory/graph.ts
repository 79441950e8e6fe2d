import * as oidc from 'openid-client';
import { z } from 'zod';
import type { DirectoryEntry, GraphSettings } from '../../../shared/contract';
import { departmentName, MAX_ENTRIES, readPages, tokenClient } from './web-api';

/** The most users Graph returns a page for `/users` (its documented `$top` limit). */
const PAGE_SIZE = 999;

const graphUser = z.object({
  id: z.string(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  department: z.string().nullish(),
});
const graphPage = z.object({ value: z.array(graphUser), '@odata.nextLink': z.string().optional() });

/** What "synced from …" says: the tenant, never the app's credentials. */
export function graphSource(settings: GraphSettings): string {
  return `Microsoft Graph, tenant ${settings.tenantId}`;
}

/**
 * Reads a tenant's users and their `department` from Microsoft Graph. The token comes from
 * `<loginUrl>/<tenantId>/oauth2/v2.0/token` by the OAuth 2.0 client credentials grant (RFC
 * 6749 section 4.4; client_secret_post) for the scope `<graphUrl>/.default`, so the app
 * registration needs the application permission User.Read.All. Then
 * `GET <graphUrl>/v1.0/users?$select=id,mail,userPrincipalName,department&$top=999`, following
 * `@odata.nextLink` to the last page. A user's email is `mail`, or else `userPrincipalName`.
 * Throws openid-client's errors for the token (invalid_client, …), DirectoryApiError for an
 * API answer that is not 2xx.
 */
export async function readGraph(settings: GraphSettings, clientSecret: string): Promise<DirectoryEntry[]> {
  const config = tokenClient(
    `${settings.loginUrl}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`,
    settings.clientId,
    oidc.ClientSecretPost(clientSecret),
    [settings.graphUrl],
  );
  const token = await oidc.clientCredentialsGrant(config, { scope: `${settings.graphUrl}/.default` });
  const first = new URL(`${settings.graphUrl}/v1.0/users`);
  first.searchParams.set('$select', 'id,mail,userPrincipalName,department');
  first.searchParams.set('$top', String(PAGE_SIZE));
  const pages = await readPages(config, token.access_token, first, graphPage, (page) => {
    const next = page['@odata.nextLink'];
    return next === undefined ? undefined : new URL(next);
  });
  const users = pages.flatMap((p) => p.value);
  if (users.length > MAX_ENTRIES) throw new Error(`the tenant has more than ${MAX_ENTRIES.toLocaleString('en')} users`);
  return users.map((user) => {
    const department = departmentName(user.department);
    return { dn: user.id, email: user.mail ?? user.userPrincipalName ?? null, departments: department ? [department] : [] };
  });
}
