import { describe, expect, it } from 'vitest';
import {
  allowedChildKinds,
  COMPANY_KINDS,
  GROUP_KINDS,
  isCompanyKind,
  nestingProblem,
  type GroupKind,
} from '../../../shared/access/groups';

/**
 * Seed 001 and docs/architecture.md (the data model): companies nest distributor → sub-distributor →
 * reseller → customer (a level may be skipped, never inverted) under the one provider;
 * locations sit in a customer; departments in a customer or one of its locations.
 */
const ALLOWED: Record<GroupKind, GroupKind[]> = {
  provider: ['distributor', 'sub_distributor', 'reseller', 'customer'],
  distributor: ['sub_distributor', 'reseller', 'customer'],
  sub_distributor: ['reseller', 'customer'],
  reseller: ['customer'],
  customer: ['location', 'department'],
  location: ['department'],
  department: [],
};

describe('the customer tree’s nesting rules', () => {
  it('each kind may contain exactly the kinds the rules allow, offered in tree order', () => {
    for (const parent of GROUP_KINDS) expect(allowedChildKinds(parent), parent).toEqual(ALLOWED[parent]);
  });

  it('companies are the provider, distributors, sub-distributors, resellers and customers; locations and departments are not', () => {
    expect(GROUP_KINDS.filter(isCompanyKind)).toEqual(['provider', 'distributor', 'sub_distributor', 'reseller', 'customer']);
    expect([...COMPANY_KINDS]).toEqual(GROUP_KINDS.filter(isCompanyKind));
  });

  it('there is one provider: it can sit nowhere', () => {
    for (const parent of GROUP_KINDS) expect(nestingProblem(parent, 'provider')).toBe('There is exactly one provider group, the root');
  });

  it('a company cannot sit inside a location or a department (no company kind under a non-company)', () => {
    expect(nestingProblem('location', 'customer')).toBe('A customer cannot sit inside a location');
    expect(nestingProblem('department', 'sub_distributor')).toBe('A sub-distributor cannot sit inside a department');
  });

  it('companies never nest upwards or sideways, and the refusal says the order', () => {
    expect(nestingProblem('reseller', 'distributor')).toBe(
      'A distributor cannot sit inside a reseller: companies nest distributor, sub-distributor, reseller, customer',
    );
    expect(nestingProblem('customer', 'customer')).toBe(
      'A customer cannot sit inside a customer: companies nest distributor, sub-distributor, reseller, customer',
    );
  });

  it('a location sits directly in a customer; a department in a customer or a location', () => {
    expect(nestingProblem('reseller', 'location')).toBe('A location sits directly inside a customer');
    expect(nestingProblem('location', 'location')).toBe('A location sits directly inside a customer');
    expect(nestingProblem('reseller', 'department')).toBe('A department sits inside a customer or one of its locations');
    expect(nestingProblem('department', 'department')).toBe('A department sits inside a customer or one of its locations');
  });
});
