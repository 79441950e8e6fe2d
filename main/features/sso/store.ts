import type { SsoConfigView } from '../../../shared/contract';
import type { SsoPreset } from '../../../shared/sso';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { companyOf } from '../access/tree';
import { companyOwner } from '../users/guards';

export interface ProviderRow {
  company_id: string;
  preset: SsoPreset;
  display_name: string | null;
  issuer: string;
  client_id: string;
  client_secret_sealed: Buffer | null;
  allowed_domains: string;
  enforced: number;
  trust_provider_mfa: number;
  version: number;
}

export function providerOf(db: Db, companyId: string): ProviderRow | undefined {
  return stmt<[string], ProviderRow>(db, 'SELECT * FROM sso_providers WHERE company_id = ?').get(companyId);
}

export function domainsOf(row: Pick<ProviderRow, 'allowed_domains'>): string[] {
  const parsed: unknown = JSON.parse(row.allowed_domains);
  return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
}

/** The provider that signs a person in: their home group's company's, if it has one. */
export function providerForPerson(db: Db, homeGroupId: string): ProviderRow | undefined {
  const company = companyOf(db, homeGroupId);
  return company ? providerOf(db, company.id) : undefined;
}

/** The companies whose allowed domains include `domain` (at most one: configure refuses a claimed domain). */
export function providersForDomain(db: Db, domain: string): ProviderRow[] {
  return stmt<[string], ProviderRow>(
    db,
    'SELECT p.* FROM sso_providers p WHERE EXISTS (SELECT 1 FROM json_each(p.allowed_domains) d WHERE d.value = ?) ORDER BY p.company_id',
  ).all(domain);
}

export interface CompanyPerson {
  id: string;
  username: string;
  full_name: string;
  email: string;
  home_group_id: string;
  status: 'active' | 'disabled';
}

/**
 * The people of a company: those homed at it or at one of its locations or departments, not
 * in a company below it (a reseller's customers have their own sign-in).
 */
export function companyPeople(db: Db, companyId: string): CompanyPerson[] {
  return stmt<[string], CompanyPerson>(
    db,
    `SELECT u.id, u.username, u.full_name, u.email, u.home_group_id, u.status
       FROM users u JOIN group_closure c ON c.descendant = u.home_group_id AND c.ancestor = ?
      WHERE NOT EXISTS (
        SELECT 1 FROM group_closure inner_c JOIN groups g ON g.id = inner_c.ancestor
         WHERE inner_c.descendant = u.home_group_id AND inner_c.depth < c.depth AND g.kind NOT IN ('location','department'))
      ORDER BY u.username COLLATE NOCASE`,
  ).all(companyId);
}

export function isLinked(db: Db, userId: string, issuer: string): boolean {
  return (
    stmt<[string, string], { n: number }>(db, 'SELECT 1 AS n FROM sso_identities WHERE user_id = ? AND issuer = ?').get(userId, issuer) !==
    undefined
  );
}

export function view(db: Db, companyId: string): SsoConfigView {
  const row = providerOf(db, companyId);
  const owner = companyOwner(db, companyId);
  const breakGlass = owner ? { userId: owner.user_id, username: owner.username } : null;
  if (!row) {
    return {
      companyId,
      configured: false,
      preset: 'entra',
      displayName: null,
      issuer: '',
      clientId: '',
      hasClientSecret: false,
      allowedDomains: [],
      enforced: false,
      trustProviderMfa: false,
      version: 0,
      breakGlass,
    };
  }
  return {
    companyId,
    configured: true,
    preset: row.preset,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    hasClientSecret: row.client_secret_sealed !== null,
    allowedDomains: domainsOf(row),
    enforced: row.enforced === 1,
    trustProviderMfa: row.trust_provider_mfa === 1,
    version: row.version,
    breakGlass,
  };
}
