import type { AuditEntry } from '../../../shared/contract';
import { diffLines, type DiffKind } from './audit-format';

const KIND_WORDS: Record<DiffKind, string> = { added: 'set', removed: 'removed', changed: 'changed', same: 'unchanged' };

/** What the event changed, field by field: before on the left, after on the right. */
export function EventDiff({ event }: { event: AuditEntry }) {
  const lines = diffLines(event.before, event.after);
  const caption =
    event.before === null
      ? 'Values after the change (nothing existed before)'
      : event.after === null
        ? 'Values before the change (nothing remains after)'
        : 'Before and after the change';

  return (
    <div className="audit-diff">
      {event.errorCode && (
        <p className="audit-diff-refusal">
          Refused with <code>{event.errorCode}</code>: nothing was changed.
        </p>
      )}
      {lines.length === 0 ? (
        <p className="muted">No field values were recorded for this event.</p>
      ) : (
        <table className="audit-diff-table" aria-label={`Changes of event #${event.seq}`}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.field} className={`diff-${line.kind}`}>
                <th scope="row">
                  {line.field}
                  <span className="sr-only"> ({KIND_WORDS[line.kind]})</span>
                </th>
                <td className="diff-before">{line.before ?? <span className="muted">—</span>}</td>
                <td className="diff-after">{line.after ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function hasDetails(event: AuditEntry): boolean {
  return event.before !== null || event.after !== null || event.errorCode !== null;
}
