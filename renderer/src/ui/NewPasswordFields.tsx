import { PASSWORD_MIN } from '../../../shared/contract/fields';
import { Field } from './Field';

interface Props {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  /** The server's word on the password (too short, too common, contains the username). */
  error: string | undefined;
  /** True once a submit found the two fields different. */
  mismatch: boolean;
  labels?: { password: string; confirm: string };
  hint?: string;
}

/** A new password typed twice, with the policy as a hint: the pair every sign-up and password form shares. */
export function NewPasswordFields({ password, confirm, onPassword, onConfirm, error, mismatch, labels, hint }: Props) {
  return (
    <>
      <Field
        label={labels?.password ?? 'Password'}
        type="password"
        value={password}
        onChange={onPassword}
        error={error}
        autoComplete="new-password"
        hint={hint ?? `At least ${PASSWORD_MIN} characters. A passphrase of a few words works well.`}
      />
      <Field
        label={labels?.confirm ?? 'Confirm password'}
        type="password"
        value={confirm}
        onChange={onConfirm}
        error={mismatch ? 'The two passwords are not the same' : undefined}
        autoComplete="new-password"
      />
    </>
  );
}
