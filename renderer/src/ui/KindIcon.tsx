import type { ReactNode } from 'react';
import { KIND_LABELS, type GroupKind } from '../../../shared/access/groups';

/** One 16×16 outline per kind, so that a level of the tree can be told apart at a glance. */
const SHAPES: Record<GroupKind, ReactNode> = {
  provider: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M2 8h12M8 2c2 2 2.6 4 2.6 6S10 12 8 14M8 2C6 4 5.4 6 5.4 8S6 12 8 14" />
    </>
  ),
  distributor: (
    <>
      <circle cx="8" cy="3.5" r="2" />
      <circle cx="3" cy="12.5" r="2" />
      <circle cx="13" cy="12.5" r="2" />
      <path d="M7 5.3 4 10.8M9 5.3l3 5.5M5 12.5h6" />
    </>
  ),
  sub_distributor: (
    <>
      <circle cx="8" cy="4" r="2" />
      <circle cx="4" cy="12" r="2" />
      <circle cx="12" cy="12" r="2" />
      <path d="M7 5.8 5 10.2M9 5.8l2 4.4" />
    </>
  ),
  reseller: (
    <>
      <path d="M2 6h12l-1-3.5H3zM3 6v8h10V6" />
      <path d="M6.5 14v-4h3v4" />
    </>
  ),
  customer: (
    <>
      <path d="M3 14V2.5h7V14M10 6h3v8M1.5 14h13" />
      <path d="M5 5h1M7.5 5h1M5 8h1M7.5 8h1M5 11h1M7.5 11h1" />
    </>
  ),
  location: (
    <>
      <path d="M8 14.5s-4.5-4.6-4.5-8a4.5 4.5 0 0 1 9 0c0 3.4-4.5 8-4.5 8z" />
      <circle cx="8" cy="6.5" r="1.6" />
    </>
  ),
  department: (
    <>
      <circle cx="5.5" cy="5" r="2" />
      <circle cx="11" cy="5.5" r="1.7" />
      <path d="M1.8 13.5c0-2.6 1.7-4.3 3.7-4.3s3.7 1.7 3.7 4.3M9.5 9.4c.5-.2 1-.3 1.5-.3 1.8 0 3.2 1.5 3.2 3.9" />
    </>
  ),
};

export function KindIcon({ kind }: { kind: GroupKind }) {
  return (
    <svg className={`kind-icon kind-${kind}`} viewBox="0 0 16 16" width="16" height="16" role="img" aria-label={KIND_LABELS[kind]}>
      <title>{KIND_LABELS[kind]}</title>
      <g fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round">
        {SHAPES[kind]}
      </g>
    </svg>
  );
}
