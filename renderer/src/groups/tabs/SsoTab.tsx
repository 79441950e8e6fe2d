import { useEffect, useState, type FormEvent } from 'react';
import type { SsoConfigView, SsoPreview } from '../../../../shared/contract';
import { PRESET_INFO, SSO_PRESETS, type SsoPreset } from '../../../../shared/sso';
import type { ApiError } from '../../../../shared/result';
import { invoke } from '../../api/client';
import { Switch } from '../../ui/Switch';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { SelectField } from '../../ui/SelectField';
import { useApiForm } from '../../ui/use-api-form';
import type { TabProps } from './tab-props';
import '../../ui/sso.css';

/** One per domain the contract takes (at most 50): a refusal names the domain's place, and shows next to the domains. */
const DOMAIN_FIELDS = Array.from({ length: 50 }, (_, i) => `allowedDomains.${i}`);
const FIELDS = ['preset', 'displayName', 'issuer', 'clientId', 'clientSecret', 'allowedDomains', ...DOMAIN_FIELDS, 'baseVersion'];

const PRESET_NAMES: Record<SsoPreset, string> = {
  entra: 'Microsoft Entra ID (Microsoft 365)',
  google: 'Google Workspace',
  generic: 'Another OpenID Connect provider',
};

interface FormValues {
  preset: SsoPreset;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  clearSecret: boolean;
  domains: string;
  enforced: boolean;
  trustProviderMfa: boolean;
}

function fromView(view: SsoConfigView): FormValues {
  return {
    preset: view.preset,
    displayName: view.displayName ?? '',
    issuer: view.issuer,
    clientId: view.clientId,
    clientSecret: '',
    clearSecret: false,
    domains: view.allowedDomains.join(', '),
    enforced: view.enforced,
    trustProviderMfa: view.trustProviderMfa,
  };
}

const splitDomains = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);

/** Issue 14: the company's single sign-on. The client secret is write-only, as the SMTP password is. */
export function SsoTab({ detail }: TabProps) {
  const [view, setView] = useState<SsoConfigView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [values, setValues] = useState<FormValues | null>(null);
  const [preview, setPreview] = useState<SsoPreview | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useApiForm(FIELDS);

  useEffect(() => {
    let live = true;
    void invoke('sso.get', { companyId: detail.id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setView(result.value);
        setValues(fromView(result.value));
      } else setLoadError(result.error);
    });
    return () => {
      live = false;
    };
  }, [detail.id]);

  if (loadError) return <FormError message={loadError.message} />;
  if (!view || !values) return <p className="loading">Loading single sign-on…</p>;
  const change = (patch: Partial<FormValues>) => {
    setSaved(false);
    setValues({ ...values, ...patch });
  };

  async function checkLockout(domains: string[]) {
    const result = await invoke('sso.preview', { companyId: detail.id, allowedDomains: domains });
    setPreview(result.ok ? result.value : null);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!view || !values) return;
    const secret = values.clearSecret ? '' : values.clientSecret || undefined;
    void form.submit(
      () =>
        invoke('sso.configure', {
          companyId: detail.id,
          baseVersion: view.version,
          preset: values.preset,
          ...(values.preset === 'generic' ? { displayName: values.displayName } : {}),
          issuer: values.issuer,
          clientId: values.clientId,
          ...(secret === undefined ? {} : { clientSecret: secret }),
          allowedDomains: splitDomains(values.domains),
          enforced: values.enforced,
          trustProviderMfa: values.trustProviderMfa,
        }),
      (next) => {
        setView(next);
        setValues(fromView(next));
        setSaved(true);
      },
    );
  }

  const origin = window.location.protocol.startsWith('http') ? window.location.origin : 'http://127.0.0.1:4780';
  const info = PRESET_INFO[values.preset];
  return (
    <form className="panel sso-tab" onSubmit={onSubmit} noValidate aria-labelledby="sso-title">
      <h2 id="sso-title">Single sign-on</h2>
      <p className="muted">
        {view.configured
          ? `${detail.name} signs in through ${view.issuer}.`
          : `People of ${detail.name} sign in with a password and an authenticator code. Connect the company's identity provider to let them sign in with it.`}
      </p>
      <div className="form-grid">
        <SelectField
          label="Identity provider"
          value={values.preset}
          onChange={(v) => change({ preset: v as SsoPreset })}
          error={form.fieldError('preset')}
        >
          {SSO_PRESETS.map((p) => (
            <option key={p} value={p}>
              {PRESET_NAMES[p]}
            </option>
          ))}
        </SelectField>
        {values.preset === 'generic' && (
          <Field
            label="Name on the sign-in button"
            value={values.displayName}
            onChange={(v) => change({ displayName: v })}
            error={form.fieldError('displayName')}
            placeholder="Okta"
          />
        )}
        <Field
          label="Issuer"
          value={values.issuer}
          onChange={(v) => change({ issuer: v })}
          error={form.fieldError('issuer')}
          placeholder={info.issuerHint}
          hint={
            values.preset === 'entra'
              ? 'Your directory (tenant) id goes where {tenant} is.'
              : 'Steward reads its configuration by discovery.'
          }
          autoComplete="off"
        />
        <Field
          label="Client id"
          value={values.clientId}
          onChange={(v) => change({ clientId: v })}
          error={form.fieldError('clientId')}
          autoComplete="off"
        />
        <Field
          label="Client secret"
          type="password"
          value={values.clientSecret}
          onChange={(v) => change({ clientSecret: v, clearSecret: false })}
          error={form.fieldError('clientSecret')}
          autoComplete="new-password"
          placeholder={view.hasClientSecret ? 'Stored (type a new one to replace it)' : 'None stored'}
        />
        {view.hasClientSecret && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={values.clearSecret}
              onChange={(e) => change({ clearSecret: e.target.checked, clientSecret: '' })}
            />{' '}
            Remove the stored secret
          </label>
        )}
        <Field
          label="Allowed email domains"
          value={values.domains}
          onChange={(v) => change({ domains: v })}
          error={form.fieldError('allowedDomains') ?? DOMAIN_FIELDS.map((f) => form.fieldError(f)).find(Boolean)}
          hint="Separated by commas. People whose email is in these domains sign in with the provider. A domain belongs to one company and its people."
          autoComplete="off"
        />
      </div>
      <div className="sso-redirects">
        <p>Register these redirect addresses with the provider:</p>
        <ul>
          <li>
            Web console: <code>{`${origin}/sso/callback`}</code>
          </li>
          <li>
            Desktop app: <code>http://127.0.0.1/callback</code> (any port, as a desktop or mobile platform)
          </li>
        </ul>
      </div>
      <Switch
        label="Trust the provider's multi-factor sign-in"
        checked={values.trustProviderMfa}
        onLabel="The provider's MFA replaces Steward's authenticator code when its token shows it"
        offLabel="Steward still asks for its authenticator code after the provider"
        onChange={(on) => change({ trustProviderMfa: on })}
      />
      <Switch
        label="Enforce single sign-on"
        checked={values.enforced}
        onLabel="Enforced: password sign-in is refused"
        offLabel="Not enforced: passwords still work"
        onChange={(on) => {
          change({ enforced: on });
          if (on) void checkLockout(splitDomains(values.domains));
          else setPreview(null);
        }}
      />
      <p className="muted break-glass" data-testid="break-glass">
        {view.breakGlass
          ? `Break-glass: the company's Owner, ${view.breakGlass.username}, keeps signing in with password and authenticator code while single sign-on is enforced. Each such sign-in is audited.`
          : 'Break-glass: the company has no Owner yet. Its Owner will keep password and code sign-in while single sign-on is enforced.'}
      </p>
      {values.enforced && preview && <LockoutPreview preview={preview} onCheck={() => void checkLockout(splitDomains(values.domains))} />}
      <FormError message={form.formError} />
      {saved && (
        <p className="success" role="status">
          Single sign-on saved.
        </p>
      )}
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? 'Checking the provider…' : 'Save single sign-on'}
      </button>
    </form>
  );
}

function LockoutPreview({ preview, onCheck }: { preview: SsoPreview; onCheck: () => void }) {
  const total = preview.lockedOut.length + preview.hiddenCount;
  return (
    <section className="lockout-preview" aria-labelledby="lockout-title" data-testid="lockout-preview">
      <h3 id="lockout-title">
        {total === 0 ? 'Nobody would be locked out' : `${total} ${total === 1 ? 'person' : 'people'} could not sign in`}
      </h3>
      {preview.lockedOut.length > 0 && (
        <ul>
          {preview.lockedOut.map((p) => (
            <li key={p.userId}>
              <strong>{p.fullName || p.username}</strong> ({p.email}):{' '}
              {p.reasons
                .map((r) => (r === 'not-linked' ? 'has not signed in with the provider yet' : 'email domain not allowed'))
                .join('; ')}
            </li>
          ))}
        </ul>
      )}
      {preview.hiddenCount > 0 && <p className="muted">and {preview.hiddenCount} you may not see.</p>}
      <p className="muted">
        People who have not signed in with the provider yet are linked the first time they do, by their verified email.
      </p>
      <button type="button" onClick={onCheck}>
        Check again
      </button>
    </section>
  );
}
