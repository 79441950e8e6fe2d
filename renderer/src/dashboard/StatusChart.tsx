import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ActiveElement,
} from 'chart.js';
import { DEVICE_STATUS_LABELS, DEVICE_STATUSES, type DashboardHistory, type DeviceStatus } from '../../../shared/contract';
import { downloadBlob, downloadText } from '../ui/download';
import { useSession } from '../state/session';
import { chartCsv, chartRows, rowWords } from './chart-data';

// Only what a line chart draws: Chart.js is tree-shaken to these parts.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

/** Steward's status colours (devices.css); OK takes the company's accent, or its primary colour, where branding sets one. */
const STATUS_COLOURS: Record<DeviceStatus, string> = {
  ok: '#1e7a3c',
  warning: '#b07800',
  failed: '#b3261e',
  offline: '#3f4756',
  never: '#8a93a3',
};
/** Each status draws its own dash as well as its colour: colour is never the only signal. */
const DASHES: Record<DeviceStatus, number[]> = { ok: [], warning: [6, 3], failed: [], offline: [2, 3], never: [10, 4] };

interface StatusChartProps {
  history: DashboardHistory;
  /** Names the files of the exports. */
  fileStem: string;
}

/**
 * Status counts per day as a line chart (Chart.js, drawn on a canvas), with what a canvas
 * cannot give by itself: a readout in words that follows the pointer and the keyboard (arrow
 * keys, Home, End on the focused chart), a table alternative, and PNG and CSV exports.
 */
export function StatusChart({ history, fileStem }: StatusChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line'> | null>(null);
  const rows = useMemo(() => chartRows(history), [history]);
  const [active, setActive] = useState<number | null>(null);
  const [table, setTable] = useState(false);
  const branding = useSession((s) => s.branding);
  const brand = branding?.accentColor ?? branding?.primaryColor ?? null;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const colour = (status: DeviceStatus) => (status === 'ok' && brand ? brand : STATUS_COLOURS[status]);
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: rows.map((r) => r.label),
        datasets: DEVICE_STATUSES.map((status) => ({
          label: DEVICE_STATUS_LABELS[status],
          data: rows.map((r) => r.counts[status]),
          borderColor: colour(status),
          backgroundColor: colour(status),
          borderDash: DASHES[status],
          pointRadius: rows.length > 40 ? 0 : 2,
          tension: 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
        onHover: (_event, elements: ActiveElement[]) => setActive(elements[0]?.index ?? null),
      },
    });
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, [rows, brand]);

  /** Shows the day `index` as hovered: the chart's tooltip and the readout both follow. */
  function point(index: number) {
    const chart = chartRef.current;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActive(clamped);
    if (!chart) return;
    const elements = DEVICE_STATUSES.map((_, datasetIndex) => ({ datasetIndex, index: clamped }));
    const meta = chart.getDatasetMeta(0).data[clamped];
    chart.setActiveElements(elements);
    chart.tooltip?.setActiveElements(elements, { x: meta?.x ?? 0, y: meta?.y ?? 0 });
    chart.update();
  }

  function onKeyDown(event: React.KeyboardEvent) {
    const keys: Record<string, number> = {
      ArrowRight: (active ?? -1) + 1,
      ArrowLeft: (active ?? rows.length) - 1,
      Home: 0,
      End: rows.length - 1,
    };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    point(next);
  }

  function exportPng() {
    chartRef.current?.canvas.toBlob((blob) => {
      if (blob) downloadBlob(`${fileStem}.png`, blob);
    }, 'image/png');
  }

  const current = active === null ? null : rows[active];
  const summary = `Device status per day in ${history.groupName}, last ${history.days} days: ${rows.length} points. ${
    rows.length > 0 ? rowWords(rows[rows.length - 1] as (typeof rows)[number]) : ''
  }. Use the arrow keys to read each day, or show the table.`;

  return (
    <figure className="status-chart">
      <div className="status-chart-canvas">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={summary}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onFocus={() => point(active ?? rows.length - 1)}
          data-testid="status-chart"
        />
      </div>
      <p className="status-chart-readout" aria-live="polite" data-testid="chart-readout">
        {current ? rowWords(current) : 'Point at the chart, or focus it and use the arrow keys, to read a day.'}
      </p>
      <div className="row status-chart-actions">
        <button type="button" aria-expanded={table} onClick={() => setTable(!table)}>
          {table ? 'Hide the table' : 'Show as a table'}
        </button>
        <button type="button" onClick={exportPng}>
          Export PNG
        </button>
        <button type="button" onClick={() => downloadText(`${fileStem}.csv`, 'text/csv', chartCsv(rows))}>
          Export CSV
        </button>
      </div>
      {table && (
        <div className="status-chart-table">
          <table>
            <caption>
              Devices by status in {history.groupName}, per day (last {history.days} days)
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {DEVICE_STATUSES.map((s) => (
                  <th scope="col" key={s}>
                    {DEVICE_STATUS_LABELS[s]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.at}>
                  <th scope="row">{r.label}</th>
                  {DEVICE_STATUSES.map((s) => (
                    <td key={s}>{r.counts[s].toLocaleString()}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
