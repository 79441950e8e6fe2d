import type { Migration } from './index';

/**
 * Issue 15, two steps of the console's findings:
 *
 * Finding 8: `saved_filters`, a person's own filters of the Devices and Audit screens, by name
 * (the filter as the screen's form holds it, JSON checked by the contract). They go with their
 * person (ON DELETE CASCADE) and are replicated like the people they belong to.
 *
 * Finding 7: a role made from a template kept the template's whole text as its
 * description, where its holders read it: the set it came from ("Seed 004, …") and how its
 * keys were chosen ("Reading: …"). Those explanations now live in the template picker only.
 * Descriptions that are still exactly what a template gave (after dropping the old set
 * prefix) become the template's description of today, in the role and in every saved version
 * of it; a description anyone wrote or edited is left as it is. The texts are written out
 * here, not imported, so this step stays what it was when templates change again.
 */
const REWORDED: ReadonlyArray<readonly [string, string]> = [
  [
    'Everything in the table at its level, plus group view and the audit trail (not in the table).',
    'Runs the company: its configuration, locations and users, managed computers and monitoring, with billing and the audit trail to read.',
  ],
  [
    'As Company Owner; cannot modify or remove the Owner (enforced for every Owner, not by keys).',
    'As Company Owner, but cannot change or remove the Owner.',
  ],
  [
    'As Company Owner at one or more locations, without billing and without managing locations; configuration limited to portal users.',
    'Runs one or more locations: their portal users, managed computers and monitoring; no billing and no managing locations.',
  ],
  ['Monitoring data of one or more locations, read only where the table says Read.', 'Reads the monitoring data of one or more locations.'],
  [
    'Only their own computers, the ones assigned to them (backed up by their agents to their cloud repository): sees those computers, their agents, monitoring, alarms and protected data (read) and restores files on them (full); no other device, no users, no configuration.',
    'Only their own computers, the ones assigned to them: sees those computers, their agents, monitoring, alarms and protected data, and restores files on them; no other device, no users, no configuration.',
  ],
  [
    'Reading: everything in the organization (backed-up data of every user, restores, user management and departments, settings, audit log, archive), except changing billing and transferring ownership, which stay with the Owner.',
    'Everything in the organization (backed-up data of every user, restores, user management and departments, settings, audit log, archive), except changing billing and transferring ownership, which stay with the Owner.',
  ],
  [
    'Reading: runs backups and restores for every user and manages user access and departments (grant permission, login on/off), with the audit log; no account settings, billing or role editing.',
    'Runs backups and restores for every user and manages user access and departments (grant permission, login on/off), with the audit log; no account settings, billing or role editing.',
  ],
  [
    'Reading: as IT Admin for backups and restores of every user, but cannot manage users, roles or departments (sees the user list only) and has no audit log.',
    'As IT Admin for backups and restores of every user, but cannot manage users, roles or departments (sees the user list only) and has no audit log.',
  ],
  [
    'Bound to one or more departments, chosen just below the role. Reading: admin of those departments: sees and restores the backed-up data of their users (homed in them or members of them), turns their login on or off; cannot add or delete users, and hands out only what it holds itself.',
    'Admin of one or more departments: sees and restores the backed-up data of their users (homed in them or members of them), turns their login on or off; cannot add or delete users, and hands out only what it holds itself.',
  ],
  [
    'Reading: a backed-up user signing in to their own backup: sees and restores only the data assigned to them (their own accounts).',
    'A backed-up user signing in to their own backup: sees and restores only the data assigned to them (their own accounts).',
  ],
  [
    'Reading: sees and restores the backed-up data of every user in scope (not only their own), without any configuration, user management or audit log.',
    'Sees and restores the backed-up data of every user in scope (not only their own), without any configuration, user management or audit log.',
  ],
  [
    'SaaS Backup + Archiver only. Reading: reviews the archive of every user, with reports and the audit log (view and export); reads, never restores or changes.',
    'Reviews the archive of every user, with reports and the audit log (view and export); reads, never restores or changes.',
  ],
  [
    'SaaS Backup + Archiver only. Reading: reviews the archived data of every user in scope, read only; no audit log, users or restores.',
    'Reviews the archived data of every user in scope, read only; no audit log, users or restores.',
  ],
  [
    'SaaS Backup + Archiver only. Reading: as Reviewer, limited to the data assigned to them.',
    'As Reviewer, limited to the data assigned to them.',
  ],
  [
    'SaaS Backup + Archiver only. Reading: oversight of personal data: who holds which access (users and roles), the audit log (view and export), settings and reports, read only; sees which data is held but does not restore it.',
    'Oversight of personal data: who holds which access (users and roles), the audit log (view and export), settings and reports, read only; sees which data is held but does not restore it.',
  ],
];

/** Earlier templates began with the set they came from: "Seed 003. " or "Seed 004, ". */
const OLD_SET_PREFIX = /^Seed \d{3}[.,] /;

/** The description a template-made role should carry now, or null to leave it. */
export function rewordedDescription(description: string): string | null {
  const body = description.replace(OLD_SET_PREFIX, '');
  const reworded = REWORDED.find(([old]) => old === body)?.[1] ?? body;
  return reworded === description ? null : reworded;
}

export const savedFiltersTemplateWords: Migration = {
  version: 32,
  name: 'saved-filters-template-words',
  sql: `
CREATE TABLE IF NOT EXISTS saved_filters (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  screen TEXT NOT NULL CHECK (screen IN ('devices','audit')),
  name TEXT NOT NULL,
  filter TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS saved_filters_owner ON saved_filters (user_id, screen);
`,
  run(db) {
    for (const table of ['roles', 'role_versions'] as const) {
      const rows = db.prepare<[], { rowid: number; description: string }>(`SELECT rowid, description FROM ${table}`).all();
      const update = db.prepare<[string, number]>(`UPDATE ${table} SET description = ? WHERE rowid = ?`);
      for (const row of rows) {
        const next = rewordedDescription(row.description);
        if (next !== null) update.run(next, row.rowid);
      }
    }
  },
};
