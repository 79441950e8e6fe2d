import { useEffect, useState, type FormEvent } from 'react';
import { NOTIFICATION_TOPICS, type NotificationPreferences } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useMe } from '../state/me-store';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';

const TOPIC_LABELS: Record<(typeof NOTIFICATION_TOPICS)[number], { label: string; hint: string }> = {
  backupFailures: { label: 'Backup failures', hint: 'A backup of a device you can see failed or has not run.' },
  weeklyReport: { label: 'Weekly report', hint: 'A summary of backups, every Monday.' },
  securityAlerts: { label: 'Security alerts', hint: 'Your password or two-step verification changed, or your account was locked.' },
  invitations: { label: 'Invitations', hint: 'Someone you invited accepted, or the invitation expired.' },
};

/** Seed 002: email notifications are per user and set on the user's own profile page. */
export function NotificationsSection() {
  const me = useMe((s) => s.me);
  const loadError = useMe((s) => s.error);
  const form = useApiForm(['notifications']);
  const [edited, setEdited] = useState<NotificationPreferences | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void useMe.getState().load();
  }, []);

  const values = edited ?? me?.notifications ?? null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!values) return;
    setSaved(false);
    void form.submit(
      () => invoke('users.updatePreferences', { notifications: values }),
      (value) => {
        setEdited(value.notifications);
        setSaved(true);
        void useMe.getState().load();
      },
    );
  }

  return (
    <section className="panel" aria-labelledby="notifications">
      <h2 id="notifications">Email notifications</h2>
      {!values ? (
        loadError ? (
          <FormError message={`Your preferences could not be loaded: ${loadError}`} />
        ) : (
          <p className="loading">Loading your preferences…</p>
        )
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <fieldset>
            <legend>Send me an email about</legend>
            {NOTIFICATION_TOPICS.map((topic) => (
              <label key={topic} className="check check-with-hint">
                <input
                  type="checkbox"
                  checked={values[topic]}
                  onChange={(e) => {
                    setSaved(false);
                    setEdited({ ...values, [topic]: e.target.checked });
                  }}
                />
                <span>
                  {TOPIC_LABELS[topic].label}
                  <span className="field-hint">{TOPIC_LABELS[topic].hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <FormError message={form.formError ?? form.fieldError('notifications') ?? null} />
          {saved && (
            <p className="success" role="status">
              Preferences saved.
            </p>
          )}
          <button type="submit" className="primary inline" disabled={form.pending}>
            {form.pending ? 'Saving…' : 'Save preferences'}
          </button>
        </form>
      )}
    </section>
  );
}
