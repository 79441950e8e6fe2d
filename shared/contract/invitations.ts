import { z } from 'zod';
import { op } from './define';
import { baseVersion, email, entityId, fullName, newPassword, username } from './fields';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationSummary {
  id: string;
  email: string;
  kind: 'member' | 'external';
  roleId: string;
  roleName: string;
  groupId: string;
  groupName: string;
  status: InvitationStatus;
  invitedBy: string;
  createdAt: number;
  expiresAt: number;
  sendCount: number;
  /** Goes up by one when it is resent, revoked or accepted: what invitations.resend passes as `baseVersion`. */
  version: number;
}

/** What the inviter gets back: the link when mail could not (or need not) carry it. */
export interface InvitationSent {
  invitation: InvitationSummary;
  delivery: 'email' | 'link';
  /** Present only when delivery is 'link': hand it over yourself; it is not shown again. */
  link?: string;
}

/** What an invitee sees before accepting, from the token alone. */
export interface InvitationPreview {
  email: string;
  companyName: string;
  roleName: string;
  kind: 'member' | 'external';
  invitedBy: string;
  expiresAt: number;
}

const token = z.string().trim().min(16, 'This invitation link is not complete').max(128, 'This invitation link is not valid');

export const invitationsContract = {
  'invitations.list': op<{ invitations: InvitationSummary[] }>()({
    input: z.object({ status: z.enum(['pending', 'accepted', 'revoked', 'expired']).optional() }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  'invitations.create': op<InvitationSent>()({
    input: z
      .object({
        email,
        roleId: entityId,
        groupId: entityId,
        kind: z.enum(['member', 'external']).optional(),
        /** Seed 004: external users agree to the terms on behalf of the organization. */
        acceptTerms: z.literal(true, { error: 'Agree to the terms and conditions to invite an external user' }).optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /** Carries `baseVersion`: a resend replaces the link, so one from a stale copy would silently cancel a link someone else just sent. */
  'invitations.resend': op<InvitationSent>()({
    input: z.object({ id: entityId, baseVersion }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /** No base version: revoking means the same whatever copy it came from, and revocations win (DESIGN 6). */
  'invitations.revoke': op<{ id: string }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  'invitations.preview': op<InvitationPreview>()({
    input: z.object({ token }).strict(),
    audience: 'public',
    kind: 'query',
    errors: ['NOT_FOUND', 'CONFLICT'],
  }),
  'invitations.accept': op<{ stage: 'enroll'; user: { id: string; username: string; fullName: string; email: string } }>()({
    input: z.object({ token, username, fullName, password: newPassword }).strict(),
    audience: 'public',
    kind: 'command',
    secrets: ['token', 'password'],
    errors: ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'WEAK_PASSWORD'],
  }),
} as const;
