import type { InvitationSent } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Actor, CommandContext } from '../../dispatch/context';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { digest } from '../../security/tokens';
import { scopeCondition } from '../access/access';
import { findGroup } from '../access/tree';
import { log } from '../../log';
import { readSetting } from '../settings/settings';
import { requireSeat } from '../users/seats';
import { recordChange, requireBase } from '../versions/object-versions';
import { requireMayInvite } from './authority';
import { sendMail } from './mailer';
import { invitationById, inviteLink, statusOf, summarize, type InvitationRow } from './records';

/** A fresh single-use token; only its digest is stored. The link goes back in the answer until mail has carried it. */
function issueToken(ctx: CommandContext): { token: string; hash: string } {
  const token = ctx.entropy.bytes(32).toString('base64url');
  return { token, hash: digest(token) };
}

function sent(db: Db, ctx: CommandContext, row: InvitationRow, token: string): InvitationSent {
  return { invitation: summarize(db, row, ctx.clock.now()), delivery: 'link', link: inviteLink(db, ctx.origin, token) };
}

/** After commit: mail the link when SMTP is set up; otherwise (or on failure) the inviter keeps the link to hand over. */
export async function deliver(ctx: CommandContext, output: InvitationSent): Promise<InvitationSent> {
  if (!output.link) return output;
  const group = findGroup(ctx.db, output.invitation.groupId)?.name ?? 'Steward';
  try {
    const delivered = await sendMail(ctx.db, ctx.secrets, {
      to: output.invitation.email,
      subject: `${output.invitation.invitedBy} invited you to ${group} on Steward`,
      text: [
        `${output.invitation.invitedBy} invited you to join ${group} as ${output.invitation.roleName}.`,
        '',
        `Accept the invitation: ${output.link}`,
        '',
        `The link works once and expires on ${new Date(output.invitation.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
        'You will choose a password and set up two-step verification.',
      ].join('\n'),
    });
    if (!delivered) return output;
    // Mail carried the link: it is not handed back, so it appears in one place only.
    return { invitation: output.invitation, delivery: 'email' };
  } catch (error) {
    log.error(`invitation mail to ${output.invitation.email.replace(/^(.).*@/, '$1…@')} failed; the link is shown instead`, error);
    return output;
  }
}

/**
 * Issues an invitation in the caller's command (invitations.create, and a company's Owner
 * invitation in groups.create): the email must be free, the caller must be able to issue
 * it now (R6; R11 for an Owner role), and a seat must be left. `field` prefixes the input's
 * own fields ('' when they are the input's top level). Returns what the caller hands on.
 */
export function issueInvitation(
  db: Db,
  ctx: CommandContext & { actor: Actor },
  input: { email: string; roleId: string; groupId: string; kind: 'member' | 'external'; acceptTerms?: boolean | undefined },
  field: string,
): InvitationSent {
  const actor = ctx.actor;
  const now = ctx.clock.now();
  const group = { id: input.groupId };
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const kind = input.kind;
  if (kind === 'external' && input.acceptTerms !== true) {
    throw new OpError('VALIDATION', 'Agree to the terms and conditions to invite an external user', { field: at('acceptTerms') });
  }
  if (stmt(db, 'SELECT 1 FROM users WHERE name_key(email) = name_key(?)').get(input.email)) {
    throw new OpError('CONFLICT', `${input.email} already has an account`, { field: at('email') });
  }
  if (
    stmt(db, "SELECT 1 FROM invitations WHERE email = ? COLLATE NOCASE AND status = 'pending' AND expires_at > ?").get(input.email, now)
  ) {
    throw new OpError('CONFLICT', `${input.email} already has a pending invitation; resend it instead`, { field: at('email') });
  }
  requireMayInvite(db, actor.userId, { email: input.email, roleId: input.roleId, groupId: group.id, kind }, field);
  requireSeat(db, group.id, now, field || 'groupId');
  const { token, hash } = issueToken(ctx);
  const id = ctx.entropy.id();
  const expires = now + readSetting(db, 'invitations.expiryHours') * 3_600_000;
  stmt(
    db,
    `INSERT INTO invitations (id, email, kind, role_id, group_id, token_hash, expires_at, status, invited_by, invited_by_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  ).run(id, input.email, kind, input.roleId, group.id, hash, expires, actor.userId, actor.username, now);
  const row = invitationById(db, id);
  if (!row) throw new Error('invitation vanished inside its transaction');
  ctx.audit({
    action: 'invitations.create',
    target: { type: 'invitation', id, name: input.email },
    groupId: group.id,
    after: { email: input.email, kind, role: summarize(db, row, now).roleName, expiresAt: expires },
  });
  return sent(db, ctx, row, token);
}

export function invitationManageHandlers(): RegisteredHandler[] {
  return [
    handler('invitations.list', {
      access: { kind: 'list', permission: 'users.view' },
      run(ctx, input) {
        const { db } = ctx;
        const scope = scopeCondition(db, ctx.actor.userId, 'users.view', { group: 'i.group_id', kind: 'g.kind' });
        const rows = stmt<Record<string, string>, InvitationRow>(
          db,
          `SELECT i.id, i.email, i.kind, i.role_id, i.group_id, i.expires_at, i.status, i.invited_by, i.invited_by_name, i.created_at, i.send_count, i.version
           FROM invitations i JOIN groups g ON g.id = i.group_id WHERE ${scope.sql} ORDER BY i.created_at DESC LIMIT 1000`,
        ).all(scope.params);
        const now = ctx.clock.now();
        const invitations = rows.map((r) => summarize(db, r, now)).filter((i) => !input.status || i.status === input.status);
        return { invitations };
      },
    }),
    handler('invitations.create', {
      access: {
        kind: 'scoped',
        keys: ['users.create'],
        needs: (input) => [{ permission: 'users.create', on: { type: 'group', id: input.groupId, field: 'groupId' } }],
      },
      run(ctx, input) {
        return issueInvitation(ctx.db, ctx, { ...input, kind: input.kind ?? 'member' }, '');
      },
      after: deliver,
    }),
    handler('invitations.resend', {
      access: {
        kind: 'scoped',
        keys: ['users.create'],
        needs: (input) => [{ permission: 'users.create', on: { type: 'invitation', id: input.id, field: 'id' } }],
      },
      run(ctx, input) {
        const { actor, db } = ctx;
        const now = ctx.clock.now();
        const row = invitationById(db, input.id);
        if (!row) throw new OpError('NOT_FOUND', 'That invitation does not exist', { field: 'id' });
        ctx.audit({ action: 'invitations.resend', target: { type: 'invitation', id: row.id, name: row.email }, groupId: row.group_id });
        const status = statusOf(row, now);
        if (status === 'accepted' || status === 'revoked')
          throw new OpError('CONFLICT', `This invitation was ${status}; send a new one instead`, { field: 'id' });
        // R6: resending is inviting again, so the resender must be able to create this invitation now.
        requireMayInvite(db, actor.userId, { email: row.email, roleId: row.role_id, groupId: row.group_id, kind: row.kind }, 'id');
        if (status === 'expired') requireSeat(db, row.group_id, now, 'id');
        // R12: authority first, so a refused caller hears FORBIDDEN whatever copy they started from; then the copy's age.
        requireBase(db, ctx, { type: 'invitation', id: row.id }, input.baseVersion, `The invitation for ${row.email}`);
        // A resend replaces the link: the old one stops working, the expiry starts again.
        const { token, hash } = issueToken(ctx);
        const expires = now + readSetting(db, 'invitations.expiryHours') * 3_600_000;
        stmt(
          db,
          'UPDATE invitations SET token_hash = ?, expires_at = ?, send_count = send_count + 1, resent_by = ?, resent_by_name = ? WHERE id = ?',
        ).run(hash, expires, actor.userId, actor.username, row.id);
        recordChange(db, ctx, { type: 'invitation', id: row.id }, ['link']);
        const updated = invitationById(db, row.id) ?? row;
        ctx.audit({
          action: 'invitations.resend',
          target: { type: 'invitation', id: row.id, name: row.email },
          groupId: row.group_id,
          after: { sendCount: updated.send_count, expiresAt: expires },
        });
        return sent(db, ctx, updated, token);
      },
      after: deliver,
    }),
    handler('invitations.revoke', {
      access: {
        kind: 'scoped',
        keys: ['users.create'],
        needs: (input) => [{ permission: 'users.create', on: { type: 'invitation', id: input.id, field: 'id' } }],
      },
      run(ctx, input) {
        const { db } = ctx;
        const row = invitationById(db, input.id);
        if (!row) throw new OpError('NOT_FOUND', 'That invitation does not exist', { field: 'id' });
        if (row.status !== 'pending') throw new OpError('CONFLICT', `This invitation was already ${row.status}`, { field: 'id' });
        stmt(db, "UPDATE invitations SET status = 'revoked' WHERE id = ?").run(row.id);
        recordChange(db, ctx, { type: 'invitation', id: row.id }, ['status']);
        ctx.audit({
          action: 'invitations.revoke',
          target: { type: 'invitation', id: row.id, name: row.email },
          groupId: row.group_id,
          before: { status: 'pending' },
          after: { status: 'revoked' },
        });
        return { id: row.id };
      },
    }),
  ];
}
