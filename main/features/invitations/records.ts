import type { InvitationStatus, InvitationSummary } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { readSetting } from '../settings/settings';
import { recordChange } from '../versions/object-versions';
import { digest } from '../../security/tokens';
import { allRoles } from '../access/roles-cache';
import { findGroup } from '../access/tree';

export interface InvitationRow {
  id: string;
  email: string;
  kind: 'member' | 'external';
  role_id: string;
  group_id: string;
  expires_at: number;
  status: 'pending' | 'accepted' | 'revoked';
  invited_by: string;
  invited_by_name: string;
  created_at: number;
  send_count: number;
  resent_by: string | null;
  resent_by_name: string | null;
  version: number;
}

const COLUMNS =
  'id, email, kind, role_id, group_id, expires_at, status, invited_by, invited_by_name, created_at, send_count, resent_by, resent_by_name, version';

export function invitationById(db: Db, id: string): InvitationRow | undefined {
  return stmt<[string], InvitationRow>(db, `SELECT ${COLUMNS} FROM invitations WHERE id = ?`).get(id);
}

export function invitationByToken(db: Db, token: string): InvitationRow | undefined {
  return stmt<[string], InvitationRow>(db, `SELECT ${COLUMNS} FROM invitations WHERE token_hash = ?`).get(digest(token));
}

export function statusOf(row: InvitationRow, now: number): InvitationStatus {
  return row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status;
}

export function summarize(db: Db, row: InvitationRow, now: number): InvitationSummary {
  return {
    id: row.id,
    email: row.email,
    kind: row.kind,
    roleId: row.role_id,
    roleName: allRoles(db).get(row.role_id)?.name ?? row.role_id,
    groupId: row.group_id,
    groupName: findGroup(db, row.group_id)?.name ?? '',
    status: statusOf(row, now),
    invitedBy: row.invited_by_name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    sendCount: row.send_count,
    version: row.version,
  };
}

/** The invitation behind a link, or the reason the link no longer works, said plainly. */
export function usableInvitation(db: Db, token: string, now: number): InvitationRow {
  return requireUsable(invitationByToken(db, token), now);
}

/** The invitation with this id, if it can still be accepted at `now`; the same refusals as by its link. */
export function usableInvitationById(db: Db, id: string, now: number): InvitationRow {
  return requireUsable(invitationById(db, id), now);
}

function requireUsable(row: InvitationRow | undefined, now: number): InvitationRow {
  if (!row)
    throw new OpError('NOT_FOUND', 'This invitation link is not valid. Check that you copied all of it, or ask for a new invitation.', {
      field: 'token',
    });
  const status = statusOf(row, now);
  if (status === 'revoked')
    throw new OpError('CONFLICT', 'This invitation was revoked. Ask the person who invited you for a new one.', { field: 'token' });
  if (status === 'accepted') throw new OpError('CONFLICT', 'This invitation was already used. Sign in instead.', { field: 'token' });
  if (status === 'expired') {
    throw new OpError(
      'CONFLICT',
      `This invitation expired on ${new Date(row.expires_at).toISOString().slice(0, 16).replace('T', ' ')} UTC. Ask for a new one.`,
      { field: 'token' },
    );
  }
  return row;
}

/** Where invitation links point when nothing better is known: the web console's default address. */
export const DEFAULT_CONSOLE_ADDRESS = 'http://127.0.0.1:4780';

/**
 * An invitation link: `<address>/#/invite/<token>`. The address is the "public address"
 * setting (what people reach Steward at: a hub's or a reverse proxy's URL), else the web
 * console's own origin when the call came over HTTP, else DEFAULT_CONSOLE_ADDRESS. The same on
 * desktop, web console and hub.
 */
export function inviteLink(db: Db, origin: string | null, token: string): string {
  const base = (readSetting(db, 'console.publicAddress') ?? origin ?? DEFAULT_CONSOLE_ADDRESS).replace(/\/+$/, '');
  return `${base}/#/invite/${token}`;
}

/**
 * Closes (as revoked) the pending invitations for `email` once that email belongs to a
 * member (issue 16): such an invitation can no longer be accepted (R24: the email is taken),
 * and a pending invitation holds a seat. Call it before the seat check of the change that
 * makes the member, so that the seat it held is free. Each closed invitation gets a new
 * version. Returns how many were closed.
 */
export function closeInvitationsOf(db: Db, ctx: CommandContext, email: string): number {
  const open = stmt<[string], { id: string }>(
    db,
    "SELECT id FROM invitations WHERE status = 'pending' AND name_key(email) = name_key(?)",
  ).all(email);
  for (const { id } of open) {
    stmt(db, "UPDATE invitations SET status = 'revoked' WHERE id = ?").run(id);
    recordChange(db, ctx, { type: 'invitation', id }, ['status']);
  }
  return open.length;
}
