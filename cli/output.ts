import type { ApiError, Result } from '../shared/result';
import { CliError, EXIT_FOR_ERROR } from './exit-codes';

/** How a command prints: people read text, `--json` gives one JSON document on stdout. */
export interface Output {
  json: boolean;
  /** A result, or a line for people (ignored with --json unless `data` is given). */
  print(text: string, data?: unknown): void;
  /** Progress and notes for people: stderr, never in the way of stdout. */
  note(text: string): void;
}

export function makeOutput(json: boolean): Output {
  return {
    json,
    print: (text, data) => {
      if (json) {
        if (data !== undefined) process.stdout.write(`${JSON.stringify(data)}\n`);
      } else process.stdout.write(`${text}\n`);
    },
    note: (text) => {
      if (!json) process.stderr.write(`${text}\n`);
    },
  };
}

/** The value of an answer, or the CliError its error code maps to (exit-codes.ts). */
export function valueOf<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw apiFailure(result.error);
}

export function apiFailure(error: ApiError): CliError {
  const issues = error.issues && error.issues.length > 1 ? `: ${error.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}` : '';
  return new CliError(`${error.message}${issues}`, EXIT_FOR_ERROR[error.code], error.code, error.field);
}
