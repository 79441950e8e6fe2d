import type { InvitationStatus, MfaState, UserKind, UserStatus } from '../../../shared/contract';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(ms: number | null): string {
  return ms === null ? 'Never' : dateTime.format(new Date(ms));
}

/** "in 23 hours", "3 days ago": how far an expiry or a sign-in is from now, next to the exact time. */
export function relativeTime(ms: number, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const minutes = Math.round((ms - now) / 60_000);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

export const MFA_LABELS: Record<MfaState, string> = {
  enrolled: 'Enrolled',
  not_enrolled: 'Not enrolled',
  reset_pending: 'Reset pending',
};

export const KIND_LABELS: Record<UserKind, string> = { member: 'Member', external: 'External' };

export const STATUS_LABELS: Record<UserStatus, string> = { active: 'Active', disabled: 'Disabled' };

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
