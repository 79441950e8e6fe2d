import type { ApiError, ErrorCode } from '../../shared/result';

/**
 * Thrown by a handler to refuse: the transaction rolls back and the caller
 * receives the error. Anything else thrown is a bug and answers INTERNAL.
 */
export class OpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ApiError, 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'OpError';
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/**
 * Returned (not thrown) by a handler that refuses but whose writes must stand,
 * such as a failed sign-in that counts towards throttling.
 */
export interface Refusal {
  readonly refusal: ApiError;
}

export function refuse(code: ErrorCode, message: string, extra: Omit<ApiError, 'code' | 'message'> = {}): Refusal {
  return { refusal: { code, message, ...extra } };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refusal' in value;
}
