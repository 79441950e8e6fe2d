import type { Db } from '../db/connection';
import { stmt } from '../db/statements';

/**
 * Where the hub names something by an id Steward drew (Entropy.id): every table keyed by one,
 * the places of removed groups, and the audit trail, which outlives what it names (its
 * events stay readable by where and whom they were about). Each column is indexed.
 */
const NAMED_BY_ID: ReadonlyArray<readonly [table: string, column: string]> = [
  ['groups', 'id'],
  ['users', 'id'],
  ['roles', 'id'],
  ['devices', 'id'],
  ['invitations', 'id'],
  ['device_jobs', 'id'],
  ['removed_groups', 'id'],
  ['audit_events', 'target_id'],
  ['audit_events', 'group_id'],
  ['audit_events', 'actor_id'],
];

const SQL = `SELECT ${NAMED_BY_ID.map(([table, column]) => `EXISTS (SELECT 1 FROM ${table} WHERE ${column} = @id)`).join(' OR ')} AS known`;

/**
 * Whether `id` already names something here, live or gone (docs/sync.md, "Push"). A replica's
 * recorded ids are kept when the hub re-runs its commands (later commands name the objects by
 * them), so the hub must refuse one it knows: a new group or person under a removed one's id
 * would inherit its audit history and removed-group place, whoever made it (R13).
 */
export function idKnownHere(db: Db, id: string): boolean {
  return stmt<{ id: string }, { known: number }>(db, SQL).get({ id })?.known === 1;
}
