/**
 * The envelope every operation answers with, on every transport.
 * Error codes are stable: clients branch on `code`, people read `message`.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'CSRF',
  'UNKNOWN_OPERATION',
  'VALIDATION',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'WRONG_STAGE',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
  'SETUP_DONE',
  'SETUP_REQUIRED',
  'INVALID_CREDENTIALS',
  'THROTTLED',
  'INVALID_CODE',
  'CODE_REUSED',
  'WEAK_PASSWORD',
  'ENROLLMENT_NOT_STARTED',
  /** Password sign-in refused: the person's company signs in through its identity provider. */
  'SSO_REQUIRED',
  /** The identity provider's answer was refused (state, nonce, issuer, audience, expiry, domain, no account). */
  'SSO_FAILED',
  /** The caller went away before the answer (a closed connection or window): a read was stopped, nothing changed. */
  'CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  field: string;
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Dotted path of the input field the error concerns, when there is one. */
  field?: string;
  /** Every field problem, when validation found several. */
  issues?: FieldIssue[];
  /** Seconds to wait before trying again (THROTTLED). */
  retryAfterSeconds?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: ApiError): Result<never> {
  return { ok: false, error };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
