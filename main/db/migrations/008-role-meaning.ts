import type { Migration } from './index';

/**
 * R9: Owner and Admin are meanings a role carries, not two role ids, so that a company's
 * own role set ("Company Owner", "Company Administrator") obeys the same Owner rules.
 */
export const roleMeaning: Migration = {
  version: 8,
  name: 'role-meaning',
  sql: `
ALTER TABLE roles ADD COLUMN meaning TEXT CHECK (meaning IN ('owner', 'admin'));
UPDATE roles SET meaning = 'owner' WHERE builtin = 'owner';
UPDATE roles SET meaning = 'admin' WHERE builtin = 'admin';
-- R6: acceptance re-checks whoever last sent the link, not only who first sent it.
ALTER TABLE invitations ADD COLUMN resent_by TEXT;
ALTER TABLE invitations ADD COLUMN resent_by_name TEXT;
CREATE INDEX roles_meaning ON roles(meaning) WHERE meaning IS NOT NULL;
`,
};
