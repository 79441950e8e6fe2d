import { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { BulkAction, DeviceRow } from '../../../shared/contract';
import { BULK_EXCEPT_MAX } from '../../../shared/contract';
import { commandSucceeded, refreshAnswers } from '../data/invalidate';
import { ensureGroups, useGroups } from '../state/groups-store';
import { commonCompany } from '../state/tree-model';
import { useDebounced } from '../ui/use-debounced';
import { ActionButton } from '../ui/ActionButton';
import { FormError } from '../ui/FormError';
import { BulkWizard } from './BulkWizard';
import type { RowSelection } from './device-columns';
import { countText } from './device-format';
import { useDevicesLock } from './device-gates';
import { hasDeviceFilters, queryKey, toDeviceFilter, toListQuery } from './device-query';
import { DeviceFilters } from './DeviceFilters';
import { DevicePanel } from './DevicePanel';
import { DevicesGrid } from './DevicesGrid';
import { ExportButton } from './ExportButton';
import { useDevicesView } from './devices-store';
import { useFiltersFromAddress } from './filters-from-address';
import { ImportDialog } from './ImportDialog';
import { JobDialog } from './JobDialog';
import { RecentJobs } from './RecentJobs';
import {
  allMatching,
  emptySelection,
  exceptCount,
  isPicked,
  selectedCount,
  selectedLine,
  selectionText,
  toBulkSelection,
  toggled,
  type DeviceSelection,
  selectionGroups,
} from './selection';
import { useDeviceList } from './use-device-list';
import './devices.css';

const TYPING_MS = 250;

/** Issue 6: the device inventory at 100,000 rows, assignment to members one by one or in bulk jobs, and import. */
export function DevicesScreen() {
  useFiltersFromAddress();
  const filters = useDevicesView((s) => s.filters);
  const sorting = useDevicesView((s) => s.sorting);
  const setSorting = useDevicesView((s) => s.setSorting);
  const clearFilters = useDevicesView((s) => s.clearFilters);
  const openDevice = useDevicesView((s) => s.openDevice);
  const openJob = useDevicesView((s) => s.openJob);
  // The address names the open device (`/devices/<id>`) or job (`/devices/jobs/<id>`).
  const { deviceId: openDeviceId = null, jobId: openJobId = null } = useParams();
  // The group column names each device's company from the tree.
  useEffect(ensureGroups, []);

  // Typing asks the server once the typing pauses; an emptied box applies at once.
  const typed = useDebounced(filters.text, TYPING_MS);
  const filter = useMemo(() => toDeviceFilter(filters, filters.text.trim() ? typed : ''), [filters, typed]);
  const filterKey = JSON.stringify(filter);
  const key = queryKey(toListQuery(filter, sorting));
  const list = useDeviceList(key);
  const total = list.view.total ?? 0;

  const assignLock = useDevicesLock('assign');
  const importLock = useDevicesLock('manage');
  const [stored, setSelection] = useState<DeviceSelection>(emptySelection(''));
  const selection = stored.filterKey === filterKey ? stored : emptySelection(filterKey);
  const count = selectedCount(selection, total);
  const excepted = exceptCount(selection);
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  // The member picker starts with the people of the company the selected devices belong to (issue 15, finding 9).
  const model = useGroups((s) => s.model);
  const scopeId = model ? commonCompany(model, selectionGroups(selection, filter)) : null;
  const memberScope = scopeId ? { groupId: scopeId, name: model?.nodes.get(scopeId)?.group.name ?? '' } : null;
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // Commands refresh what they change by themselves (shared/contract/invalidation.ts); Refresh asks again for what others changed.
  const changed = useCallback(() => refreshAnswers(['devices.list', 'devices.facets', 'devices.jobs', 'devices.get']), []);
  // A job's steps run on the server after its command answered: its end changes what the command declared.
  const jobEnded = useCallback(() => commandSucceeded('devices.bulkAssign'), []);

  const rowSelection = useMemo<RowSelection | null>(
    () =>
      assignLock
        ? null
        : {
            isSelected: (id) => isPicked(selection, id),
            toggle: (row: DeviceRow, on) => {
              const next = toggled(selection, row.id, row.groupId, on);
              if (next) setSelection(next);
              else
                setProblem(
                  `At most ${BULK_EXCEPT_MAX.toLocaleString()} devices can be left out of all matching devices; narrow the filters instead.`,
                );
            },
            header: count === 0 ? 'none' : selection.mode === 'all' && excepted === 0 ? 'all' : 'some',
            // An indeterminate box ticks to "all matching" again, exceptions dropped (as a mail client's does).
            onHeader: (all) => setSelection(all ? allMatching(filterKey) : emptySelection(filterKey)),
            headerLabel: `Select all ${countText(total, 'matching device', 'matching devices')}`,
          },
    [assignLock, selection, filterKey, count, excepted, total, setSelection],
  );
  const filtered = hasDeviceFilters(filters);
  const noSelectionReason = count === 0 ? 'Select devices first: tick rows, or select all matching' : null;

  let body;
  if (list.initial) {
    body = list.view.error ? null : <p className="loading">Loading devices…</p>;
  } else if (list.view.error) {
    body = (
      <div className="row">
        <FormError message={`The devices could not be loaded: ${list.view.error}`} />
        <button type="button" onClick={changed}>
          Try again
        </button>
      </div>
    );
  } else if (total === 0 && !list.stale) {
    body = filtered ? (
      <div className="empty-state" data-testid="devices-empty">
        <p>No devices match these filters.</p>
        <button type="button" onClick={clearFilters}>
          Clear filters
        </button>
      </div>
    ) : (
      <div className="empty-state" data-testid="devices-empty">
        {importLock ? (
          <p>
            There are no devices you can see. Devices assigned to you appear here; ask an administrator to assign the ones you look after.
          </p>
        ) : (
          <>
            <p>There are no devices yet. Import your fleet from a CSV or JSON file to start assigning devices to members.</p>
            <button type="button" onClick={() => setImporting(true)}>
              Import devices…
            </button>
          </>
        )}
      </div>
    );
  } else {
    body = (
      <DevicesGrid label="Devices" list={list} sorting={sorting} onSorting={setSorting} selection={rowSelection} onOpen={openDevice} />
    );
  }

  return (
    <div className="page devices">
      <div className="page-head devices-head">
        <h1>Devices</h1>
        <div className="row">
          <ExportButton
            filter={filter}
            total={list.stale ? 0 : total}
            onDone={(message) => {
              setProblem(null);
              setNotice(message);
            }}
            onError={setProblem}
          />
          <ActionButton reason={importLock} quiet onClick={() => setImporting(true)}>
            Import devices…
          </ActionButton>
        </div>
      </div>
      <DeviceFilters filter={filter} rowsShown={!list.initial} />
      <div className="devices-toolbar" role="toolbar" aria-label="Device actions">
        <p className="devices-count" data-testid="devices-count" aria-live="polite">
          {list.initial ? 'Counting…' : `${countText(total, 'device', 'devices')} ${filtered ? 'match' : 'in all'}`}
        </p>
        {!assignLock && total > 0 && (selection.mode !== 'all' || excepted > 0) && (
          <button type="button" className="link" onClick={() => setSelection(allMatching(filterKey))}>
            Select all {countText(total, 'matching device', 'matching devices')}
          </button>
        )}
        {count > 0 && (
          <>
            <strong data-testid="devices-selected">{selectedLine(selection, total)}</strong>
            <button type="button" className="link" onClick={() => setSelection(emptySelection(filterKey))}>
              Clear selection
            </button>
          </>
        )}
        <span className="toolbar-gap" />
        <ActionButton
          reason={assignLock}
          quiet={!assignLock}
          disabled={count === 0}
          title={noSelectionReason ?? undefined}
          onClick={() => setBulk('assign')}
        >
          Assign…
        </ActionButton>
        <ActionButton
          reason={assignLock}
          quiet
          disabled={count === 0}
          title={noSelectionReason ?? undefined}
          onClick={() => setBulk('unassign')}
        >
          Unassign…
        </ActionButton>
        <button type="button" onClick={changed} aria-label="Refresh the devices list">
          Refresh
        </button>
      </div>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <FormError message={problem} />
      <div className={`devices-body${openDeviceId ? ' with-panel' : ''}`}>
        <div className="devices-main">{body}</div>
        {openDeviceId && <DevicePanel key={openDeviceId} deviceId={openDeviceId} onClose={() => openDevice(null)} />}
      </div>
      <RecentJobs onOpen={openJob} />

      {bulk && (
        <BulkWizard
          action={bulk}
          selection={toBulkSelection(selection, filter)}
          selectionText={selectionText(selection, total)}
          memberScope={memberScope}
          lock={assignLock}
          onClose={() => setBulk(null)}
          onFinished={(job) => {
            setSelection(emptySelection(filterKey));
            jobEnded();
            setNotice(`Job finished: ${job.selection}.`);
          }}
        />
      )}
      {openJobId && <JobDialog jobId={openJobId} lock={assignLock} onClose={() => openJob(null)} onFinished={jobEnded} />}
      {importing && (
        <ImportDialog
          defaultGroupId={filters.groupId}
          onClose={() => setImporting(false)}
          onImported={(report) => {
            setNotice(`Imported ${countText(report.imported, 'device', 'devices')}.`);
          }}
        />
      )}
    </div>
  );
}
