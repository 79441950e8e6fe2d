import { useState, type FormEvent } from 'react';
import { invoke } from '../api/client';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';
import { CodeField } from '../ui/CodeField';

/** A fresh authenticator code proves the person still holds the authenticator before the old codes are replaced. */
export function NewRecoveryCodes({ onDone, onCancel }: { onDone: (codes: string[]) => void; onCancel: () => void }) {
  const [code, setCode] = useState('');
  const form = useApiForm(['code']);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('auth.regenerateRecoveryCodes', { code }),
      (value) => onDone(value.recoveryCodes),
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="narrow">
      <p>Your current recovery codes stop working as soon as the new ones are made.</p>
      <CodeField value={code} onChange={setCode} error={form.fieldError('code')} />
      <FormError message={form.formError} />
      <div className="form-actions start">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary inline" disabled={form.pending}>
          {form.pending ? 'Checking…' : 'Make new recovery codes'}
        </button>
      </div>
    </form>
  );
}
