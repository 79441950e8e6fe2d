import { useId, useState, type ChangeEvent } from 'react';
import type { ImportReport } from '../../../shared/contract';
import { IMPORT_COLUMNS } from '../../../shared/contract';
import { invoke } from '../api/client';
import { GroupPicker } from '../ui/GroupPicker';
import { useGroups } from '../state/groups-store';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { FormError } from '../ui/FormError';
import { TableHead } from '../ui/TableHead';
import { countText } from './device-format';
import { readImportFile, type ImportFile } from './import-file';

type Mode = ImportReport['mode'];

type Step = { kind: 'pick' } | { kind: 'report'; file: ImportFile; report: ImportReport } | { kind: 'done'; report: ImportReport };

interface ImportDialogProps {
  /** The group the devices list is narrowed to (issue 15, finding 3): rows without a group go there until the person picks. */
  defaultGroupId?: string | null;
  onClose: () => void;
  onImported: (report: ImportReport) => void;
}

/**
 * Import from a CSV or JSON file: a dry run first, whose report lists every refused row
 * (line, field, reason), then the person chooses all-or-nothing or the good rows. Nothing is
 * written before that choice is confirmed.
 */
export function ImportDialog({ defaultGroupId = null, onClose, onImported }: ImportDialogProps) {
  const fileId = useId();
  const [file, setFile] = useState<ImportFile | null>(null);
  const [groupId, setGroupId] = useState<string | null>(defaultGroupId);
  const model = useGroups((s) => s.model);
  const [choosingGroup, setChoosingGroup] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const picked = event.target.files?.[0];
    setError(null);
    setFile(null);
    if (!picked) return;
    const read = await readImportFile(picked);
    if ('error' in read) setError(read.error);
    else setFile(read);
  }

  async function send(target: ImportFile, sendMode: Mode, dryRun: boolean) {
    setPending(true);
    setError(null);
    const result = await invoke('devices.import', {
      format: target.format,
      content: target.content,
      mode: sendMode,
      dryRun,
      ...(groupId ? { defaultGroupId: groupId } : {}),
    });
    setPending(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    if (dryRun) {
      setMode('all-or-nothing');
      setStep({ kind: 'report', file: target, report: result.value });
    } else {
      setStep({ kind: 'done', report: result.value });
      if (result.value.imported > 0) onImported(result.value);
    }
  }

  return (
    <Dialog
      title="Import devices"
      onClose={() => !pending && onClose()}
      wide
      step={step.kind}
      description={
        step.kind === 'pick' ? (
          <p>
            A CSV file with the header <code>{IMPORT_COLUMNS.join(',')}</code>, or a JSON array of objects with those keys. The file is
            checked first; nothing is imported until you confirm.
          </p>
        ) : undefined
      }
    >
      {step.kind === 'pick' && (
        <>
          <div className="field">
            <label htmlFor={fileId}>Device file (CSV or JSON)</label>
            <input
              id={fileId}
              type="file"
              accept=".csv,.json,text/csv,application/json"
              onChange={(e) => void onFile(e)}
              data-autofocus=""
            />
            {file && (
              <p className="field-hint" data-testid="import-file">
                {file.name}: read as {file.format.toUpperCase()}, {countText(file.content.length, 'character', 'characters')}
              </p>
            )}
          </div>
          <fieldset className="import-group">
            <legend>Rows without a group</legend>
            <p className="muted" data-testid="import-default-group">
              {groupId ? (
                <>
                  go to <strong>{model?.nodes.get(groupId)?.group.name ?? 'the chosen group'}</strong>.
                </>
              ) : (
                'are refused: the group column is empty. Choose a group to put them in.'
              )}
            </p>
            {choosingGroup ? (
              <GroupPicker
                label="Default group"
                selectedId={groupId}
                onSelect={(id) => {
                  setGroupId(id);
                  setChoosingGroup(false);
                }}
              />
            ) : (
              <button type="button" className="link" onClick={() => setChoosingGroup(true)}>
                {groupId ? 'Change the default group…' : 'Choose a default group…'}
              </button>
            )}
          </fieldset>
          <FormError message={error} />
          <DialogButtons>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={!file || pending}
              onClick={() => file && void send(file, 'good-rows', true)}
            >
              {pending ? 'Checking…' : 'Check the file'}
            </button>
          </DialogButtons>
        </>
      )}
      {step.kind === 'report' && (
        <>
          <ImportReportView report={step.report} fileName={step.file.name} />
          {step.report.rejectedTotal > 0 && step.report.accepted > 0 && (
            <fieldset className="import-choice">
              <legend>What to do</legend>
              <label className="check">
                <input type="radio" name="import-mode" checked={mode === 'all-or-nothing'} onChange={() => setMode('all-or-nothing')} />
                Import nothing until the file is fixed (all or nothing)
              </label>
              <label className="check">
                <input type="radio" name="import-mode" checked={mode === 'good-rows'} onChange={() => setMode('good-rows')} />
                Import the {countText(step.report.accepted, 'good row', 'good rows')} and leave out the rejected ones
              </label>
            </fieldset>
          )}
          <FormError message={error} />
          <DialogButtons>
            <button type="button" onClick={() => setStep({ kind: 'pick' })} disabled={pending}>
              Back
            </button>
            {step.report.accepted > 0 && (step.report.rejectedTotal === 0 || mode === 'good-rows') ? (
              <button
                type="button"
                className="primary"
                disabled={pending}
                onClick={() => void send(step.file, step.report.rejectedTotal > 0 ? mode : 'all-or-nothing', false)}
              >
                {pending ? 'Importing…' : importLabel(step.report)}
              </button>
            ) : (
              // Nothing would be written: the dialog closes without sending an import that imports nothing.
              <button type="button" className="primary" onClick={onClose}>
                Close without importing
              </button>
            )}
          </DialogButtons>
        </>
      )}
      {step.kind === 'done' && (
        <>
          <p role="status" className={step.report.imported > 0 ? 'success' : 'notice'} data-testid="import-outcome">
            {step.report.imported > 0
              ? `Imported ${countText(step.report.imported, 'device', 'devices')}.${step.report.rejectedTotal > 0 ? ` ${countText(step.report.rejectedTotal, 'row was', 'rows were')} left out.` : ''}`
              : `Nothing was imported: ${countText(step.report.rejectedTotal, 'row was', 'rows were')} rejected. Fix the file and import it again.`}
          </p>
          {step.report.imported === 0 && <ImportReportView report={step.report} fileName={null} />}
          <DialogButtons>
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </DialogButtons>
        </>
      )}
    </Dialog>
  );
}

/** The primary button's words: what it imports, and what it leaves out. */
function importLabel(report: ImportReport): string {
  const devices = `Import ${countText(report.accepted, 'device', 'devices')}`;
  return report.rejectedTotal > 0 ? `${devices}, leave out ${countText(report.rejectedTotal, 'row', 'rows')}` : devices;
}

/** Rows counted as rows (a row with two problems is one row rejected), and every problem listed (issue 15, finding 10). */
function ImportReportView({ report, fileName }: { report: ImportReport; fileName: string | null }) {
  const shown = report.rejected.length;
  return (
    <section aria-label="Import report" data-testid="import-report">
      <p role="status">
        {fileName && <>{fileName}: </>}
        <strong data-testid="import-accepted">{countText(report.accepted, 'row', 'rows')} ready</strong>,{' '}
        <strong data-testid="import-rejected">{countText(report.rejectedTotal, 'row', 'rows')} rejected</strong>
        {report.problemTotal !== report.rejectedTotal && (
          <span data-testid="import-problems"> ({countText(report.problemTotal, 'problem', 'problems')} found)</span>
        )}
        .{report.dryRun && ' Nothing has been imported yet.'}
      </p>
      {shown > 0 && (
        <div className="import-rejections">
          <table className="data-table" aria-label="Rejected rows">
            <TableHead columns={['Line', 'Field', 'Problem']} />
            <tbody>
              {report.rejected.map((r, i) => (
                <tr key={`${r.line}-${r.field}-${i}`}>
                  <td>{r.line === 0 ? 'File' : r.line}</td>
                  <td>{r.field || <span className="muted">whole row</span>}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.problemTotal > shown && (
            <p className="field-hint">
              The first {shown.toLocaleString()} of {report.problemTotal.toLocaleString()} problems are listed.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
