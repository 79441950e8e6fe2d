import { GOOGLE_DEFAULTS, GRAPH_DEFAULTS, type DirectoryConnector, type Input } from '../../../../shared/contract';

type SettingsInput = Input<'directory.configure'>['settings'];
export type DraftOf<C extends DirectoryConnector> = Extract<SettingsInput, { connector: C }>;
/** What the tab holds for each connector, so switching between them loses nothing typed. */
export type Drafts = { [C in DirectoryConnector]: DraftOf<C> };

export const CONNECTOR_NAMES: Record<DirectoryConnector, string> = {
  ldap: 'LDAP or Active Directory',
  graph: 'Microsoft Entra ID (Microsoft Graph)',
  google: 'Google Workspace (Directory API)',
};

export const SECRET_LABELS: Record<DirectoryConnector, string> = {
  ldap: 'Bind password',
  graph: 'Client secret',
  google: 'Private key',
};

export const EMPTY_DRAFTS: Drafts = {
  ldap: {
    connector: 'ldap',
    url: 'ldaps://',
    bindDn: '',
    baseDn: '',
    filter: '(objectClass=user)',
    departmentAttribute: 'department',
    emailAttribute: 'mail',
  },
  graph: { connector: 'graph', tenantId: '', clientId: '', ...GRAPH_DEFAULTS },
  google: {
    connector: 'google',
    serviceAccountEmail: '',
    adminEmail: '',
    domain: '',
    departmentFrom: 'organization',
    ...GOOGLE_DEFAULTS,
  },
};

/** The drafts with the stored settings in their connector's place. */
export function draftsFrom(stored: SettingsInput | null): Drafts {
  if (!stored) return EMPTY_DRAFTS;
  return { ...EMPTY_DRAFTS, [stored.connector]: stored };
}

/** Every field the form shows, by its path in directory.configure's input (refusals name these). */
export const FORM_FIELDS = [
  'baseVersion',
  'secret',
  'settings',
  'settings.connector',
  ...['url', 'bindDn', 'baseDn', 'filter', 'departmentAttribute', 'emailAttribute'],
  ...['tenantId', 'clientId', 'loginUrl', 'graphUrl'],
  ...['serviceAccountEmail', 'adminEmail', 'domain', 'departmentFrom', 'tokenUrl', 'apiUrl'],
].map((f) => (f === 'baseVersion' || f === 'secret' || f.startsWith('settings') ? f : `settings.${f}`));

/**
 * A Google service account's JSON key file, as Google's console downloads it: its
 * `client_email` and `private_key`, or null for anything else.
 */
export function readKeyFile(text: string): { clientEmail: string; privateKey: string } | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { client_email: clientEmail, private_key: privateKey } = parsed as Record<string, unknown>;
    return typeof clientEmail === 'string' && typeof privateKey === 'string' ? { clientEmail, privateKey } : null;
  } catch {
    return null;
  }
}
