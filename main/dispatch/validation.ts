import type { z } from 'zod';
import type { ApiError, FieldIssue } from '../../shared/result';

/** Turns zod's issues into the envelope's field-level form, naming the field and the rule. */
export function validationError(error: z.ZodError): ApiError {
  const issues: FieldIssue[] = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: describeIssue(issue),
  }));
  const first = issues[0];
  const where = first?.field ? `${first.field}: ` : '';
  return {
    code: 'VALIDATION',
    message: first ? `${where}${first.message}` : 'The input is not valid',
    ...(first?.field ? { field: first.field } : {}),
    issues,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'This field is required' : `Expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'The input matches none of the accepted forms';
    default:
      return issue.message;
  }
}
