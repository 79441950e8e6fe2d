import type { SettingsView } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { atRoot } from '../access/root-rule';
import { applyAuditRetention } from '../audit/retention';
import { readSetting, writeSetting } from './settings';

function view(db: Db): SettingsView {
  const smtp = readSetting(db, 'smtp');
  return {
    idleTimeoutMinutes: readSetting(db, 'session.idleTimeoutMinutes'),
    invitationExpiryHours: readSetting(db, 'invitations.expiryHours'),
    auditRetentionDays: readSetting(db, 'audit.retentionDays'),
    smtp: smtp
      ? {
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          username: smtp.username,
          hasPassword: smtp.passwordSealed !== null,
          from: smtp.from,
        }
      : null,
  };
}

export function settingsHandlers(db: Db): RegisteredHandler[] {
  return [
    // Installation-wide settings belong to the root: they are read and changed there.
    handler('settings.get', { access: atRoot(db, 'settings.view'), run: () => view(db) }),
    handler('settings.update', {
      access: atRoot(db, 'settings.manage'),
      run(ctx, input) {
        const before = view(db);
        if (input.idleTimeoutMinutes !== undefined) writeSetting(db, 'session.idleTimeoutMinutes', input.idleTimeoutMinutes);
        if (input.invitationExpiryHours !== undefined) writeSetting(db, 'invitations.expiryHours', input.invitationExpiryHours);
        // Pruning itself happens after this command (see `after`), so the change is recorded first.
        if (input.auditRetentionDays !== undefined) writeSetting(db, 'audit.retentionDays', input.auditRetentionDays);
        if (input.smtp !== undefined) {
          const stored = readSetting(db, 'smtp');
          const passwordSealed =
            input.smtp?.password === undefined
              ? (stored?.passwordSealed ?? null)
              : input.smtp.password === ''
                ? null
                : ctx.secrets.seal(Buffer.from(input.smtp.password, 'utf8')).toString('base64');
          writeSetting(
            db,
            'smtp',
            input.smtp
              ? {
                  host: input.smtp.host,
                  port: input.smtp.port,
                  secure: input.smtp.secure,
                  username: input.smtp.username,
                  passwordSealed,
                  from: input.smtp.from,
                }
              : null,
          );
        }
        const after = view(db);
        // The view never carries the SMTP password, so the audit event cannot either.
        ctx.audit({ target: { type: 'settings', id: 'installation', name: 'Settings' }, before: { ...before }, after: { ...after } });
        return after;
      },
      async after(ctx, output) {
        applyAuditRetention(db, ctx.clock, ctx.actor);
        return output;
      },
    }),
  ];
}
