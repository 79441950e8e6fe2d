import { z } from 'zod';
import { op } from './define';
import { email, entityId } from './fields';

/** The directories a company's departments can be synced from (issue 14). */
export const DIRECTORY_CONNECTORS = ['ldap', 'graph', 'google'] as const;
export type DirectoryConnector = (typeof DIRECTORY_CONNECTORS)[number];

/** Where each connector's token and API requests go unless the settings say otherwise. */
export const GRAPH_DEFAULTS = { loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com' } as const;
export const GOOGLE_DEFAULTS = { tokenUrl: 'https://oauth2.googleapis.com/token', apiUrl: 'https://admin.googleapis.com' } as const;

const attribute = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'An attribute name is letters, digits and dashes');

/** An https:// address (or http:// on this machine's loopback address), without a query or fragment. */
const endpoint = (label: string) =>
  z
    .string()
    .trim()
    .max(500, `${label} must be at most 500 characters`)
    .regex(
      /^(https:\/\/[^/\s?#]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/[^\s?#]*)?$/,
      `${label} is an https:// address (http:// only on this machine's loopback address), without ? or #`,
    )
    .transform((url) => url.replace(/\/+$/, ''));

/** LDAP / Active Directory, read with a bind DN and password (ldapts). */
export const ldapSettings = z
  .object({
    connector: z.literal('ldap'),
    /** ldap:// (upgraded with StartTLS unless on loopback) or ldaps://. */
    url: z
      .string()
      .trim()
      .max(500)
      .regex(/^ldaps?:\/\/[^/\s]+\/?$/, 'The address is ldap://host:port or ldaps://host:port'),
    bindDn: z.string().trim().min(1, 'The bind DN is required').max(500),
    baseDn: z.string().trim().min(1, 'The base DN is required').max(500),
    /** RFC 4515 filter selecting the people. */
    filter: z
      .string()
      .trim()
      .min(3)
      .max(1000)
      .regex(/^\(.*\)$/, 'A filter is written in parentheses, such as (objectClass=person)'),
    /** The attribute naming a person's department (Active Directory: `department`; OpenLDAP: `ou` or `departmentNumber`). */
    departmentAttribute: attribute,
    /** The attribute matched to the Steward account's email (`mail`). */
    emailAttribute: attribute,
  })
  .strict();

/**
 * Microsoft Entra ID through Microsoft Graph: users' `department`, read with an app
 * registration's client credentials (its secret is the connection's secret). The two
 * addresses are the global cloud's unless a national cloud's are given.
 */
export const graphSettings = z
  .object({
    connector: z.literal('graph'),
    /** The directory (tenant) id, a GUID, or a verified domain of the tenant. */
    tenantId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'The tenant is the directory (tenant) id or a domain of the tenant'),
    /** The app registration's application (client) id. */
    clientId: z.string().trim().min(1, 'The application (client) id is required').max(200),
    /** Where tokens are issued: `<loginUrl>/<tenantId>/oauth2/v2.0/token`. */
    loginUrl: endpoint('The sign-in address').default(GRAPH_DEFAULTS.loginUrl),
    /** Microsoft Graph itself: `<graphUrl>/v1.0/users`; the token is asked for `<graphUrl>/.default`. */
    graphUrl: endpoint('The Graph address').default(GRAPH_DEFAULTS.graphUrl),
  })
  .strict();

/**
 * Google Workspace through the Admin SDK Directory API: users' `organizations[].department`
 * or their org unit, read by a service account with domain-wide delegation, acting as an
 * administrator (`adminEmail`). Its private key is the connection's secret.
 */
export const googleSettings = z
  .object({
    connector: z.literal('google'),
    /** The service account's `client_email`. */
    serviceAccountEmail: email,
    /** The Workspace administrator the service account acts as (the JWT's `sub`). */
    adminEmail: email,
    /** One domain of the account; '' reads every domain of the customer (`customer=my_customer`). */
    domain: z
      .string()
      .trim()
      .max(253)
      .regex(/^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)?$/, 'The domain is a name such as example.com, or empty for every domain')
      .default(''),
    /** `organization`: each user's `organizations[].department`; `orgUnit`: their org unit's path, such as Sales/EMEA. */
    departmentFrom: z.enum(['organization', 'orgUnit'], 'Departments come from organization or orgUnit'),
    /** The OAuth 2.0 token endpoint the JWT bearer grant (RFC 7523) is sent to; also the JWT's audience. */
    tokenUrl: endpoint('The token address').default(GOOGLE_DEFAULTS.tokenUrl),
    /** The Admin SDK: `<apiUrl>/admin/directory/v1/users`. */
    apiUrl: endpoint('The Directory API address').default(GOOGLE_DEFAULTS.apiUrl),
  })
  .strict();

export const directorySettings = z.discriminatedUnion('connector', [ldapSettings, graphSettings, googleSettings], {
  error: `The connector is one of: ${DIRECTORY_CONNECTORS.join(', ')}`,
});
/** How Steward reaches a company's directory, by connector. */
export type DirectorySettings = z.output<typeof directorySettings>;
export type LdapSettings = z.output<typeof ldapSettings>;
export type GraphSettings = z.output<typeof graphSettings>;
export type GoogleSettings = z.output<typeof googleSettings>;

/** One run's report: what it added, changed and removed, and what it skipped with why. */
export interface DirectoryReport {
  at: number;
  trigger: 'scheduled' | 'manual';
  /** Set when the run applied nothing, with the reason. */
  stopped: string | null;
  departments: { added: string[]; removed: string[] };
  people: { changed: Array<{ username: string; added: string[]; removed: string[] }>; unchanged: number };
  /** The first 100 skipped entries; `skippedCount` counts them all. */
  skipped: Array<{ entry: string; reason: string }>;
  skippedCount: number;
}

export interface DirectoryView {
  companyId: string;
  configured: boolean;
  enabled: boolean;
  settings: DirectorySettings | null;
  /** Whether a secret (bind password, client secret or private key) is stored; the secret itself is never shown. */
  hasSecret: boolean;
  /** True while Steward is reading the directory for this company. */
  syncing: boolean;
  lastRunAt: number | null;
  lastReport: DirectoryReport | null;
  /** When the weekly run is due next (ms since the epoch); null while off. */
  nextRunAt: number | null;
  departments: Array<{ groupId: string; name: string; directoryName: string; source: string }>;
  version: number;
}

/**
 * A directory entry as the sync applies it: recorded in the command, so a replay applies the
 * same directory. `dn` names the entry in its directory (an LDAP DN, a Graph user id, a Google
 * user id), for the report when it has no email.
 */
export const directoryEntry = z
  .object({ dn: z.string().max(1000), email: z.string().max(254).nullable(), departments: z.array(z.string().max(200)).max(50) })
  .strict();
export type DirectoryEntry = z.infer<typeof directoryEntry>;

const companyRef = z.object({ companyId: entityId }).strict();

export const directoryContract = {
  'directory.get': op<DirectoryView>()({ input: companyRef, audience: ['active'], kind: 'query', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  'directory.configure': op<DirectoryView>()({
    input: z
      .object({
        companyId: entityId,
        baseVersion: z.number().int().min(0, 'Base version must be 0 or more'),
        settings: directorySettings,
        /**
         * The LDAP bind password, the Entra client secret, or the Google service account's
         * private key (PEM). Omit to keep the stored one; it must be given again when the
         * connector or an address changes (R34).
         */
        secret: z.string().max(10_000, 'The secret must be at most 10,000 characters').optional(),
        enabled: z.boolean(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['secret'],
    errors: ['NOT_FOUND', 'FORBIDDEN', 'VALIDATION', 'CONFLICT'],
  }),
  /** Sync Now: reads the directory and applies it at once. */
  'directory.syncNow': op<DirectoryReport>()({
    input: companyRef,
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /** The weekly run, as a system actor: applies the directory as the schedule read it (`entries`). */
  'directory.syncScheduled': op<DirectoryReport>()({
    input: z
      .object({ companyId: entityId, entries: z.array(directoryEntry).max(200_000), readError: z.string().max(500).optional() })
      .strict(),
    audience: 'system',
    kind: 'command',
    errors: ['NOT_FOUND'],
  }),
} as const;
