import type { AuditEntry } from '../../../../shared/contract';

const ACTIONS: Record<string, string> = {
  'auth.setup': 'set up Steward',
  'auth.signIn': 'signed in with a password',
  'auth.signIn.password': 'entered their password to sign in',
  'auth.mfa.enrolled': 'set up an authenticator',
  'auth.mfa.enrollmentStarted': 'started setting up an authenticator',
  'auth.mfa.recoveryCodesRegenerated': 'made new recovery codes',
  'auth.verifyCode': 'verified a sign-in code',
  'auth.beginEnrollment': 'started setting up an authenticator',
  'auth.confirmEnrollment': 'set up an authenticator',
  'auth.regenerateRecoveryCodes': 'made new recovery codes',
  'auth.signOut': 'signed out',
  'auth.changePassword': 'changed their password',
  'users.create': 'created the account of',
  'users.update': 'edited the details of',
  'users.setRoles': 'changed the roles of',
  'users.setStatus': 'changed the login status of',
  'users.disable': 'switched off the login of',
  'users.enable': 'switched on the login of',
  'users.resetPassword': 'reset the password of',
  'users.resetMfa': 'reset two-step verification of',
  'users.remove': 'removed',
  'users.updatePreferences': 'changed notification preferences',
  'ownership.transfer': 'transferred ownership to',
  'invitations.create': 'invited',
  'invitations.resend': 'resent the invitation of',
  'invitations.revoke': 'revoked the invitation of',
  'invitations.accept': 'accepted an invitation',
  'groups.create': 'created the group',
  'groups.update': 'changed the group',
  'groups.move': 'moved the group',
  'groups.remove': 'removed the group',
  'settings.update': 'changed the settings',
};

/** "Olivia Owner changed the login status of Max" — an audit event as a sentence. */
export function describeEvent(event: AuditEntry): string {
  const actor = event.actorName ?? 'Someone';
  const verb = ACTIONS[event.action] ?? event.action;
  const target = event.targetName && event.targetName !== event.actorName ? ` ${event.targetName}` : '';
  const change =
    event.action === 'users.setStatus' && typeof event.after?.status === 'string'
      ? ` to ${event.after.status === 'active' ? 'on' : 'off'}`
      : '';
  return `${actor} ${verb}${target}${change}`;
}
