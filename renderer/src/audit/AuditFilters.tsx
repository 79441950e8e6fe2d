import { useState } from 'react';
import { UserPicker } from '../ui/UserPicker';
import { GroupFilter } from '../ui/GroupFilter';
import { SavedFilters } from '../saved-filters/SavedFilters';
import { Field } from '../ui/Field';
import { PickerDialog } from '../ui/PickerDialog';
import { SelectField } from '../ui/SelectField';
import {
  ACTION_PREFIXES,
  hasFilters,
  PERIOD_LABELS,
  PERIOD_MS,
  timeZoneText,
  todayRange,
  useAuditView,
  type AuditFilterForm,
  type FilterProblems,
  type Period,
  type PersonMode,
} from './audit-filter';

type Picking = 'person' | null;

const timeOf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The period in times, with the time zone they are in (issue 15, finding 8): "From 3 Mar 2026, 09:15 to 3 Mar 2026, 10:15, in Europe/Berlin (UTC+01:00)". */
function periodHint(form: AuditFilterForm, now: number): string {
  const zone = `in ${timeZoneText(new Date(now))}`;
  if (form.period === 'hour' || form.period === 'day' || form.period === 'week')
    return `From ${timeOf.format(now - PERIOD_MS[form.period])} to ${timeOf.format(now)}, ${zone}. Refresh counts back from the new now.`;
  if (form.period === 'between') return `Times ${zone}; the To minute is included.`;
  return `Every event kept, ${zone}.`;
}

/** Every filter is a condition the server applies before paging; the list and the exports take exactly these. */
export function AuditFilters({ problems }: { problems: FilterProblems }) {
  const form = useAuditView((s) => s.form);
  const setForm = useAuditView((s) => s.setForm);
  const clear = useAuditView((s) => s.clear);
  const now = useAuditView((s) => s.now);
  const [picking, setPicking] = useState<Picking>(null);

  return (
    <div className="audit-filters" role="search" aria-label="Filter audit events">
      <fieldset className="audit-chooser">
        <legend>Person</legend>
        <p className="audit-chosen" data-testid="audit-person">
          {form.person ? <strong>{form.person.fullName || form.person.username}</strong> : <span className="muted">Anyone</span>}
        </p>
        <div className="audit-chooser-buttons">
          <button type="button" onClick={() => setPicking('person')}>
            {form.person ? 'Change…' : 'Choose a person…'}
          </button>
          {form.person && (
            <button type="button" className="link" onClick={() => setForm({ person: null })}>
              Any person
            </button>
          )}
        </div>
        {form.person && (
          <label className="audit-person-mode">
            <span className="sr-only">Match </span>
            <select
              value={form.personMode}
              onChange={(e) => setForm({ personMode: e.target.value as PersonMode })}
              aria-label="Match the person as"
            >
              <option value="actor">who did it</option>
              <option value="member">who did it or whose account it was about</option>
            </select>
          </label>
        )}
      </fieldset>

      <GroupFilter
        groupId={form.groupId}
        onChange={(groupId) => setForm({ groupId })}
        testId="audit-group"
        title="Filter by group"
        description="Events in the group you pick and in every group inside it."
      />

      <div className="audit-filter-fields">
        <Field
          label="Action"
          value={form.action}
          onChange={(action) => setForm({ action })}
          list="audit-action-prefixes"
          placeholder="e.g. groups. or users.create"
          autoComplete="off"
          spellCheck={false}
          hint="An exact action, or a family ending in a dot."
        />
        <datalist id="audit-action-prefixes">
          {ACTION_PREFIXES.map((p) => (
            <option key={p.value} value={p.value} label={p.label} />
          ))}
        </datalist>
        <Field
          label="Target"
          type="search"
          value={form.target}
          onChange={(target) => setForm({ target })}
          placeholder="Part of a name"
          autoComplete="off"
          hint="Text in the name of what was acted on."
        />
        <SelectField
          label="Period"
          value={form.period}
          onChange={(period) =>
            setForm({ period: period as Period, ...(period === 'between' && !form.from && !form.to ? todayRange() : {}) })
          }
          hint={periodHint(form, now)}
        >
          {(Object.keys(PERIOD_LABELS) as Period[]).map((period) => (
            <option key={period} value={period}>
              {PERIOD_LABELS[period]}
            </option>
          ))}
        </SelectField>
        {form.period === 'between' && (
          <>
            <Field
              label="From"
              type="datetime-local"
              value={form.from}
              max={form.to || undefined}
              onChange={(from) => setForm({ from })}
              error={problems.from}
            />
            <Field
              label="To"
              type="datetime-local"
              value={form.to}
              min={form.from || undefined}
              onChange={(to) => setForm({ to })}
              error={problems.to}
            />
          </>
        )}
        <SelectField label="Outcome" value={form.outcome} onChange={(v) => setForm({ outcome: v as '' | 'success' | 'denied' })}>
          <option value="">Any outcome</option>
          <option value="success">Succeeded</option>
          <option value="denied">Denied</option>
        </SelectField>
        <SavedFilters screen="audit" current={form} onApply={(saved) => useAuditView.setState({ form: saved, now: Date.now() })} />
        <div className="audit-filter-quick">
          <button type="button" className="link" onClick={() => setForm({ period: 'between', ...todayRange() })}>
            Today
          </button>
          {hasFilters(form) && (
            <button type="button" className="link" onClick={clear}>
              Clear filters
            </button>
          )}
        </div>
      </div>

      {picking === 'person' && (
        <PickerDialog
          title="Filter by person"
          description="Events of the person you pick. Only people you may see are listed."
          onClose={() => setPicking(null)}
        >
          <UserPicker
            label="Person"
            value={form.person}
            onChange={(person) => {
              setForm({ person });
              setPicking(null);
            }}
          />
        </PickerDialog>
      )}
    </div>
  );
}
