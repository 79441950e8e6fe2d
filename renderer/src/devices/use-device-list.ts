import { useEffect } from 'react';
import type { DeviceRow } from '../../../shared/contract';
import { invoke } from '../api/client';
import { onInvalidated } from '../data/invalidate';
import { useDeviceGates } from './device-gates';
import { parseQueryKey } from './device-query';
import type { FetchWindow } from './row-windows';
import { useRowWindows } from './use-row-windows';

/** Rows per request: a few screens' worth, so scrolling rarely waits. */
export const DEVICE_WINDOW = 200;

const fetchDevices: FetchWindow<DeviceRow> = async (key, offset, limit) => {
  const result = await invoke('devices.list', { ...parseQueryKey(key), window: { offset, limit } });
  if (!result.ok) return result;
  useDeviceGates.getState().record(result.value);
  return { ok: true, value: { rows: result.value.rows, total: result.value.total } };
};

export type DeviceList = ReturnType<typeof useDeviceList>;

/**
 * The devices answering `key` (see device-query.ts), a window at a time, cached per question
 * in its own window cache (100,000 rows never sit in the query cache); a command declared to
 * change devices.list drops the windows like any cached answer.
 */
export function useDeviceList(key: string) {
  const { windows, view } = useRowWindows(fetchDevices, DEVICE_WINDOW);
  useEffect(() => windows.ask(key), [windows, key]);
  useEffect(() => onInvalidated('devices.list', () => windows.invalidate()), [windows]);
  return {
    /** The question asked; when it changes a grid starts again at its top. */
    key,
    windows,
    view,
    /** True while the rows shown answer an earlier question than the one asked. */
    stale: view.shownKey !== key,
    initial: view.shownKey === null,
    reload: () => windows.invalidate(),
  };
}
