import { useState } from 'react';
import { UserPicker } from '../ui/UserPicker';
import { GroupPicker } from '../ui/GroupPicker';
import { ensureGroups, useChosenGroupLabel } from '../state/groups-store';
import { Field } from '../ui/Field';
import { PickerDialog } from '../ui/PickerDialog';
import { SelectField } from '../ui/SelectField';
import { ACTION_PREFIXES, hasFilters, localToday, useAuditView, type FilterProblems, type PersonMode } from './audit-filter';

type Picking = 'person' | 'group' | null;

/** Every filter is a condition the server applies before paging; the list and the exports take exactly these. */
export function AuditFilters({ problems }: { problems: FilterProblems }) {
  const form = useAuditView((s) => s.form);
  const setForm = useAuditView((s) => s.setForm);
  const clear = useAuditView((s) => s.clear);
  const groupLabel = useChosenGroupLabel(form.groupId);
  const [picking, setPicking] = useState<Picking>(null);
  const today = localToday();

  function pickGroup() {
    ensureGroups();
    setPicking('group');
  }

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

      <fieldset className="audit-chooser">
        <legend>Group</legend>
        <p className="audit-chosen" data-testid="audit-group">
          {groupLabel ? (
            <>
              <strong>{groupLabel}</strong> <span className="muted">and everything inside</span>
            </>
          ) : (
            <span className="muted">All groups you can see</span>
          )}
        </p>
        <div className="audit-chooser-buttons">
          <button type="button" onClick={pickGroup}>
            {form.groupId ? 'Change…' : 'Choose a group…'}
          </button>
          {form.groupId && (
            <button type="button" className="link" onClick={() => setForm({ groupId: null })}>
              All groups
            </button>
          )}
        </div>
      </fieldset>

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
        <Field
          label="From"
          type="date"
          value={form.from}
          max={form.to || today}
          onChange={(from) => setForm({ from })}
          error={problems.from}
        />
        <Field label="To" type="date" value={form.to} min={form.from || undefined} onChange={(to) => setForm({ to })} error={problems.to} />
        <SelectField label="Outcome" value={form.outcome} onChange={(v) => setForm({ outcome: v as '' | 'success' | 'denied' })}>
          <option value="">Any outcome</option>
          <option value="success">Succeeded</option>
          <option value="denied">Denied</option>
        </SelectField>
        <div className="audit-filter-quick">
          <button type="button" className="link" onClick={() => setForm({ from: today, to: today })}>
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
      {picking === 'group' && (
        <PickerDialog
          title="Filter by group"
          description="Events in the group you pick and in every group inside it."
          onClose={() => setPicking(null)}
        >
          <GroupPicker
            label="Group"
            selectedId={form.groupId}
            autoFocus
            onSelect={(groupId) => {
              setForm({ groupId });
              setPicking(null);
            }}
          />
        </PickerDialog>
      )}
    </div>
  );
}
