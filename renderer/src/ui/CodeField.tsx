import type { ComponentProps } from 'react';
import { Field } from './Field';

/**
 * A six-digit authenticator code (RFC 6238): numeric keypad, six characters, and the
 * browser's one-time-code autofill. The label defaults to the wording most screens use.
 */
export function CodeField({
  label = 'Code from your authenticator app',
  ...field
}: Omit<ComponentProps<typeof Field>, 'label'> & { label?: string }) {
  return <Field label={label} inputMode="numeric" maxLength={6} autoComplete="one-time-code" {...field} />;
}
