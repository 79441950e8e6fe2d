import { useState } from 'react';
import type { SortingState } from '@tanstack/react-table';
import type { UserDetail } from '../../../shared/contract';
import { useMissingPermission } from '../state/missing-permission';
import { countText } from './device-format';
import { queryKey, toListQuery } from './device-query';
import { DevicesGrid } from './DevicesGrid';
import { DEFAULT_DEVICE_SORT, NO_DEVICE_FILTERS, useDevicesView } from './devices-store';
import { useDeviceList } from './use-device-list';
import './devices.css';

/** The member page's list of their devices (the ones the viewer may see), with a way into the Devices screen. */
export function MemberDevicesSection({ user }: { user: Pick<UserDetail, 'id' | 'username' | 'fullName'> }) {
  const cannotSee = useMissingPermission('devices.view');
  if (cannotSee) return null;
  return <MemberDevices user={user} />;
}

function MemberDevices({ user }: { user: Pick<UserDetail, 'id' | 'username' | 'fullName'> }) {
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_DEVICE_SORT);
  const key = queryKey(toListQuery({ assigneeId: user.id }, sorting));
  const list = useDeviceList(key);
  const name = user.fullName || user.username;
  const total = list.view.total ?? 0;

  function openInDevices(deviceId: string | null) {
    useDevicesView.setState({
      filters: { ...NO_DEVICE_FILTERS, assignee: { id: user.id, username: user.username, fullName: user.fullName } },
    });
    useDevicesView.getState().openDevice(deviceId);
  }

  return (
    <section className="panel user-section member-devices" aria-labelledby="user-devices">
      <h2 id="user-devices">Devices</h2>
      <p className="devices-count" data-testid="member-devices-count">
        {list.initial ? 'Counting…' : list.view.error ? '' : `${countText(total, 'device', 'devices')} assigned to ${name}`}
      </p>
      {list.view.error && <p className="form-error">{list.view.error}</p>}
      {!list.initial && total > 0 && (
        <DevicesGrid
          label={`Devices of ${name}`}
          list={list}
          sorting={sorting}
          onSorting={setSorting}
          selection={null}
          onOpen={(id) => openInDevices(id)}
          compact
        />
      )}
      {!list.initial && total === 0 && !list.view.error && (
        <p className="muted">Nothing is assigned to {name}. Assign devices from the Devices screen: filter, select, then Assign.</p>
      )}
      <button type="button" onClick={() => openInDevices(null)}>
        {total > 0 ? 'Open these in Devices' : 'Go to Devices'}
      </button>
    </section>
  );
}
