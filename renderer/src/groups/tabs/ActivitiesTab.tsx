import { useState, type FormEvent } from 'react';
import { ACTIVITY_KINDS, type Activity } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { SelectField } from '../../ui/SelectField';
import { TextAreaField } from '../../ui/TextAreaField';
import { useApiForm } from '../../ui/use-api-form';
import { missingPermissionText } from '../permission-hints';
import type { TabProps } from './tab-props';

const KIND_NAMES: Record<Activity['kind'], string> = { call: 'Call', meeting: 'Meeting', email: 'Email', visit: 'Visit', note: 'Note' };

/** Today in the person's own time zone: "upcoming" is about their calendar, not UTC's. */
function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function ActivitiesTab({ detail, onSaved, onReload }: TabProps) {
  const [today] = useState(localToday);
  const indexed = (detail.activities ?? []).map((activity, index) => ({ activity, index }));
  // Upcoming soonest first; past most recent first. Today counts as upcoming.
  const upcoming = indexed.filter((a) => a.activity.date >= today).sort((a, b) => a.activity.date.localeCompare(b.activity.date));
  const past = indexed.filter((a) => a.activity.date < today).sort((a, b) => b.activity.date.localeCompare(a.activity.date));
  const editable = detail.can.editCompany;
  const removeForm = useApiForm(['baseVersion']);

  function remove(index: number) {
    const activities = (detail.activities ?? []).filter((_, i) => i !== index);
    void removeForm.submit(
      () => invoke('groups.update', { id: detail.id, baseVersion: detail.version, activities }),
      () => onSaved('Activity removed.'),
    );
  }

  const list = (title: string, items: typeof indexed, empty: string) => (
    <section className="activity-list" aria-labelledby={`activities-${title}`}>
      <h3 id={`activities-${title}`}>
        {title} <span className="muted">({items.length})</span>
      </h3>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul>
          {items.map(({ activity, index }) => (
            <li key={index} className="activity">
              <div>
                <time dateTime={activity.date}>{formatDate(activity.date)}</time> · <span className="tag">{KIND_NAMES[activity.kind]}</span>{' '}
                <strong>{activity.subject}</strong>
                {activity.notes && <p className="activity-notes">{activity.notes}</p>}
              </div>
              {editable && (
                <button type="button" className="link" disabled={removeForm.pending} onClick={() => remove(index)}>
                  Remove<span className="sr-only"> {activity.subject}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );

  return (
    <div className="tab-form">
      {list('Upcoming', upcoming, 'Nothing planned.')}
      {list('Past', past, 'Nothing recorded yet.')}
      <FormError message={removeForm.formError} />
      <StaleCopyNotice message={removeForm.fieldError('baseVersion')} what="group" onReload={onReload} />
      {editable ? (
        <AddActivity detail={detail} today={today} onSaved={onSaved} onReload={onReload} />
      ) : (
        <p className="muted" title={missingPermissionText('editCompany', detail.kind)}>
          You can see these activities but not record new ones.
        </p>
      )}
    </div>
  );
}

function AddActivity({ detail, today, onSaved, onReload }: TabProps & { today: string }) {
  const at = (detail.activities ?? []).length;
  const form = useApiForm(['baseVersion', ...['date', 'kind', 'subject', 'notes'].map((f) => `activities.${at}.${f}`)]);
  const [values, setValues] = useState<Activity>({ date: today, kind: 'call', subject: '', notes: '' });
  const set = (key: keyof Activity) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('groups.update', { id: detail.id, baseVersion: detail.version, activities: [...(detail.activities ?? []), values] }),
      () => onSaved(values.date >= today ? 'Upcoming activity added.' : 'Past activity recorded.'),
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="add-activity">
      <fieldset>
        <legend>Add an activity</legend>
        <div className="form-grid">
          <Field label="Date" type="date" value={values.date} onChange={set('date')} error={form.fieldError(`activities.${at}.date`)} />
          <SelectField label="Type" value={values.kind} onChange={set('kind')} error={form.fieldError(`activities.${at}.kind`)}>
            {ACTIVITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_NAMES[k]}
              </option>
            ))}
          </SelectField>
        </div>
        <Field
          label="Subject"
          value={values.subject}
          onChange={set('subject')}
          error={form.fieldError(`activities.${at}.subject`)}
          autoComplete="off"
        />
        <TextAreaField label="Notes" value={values.notes} onChange={set('notes')} error={form.fieldError(`activities.${at}.notes`)} />
        <FormError message={form.formError} />
        <StaleCopyNotice message={form.fieldError('baseVersion')} what="group" onReload={onReload} />
        <div className="form-actions">
          <button type="submit" className="primary inline" disabled={form.pending}>
            {form.pending ? 'Adding…' : 'Add activity'}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
