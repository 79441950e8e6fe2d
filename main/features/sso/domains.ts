import { domainToASCII, domainToUnicode } from 'node:url';
import { emailDomain } from '../../../shared/sso';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { companyOf } from '../access/tree';
import { providersForDomain, type ProviderRow } from './store';

/** A host name of letter-digit-hyphen labels, its top-level label letters or an IDNA A-label (xn--…). */
const ASCII_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * R28: the one spelling of an email domain that Steward stores and compares. IDNA (UTS #46)
 * ASCII through node's `url.domainToASCII`, so case, full-width letters and a Unicode
 * spelling all become the same A-label form (`Bücher.Example.` → `xn--bcher-kva.example`);
 * one trailing dot is dropped. Null when the text is not a host name of at least two labels.
 */
export function canonicalDomain(text: string): string | null {
  const bare = text.trim().replace(/\.$/, '');
  if (!bare) return null;
  const ascii = domainToASCII(bare);
  return ASCII_DOMAIN.test(ascii) ? ascii : null;
}

/** The canonical domain of an email address (R28); null when it has none. */
export function emailDomainOf(email: string): string | null {
  return canonicalDomain(emailDomain(email));
}

/** One listed domain in canonical form, with where it stood in the input (the field an error names). */
export interface ListedDomain {
  domain: string;
  index: number;
}

/**
 * The domains of `allowedDomains` in canonical form, each once (the first spelling's index
 * kept). Throws VALIDATION naming `allowedDomains.N` for an entry that is not a domain.
 */
export function canonicalDomains(list: readonly string[]): ListedDomain[] {
  const seen = new Set<string>();
  const out: ListedDomain[] = [];
  list.forEach((text, index) => {
    const domain = canonicalDomain(text);
    if (domain === null)
      throw new OpError('VALIDATION', `“${text}” is not an email domain. Enter a domain such as example.com`, {
        field: `allowedDomains.${index}`,
      });
    if (seen.has(domain)) return;
    seen.add(domain);
    out.push({ domain, index });
  });
  return out;
}

/**
 * Whether anyone (member or external user, active or not) whose email is in `domain` has a
 * home outside `companyId`'s subtree. Emails are ASCII (the contract's email check), so a
 * case-insensitive LIKE on the A-label and the Unicode spelling narrows the scan, and the
 * canonical form decides.
 */
export function hasPeopleOutside(db: Db, companyId: string, domain: string): boolean {
  const suffix = (d: string) => `%@${d.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
  const rows = stmt<[string, string, string], { email: string }>(
    db,
    `SELECT u.email FROM users u
      WHERE (u.email LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')
        AND NOT EXISTS (SELECT 1 FROM group_closure c WHERE c.ancestor = ? AND c.descendant = u.home_group_id)`,
  ).all(suffix(domain), suffix(domainToUnicode(domain)), companyId);
  return rows.some((r) => emailDomainOf(r.email) === domain);
}

/**
 * R28, claiming a domain: throws CONFLICT naming `allowedDomains.N` when another company
 * already lists the domain, or when the domain is newly added here while someone outside the
 * company's subtree has an email in it. A domain the company listed before is not checked for
 * people again: someone another company adds later must not freeze this company's settings;
 * the sign-in page routes only the company's own people (`routableProviders`). The messages
 * name the domain and the rule, never the people or the other company (R13).
 */
export function requireClaimable(db: Db, companyId: string, listed: readonly ListedDomain[], before: readonly string[]): void {
  const kept = new Set(before.map((d) => canonicalDomain(d) ?? d));
  for (const { domain, index } of listed) {
    const field = `allowedDomains.${index}`;
    if (providersForDomain(db, domain).some((p) => p.company_id !== companyId))
      throw new OpError(
        'CONFLICT',
        `${domain} already signs in through another company's provider; a domain belongs to one company (R28)`,
        {
          field,
        },
      );
    if (!kept.has(domain) && hasPeopleOutside(db, companyId, domain))
      throw new OpError(
        'CONFLICT',
        `People outside this company have email addresses at ${domain}; a company may list a domain only when all of its people are the company's own (R28)`,
        { field },
      );
  }
}

/**
 * R28, the sign-in page: the providers that may sign in `email`. Those of the companies
 * listing its domain, but when an account has that email, only its own company's: a stale
 * claim, or a person moved or added elsewhere later, is never routed to another company's
 * provider. An email without an account keeps the domain's provider, so the page does not
 * tell which addresses have accounts; signing in then finds no account (accountFor).
 */
export function routableProviders(db: Db, email: string): ProviderRow[] {
  const domain = emailDomainOf(email);
  if (domain === null) return [];
  const providers = providersForDomain(db, domain);
  if (providers.length === 0) return [];
  const local = email.trim().slice(0, email.trim().lastIndexOf('@'));
  const people = stmt<[string, string], { home_group_id: string }>(
    db,
    'SELECT home_group_id FROM users WHERE email = ? COLLATE NOCASE OR email = ? COLLATE NOCASE',
  ).all(email.trim(), `${local}@${domain}`);
  const homes = new Set(people.map((p) => companyOf(db, p.home_group_id)?.id));
  return providers.filter((p) => [...homes].every((home) => home === p.company_id));
}
