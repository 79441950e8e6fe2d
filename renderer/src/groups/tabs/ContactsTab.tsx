import { useRef, useState, type FormEvent } from 'react';
import type { Contact } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { useApiForm } from '../../ui/use-api-form';
import { missingPermissionText } from '../permission-hints';
import type { TabProps } from './tab-props';

const COLUMNS = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'role', label: 'Role', type: 'text' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'phone', label: 'Phone', type: 'tel' },
] as const;

interface Row extends Contact {
  /** Stable across edits and removals, so React keeps each row's inputs (and focus) with it. */
  key: number;
}

export function ContactsTab({ detail, onSaved, onReload }: TabProps) {
  const nextKey = useRef((detail.contacts ?? []).length);
  const [rows, setRows] = useState<Row[]>(() => (detail.contacts ?? []).map((c, i) => ({ ...c, key: i })));
  const form = useApiForm(['baseVersion', ...rows.flatMap((_, i) => COLUMNS.map((c) => `contacts.${i}.${c.key}`))]);
  const tableRef = useRef<HTMLTableElement>(null);
  const editable = detail.can.editCompany;
  const readOnlyTitle = editable ? undefined : missingPermissionText('editCompany', detail.kind);

  function update(key: number, field: keyof Contact, value: string) {
    setRows((all) => all.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  }

  function add() {
    const key = nextKey.current++;
    setRows((all) => [...all, { key, name: '', role: '', email: '', phone: '' }]);
    // The new row's first box is where the person will type next.
    requestAnimationFrame(() => tableRef.current?.querySelector<HTMLInputElement>(`[data-row="${key}"] input`)?.focus());
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const contacts = rows.map(({ name, role, email, phone }) => ({ name, role, email: email.trim(), phone }));
    void form.submit(
      () => invoke('groups.update', { id: detail.id, baseVersion: detail.version, contacts }),
      () => onSaved(contacts.length === 1 ? 'Saved 1 contact.' : `Saved ${contacts.length} contacts.`),
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="tab-form">
      {rows.length === 0 ? (
        <p className="empty-state">
          No contacts yet.
          {editable ? ' Add the people to call about this group: who signs, who pays, who answers when a backup fails.' : ''}
        </p>
      ) : (
        <table className="edit-table" ref={tableRef}>
          <caption className="sr-only">Contacts of {detail.name}</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                </th>
              ))}
              {editable && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key} data-row={row.key}>
                {COLUMNS.map((c) => {
                  const error = form.fieldError(`contacts.${index}.${c.key}`);
                  return (
                    <td key={c.key} className={error ? 'field-invalid' : undefined}>
                      <input
                        type={c.type}
                        aria-label={`${c.label} of contact ${index + 1}`}
                        value={row[c.key]}
                        onChange={(e) => update(row.key, c.key, e.target.value)}
                        disabled={!editable}
                        title={readOnlyTitle}
                        aria-invalid={error ? true : undefined}
                      />
                      {error && (
                        <p className="field-error" role="alert">
                          {error}
                        </p>
                      )}
                    </td>
                  );
                })}
                {editable && (
                  <td>
                    <button type="button" className="link" onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}>
                      Remove<span className="sr-only"> contact {index + 1}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError message={form.formError} />
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="group" onReload={onReload} />
      {editable ? (
        <div className="form-actions">
          <button type="button" onClick={add}>
            Add contact
          </button>
          <button type="submit" className="primary inline" disabled={form.pending}>
            {form.pending ? 'Saving…' : 'Save contacts'}
          </button>
        </div>
      ) : (
        <p className="muted" title={readOnlyTitle}>
          You can see these contacts but not change them.
        </p>
      )}
    </form>
  );
}
