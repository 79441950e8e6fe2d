import { BILLING_FIELDS, type AuditEntry } from '../../../shared/contract';
import { decide, type Binding } from '../../../shared/access/decide';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { bindingsOf } from '../access/access';
import { groupPath } from '../access/tree';

/** What a group event's before/after may hold that R20 guards, and the key each needs. */
const COMPANY_FIELDS = ['profile', 'contacts', 'activities', 'branding'] as const;

/**
 * R20 in the audit trail: a reader with audit.view sees a group event's company details
 * (profile, contacts, activities, branding) only where they hold company.view, and its
 * billing contact only where they hold billing.view, at the event's group (for a removed
 * group, its nearest surviving ancestor, with the kind it had). A withheld value reads
 * "(hidden: needs <key>)", so the reader still sees that it changed. The stored event, and
 * so the hash chain, is untouched. Shapes: `events` as read; returns new entries.
 */
export function redactForReader(db: Db, readerId: string, events: readonly AuditEntry[]): AuditEntry[] {
  const bindings = bindingsOf(db, readerId);
  const holds = new Map<string, boolean>();
  const mayRead = (groupId: string, key: string): boolean => {
    const memo = `${groupId}\t${key}`;
    let answer = holds.get(memo);
    if (answer === undefined) holds.set(memo, (answer = holdsAt(db, bindings, groupId, key)));
    return answer;
  };
  return events.map((event) => {
    if (event.targetType !== 'group' || !event.groupId) return event;
    const groupId = event.groupId;
    const company = mayRead(groupId, 'company.view');
    const billing = mayRead(groupId, 'billing.view');
    if (company && billing) return event;
    const redact = (side: Record<string, unknown> | null): Record<string, unknown> | null => {
      if (!side) return side;
      const out: Record<string, unknown> = { ...side };
      for (const field of COMPANY_FIELDS) if (field in out && !company) out[field] = '(hidden: needs company.view)';
      const profile = out.profile;
      if (company && !billing && profile && typeof profile === 'object') {
        const shown: Record<string, unknown> = { ...(profile as Record<string, unknown>) };
        for (const field of BILLING_FIELDS) if (field in shown) shown[field] = '(hidden: needs billing.view)';
        out.profile = shown;
      }
      return out;
    };
    return { ...event, before: redact(event.before), after: redact(event.after) };
  });
}

function holdsAt(db: Db, bindings: readonly Binding[], groupId: string, key: string): boolean {
  const removed = stmt<[string], { surviving_id: string; kind: string | null }>(
    db,
    'SELECT surviving_id, kind FROM removed_groups WHERE id = ? AND id NOT IN (SELECT id FROM groups)',
  ).get(groupId);
  const path = groupPath(db, removed ? removed.surviving_id : groupId);
  if (!path) return false;
  const kind = (removed?.kind ?? path.kind) as typeof path.kind;
  return decide(bindings, key, { type: 'group', id: groupId, path: path.ids, kind }).allowed;
}
