import { create } from 'zustand';
import type { AuditFilter } from '../../../shared/contract';
import type { PickedUser } from '../ui/UserPicker';
import { useSession } from '../state/session';

/** Whose events: what the person did, or also what was done to their account. */
export type PersonMode = 'actor' | 'member';

/** The filters as the person set them: dates are the local calendar days typed in the date boxes. */
export interface AuditFilterForm {
  person: PickedUser | null;
  personMode: PersonMode;
  action: string;
  target: string;
  groupId: string | null;
  /** yyyy-mm-dd in the local time zone, or ''. */
  from: string;
  to: string;
  outcome: '' | 'success' | 'denied';
}

export const NO_AUDIT_FILTERS: AuditFilterForm = {
  person: null,
  personMode: 'actor',
  action: '',
  target: '',
  groupId: null,
  from: '',
  to: '',
  outcome: '',
};

/** Offered under the action box; a prefix ending in '.' matches every action of that family. */
export const ACTION_PREFIXES = [
  { value: 'auth.', label: 'Sign-ins, two-step verification, passwords' },
  { value: 'users.', label: 'Accounts: created, changed, roles, login, resets' },
  { value: 'groups.', label: 'Customer groups' },
  { value: 'invitations.', label: 'Invitations sent, resent, revoked, accepted' },
  { value: 'ownership.', label: 'Ownership transfers' },
  { value: 'settings.', label: 'Settings changes' },
  { value: 'audit.', label: 'Audit exports' },
] as const;

/** Local midnight of a yyyy-mm-dd day, in ms; null when the text is not such a day. */
function localDayStart(day: string, offsetDays = 0): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offsetDays);
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}

/** Today as the date boxes spell it (local time). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export type FilterProblems = Partial<Record<'from' | 'to', string>>;

/**
 * The API filter for what the form says. The period is whole local days: from the first
 * moment of "from" to the last millisecond of "to", both inclusive as the server counts them.
 */
export function toAuditFilter(form: AuditFilterForm): { filter: AuditFilter; problems: FilterProblems } {
  const filter: AuditFilter = {};
  const problems: FilterProblems = {};
  if (form.person) filter[form.personMode === 'actor' ? 'actorId' : 'memberId'] = form.person.id;
  const action = form.action.trim();
  if (action) filter.action = action;
  const target = form.target.trim();
  if (target) filter.target = target;
  if (form.groupId) filter.groupId = form.groupId;
  if (form.outcome) filter.outcome = form.outcome;
  const from = form.from ? localDayStart(form.from) : null;
  const toNext = form.to ? localDayStart(form.to, 1) : null;
  if (form.from && from === null) problems.from = 'Enter a date';
  if (form.to && toNext === null) problems.to = 'Enter a date';
  if (from !== null && toNext !== null && toNext - 1 < from) problems.to = 'The period ends before it starts';
  else {
    if (from !== null) filter.from = Math.max(0, from);
    if (toNext !== null) filter.to = Math.max(0, toNext - 1);
  }
  return { filter, problems };
}

export function hasFilters(form: AuditFilterForm): boolean {
  return JSON.stringify(form) !== JSON.stringify(NO_AUDIT_FILTERS);
}

interface AuditViewState {
  form: AuditFilterForm;
  setForm(change: Partial<AuditFilterForm>): void;
  clear(): void;
}

/** The audit view's filters, kept while the person visits other screens. */
export const useAuditView = create<AuditViewState>()((set) => ({
  form: NO_AUDIT_FILTERS,
  setForm: (change) => set((s) => ({ form: { ...s.form, ...change } })),
  clear: () => set({ form: NO_AUDIT_FILTERS }),
}));

// Another person signing in starts from no filters: one person's search is not another's.
useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useAuditView.setState({ form: NO_AUDIT_FILTERS });
});
