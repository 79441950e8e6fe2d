import type { ErrorCode } from '../../../shared/result';

/** HTTP status for each envelope code; the body always carries the envelope itself. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  WEAK_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_CODE: 401,
  CODE_REUSED: 401,
  SSO_FAILED: 401,
  SSO_REQUIRED: 403,
  CSRF: 403,
  FORBIDDEN: 403,
  WRONG_STAGE: 403,
  UNKNOWN_OPERATION: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SETUP_DONE: 409,
  SETUP_REQUIRED: 409,
  ENROLLMENT_NOT_STARTED: 409,
  PAYLOAD_TOO_LARGE: 413,
  THROTTLED: 429,
  INTERNAL: 500,
  // Nobody reads it: the client closed the connection (nginx's "client closed request").
  CANCELLED: 499,
};

export function httpStatus(code: ErrorCode): number {
  return STATUS[code] ?? 422;
}
