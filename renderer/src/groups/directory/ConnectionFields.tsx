import { useId, type ChangeEvent, type ReactNode } from 'react';
import { Field } from '../../ui/Field';
import { SelectField } from '../../ui/SelectField';
import { TextAreaField } from '../../ui/TextAreaField';
import { readKeyFile, SECRET_LABELS, type DraftOf, type Drafts } from './connection-drafts';

interface ConnectionFieldsProps<C extends keyof Drafts> {
  draft: DraftOf<C>;
  change: (patch: Partial<DraftOf<C>>) => void;
  secret: string;
  setSecret: (value: string) => void;
  hasSecret: boolean;
  fieldError: (field: string) => string | undefined;
}

type Props = { [C in keyof Drafts]: ConnectionFieldsProps<C> }[keyof Drafts];

/** A plain text setting: its key in the connector's settings, its label, and a hint when it needs one. */
interface TextSetting<C extends keyof Drafts> {
  key: keyof DraftOf<C> & string;
  label: string;
  hint?: string;
}

const LDAP_FIELDS: ReadonlyArray<TextSetting<'ldap'>> = [
  { key: 'url', label: 'Directory address' },
  { key: 'bindDn', label: 'Bind DN' },
  { key: 'baseDn', label: 'Base DN' },
  { key: 'filter', label: 'Filter' },
  { key: 'departmentAttribute', label: 'Department attribute' },
  { key: 'emailAttribute', label: 'Email attribute' },
];
const GRAPH_FIELDS: ReadonlyArray<TextSetting<'graph'>> = [
  { key: 'tenantId', label: 'Directory (tenant) ID' },
  { key: 'clientId', label: 'Application (client) ID' },
];
const GRAPH_ADDRESSES: ReadonlyArray<TextSetting<'graph'>> = [
  { key: 'loginUrl', label: 'Sign-in address' },
  { key: 'graphUrl', label: 'Microsoft Graph address' },
];
const GOOGLE_FIELDS: ReadonlyArray<TextSetting<'google'>> = [
  { key: 'serviceAccountEmail', label: 'Service account email' },
  {
    key: 'adminEmail',
    label: 'Administrator to act as',
    hint: 'A Workspace administrator who may read users; the service account reads the directory as them (domain-wide delegation).',
  },
  { key: 'domain', label: 'Domain', hint: 'Leave empty to read every domain of the account.' },
];
const GOOGLE_ADDRESSES: ReadonlyArray<TextSetting<'google'>> = [
  { key: 'tokenUrl', label: 'Token address' },
  { key: 'apiUrl', label: 'Directory API address' },
];

/** The text settings of one connector, each a field whose refusals are named `settings.<key>`. */
function TextSettings<C extends keyof Drafts>({ fields, ...props }: ConnectionFieldsProps<C> & { fields: ReadonlyArray<TextSetting<C>> }) {
  return (
    <>
      {fields.map((f) => {
        const value = props.draft[f.key];
        return (
          <Field
            key={f.key}
            label={f.label}
            value={typeof value === 'string' ? value : ''}
            onChange={(v) => props.change({ [f.key]: v } as Partial<DraftOf<C>>)}
            error={props.fieldError(`settings.${f.key}`)}
            autoComplete="off"
            {...(f.hint ? { hint: f.hint } : {})}
          />
        );
      })}
    </>
  );
}

/** The password-style secret (LDAP, Graph): write-only, the stored one is never shown. */
function SecretField<C extends keyof Drafts>({ props, label, hint }: { props: ConnectionFieldsProps<C>; label: string; hint?: string }) {
  return (
    <Field
      label={label}
      type="password"
      value={props.secret}
      onChange={props.setSecret}
      error={props.fieldError('secret')}
      autoComplete="new-password"
      placeholder={props.hasSecret ? 'Stored (type a new one to replace it)' : 'None stored'}
      {...(hint ? { hint } : {})}
    />
  );
}

/** The fields of one connector's connection. */
export function ConnectionFields(props: Props) {
  switch (props.draft.connector) {
    case 'ldap': {
      const ldap = props as ConnectionFieldsProps<'ldap'>;
      return (
        <div className="form-grid">
          <TextSettings {...ldap} fields={LDAP_FIELDS.slice(0, 2)} />
          <SecretField props={ldap} label={SECRET_LABELS.ldap} />
          <TextSettings {...ldap} fields={LDAP_FIELDS.slice(2)} />
        </div>
      );
    }
    case 'graph': {
      const graph = props as ConnectionFieldsProps<'graph'>;
      return (
        <>
          <div className="form-grid">
            <TextSettings {...graph} fields={GRAPH_FIELDS} />
            <SecretField
              props={graph}
              label={SECRET_LABELS.graph}
              hint="The app registration needs the Microsoft Graph application permission User.Read.All, with admin consent."
            />
          </div>
          <Addresses summary="Addresses (for a national cloud)">
            <TextSettings {...graph} fields={GRAPH_ADDRESSES} />
          </Addresses>
        </>
      );
    }
    case 'google':
      return <GoogleFields {...(props as ConnectionFieldsProps<'google'>)} />;
  }
}

function Addresses({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="directory-endpoints">
      <summary>{summary}</summary>
      <div className="form-grid">{children}</div>
    </details>
  );
}

function GoogleFields(props: ConnectionFieldsProps<'google'>) {
  const { draft, change, secret, setSecret, hasSecret, fieldError } = props;
  const fileId = useId();
  function loadKeyFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    void file.text().then((text) => {
      const key = readKeyFile(text);
      if (!key) return setSecret(text);
      change({ serviceAccountEmail: key.clientEmail });
      setSecret(key.privateKey);
    });
  }
  return (
    <>
      <div className="form-grid">
        <TextSettings {...props} fields={GOOGLE_FIELDS} />
        <SelectField
          label="Departments come from"
          value={draft.departmentFrom}
          onChange={(v) => change({ departmentFrom: v === 'orgUnit' ? 'orgUnit' : 'organization' })}
          error={fieldError('settings.departmentFrom')}
        >
          <option value="organization">Each user’s department (Employee information)</option>
          <option value="orgUnit">Each user’s organizational unit</option>
        </SelectField>
      </div>
      <TextAreaField
        label={SECRET_LABELS.google}
        value={secret}
        onChange={setSecret}
        error={fieldError('secret')}
        autoComplete="off"
        spellCheck={false}
        rows={4}
        placeholder={hasSecret ? 'Stored (paste a new one, or load a key file, to replace it)' : '-----BEGIN PRIVATE KEY----- …'}
        hint="The service account key’s private_key. Loading the JSON key file fills it and the service account email."
      />
      <p className="field">
        <label htmlFor={fileId}>Load the JSON key file</label>
        <input id={fileId} type="file" accept="application/json,.json" onChange={loadKeyFile} />
      </p>
      <Addresses summary="Addresses">
        <TextSettings {...props} fields={GOOGLE_ADDRESSES} />
      </Addresses>
    </>
  );
}
