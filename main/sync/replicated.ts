/**
 * What a replica holds, in one place: the tables whose row changes are captured
 * (capture.ts) and applied (apply.ts), and the columns that never leave the hub.
 *
 * Left out on purpose: sessions (ids and pending authenticator keys), recovery_codes
 * (hashes), auth_throttle (local state), audit_events and audit_prunes (their own
 * hash-chained log), removed_groups (kept by a trigger on groups, on any copy),
 * device_jobs and device_job_items (a job runs where it was started), sso_logins (a sign-in
 * finishes where it started), and the log itself.
 */

/** Parents before children: the order a snapshot is logged in, so a replica reads sensibly part way through. */
export const REPLICATED_TABLES = [
  'groups',
  'group_closure',
  'group_contacts',
  'group_activities',
  'users',
  'user_departments',
  'roles',
  'role_permissions',
  'role_versions',
  'role_bindings',
  'devices',
  'device_assignments',
  'invitations',
  'settings',
  // Optimistic concurrency (docs/architecture.md): the settings' version and which fields each version changed.
  'settings_version',
  'object_changes',
  // Single sign-on (issue 14): each company's provider, and which provider identity is which person.
  'sso_providers',
  'sso_identities',
  // Directory departments (issue 14): each company's sync settings and which departments it keeps.
  'directory_sync',
  'directory_departments',
  // Saved filters (issue 15): each person's own filters of Devices and Audit.
  'saved_filters',
] as const;

export type ReplicatedTable = (typeof REPLICATED_TABLES)[number];

/**
 * Columns whose values never enter the change log; only whether each is set does (the console
 * shows who has an authenticator). A replica keeps NULL or a stand-in in them (apply.ts).
 * `totp_last_step` is not a secret, but it is sign-in state only the hub checks, and it moves
 * on every code.
 */
export const SECRET_COLUMNS: Readonly<Partial<Record<ReplicatedTable, readonly string[]>>> = {
  users: ['password_hash', 'totp_secret', 'totp_last_step'],
  invitations: ['token_hash'],
  sso_providers: ['client_secret_sealed'],
  directory_sync: ['secret_sealed'],
};

/**
 * Columns logged through an SQL expression that blanks a secret inside them; `{row}` is
 * replaced by `NEW.`, `OLD.` or nothing. The SMTP setting is JSON holding the sealed
 * password: a replica gets the server, port and sender with `passwordSealed: null`. A value
 * that is not JSON is logged as `null` (no SMTP) rather than as it is.
 */
export const REDACTED_COLUMNS: Readonly<Partial<Record<ReplicatedTable, Readonly<Record<string, string>>>>> = {
  settings: {
    value: `CASE WHEN {row}"key" = 'smtp' THEN CASE WHEN json_valid({row}"value") THEN json_replace({row}"value", '$.passwordSealed', NULL) ELSE 'null' END ELSE {row}"value" END`,
  },
};

/**
 * Tables a batch writer may write many rows of as one change (main/sync/batch.ts): only
 * tables whose row is its key, so that a list of keys says everything. Their insert and
 * delete triggers stand aside while a batch is open; every other writer is captured by them.
 */
export const BATCHED_TABLES = ['device_assignments'] as const satisfies readonly ReplicatedTable[];

export type BatchedTable = (typeof BATCHED_TABLES)[number];

export function isReplicatedTable(name: string): name is ReplicatedTable {
  return (REPLICATED_TABLES as readonly string[]).includes(name);
}
