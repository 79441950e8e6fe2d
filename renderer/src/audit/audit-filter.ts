import { create } from 'zustand';
import type { AuditFilter } from '../../../shared/contract';
import type { PickedUser } from '../ui/UserPicker';
import { useSession } from '../state/session';

/** Whose events: what the person did, or also what was done to their account. */
export type PersonMode = 'actor' | 'member';

/** How far back: none, a preset counted back from now (issue 15, finding 8), or between two local times. */
export type Period = 'any' | 'hour' | 'day' | 'week' | 'between';

export const PERIOD_LABELS: Record<Period, string> = {
  any: 'Any time',
  hour: 'Last hour',
  day: 'Last 24 hours',
  week: 'Last 7 days',
  between: 'Between two times…',
};

/** A preset's length in ms. */
export const PERIOD_MS: Record<'hour' | 'day' | 'week', number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** The filters as the person set them: times are the local wall-clock times typed in the boxes. */
export interface AuditFilterForm {
  person: PickedUser | null;
  personMode: PersonMode;
  action: string;
  target: string;
  groupId: string | null;
  period: Period;
  /** yyyy-mm-ddThh:mm in the local time zone (a datetime-local box), or '': used when period is 'between'. */
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
  period: 'any',
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

/** A local yyyy-mm-ddThh:mm (or a bare yyyy-mm-dd, its midnight) in ms; null when the text is not such a time. */
export function localTime(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(text);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4] ?? 0), Number(match[5] ?? 0));
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}

/** A time as a datetime-local box spells it (local time, to the minute). */
export function localInput(ms: number): string {
  const at = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Today, from its first minute to its last, as the boxes spell it. */
export function todayRange(now = new Date()): { from: string; to: string } {
  const day = localInput(now.getTime()).slice(0, 10);
  return { from: `${day}T00:00`, to: `${day}T23:59` };
}

/** The console's time zone in words: "Europe/Berlin (UTC+01:00)". */
export function timeZoneText(at = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -at.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${zone} (UTC${sign}${hhmm})`;
}

export type FilterProblems = Partial<Record<'from' | 'to', string>>;

/**
 * The API filter for what the form says, `now` being when a preset counts back from. A
 * period between two local times runs from the first millisecond of "from" to the last of
 * "to" (minutes are whole), both inclusive as the server counts them.
 */
export function toAuditFilter(form: AuditFilterForm, now: number): { filter: AuditFilter; problems: FilterProblems } {
  const filter: AuditFilter = {};
  const problems: FilterProblems = {};
  if (form.person) filter[form.personMode === 'actor' ? 'actorId' : 'memberId'] = form.person.id;
  const action = form.action.trim();
  if (action) filter.action = action;
  const target = form.target.trim();
  if (target) filter.target = target;
  if (form.groupId) filter.groupId = form.groupId;
  if (form.outcome) filter.outcome = form.outcome;
  if (form.period === 'hour' || form.period === 'day' || form.period === 'week') {
    filter.from = Math.max(0, now - PERIOD_MS[form.period]);
    filter.to = now;
  } else if (form.period === 'between') {
    const from = form.from ? localTime(form.from) : null;
    const toMinute = form.to ? localTime(form.to) : null;
    if (form.from && from === null) problems.from = 'Enter a date and time';
    if (form.to && toMinute === null) problems.to = 'Enter a date and time';
    const to = toMinute === null ? null : toMinute + 59_999;
    if (from !== null && to !== null && to < from) problems.to = 'The period ends before it starts';
    else {
      if (from !== null) filter.from = Math.max(0, from);
      if (to !== null) filter.to = Math.max(0, to);
    }
  }
  return { filter, problems };
}

export function hasFilters(form: AuditFilterForm): boolean {
  return JSON.stringify(form) !== JSON.stringify(NO_AUDIT_FILTERS);
}

interface AuditViewState {
  form: AuditFilterForm;
  /** When a preset period counts back from: set as the period is chosen and at every Refresh, so the question holds still between. */
  now: number;
  setForm(change: Partial<AuditFilterForm>): void;
  /** Counts presets back from this moment again. */
  refresh(): void;
  clear(): void;
}

/** The audit view's filters, kept while the person visits other screens. */
export const useAuditView = create<AuditViewState>()((set) => ({
  form: NO_AUDIT_FILTERS,
  now: Date.now(),
  setForm: (change) => set((s) => ({ form: { ...s.form, ...change }, ...('period' in change ? { now: Date.now() } : {}) })),
  refresh: () => set({ now: Date.now() }),
  clear: () => set({ form: NO_AUDIT_FILTERS }),
}));

// Another person signing in starts from no filters: one person's search is not another's.
useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useAuditView.setState({ form: NO_AUDIT_FILTERS });
});
