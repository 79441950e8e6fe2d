import type { GroupKind } from '../../../shared/access/groups';
import type { Activity, Branding, Contact, EffectiveBranding, Profile } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';

export const EMPTY_PROFILE: Profile = { address: '', website: '', billingName: '', billingEmail: '', billingPhone: '' };
export const EMPTY_BRANDING: Branding = { productName: '', logo: null, primaryColor: null, accentColor: null };

export interface GroupRow {
  id: string;
  parent_id: string | null;
  kind: GroupKind;
  name: string;
  service_type: string;
  seat_limit: number | null;
  profile: string;
  branding: string;
  version: number;
}

export function groupRow(db: Db, id: string): GroupRow | undefined {
  return stmt<[string], GroupRow>(
    db,
    'SELECT id, parent_id, kind, name, service_type, seat_limit, profile, branding, version FROM groups WHERE id = ?',
  ).get(id);
}

export function parseProfile(text: string): Profile {
  return { ...EMPTY_PROFILE, ...(JSON.parse(text) as Partial<Profile>) };
}

export function parseBranding(text: string): Branding {
  return { ...EMPTY_BRANDING, ...(JSON.parse(text) as Partial<Branding>) };
}

export function isBranded(branding: Branding): boolean {
  return branding.productName !== '' || branding.logo !== null || branding.primaryColor !== null || branding.accentColor !== null;
}

export function contactsOf(db: Db, groupId: string): Contact[] {
  return stmt<[string], Contact>(db, 'SELECT name, role, email, phone FROM group_contacts WHERE group_id = ? ORDER BY position').all(
    groupId,
  );
}

export function activitiesOf(db: Db, groupId: string): Activity[] {
  return stmt<[string], Activity>(
    db,
    'SELECT date, kind, subject, notes FROM group_activities WHERE group_id = ? ORDER BY date DESC, position',
  ).all(groupId);
}

export function replaceContacts(db: Db, groupId: string, contacts: readonly Contact[]): void {
  stmt(db, 'DELETE FROM group_contacts WHERE group_id = ?').run(groupId);
  const insert = stmt(db, 'INSERT INTO group_contacts (group_id, position, name, role, email, phone) VALUES (?, ?, ?, ?, ?, ?)');
  contacts.forEach((c, i) => insert.run(groupId, i, c.name, c.role, c.email, c.phone));
}

export function replaceActivities(db: Db, groupId: string, activities: readonly Activity[]): void {
  stmt(db, 'DELETE FROM group_activities WHERE group_id = ?').run(groupId);
  const insert = stmt(db, 'INSERT INTO group_activities (group_id, position, date, kind, subject, notes) VALUES (?, ?, ?, ?, ?, ?)');
  activities.forEach((a, i) => insert.run(groupId, i, a.date, a.kind, a.subject, a.notes));
}

/** The branding a user homed at `groupId` sees: the group's own, or its nearest branded ancestor's. */
export function effectiveBranding(db: Db, groupId: string): EffectiveBranding | null {
  const rows = stmt<[string], { id: string; branding: string }>(
    db,
    "SELECT g.id, g.branding FROM group_closure c JOIN groups g ON g.id = c.ancestor WHERE c.descendant = ? AND g.branding <> '{}' ORDER BY c.depth",
  ).all(groupId);
  for (const row of rows) {
    const branding = parseBranding(row.branding);
    if (isBranded(branding)) return { ...branding, fromGroupId: row.id };
  }
  return null;
}

/**
 * The sibling under `parentId` whose name reads the same as `name` (R24: `name_key`, shared/names.ts), other than `exceptId`.
 * Served by the groups_sibling_key index (migration 20).
 */
export function siblingWithName(db: Db, parentId: string, name: string, exceptId = ''): { id: string; name: string } | undefined {
  return stmt<[string, string, string], { id: string; name: string }>(
    db,
    "SELECT id, name FROM groups WHERE coalesce(parent_id, '') = ? AND name_key(name) = name_key(?) AND id <> ? LIMIT 1",
  ).get(parentId, name, exceptId);
}

export function manageKeyFor(kind: GroupKind): 'groups.manage' | 'locations.manage' {
  return kind === 'location' || kind === 'department' ? 'locations.manage' : 'groups.manage';
}
