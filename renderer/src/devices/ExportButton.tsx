import { useState } from 'react';
import type { DeviceFilter } from '../../../shared/contract';
import { invoke } from '../api/client';
import { downloadText } from '../ui/download';
import { countText } from './device-format';

interface ExportButtonProps {
  filter: DeviceFilter;
  /** Devices matching the filter; nothing to export at 0. */
  total: number;
  onDone: (message: string) => void;
  onError: (message: string) => void;
}

/** Every device matching the filters (not only the rows loaded), in the import's CSV format so it can go back in. */
export function ExportButton({ filter, total, onDone, onError }: ExportButtonProps) {
  const [pending, setPending] = useState(false);

  async function run() {
    setPending(true);
    const result = await invoke('devices.export', { filter, format: 'csv' });
    setPending(false);
    if (!result.ok) {
      onError(`The export failed: ${result.error.message}`);
      return;
    }
    downloadText(result.value.filename, 'text/csv', result.value.content);
    onDone(
      `Exported ${countText(result.value.rows, 'device', 'devices')} to ${result.value.filename}. The export was recorded in the audit trail.`,
    );
  }

  return (
    <button type="button" disabled={pending || total === 0} title="Every device matching the filters, as CSV" onClick={() => void run()}>
      {pending ? 'Exporting…' : 'Export CSV'}
    </button>
  );
}
