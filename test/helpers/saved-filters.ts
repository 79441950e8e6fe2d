/** An Audit screen form as a saved filter holds it: users' events of the last 24 hours (issue 15, finding 8). */
export const AUDIT_FORM = {
  person: null,
  personMode: 'actor',
  action: 'users.',
  target: '',
  groupId: null,
  period: 'day',
  from: '',
  to: '',
  outcome: '',
} as const;
