import { useState } from 'react';
import { useParams } from 'react-router';
import type { AuditFilter } from '../../../shared/contract';
import { useMissingPermission } from '../state/missing-permission';
import { invoke } from '../api/client';
import { useDebounced } from '../ui/use-debounced';
import { FormError } from '../ui/FormError';
import { hasFilters, toAuditFilter, useAuditView, type AuditFilterForm } from './audit-filter';
import { countText } from './audit-format';
import { AuditFilters } from './AuditFilters';
import { AuditEventView } from './AuditEventView';
import { AuditTable } from './AuditTable';
import { ChainStatus } from './ChainStatus';
import { downloadText } from '../ui/download';
import { RetentionSetting } from './RetentionSetting';
import { useAuditEvents } from './use-audit-events';
import './audit.css';

const TYPING_MS = 300;

type Format = 'csv' | 'jsonl';
const FORMAT_NAMES: Record<Format, string> = { csv: 'CSV', jsonl: 'JSON Lines' };

/** Issue 7: who did what, where, when, with what result; provably unedited, searchable, exportable. */
export function AuditScreen() {
  const { seq } = useParams();
  if (seq !== undefined) {
    return (
      <div className="page audit">
        <div className="page-head audit-head">
          <h1>Audit</h1>
        </div>
        <AuditEventView seq={Number(seq)} />
      </div>
    );
  }
  return <AuditList />;
}

function AuditList() {
  const form = useAuditView((s) => s.form);
  const clear = useAuditView((s) => s.clear);
  // Typing in a text box asks the server once the typing pauses, not per key.
  const typedAction = useDebounced(form.action, TYPING_MS);
  const typedTarget = useDebounced(form.target, TYPING_MS);
  // An emptied box (Clear filters, Escape) applies at once: there is nothing more to type.
  const action = form.action.trim() ? typedAction : '';
  const target = form.target.trim() ? typedTarget : '';
  const now = useAuditView((s) => s.now);
  const refreshNow = useAuditView((s) => s.refresh);
  const { filter, problems } = toAuditFilter({ ...form, action, target }, now);
  const valid = Object.keys(problems).length === 0;
  const [revision, setRevision] = useState(0);
  const { pages, stale, loadingMore, moreError, loadMore } = useAuditEvents(valid ? filter : null, revision);

  const [exporting, setExporting] = useState<Format | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportLock = useMissingPermission('audit.export');

  function runExport(format: Format, shown: AuditFilter) {
    setExporting(format);
    setExported(null);
    setExportError(null);
    void invoke('audit.export', { ...shown, format }).then((result) => {
      setExporting(null);
      if (!result.ok) {
        setExportError(result.error.message);
        return;
      }
      const { filename, mimeType, content, rows } = result.value;
      downloadText(filename, mimeType, content);
      setExported(
        `Exported ${rows.toLocaleString()} ${rows === 1 ? 'event' : 'events'} as ${FORMAT_NAMES[format]} to ${filename}. The export itself was recorded in the audit trail.`,
      );
    });
  }

  const ready = pages !== null && !stale && pages.error === null;

  return (
    <div className="page audit">
      <div className="page-head audit-head">
        <h1>Audit</h1>
        <p className="muted">Every action and sign-in attempt in the groups you can see, newest first.</p>
      </div>
      <ChainStatus />
      <RetentionSetting />
      <AuditFilters problems={problems} />

      <div className="audit-toolbar">
        <p className="audit-count" data-testid="audit-count" aria-live="polite">
          {pages === null ? 'Loading events…' : pages.error ? '' : countText(pages.events.length, pages.total, pages.totalCapped)}
        </p>
        <div className="audit-toolbar-buttons">
          <button
            type="button"
            onClick={() => {
              setExported(null);
              refreshNow();
              setRevision((r) => r + 1);
            }}
            aria-label="Refresh the audit events"
          >
            Refresh
          </button>
          {(['csv', 'jsonl'] as const).map((format) => (
            <button
              key={format}
              type="button"
              disabled={!ready || exporting !== null || pages.total === 0 || exportLock !== null}
              title={exportLock ?? (ready ? `Every event that matches the filters, not only the rows loaded` : 'Wait for the list to load')}
              onClick={() => pages && runExport(format, pages.filter)}
            >
              {exporting === format ? 'Exporting…' : `Export ${FORMAT_NAMES[format]}`}
            </button>
          ))}
        </div>
      </div>
      <FormError message={exportError} />
      {exported && (
        <p className="success" role="status">
          {exported}
        </p>
      )}

      {pages === null ? (
        <p className="loading">Loading events…</p>
      ) : pages.error ? (
        <div className="row">
          <FormError message={`The events could not be loaded: ${pages.error}`} />
          <button type="button" onClick={() => setRevision((r) => r + 1)}>
            Try again
          </button>
        </div>
      ) : pages.events.length === 0 ? (
        stale && valid ? (
          <p className="loading">Loading events…</p>
        ) : (
          <EmptyState form={form} onClear={clear} />
        )
      ) : (
        <>
          <AuditTable key={pages.key} events={pages.events} stale={stale} onNearEnd={loadMore} />
          <FormError message={moreError} />
          {pages.more && (
            <div className="audit-more">
              <button type="button" onClick={loadMore} disabled={loadingMore || stale}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** Says which filter to loosen, from the filters actually set. */
function EmptyState({ form, onClear }: { form: AuditFilterForm; onClear: () => void }) {
  if (!hasFilters(form)) {
    return (
      <div className="empty-state" data-testid="audit-empty">
        <p>Nothing has been recorded in the groups you can see yet.</p>
      </div>
    );
  }
  const action = form.action.trim();
  const hints: string[] = [];
  if (form.period !== 'any') hints.push('Widen the period, or choose “Any time”.');
  if (action && !action.endsWith('.'))
    hints.push(
      `“${action}” must be an action's exact name; for a whole family, end it with a dot (for example “${action.split('.')[0]}.”).`,
    );
  else if (action) hints.push(`Try another action family than “${action}”, or clear the action.`);
  if (form.target.trim()) hints.push(`Shorten the target text “${form.target.trim()}”: it is matched anywhere in the target's name.`);
  if (form.person) hints.push(`Choose “Any person”${form.personMode === 'actor' ? ', or also match events about their account' : ''}.`);
  if (form.groupId) hints.push('Choose a larger group, or all groups.');
  if (form.outcome) hints.push(`Set the outcome to “Any outcome”.`);

  return (
    <div className="empty-state" data-testid="audit-empty">
      <p>No events match these filters.</p>
      <ul>
        {hints.map((hint) => (
          <li key={hint}>{hint}</li>
        ))}
      </ul>
      <button type="button" onClick={onClear}>
        Clear filters
      </button>
    </div>
  );
}
