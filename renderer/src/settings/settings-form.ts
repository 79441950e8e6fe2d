import { smtpPasswordRetypeReason, type Input, type SettingsView } from '../../../shared/contract';

export interface SettingsForm {
  idleTimeoutMinutes: string;
  invitationExpiryHours: string;
  /** '' keeps the status history forever. */
  historyRetentionDays: string;
  /** '' when unset: links then use the console's own address. */
  publicAddress: string;
  host: string;
  port: string;
  secure: boolean;
  username: string;
  /** Typed only to set a new one: the stored password is never sent back. */
  password: string;
  clearPassword: boolean;
  from: string;
  allowWithoutTls: boolean;
}

export function toForm(view: SettingsView): SettingsForm {
  return {
    idleTimeoutMinutes: String(view.idleTimeoutMinutes),
    invitationExpiryHours: String(view.invitationExpiryHours),
    historyRetentionDays: view.historyRetentionDays === null ? '' : String(view.historyRetentionDays),
    publicAddress: view.publicAddress ?? '',
    host: view.smtp?.host ?? '',
    port: view.smtp ? String(view.smtp.port) : '587',
    secure: view.smtp?.secure ?? false,
    username: view.smtp?.username ?? '',
    password: '',
    clearPassword: false,
    from: view.smtp?.from ?? '',
    allowWithoutTls: view.smtp?.allowWithoutTls ?? false,
  };
}

/** The changes the form asks for; the screen adds the version it loaded (`baseVersion`) when it sends them. */
export type SettingsChanges = Omit<Input<'settings.update'>, 'baseVersion'>;
export type Parsed = { input: SettingsChanges; errors: null } | { input: null; errors: Record<string, string> };

export function whole(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** Numbers are typed as text; a box that is not a whole number is reported here, by field, before anything is sent. */
export function toInput(form: SettingsForm, view: SettingsView): Parsed {
  const errors: Record<string, string> = {};
  const idle = whole(form.idleTimeoutMinutes);
  const expiry = whole(form.invitationExpiryHours);
  if (idle === null) errors.idleTimeoutMinutes = 'Enter a whole number of minutes';
  if (expiry === null) errors.invitationExpiryHours = 'Enter a whole number of hours';
  const historyDays = form.historyRetentionDays.trim() === '' ? null : whole(form.historyRetentionDays);
  if (form.historyRetentionDays.trim() !== '' && historyDays === null)
    errors.historyRetentionDays = 'Enter a whole number of days, or leave it empty to keep the history';
  const smtpWanted = form.host.trim() !== '' || view.smtp !== null;
  const port = whole(form.port);
  if (smtpWanted && port === null) errors['smtp.port'] = 'Enter the port as a whole number, for example 587';
  const retype = passwordRetypeReason(form, view);
  if (smtpWanted && retype) errors['smtp.password'] = retype;
  if (Object.keys(errors).length > 0 || idle === null || expiry === null) return { input: null, errors };

  const input: SettingsChanges = {};
  if (idle !== view.idleTimeoutMinutes) input.idleTimeoutMinutes = idle;
  if (expiry !== view.invitationExpiryHours) input.invitationExpiryHours = expiry;
  if (historyDays !== view.historyRetentionDays && !errors.historyRetentionDays) input.historyRetentionDays = historyDays;
  // The server checks the address and strips a trailing slash; '' clears it.
  if (form.publicAddress.trim().replace(/\/+$/, '') !== (view.publicAddress ?? '')) input.publicAddress = form.publicAddress.trim();
  if (smtpWanted && port !== null) {
    input.smtp = {
      host: form.host,
      port,
      secure: form.secure,
      username: form.username.trim(),
      from: form.from,
      allowWithoutTls: form.allowWithoutTls,
      // Omitted keeps the stored password; '' clears it.
      ...(form.password ? { password: form.password } : form.clearPassword ? { password: '' } : {}),
    };
  }
  return { input, errors: null };
}

/**
 * Why the password box must be filled before saving (the server refuses the same way), or
 * null: the form changes where or as whom the stored password would be presented.
 */
export function passwordRetypeReason(form: SettingsForm, view: SettingsView): string | null {
  if (form.password !== '' || form.clearPassword) return null;
  const port = whole(form.port);
  return smtpPasswordRetypeReason(view.smtp, {
    host: form.host,
    port: port ?? -1,
    username: form.username.trim(),
    allowWithoutTls: form.allowWithoutTls,
  });
}
