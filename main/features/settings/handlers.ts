import { smtpPasswordRetypeReason, type ParsedInput, type SettingsView } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { atRoot } from '../access/root-rule';
import { currentVersion, recordChange, requireBase, SETTINGS_REF } from '../versions/object-versions';
import { readSetting, writeSetting, type SettingValue } from './settings';

type SmtpInput = NonNullable<ParsedInput<'settings.update'>['smtp']>;

function view(db: Db): SettingsView {
  const smtp = readSetting(db, 'smtp');
  return {
    idleTimeoutMinutes: readSetting(db, 'session.idleTimeoutMinutes'),
    invitationExpiryHours: readSetting(db, 'invitations.expiryHours'),
    auditRetentionDays: readSetting(db, 'audit.retentionDays'),
    historyRetentionDays: readSetting(db, 'history.retentionDays'),
    publicAddress: readSetting(db, 'console.publicAddress'),
    smtp: smtp
      ? {
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          username: smtp.username,
          hasPassword: smtp.passwordSealed !== null,
          from: smtp.from,
          allowWithoutTls: smtp.allowWithoutTls,
        }
      : null,
    version: currentVersion(db, SETTINGS_REF),
  };
}

const FIELDS = [
  'idleTimeoutMinutes',
  'invitationExpiryHours',
  'auditRetentionDays',
  'historyRetentionDays',
  'publicAddress',
  'smtp',
] as const;

/**
 * The SMTP setting an update asks for, with the password sealed, kept or cleared.
 * Throws VALIDATION on `smtp.password` when the update would present a kept password to
 * another host, port or account, or without TLS (smtpPasswordRetypeReason).
 */
function nextSmtp(db: Db, input: SmtpInput | null, sealed: string | null | undefined): SettingValue<'smtp'> {
  if (!input) return null;
  const stored = readSetting(db, 'smtp');
  const allowWithoutTls = input.allowWithoutTls ?? false;
  if (input.password === undefined) {
    const reason = smtpPasswordRetypeReason(stored && { ...stored, hasPassword: stored.passwordSealed !== null }, {
      ...input,
      allowWithoutTls,
    });
    if (reason) throw new OpError('VALIDATION', reason, { field: 'smtp.password' });
  }
  const passwordSealed = sealed === undefined ? (stored?.passwordSealed ?? null) : sealed;
  return {
    host: input.host,
    port: input.port,
    secure: input.secure,
    username: input.username,
    passwordSealed,
    from: input.from,
    allowWithoutTls,
  };
}

/** `db` reaches only the retention in `after`, which becomes a command of its own (issue 12). */
export function settingsHandlers(): RegisteredHandler[] {
  return [
    // Installation-wide settings belong to the root: they are read and changed there.
    handler('settings.get', { access: atRoot('settings.view'), run: (ctx) => view(ctx.db) }),
    handler('settings.update', {
      access: atRoot('settings.manage'),
      // The password is sealed here, so the command's envelope keeps only the seal (contract: secrets).
      async prepare(ctx, input) {
        const password = input.smtp?.password;
        return {
          sealed:
            password === undefined
              ? undefined
              : password === ''
                ? null
                : ctx.secrets.seal(Buffer.from(password, 'utf8')).toString('base64'),
        };
      },
      run(ctx, input, { sealed }) {
        const { db } = ctx;
        ctx.audit({ target: { type: 'settings', id: 'installation', name: 'Settings' } });
        requireBase(db, ctx, SETTINGS_REF, input.baseVersion, 'The settings');
        const before = view(db);
        // Checked before any write, so a refused update leaves every setting as it was.
        const smtp = input.smtp === undefined ? undefined : nextSmtp(db, input.smtp, sealed);
        if (input.idleTimeoutMinutes !== undefined) writeSetting(db, 'session.idleTimeoutMinutes', input.idleTimeoutMinutes);
        if (input.invitationExpiryHours !== undefined) writeSetting(db, 'invitations.expiryHours', input.invitationExpiryHours);
        // Pruning is its own command (audit.prune), scheduled once this one has committed.
        if (input.auditRetentionDays !== undefined) writeSetting(db, 'audit.retentionDays', input.auditRetentionDays);
        if (input.historyRetentionDays !== undefined) writeSetting(db, 'history.retentionDays', input.historyRetentionDays);
        if (smtp !== undefined) writeSetting(db, 'smtp', smtp);
        // '' clears it: links then point at the console's own address again.
        if (input.publicAddress !== undefined)
          writeSetting(db, 'console.publicAddress', input.publicAddress === '' ? null : input.publicAddress);
        // A new SMTP password does not show in the view (only that one is stored), so it counts as a change by itself.
        const written = view(db);
        const fields = FIELDS.filter(
          (key) => JSON.stringify(before[key]) !== JSON.stringify(written[key]) || (key === 'smtp' && input.smtp?.password !== undefined),
        );
        const version = recordChange(db, ctx, SETTINGS_REF, fields);
        const after = { ...written, version };
        // The view never carries the SMTP password, so the audit event cannot either.
        ctx.audit({ target: { type: 'settings', id: 'installation', name: 'Settings' }, before: { ...before }, after: { ...after } });
        return after;
      },
    }),
  ];
}
