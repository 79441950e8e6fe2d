/** The customer tree's kinds (seed 001, docs/architecture.md (the data model)). */
export const GROUP_KINDS = ['provider', 'distributor', 'sub_distributor', 'reseller', 'customer', 'location', 'department'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** Companies can own an account, an Owner and a seat limit; locations and departments live inside a customer. */
export const COMPANY_KINDS: readonly GroupKind[] = ['provider', 'distributor', 'sub_distributor', 'reseller', 'customer'];

export const KIND_LABELS: Record<GroupKind, string> = {
  provider: 'Provider',
  distributor: 'Distributor',
  sub_distributor: 'Sub-distributor',
  reseller: 'Reseller',
  customer: 'Customer',
  location: 'Location',
  department: 'Department',
};

const COMPANY_RANK: Partial<Record<GroupKind, number>> = { provider: 0, distributor: 1, sub_distributor: 2, reseller: 3, customer: 4 };

export function isCompanyKind(kind: GroupKind): boolean {
  return COMPANY_RANK[kind] !== undefined;
}

/**
 * Why `child` may not sit directly under `parent`, or null when it may. Company kinds
 * nest distributor → sub-distributor → reseller → customer (a level may be skipped,
 * never inverted); locations sit in a customer; departments in a customer or a location.
 */
export function nestingProblem(parent: GroupKind, child: GroupKind): string | null {
  if (child === 'provider') return 'There is exactly one provider group, the root';
  const parentRank = COMPANY_RANK[parent];
  const childRank = COMPANY_RANK[child];
  if (childRank !== undefined) {
    if (parentRank === undefined) return `A ${KIND_LABELS[child].toLowerCase()} cannot sit inside a ${KIND_LABELS[parent].toLowerCase()}`;
    if (childRank <= parentRank)
      return `A ${KIND_LABELS[child].toLowerCase()} cannot sit inside a ${KIND_LABELS[parent].toLowerCase()}: companies nest distributor, sub-distributor, reseller, customer`;
    return null;
  }
  if (child === 'location') return parent === 'customer' ? null : 'A location sits directly inside a customer';
  return parent === 'customer' || parent === 'location' ? null : 'A department sits inside a customer or one of its locations';
}

/** Kinds a group of `parent` kind may contain, in the order a menu would offer them. */
export function allowedChildKinds(parent: GroupKind): GroupKind[] {
  return GROUP_KINDS.filter((kind) => nestingProblem(parent, kind) === null);
}
