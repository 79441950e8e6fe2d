import type { Migration } from './index';

/**
 * Issue 14: OpenID Connect sign-in per company.
 * - `sso_providers`: one per company. The client secret is sealed with the data folder's key
 *   and is a secret column of the change log (main/sync/replicated.ts): a replica learns only
 *   whether one is set.
 * - `sso_identities`: who an (issuer, subject) pair is. Made on a person's first sign-in
 *   through the provider, from the provider's verified email matching their account.
 * - `sso_logins`: sign-ins started and not yet finished (state, nonce, the sealed PKCE
 *   verifier, and a digest binding them to the starting browser). Short-lived, local, never
 *   replicated: a state is used once, where it was made.
 * Re-runnable (IF NOT EXISTS): a database rewound to an earlier version runs it again unchanged.
 */
export const singleSignOn: Migration = {
  version: 22,
  name: 'single-sign-on',
  sql: `
CREATE TABLE IF NOT EXISTS sso_providers (
  company_id TEXT PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
  preset TEXT NOT NULL CHECK (preset IN ('entra','google','generic')),
  display_name TEXT,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret_sealed BLOB,
  allowed_domains TEXT NOT NULL DEFAULT '[]',
  enforced INTEGER NOT NULL DEFAULT 0 CHECK (enforced IN (0,1)),
  trust_provider_mfa INTEGER NOT NULL DEFAULT 0 CHECK (trust_provider_mfa IN (0,1)),
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS sso_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  linked_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, subject)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sso_identities_user ON sso_identities (user_id);

CREATE TABLE IF NOT EXISTS sso_logins (
  state TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  verifier_sealed BLOB NOT NULL,
  nonce TEXT NOT NULL,
  binding TEXT,
  created_at INTEGER NOT NULL
) STRICT;
`,
};
