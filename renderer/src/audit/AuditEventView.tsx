import { Link } from 'react-router';
import { useOp } from '../data/query';
import { paths } from '../routes/paths';
import { CopyId } from '../ui/CopyId';
import { FormError } from '../ui/FormError';
import { CLIENT_LABELS, formatLocal, formatUtc } from './audit-format';
import { EventDiff } from './EventDiff';

/**
 * One audit event at its own address (`/audit/events/<seq>`), so it can be linked from a
 * ticket. It is read with the list's own filter (the newest visible event at or before the
 * number), so the event is shown only to people who may see it in the list.
 */
export function AuditEventView({ seq }: { seq: number }) {
  const valid = Number.isSafeInteger(seq) && seq >= 1;
  const { data, error, isPending } = useOp('audit.list', valid ? { beforeSeq: seq + 1, limit: 1 } : null);
  const event = data?.events[0]?.seq === seq ? data.events[0] : null;
  const back = (
    <Link className="back-link" to={paths.screen('audit')}>
      ‹ All events
    </Link>
  );
  if (!valid || (!isPending && !error && !event)) {
    return (
      <section className="panel audit-event" aria-label="Audit event">
        {back}
        <p>
          There is no event #{String(seq)} you can see. It may have been pruned by the retention setting, or be in a group you cannot see.
        </p>
      </section>
    );
  }
  if (error) return <FormError message={`The event could not be loaded: ${error.message}`} />;
  if (!event) return <p className="loading">Loading the event…</p>;
  return (
    <section className="panel audit-event" aria-labelledby="audit-event-title">
      {back}
      <h2 id="audit-event-title">
        Event #{event.seq}: <code>{event.action}</code>
      </h2>
      <dl className="facts">
        <dt>Time</dt>
        <dd>
          {formatLocal(event.at)} ({formatUtc(event.at)})
        </dd>
        <dt>Actor</dt>
        <dd>{event.actorName ?? 'Nobody signed in'}</dd>
        <dt>Client</dt>
        <dd>{CLIENT_LABELS[event.client]}</dd>
        <dt>Target</dt>
        <dd>{event.targetName ? `${event.targetName}${event.targetType ? ` (${event.targetType})` : ''}` : '—'}</dd>
        {event.targetId && (
          <>
            <dt>Target id</dt>
            <dd>
              <CopyId id={event.targetId} label="the target's id" />
            </dd>
          </>
        )}
        <dt>Group</dt>
        <dd>{event.groupName ?? '—'}</dd>
        <dt>Outcome</dt>
        <dd>{event.outcome === 'denied' ? `Denied${event.errorCode ? ` (${event.errorCode})` : ''}` : 'Success'}</dd>
      </dl>
      <EventDiff event={event} />
    </section>
  );
}
