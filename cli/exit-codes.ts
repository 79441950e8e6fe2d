import type { ErrorCode } from '../shared/result';

/**
 * The command line's exit codes (README "Command line"): one number per kind of outcome, so
 * scripts can branch without parsing messages. Every API error code has its number here.
 */
export const EXIT = {
  ok: 0,
  /** Something went wrong inside Steward or the command line itself. */
  internal: 1,
  /** The input was refused: bad flags or JSON, a field that breaks its rule, rows of an import. */
  invalid: 2,
  notFound: 3,
  /** Refused by a permission or a rule about people (R5–R11), or a device job refused some pairs. */
  refused: 4,
  /** The stored state does not allow it now: a name taken, a stale copy, setup already done. */
  conflict: 5,
  /** Not signed in, signed out, expired, or the password or code was wrong. */
  signIn: 6,
  throttled: 7,
  /** The console could not be reached at its address. */
  unreachable: 8,
} as const;

export const EXIT_FOR_ERROR: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: EXIT.invalid,
  PAYLOAD_TOO_LARGE: EXIT.invalid,
  VALIDATION: EXIT.invalid,
  WEAK_PASSWORD: EXIT.invalid,
  UNKNOWN_OPERATION: EXIT.notFound,
  NOT_FOUND: EXIT.notFound,
  CSRF: EXIT.refused,
  FORBIDDEN: EXIT.refused,
  CONFLICT: EXIT.conflict,
  SETUP_DONE: EXIT.conflict,
  SETUP_REQUIRED: EXIT.conflict,
  UNAUTHENTICATED: EXIT.signIn,
  SESSION_EXPIRED: EXIT.signIn,
  WRONG_STAGE: EXIT.signIn,
  INVALID_CREDENTIALS: EXIT.signIn,
  INVALID_CODE: EXIT.signIn,
  CODE_REUSED: EXIT.signIn,
  ENROLLMENT_NOT_STARTED: EXIT.signIn,
  // The company signs in with its provider (issue 14): the command line signs in with a password only.
  SSO_REQUIRED: EXIT.signIn,
  SSO_FAILED: EXIT.signIn,
  THROTTLED: EXIT.throttled,
  INTERNAL: EXIT.internal,
  CANCELLED: EXIT.internal,
};

/** A failure the command line reports in one sentence and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: ErrorCode | 'USAGE' | 'UNREACHABLE' = 'USAGE',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
