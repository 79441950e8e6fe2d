import { useState } from 'react';
import type { ApiError, Result } from '../../../shared/result';

/** Refusals about the stored state, not the moment: the same call refuses again until something else changes. */
const FINAL_CODES: ReadonlySet<ApiError['code']> = new Set(['CONFLICT', 'FORBIDDEN', 'NOT_FOUND']);

/**
 * Pending state and errors for a form that calls one operation. An error that names a
 * field the form shows goes next to that field; anything else goes above the buttons.
 */
export function useApiForm(fields: readonly string[]) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit<T>(call: () => Promise<Result<T>>, onSuccess: (value: T) => void): Promise<void> {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const result = await call();
      if (result.ok) onSuccess(result.value);
      else setError(result.error);
    } finally {
      setPending(false);
    }
  }

  function fieldError(field: string): string | undefined {
    if (!error) return undefined;
    const issue = error.issues?.find((i) => i.field === field);
    if (issue) return issue.message;
    return error.field === field ? error.message : undefined;
  }

  const attributed = error !== null && (error.issues ?? [{ field: error.field ?? '' }]).some((i) => fields.includes(i.field));
  const formError = error && !attributed ? error.message : null;

  // Asking again with the same input gets the same answer: the form says so by disabling its button (issue 15, finding 14).
  const final = error !== null && FINAL_CODES.has(error.code);

  return { pending, submit, fieldError, formError, final, clearError: () => setError(null) };
}
