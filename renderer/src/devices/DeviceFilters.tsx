import { useState } from 'react';
import type { DeviceFacets, DeviceFilter, FreshnessBucket } from '../../../shared/contract';
import {
  DEVICE_KIND_LABELS,
  DEVICE_KINDS,
  DEVICE_STATUS_LABELS,
  DEVICE_STATUSES,
  FRESHNESS_BUCKETS,
  FRESHNESS_LABELS,
} from '../../../shared/contract';
import { formatDateTime } from '../ui/format';
import { UserPicker } from '../ui/UserPicker';
import { useOp } from '../data/query';
import { GroupFilter } from '../ui/GroupFilter';
import { SavedFilters } from '../saved-filters/SavedFilters';
import { countedOptions, FacetSelect } from '../ui/FacetSelect';
import { FilterChooser } from '../ui/FilterChooser';
import { PickerDialog } from '../ui/PickerDialog';
import { SearchFilter } from '../ui/SearchFilter';
import { SelectField } from '../ui/SelectField';
import { hasDeviceFilters } from './device-query';
import { useDevicesView, type DeviceFilters as Filters } from './devices-store';

type Picking = 'assignee' | null;

/**
 * Counts per OS, kind and status, each with the other filters applied (cross-filtered,
 * devices.facets); the previous answer stays while the next loads, and commands that change devices refresh it.
 * Asked only once `ready` (the grid's first rows arrived): the rows come first (issue 17).
 */
function useFacets(filter: DeviceFilter, ready: boolean): DeviceFacets | null {
  return useOp('devices.facets', ready ? { filter } : null, { keepPrevious: true }).data ?? null;
}

/**
 * Every filter is a condition the server applies before counting and paging; "all N matching"
 * takes exactly these. `rowsShown`: the grid has its first answer, so the counts may be asked
 * for (Devices opens with rows first, issue 17).
 */
export function DeviceFilters({ filter, rowsShown }: { filter: DeviceFilter; rowsShown: boolean }) {
  const filters = useDevicesView((s) => s.filters);
  const setFilters = useDevicesView((s) => s.setFilters);
  const clear = useDevicesView((s) => s.clearFilters);
  const facets = useFacets(filter, rowsShown);
  const [picking, setPicking] = useState<Picking>(null);

  return (
    <div className="device-filters" role="search" aria-label="Filter devices">
      <SearchFilter
        label="Name"
        className="device-search"
        placeholder="Part of a device name"
        value={filters.text}
        onChange={(text) => setFilters({ text })}
      />
      <FacetSelect
        label="Kind"
        anyText="Any kind"
        options={countedOptions(DEVICE_KINDS, DEVICE_KIND_LABELS, facets?.kinds)}
        chosen={filters.kinds}
        onChange={(kinds) => setFilters({ kinds })}
      />
      <FacetSelect
        label="OS"
        anyText="Any OS"
        options={(facets?.os ?? []).map((os) => ({ value: os.value, label: os.value, count: os.count }))}
        chosen={filters.os}
        onChange={(os) => setFilters({ os })}
      />
      <FacetSelect
        label="Status"
        anyText="Any status"
        options={countedOptions(DEVICE_STATUSES, DEVICE_STATUS_LABELS, facets?.statuses)}
        chosen={filters.statuses}
        onChange={(statuses) => setFilters({ statuses })}
      />
      <SelectField
        label="Last backup"
        value={filters.backup?.bucket ?? ''}
        onChange={(value) => setFilters({ backup: value ? { bucket: value as FreshnessBucket, asOf: Date.now() } : null })}
      >
        <option value="">Any time</option>
        {FRESHNESS_BUCKETS.map((bucket) => (
          <option key={bucket} value={bucket}>
            {bucket === 'never' ? 'Never backed up' : `${FRESHNESS_LABELS[bucket]} ago`}
          </option>
        ))}
      </SelectField>
      {filters.backup && filters.backup.bucket !== 'never' && (
        <span className="muted device-backup-asof" data-testid="device-backup-asof">
          counted from {formatDateTime(filters.backup.asOf)}
        </span>
      )}
      <SelectField
        label="Assignment"
        value={filters.assignment}
        onChange={(assignment) => setFilters({ assignment: assignment as Filters['assignment'] })}
      >
        <option value="any">Assigned or not</option>
        <option value="assigned">Assigned to someone</option>
        <option value="unassigned">Unassigned</option>
      </SelectField>
      <GroupFilter
        groupId={filters.groupId}
        onChange={(groupId) => setFilters({ groupId })}
        testId="device-group-filter"
        title="Filter by group"
        description="Devices owned by the group you pick or by any group inside it."
      />
      <FilterChooser
        legend="Assignee"
        testId="device-assignee-filter"
        chosen={filters.assignee ? filters.assignee.fullName || filters.assignee.username : null}
        anyText="Anyone"
        onChoose={() => setPicking('assignee')}
        onClear={() => setFilters({ assignee: null })}
        clearLabel="Any assignee"
      />
      <SavedFilters
        screen="devices"
        current={filters}
        onApply={(saved) =>
          // A freshness bucket is relative: "under 24 hours" counts back from when the filter is applied.
          useDevicesView.setState({ filters: { ...saved, backup: saved.backup && { ...saved.backup, asOf: Date.now() } } })
        }
      />
      {hasDeviceFilters(filters) && (
        <button type="button" className="link clear-filters" onClick={clear}>
          Clear filters
        </button>
      )}

      {picking === 'assignee' && (
        <PickerDialog
          title="Filter by assignee"
          description="Devices assigned to the member you pick. Only people you may see are listed."
          onClose={() => setPicking(null)}
        >
          <UserPicker
            label="Assignee"
            value={filters.assignee}
            onChange={(assignee) => {
              setFilters({ assignee });
              setPicking(null);
            }}
          />
        </PickerDialog>
      )}
    </div>
  );
}
