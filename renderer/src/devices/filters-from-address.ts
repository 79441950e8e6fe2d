import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { DEVICE_STATUSES, FRESHNESS_BUCKETS, type DeviceStatus, type FreshnessBucket } from '../../../shared/contract';
import { NO_DEVICE_FILTERS, useDevicesView, type DeviceFilters } from './devices-store';

const isStatus = (value: string | null): value is DeviceStatus => (DEVICE_STATUSES as readonly (string | null)[]).includes(value);
const isBucket = (value: string | null): value is FreshnessBucket => (FRESHNESS_BUCKETS as readonly (string | null)[]).includes(value);

/** The filters an address names (paths.devices), or null when it names none. Unknown values are left out. */
export function filtersFromParams(params: URLSearchParams, now: number): DeviceFilters | null {
  if ([...params.keys()].length === 0) return null;
  const status = params.get('status');
  const backup = params.get('backup');
  const asOf = Number(params.get('asOf'));
  const assignment = params.get('assignment');
  return {
    ...NO_DEVICE_FILTERS,
    statuses: isStatus(status) ? [status] : [],
    groupId: params.get('group') || null,
    assignment: assignment === 'assigned' || assignment === 'unassigned' ? assignment : 'any',
    backup: isBucket(backup) ? { bucket: backup, asOf: Number.isFinite(asOf) && asOf > 0 ? asOf : now } : null,
  };
}

/**
 * A link that names filters (a dashboard figure's) opens Devices with exactly those filters:
 * they replace the ones set before, then leave the address, which is the screen's own again.
 */
export function useFiltersFromAddress(): void {
  const [params, setParams] = useSearchParams();
  useEffect(() => {
    const filters = filtersFromParams(params, Date.now());
    if (!filters) return;
    useDevicesView.setState({ filters });
    setParams({}, { replace: true });
  }, [params, setParams]);
}
