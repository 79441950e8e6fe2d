import type { SettingsView } from '../../../shared/contract';
import { Field } from '../ui/Field';
import { passwordRetypeReason, type SettingsForm } from './settings-form';

interface SmtpFieldsProps {
  view: SettingsView;
  values: SettingsForm;
  change: (patch: Partial<SettingsForm>) => void;
  error: (field: string) => string | undefined;
  onRemove: () => void;
}

/** The mail server invitations go out through; without one, the inviter gets the link to hand over. */
export function SmtpFields({ view, values, change, error, onRemove }: SmtpFieldsProps) {
  const stored = view.smtp;
  const retype = passwordRetypeReason(values, view);
  return (
    <section className="panel" aria-labelledby="settings-smtp">
      <h2 id="settings-smtp">Mail server (SMTP)</h2>
      <p className="muted" data-testid="smtp-state">
        {stored
          ? `Invitations are emailed through ${stored.host}:${stored.port}.`
          : 'No mail server is set up: when you invite someone, Steward gives you the link to hand over yourself. Fill in a host to send invitations by email.'}
      </p>
      <div className="form-grid">
        <Field
          label="Host"
          value={values.host}
          onChange={(v) => change({ host: v })}
          error={error('smtp.host')}
          autoComplete="off"
          placeholder="smtp.example.com"
        />
        <Field
          label="Port"
          inputMode="numeric"
          value={values.port}
          onChange={(v) => change({ port: v })}
          error={error('smtp.port')}
          autoComplete="off"
        />
        <Field
          label="From address"
          type="email"
          value={values.from}
          onChange={(v) => change({ from: v })}
          error={error('smtp.from')}
          autoComplete="off"
          placeholder="steward@example.com"
        />
        <Field
          label="SMTP username"
          value={values.username}
          onChange={(v) => change({ username: v })}
          error={error('smtp.username')}
          autoComplete="off"
          hint="Leave empty when the server needs no sign-in."
        />
        <Field
          label="SMTP password"
          type="password"
          value={values.password}
          onChange={(v) => change({ password: v, clearPassword: false })}
          error={error('smtp.password')}
          autoComplete="new-password"
          required={retype !== null}
          placeholder={stored?.hasPassword && !retype ? '••••••••' : ''}
          hint={
            retype
              ? 'Required: you changed where or how the stored password would be sent, so type it again (or delete it below).'
              : stored?.hasPassword
                ? 'A password is stored. Leave empty to keep it; type to replace it.'
                : 'No password is stored.'
          }
        />
      </div>
      <label className="check">
        <input type="checkbox" checked={values.secure} onChange={(e) => change({ secure: e.target.checked })} />
        Use TLS from the start (usually port 465); otherwise the connection must be upgraded with STARTTLS before anything is sent
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={values.allowWithoutTls}
          onChange={(e) => change({ allowWithoutTls: e.target.checked })}
          aria-describedby={values.allowWithoutTls ? 'smtp-without-tls-warning' : undefined}
        />
        Allow sending without TLS (not recommended)
      </label>
      {values.allowWithoutTls && (
        <p className="smtp-warning" id="smtp-without-tls-warning" data-testid="smtp-without-tls-warning">
          Warning: with a server that offers no TLS, invitation links and the SMTP username and password cross the network unencrypted,
          readable by anyone on the way. Use this only for a relay on this computer or a network you fully trust.
        </p>
      )}
      {stored?.hasPassword && (
        <label className="check">
          <input
            type="checkbox"
            checked={values.clearPassword}
            disabled={values.password !== ''}
            onChange={(e) => change({ clearPassword: e.target.checked })}
          />
          Delete the stored password
        </label>
      )}
      {error('smtp') && (
        <p className="field-error" role="alert">
          {error('smtp')}
        </p>
      )}
      {stored && (
        <div className="form-actions start">
          <button type="button" className="danger-outline" onClick={onRemove}>
            Remove SMTP…
          </button>
        </div>
      )}
    </section>
  );
}
