import { z } from 'zod';
import { op } from './define';
import { entityId } from './fields';

/** How Steward reaches a company's LDAP directory (Active Directory, OpenLDAP, Entra Domain Services, Google Secure LDAP). */
export interface DirectorySettings {
  /** ldap:// (upgraded with StartTLS unless on loopback) or ldaps://. */
  url: string;
  bindDn: string;
  baseDn: string;
  /** RFC 4515 filter selecting the people. */
  filter: string;
  /** The attribute naming a person's department (Active Directory: `department`; OpenLDAP: `ou` or `departmentNumber`). */
  departmentAttribute: string;
  /** The attribute matched to the Steward account's email (`mail`). */
  emailAttribute: string;
}

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
  hasPassword: boolean;
  /** True while Steward is reading the directory for this company. */
  syncing: boolean;
  lastRunAt: number | null;
  lastReport: DirectoryReport | null;
  /** When the weekly run is due next (ms since the epoch); null while off. */
  nextRunAt: number | null;
  departments: Array<{ groupId: string; name: string; directoryName: string; source: string }>;
  version: number;
}

/** A directory entry as the sync applies it: recorded in the command, so a replay applies the same directory. */
export const directoryEntry = z
  .object({ dn: z.string().max(1000), email: z.string().max(254).nullable(), departments: z.array(z.string().max(200)).max(50) })
  .strict();
export type DirectoryEntry = z.infer<typeof directoryEntry>;

const attribute = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'An attribute name is letters, digits and dashes');

const companyRef = z.object({ companyId: entityId }).strict();

export const directoryContract = {
  'directory.get': op<DirectoryView>()({ input: companyRef, audience: ['active'], kind: 'query', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  'directory.configure': op<DirectoryView>()({
    input: z
      .object({
        companyId: entityId,
        baseVersion: z.number().int().min(0, 'Base version must be 0 or more'),
        url: z
          .string()
          .trim()
          .max(500)
          .regex(/^ldaps?:\/\/[^/\s]+\/?$/, 'The address is ldap://host:port or ldaps://host:port'),
        bindDn: z.string().trim().min(1, 'The bind DN is required').max(500),
        /** Omit to keep the stored password. */
        password: z.string().max(500).optional(),
        baseDn: z.string().trim().min(1, 'The base DN is required').max(500),
        filter: z
          .string()
          .trim()
          .min(3)
          .max(1000)
          .regex(/^\(.*\)$/, 'A filter is written in parentheses, such as (objectClass=person)'),
        departmentAttribute: attribute,
        emailAttribute: attribute,
        enabled: z.boolean(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['password'],
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
