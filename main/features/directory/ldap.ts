import { Client } from 'ldapts';
import type { DirectoryEntry, LdapSettings } from '../../../shared/contract';
import { isLoopbackHost } from '../../security/loopback';

/** Milliseconds to connect, and for each operation. */
const TIMEOUT_MS = 15_000;
const PAGE_SIZE = 500;

function firstString(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : null;
}

function strings(value: unknown): string[] {
  const all: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** What `source` says in "synced from …": the directory's address, never its credentials. */
export function ldapSource(settings: LdapSettings): string {
  return `LDAP ${settings.url.replace(/\/$/, '')}`;
}

/**
 * Reads the people of a directory with ldapts: binds as `bindDn`, searches the subtree of
 * `baseDn` with `filter` in pages (RFC 2696 paged results, 500 a page), and returns each
 * entry's DN, email and departments (a multi-valued attribute gives several). A plain
 * ldap:// address off this machine is upgraded with StartTLS (RFC 4513) before the bind, so
 * the password never crosses the network in clear. Throws ldapts' errors (connection,
 * TLS, bind refused, bad filter).
 */
export async function readLdap(settings: LdapSettings, password: string): Promise<DirectoryEntry[]> {
  const url = new URL(settings.url);
  // ldapts speaks TLS from the first byte whenever tlsOptions are given, so only ldaps:// gets them (StartTLS takes its own).
  const client = new Client({
    url: settings.url,
    timeout: TIMEOUT_MS,
    connectTimeout: TIMEOUT_MS,
    ...(url.protocol === 'ldaps:' ? { tlsOptions: { minVersion: 'TLSv1.2' as const } } : {}),
  });
  try {
    if (url.protocol === 'ldap:' && !isLoopbackHost(url.hostname))
      await client.startTLS({ minVersion: 'TLSv1.2', servername: url.hostname });
    await client.bind(settings.bindDn, password);
    const { searchEntries } = await client.search(settings.baseDn, {
      scope: 'sub',
      filter: settings.filter,
      attributes: [settings.emailAttribute, settings.departmentAttribute],
      paged: { pageSize: PAGE_SIZE },
    });
    // Servers answer with the attribute's name as their schema spells it: match without case.
    const attribute = (entry: Record<string, unknown>, name: string) =>
      Object.entries(entry).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    return searchEntries.map((entry) => ({
      dn: entry.dn,
      email: firstString(attribute(entry, settings.emailAttribute)),
      departments: [...new Set(strings(attribute(entry, settings.departmentAttribute)))],
    }));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
