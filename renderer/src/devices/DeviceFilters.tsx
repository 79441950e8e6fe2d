import { useState, type ReactNode } from 'react';
import type { DeviceFacets, FacetValue } from '../../../shared/contract';
import { DEVICE_KIND_LABELS, DEVICE_KINDS, DEVICE_STATUS_LABELS, DEVICE_STATUSES } from '../../../shared/contract';
import { UserPicker } from '../access/UserPicker';
import { useOp } from '../data/query';
import { GroupPicker } from '../groups/GroupPicker';
import { ensureGroups, useChosenGroupLabel } from '../groups/groups-store';
import { PickerDialog } from '../ui/PickerDialog';
import { SearchFilter } from '../ui/SearchFilter';
import { SelectField } from '../ui/SelectField';
import { hasDeviceFilters } from './device-query';
import { useDevicesView, type DeviceFilters as Filters } from './devices-store';

type Picking = 'group' | 'assignee' | null;

/**
 * Counts per OS, kind and status over the visible devices; a command that changes devices
 * refreshes them. Asked only once `ready` (the grid's first rows arrived): the rows come first.
 */
function useFacets(groupId: string | null, ready: boolean): DeviceFacets | null {
  return useOp('devices.facets', ready ? (groupId ? { groupId } : {}) : null, { keepPrevious: true }).data ?? null;
}

/** How many visible devices a value matches, when the facets know; a value they do not list shows no number. */
function countText(count: number | undefined): string {
  return count ? ` (${count.toLocaleString()})` : '';
}

interface CountedOptionsProps<T extends string> {
  values: readonly T[];
  labels: Record<T, string>;
  facet: ReadonlyArray<FacetValue<T>> | undefined;
}

function CountedOptions<T extends string>({ values, labels, facet }: CountedOptionsProps<T>) {
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {labels[value]}
          {countText(facet?.find((f) => f.value === value)?.count)}
        </option>
      ))}
    </>
  );
}

interface ChooserProps {
  legend: string;
  testId: string;
  /** What is chosen, or null for the unfiltered state named by anyText. */
  chosen: ReactNode;
  anyText: string;
  onChoose: () => void;
  onClear: () => void;
  clearLabel: string;
}

/** A filter whose value is picked in a dialog: what is chosen, Choose or Change, and ✕ to drop it. */
function Chooser({ legend, testId, chosen, anyText, onChoose, onClear, clearLabel }: ChooserProps) {
  return (
    <fieldset className="device-chooser">
      <legend>{legend}</legend>
      <span className="device-chosen" data-testid={testId}>
        {chosen ?? <span className="muted">{anyText}</span>}
      </span>
      <button type="button" className="link" onClick={onChoose}>
        {chosen ? 'Change…' : 'Choose…'}
      </button>
      {chosen && (
        <button type="button" className="link" onClick={onClear} aria-label={clearLabel}>
          ✕
        </button>
      )}
    </fieldset>
  );
}

/**
 * Every filter is a condition the server applies before counting and paging; "all N matching"
 * takes exactly these. `rowsShown`: the grid has its first answer, so the counts may be asked
 * for (Devices opens with rows first, issue 17).
 */
export function DeviceFilters({ rowsShown }: { rowsShown: boolean }) {
  const filters = useDevicesView((s) => s.filters);
  const setFilters = useDevicesView((s) => s.setFilters);
  const clear = useDevicesView((s) => s.clearFilters);
  const facets = useFacets(filters.groupId, rowsShown);
  const groupLabel = useChosenGroupLabel(filters.groupId);
  const [picking, setPicking] = useState<Picking>(null);

  const select = <K extends 'kind' | 'os' | 'status' | 'assignment'>(key: K) => ({
    value: filters[key],
    onChange: (value: string) => setFilters({ [key]: value } as Partial<Filters>),
  });
  // An OS chosen before the facets knew it (or no longer present) stays listed, so the select never lies.
  const osValues = facets?.os ?? [];
  const osListed = filters.os && !osValues.some((o) => o.value === filters.os) ? [{ value: filters.os, count: 0 }, ...osValues] : osValues;

  return (
    <div className="device-filters" role="search" aria-label="Filter devices">
      <SearchFilter
        label="Name"
        className="device-search"
        placeholder="Part of a device name"
        value={filters.text}
        onChange={(text) => setFilters({ text })}
      />
      <SelectField label="Kind" {...select('kind')}>
        <option value="">Any kind</option>
        <CountedOptions values={DEVICE_KINDS} labels={DEVICE_KIND_LABELS} facet={facets?.kinds} />
      </SelectField>
      <SelectField label="OS" {...select('os')}>
        <option value="">Any OS</option>
        {osListed.map((os) => (
          <option key={os.value} value={os.value}>
            {os.value}
            {countText(os.count)}
          </option>
        ))}
      </SelectField>
      <SelectField label="Status" {...select('status')}>
        <option value="">Any status</option>
        <CountedOptions values={DEVICE_STATUSES} labels={DEVICE_STATUS_LABELS} facet={facets?.statuses} />
      </SelectField>
      <SelectField label="Assignment" {...select('assignment')}>
        <option value="any">Assigned or not</option>
        <option value="assigned">Assigned to someone</option>
        <option value="unassigned">Unassigned</option>
      </SelectField>
      <Chooser
        legend="Group"
        testId="device-group-filter"
        chosen={groupLabel && <strong title={`${groupLabel} and everything inside`}>{groupLabel}</strong>}
        anyText="All groups"
        onChoose={() => {
          ensureGroups();
          setPicking('group');
        }}
        onClear={() => setFilters({ groupId: null })}
        clearLabel="All groups"
      />
      <Chooser
        legend="Assignee"
        testId="device-assignee-filter"
        chosen={filters.assignee && <strong>{filters.assignee.fullName || filters.assignee.username}</strong>}
        anyText="Anyone"
        onChoose={() => setPicking('assignee')}
        onClear={() => setFilters({ assignee: null })}
        clearLabel="Any assignee"
      />
      {hasDeviceFilters(filters) && (
        <button type="button" className="link clear-filters" onClick={clear}>
          Clear filters
        </button>
      )}

      {picking === 'group' && (
        <PickerDialog
          title="Filter by group"
          description="Devices owned by the group you pick or by any group inside it."
          onClose={() => setPicking(null)}
        >
          <GroupPicker
            label="Group"
            selectedId={filters.groupId}
            autoFocus
            onSelect={(groupId) => {
              setFilters({ groupId });
              setPicking(null);
            }}
          />
        </PickerDialog>
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
