import { useEffect, useState } from 'react';
import type { DeviceFacets, DeviceKind, DeviceStatus } from '../../../shared/contract';
import { DEVICE_KIND_LABELS, DEVICE_KINDS, DEVICE_STATUS_LABELS, DEVICE_STATUSES } from '../../../shared/contract';
import { UserPicker } from '../access/UserPicker';
import { invoke } from '../api/client';
import { GroupPicker } from '../groups/GroupPicker';
import { useGroups } from '../groups/groups-store';
import { pathLabel } from '../groups/tree-model';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { hasDeviceFilters } from './device-query';
import { useDevicesView, type DeviceFilters as Filters } from './devices-store';

type Picking = 'group' | 'assignee' | null;

/** Counts per OS, kind and status over the visible devices, asked again when the fleet changes. */
function useFacets(groupId: string | null, revision: number): DeviceFacets | null {
  const [facets, setFacets] = useState<DeviceFacets | null>(null);
  useEffect(() => {
    let live = true;
    void invoke('devices.facets', groupId ? { groupId } : {}).then((result) => {
      if (live && result.ok) setFacets(result.value);
    });
    return () => {
      live = false;
    };
  }, [groupId, revision]);
  return facets;
}

function countOf<T extends string>(values: ReadonlyArray<{ value: T; count: number }> | undefined, value: T): string {
  const hit = values?.find((v) => v.value === value);
  return hit ? ` (${hit.count.toLocaleString()})` : '';
}

/** Every filter is a condition the server applies before counting and paging; "all N matching" takes exactly these. */
export function DeviceFilters({ revision }: { revision: number }) {
  const filters = useDevicesView((s) => s.filters);
  const setFilters = useDevicesView((s) => s.setFilters);
  const clear = useDevicesView((s) => s.clearFilters);
  const model = useGroups((s) => s.model);
  const facets = useFacets(filters.groupId, revision);
  const [picking, setPicking] = useState<Picking>(null);

  function pickGroup() {
    if (!useGroups.getState().model) void useGroups.getState().load();
    setPicking('group');
  }

  const select = <K extends 'kind' | 'os' | 'status' | 'assignment'>(key: K) => ({
    value: filters[key],
    onChange: (e: { target: { value: string } }) => setFilters({ [key]: e.target.value } as Partial<Filters>),
  });
  // An OS chosen before the facets knew it (or no longer present) stays listed, so the select never lies.
  const osValues = facets?.os ?? [];
  const osListed = filters.os && !osValues.some((o) => o.value === filters.os) ? [{ value: filters.os, count: 0 }, ...osValues] : osValues;
  const groupLabel = filters.groupId ? (model ? pathLabel(model, filters.groupId) : 'the chosen group') : null;

  return (
    <div className="device-filters" role="search" aria-label="Filter devices">
      <div className="field device-search">
        <label htmlFor="device-search">Name</label>
        <input
          id="device-search"
          type="search"
          placeholder="Part of a device name"
          autoComplete="off"
          value={filters.text}
          onChange={(e) => setFilters({ text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filters.text) {
              e.preventDefault();
              setFilters({ text: '' });
            }
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="device-kind">Kind</label>
        <select id="device-kind" {...select('kind')}>
          <option value="">Any kind</option>
          {DEVICE_KINDS.map((kind: DeviceKind) => (
            <option key={kind} value={kind}>
              {DEVICE_KIND_LABELS[kind]}
              {countOf(facets?.kinds, kind)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="device-os">OS</label>
        <select id="device-os" {...select('os')}>
          <option value="">Any OS</option>
          {osListed.map((os) => (
            <option key={os.value} value={os.value}>
              {os.value}
              {os.count > 0 ? ` (${os.count.toLocaleString()})` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="device-status">Status</label>
        <select id="device-status" {...select('status')}>
          <option value="">Any status</option>
          {DEVICE_STATUSES.map((status: DeviceStatus) => (
            <option key={status} value={status}>
              {DEVICE_STATUS_LABELS[status]}
              {countOf(facets?.statuses, status)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="device-assignment">Assignment</label>
        <select id="device-assignment" {...select('assignment')}>
          <option value="any">Assigned or not</option>
          <option value="assigned">Assigned to someone</option>
          <option value="unassigned">Unassigned</option>
        </select>
      </div>
      <fieldset className="device-chooser">
        <legend>Group</legend>
        <span className="device-chosen" data-testid="device-group-filter">
          {groupLabel ? (
            <strong title={`${groupLabel} and everything inside`}>{groupLabel}</strong>
          ) : (
            <span className="muted">All groups</span>
          )}
        </span>
        <button type="button" className="link" onClick={pickGroup}>
          {filters.groupId ? 'Change…' : 'Choose…'}
        </button>
        {filters.groupId && (
          <button type="button" className="link" onClick={() => setFilters({ groupId: null })} aria-label="All groups">
            ✕
          </button>
        )}
      </fieldset>
      <fieldset className="device-chooser">
        <legend>Assignee</legend>
        <span className="device-chosen" data-testid="device-assignee-filter">
          {filters.assignee ? (
            <strong>{filters.assignee.fullName || filters.assignee.username}</strong>
          ) : (
            <span className="muted">Anyone</span>
          )}
        </span>
        <button type="button" className="link" onClick={() => setPicking('assignee')}>
          {filters.assignee ? 'Change…' : 'Choose…'}
        </button>
        {filters.assignee && (
          <button type="button" className="link" onClick={() => setFilters({ assignee: null })} aria-label="Any assignee">
            ✕
          </button>
        )}
      </fieldset>
      {hasDeviceFilters(filters) && (
        <button type="button" className="link clear-filters" onClick={clear}>
          Clear filters
        </button>
      )}

      {picking === 'group' && (
        <Dialog
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
          <DialogButtons>
            <button type="button" onClick={() => setPicking(null)}>
              Cancel
            </button>
          </DialogButtons>
        </Dialog>
      )}
      {picking === 'assignee' && (
        <Dialog
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
          <DialogButtons>
            <button type="button" onClick={() => setPicking(null)}>
              Cancel
            </button>
          </DialogButtons>
        </Dialog>
      )}
    </div>
  );
}
