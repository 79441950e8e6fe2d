import { useId, useState, type FormEvent } from 'react';
import type { Branding } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { BrandMark } from '../../ui/BrandMark';
import { brandingStyle } from '../../ui/branding-style';
import { LOGO_TYPES, readLogo } from '../../ui/logo-file';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { useApiForm } from '../../ui/use-api-form';
import { missingPermissionText } from '../permission-hints';
import type { TabProps } from './tab-props';

const FIELDS = ['baseVersion', 'branding.productName', 'branding.logo', 'branding.primaryColor', 'branding.accentColor'];
const DEFAULTS = { primaryColor: '#ffffff', accentColor: '#1f5fbf' };
const CLEAR: Branding = { productName: '', logo: null, primaryColor: null, accentColor: null };

export function BrandingTab({ detail, onSaved, onReload }: TabProps) {
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState<Branding>(detail.branding ?? CLEAR);
  const [logoError, setLogoError] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const logoId = useId();
  const editable = detail.can.editCompany;
  const readOnly = editable ? {} : { disabled: true, title: missingPermissionText('editCompany', detail.kind) };
  const isClear = JSON.stringify(detail.branding ?? CLEAR) === JSON.stringify(CLEAR);

  async function onLogo(file: File | undefined) {
    if (!file) return;
    const read = await readLogo(file);
    setLogoError(read.ok ? null : read.message);
    if (read.ok) setValues((v) => ({ ...v, logo: read.dataUrl }));
  }

  function save(branding: Branding, message: string) {
    void form.submit(
      () => invoke('groups.update', { id: detail.id, baseVersion: detail.version, branding }),
      () => onSaved(message, { branding: true }),
    );
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save({ ...values, productName: values.productName.trim() }, 'Branding saved.');
  }

  return (
    <form onSubmit={onSubmit} noValidate className="tab-form branding-form">
      <div className="branding-fields">
        <Field
          label="Product name"
          value={values.productName}
          onChange={(productName) => setValues((v) => ({ ...v, productName }))}
          error={form.fieldError('branding.productName')}
          hint="Shown instead of “Steward” to everyone whose home group is here or below."
          autoComplete="off"
          {...readOnly}
        />
        <div className={`field${logoError || form.fieldError('branding.logo') ? ' field-invalid' : ''}`}>
          <label htmlFor={logoId}>Logo</label>
          <input
            id={logoId}
            type="file"
            accept={LOGO_TYPES.join(',')}
            onChange={(e) => {
              void onLogo(e.target.files?.[0]);
              e.target.value = '';
            }}
            aria-describedby={`${logoId}-hint${logoError ? ` ${logoId}-error` : ''}`}
            {...readOnly}
          />
          <p id={`${logoId}-hint`} className="field-hint">
            PNG, JPEG, WebP or SVG, at most 200 KB.
          </p>
          {(logoError || form.fieldError('branding.logo')) && (
            <p id={`${logoId}-error`} className="field-error" role="alert">
              {logoError ?? form.fieldError('branding.logo')}
            </p>
          )}
          {values.logo && editable && (
            <button type="button" className="link" onClick={() => setValues((v) => ({ ...v, logo: null }))}>
              Remove logo
            </button>
          )}
        </div>
        <ColourField
          label="Primary colour"
          hint="The header bar."
          value={values.primaryColor}
          fallback={DEFAULTS.primaryColor}
          onChange={(primaryColor) => setValues((v) => ({ ...v, primaryColor }))}
          error={form.fieldError('branding.primaryColor')}
          readOnly={readOnly}
        />
        <ColourField
          label="Accent colour"
          hint="Buttons, links and the current page. Without one, the primary colour is used."
          value={values.accentColor}
          fallback={values.primaryColor ?? DEFAULTS.accentColor}
          onChange={(accentColor) => setValues((v) => ({ ...v, accentColor }))}
          error={form.fieldError('branding.accentColor')}
          readOnly={readOnly}
        />
      </div>
      <figure
        className={`brand-preview${values.primaryColor ? ' branded' : ''}`}
        aria-labelledby={`${logoId}-preview`}
        data-testid="branding-preview"
        style={brandingStyle(values, { standalone: true })}
      >
        <div className="preview-header">
          <BrandMark productName={values.productName.trim() || 'Steward'} logo={values.logo} testId="branding-preview-name" />
          <span className="preview-group">{detail.name}</span>
        </div>
        <div className="preview-body">
          <span className="preview-nav">Customers</span>
          <span className="preview-button">Save</span>
          <span className="preview-link">A link</span>
        </div>
        <figcaption id={`${logoId}-preview`}>
          Live preview{JSON.stringify(values) === JSON.stringify(detail.branding ?? CLEAR) ? '' : ' (not saved yet)'}
        </figcaption>
      </figure>
      <FormError message={form.formError} />
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="group" onReload={onReload} />
      {editable && confirmClear && (
        <div className="confirm-row" role="group" aria-label="Clear branding">
          <p>
            Clear the product name, logo and colours of {detail.name}? Everyone homed here or below gets the branding of the nearest branded
            group above, or Steward’s own look.
          </p>
          <button type="button" onClick={() => setConfirmClear(false)}>
            Keep branding
          </button>
          <button
            type="button"
            className="danger-button"
            disabled={form.pending}
            onClick={() => {
              setConfirmClear(false);
              save(CLEAR, 'Branding cleared.');
            }}
          >
            Clear branding
          </button>
        </div>
      )}
      {editable ? (
        <div className="form-actions">
          <button type="button" disabled={form.pending || isClear || confirmClear} onClick={() => setConfirmClear(true)}>
            Clear branding…
          </button>
          <button type="submit" className="primary inline" disabled={form.pending}>
            {form.pending ? 'Saving…' : 'Save branding'}
          </button>
        </div>
      ) : (
        <p className="muted">You can see this branding but not change it.</p>
      )}
    </form>
  );
}

interface ColourFieldProps {
  label: string;
  hint: string;
  value: string | null;
  fallback: string;
  onChange: (value: string | null) => void;
  error: string | undefined;
  readOnly: { disabled?: boolean; title?: string };
}

/** A colour input cannot be empty, so "no colour" is a separate state with its own button. */
function ColourField({ label, hint, value, fallback, onChange, error, readOnly }: ColourFieldProps) {
  const id = useId();
  return (
    <div className={`field colour-field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="colour-row">
        <input
          id={id}
          type="color"
          value={value ?? fallback}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={`${id}-hint`}
          aria-invalid={error ? true : undefined}
          {...readOnly}
        />
        <code>{value ?? 'default'}</code>
        {value && !readOnly.disabled && (
          <button type="button" className="link" onClick={() => onChange(null)}>
            Use default<span className="sr-only"> {label.toLowerCase()}</span>
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
