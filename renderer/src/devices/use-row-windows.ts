import { useState, useSyncExternalStore } from 'react';
import { RowWindows, type FetchWindow, type WindowsView } from './row-windows';

/** One window cache for the life of the component; the fetcher must not change meaning between renders. */
export function useRowWindows<Row>(
  fetchWindow: FetchWindow<Row>,
  windowSize?: number,
): { windows: RowWindows<Row>; view: WindowsView<Row> } {
  const [windows] = useState(() => new RowWindows(fetchWindow, windowSize));
  const view = useSyncExternalStore(windows.subscribe, windows.getSnapshot);
  return { windows, view };
}
