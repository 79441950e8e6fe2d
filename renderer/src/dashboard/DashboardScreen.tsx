import { useState } from 'react';
import { Link } from 'react-router';
import type { AccessHealth, DashboardSummary, FleetHealth, HistoryRange } from '../../../shared/contract';
import { DEVICE_STATUS_LABELS, DEVICE_STATUSES, FRESHNESS_BUCKETS, FRESHNESS_LABELS, HISTORY_RANGES } from '../../../shared/contract';
import { refreshAnswers } from '../data/invalidate';
import { useOp } from '../data/query';
import { paths } from '../routes/paths';
import { describeEvent } from '../team/user/audit-words';
import { formatDateTime } from '../ui/format';
import { FormError } from '../ui/FormError';
import { StatusChart } from './StatusChart';
import './dashboard.css';

/** A figure and its words, linking to the list it counts (R33: the list shows exactly that many). */
function Tile({ n, label, to, testId, tone }: { n: number; label: string; to: string; testId: string; tone?: 'bad' | 'warn' }) {
  return (
    <Link to={to} className={`tile${tone && n > 0 ? ` tile-${tone}` : ''}`} data-testid={testId}>
      <span className="tile-figure">{n.toLocaleString()}</span>
      <span className="tile-label">{label}</span>
    </Link>
  );
}

function Fleet({ fleet, asOf }: { fleet: FleetHealth; asOf: number }) {
  return (
    <section className="panel dashboard-section" aria-labelledby="dash-fleet">
      <h2 id="dash-fleet">
        Fleet health{' '}
        <Link to={paths.devices()} className="dash-total" data-testid="tile-devices-total">
          {fleet.total.toLocaleString()} {fleet.total === 1 ? 'device' : 'devices'}
        </Link>
      </h2>
      <h3>By status</h3>
      <div className="tiles">
        {DEVICE_STATUSES.map((status) => (
          <Tile
            key={status}
            n={fleet.byStatus[status]}
            label={DEVICE_STATUS_LABELS[status]}
            to={paths.devices({ status })}
            testId={`tile-status-${status}`}
            tone={status === 'failed' ? 'bad' : status === 'warning' || status === 'offline' ? 'warn' : undefined}
          />
        ))}
      </div>
      <h3>Last backup</h3>
      <div className="tiles">
        {FRESHNESS_BUCKETS.map((bucket) => (
          <Tile
            key={bucket}
            n={fleet.freshness[bucket]}
            label={bucket === 'never' ? 'Never backed up' : `${FRESHNESS_LABELS[bucket]} ago`}
            to={paths.devices({ backup: bucket, asOf })}
            testId={`tile-backup-${bucket}`}
            tone={bucket === 'older' || bucket === 'never' ? 'bad' : bucket === 'week' ? 'warn' : undefined}
          />
        ))}
      </div>
      <h3 id="dash-groups">Customers with failed or stale devices</h3>
      {fleet.groups.length === 0 ? (
        <p className="muted">No failed devices, and every device backed up within the last 7 days.</p>
      ) : (
        <table className="dash-table" aria-labelledby="dash-groups">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Failed</th>
              <th scope="col">Last backup over 7 days ago</th>
              <th scope="col">Never backed up</th>
            </tr>
          </thead>
          <tbody>
            {fleet.groups.map((g) => (
              <tr key={g.groupId}>
                <th scope="row">
                  <Link to={paths.group(g.groupId)}>{g.name}</Link>
                </th>
                <td>
                  <Link to={paths.devices({ group: g.groupId, status: 'failed' })} aria-label={`${g.failed} failed in ${g.name}`}>
                    {g.failed.toLocaleString()}
                  </Link>
                </td>
                <td>
                  <Link to={paths.devices({ group: g.groupId, backup: 'older', asOf })} aria-label={`${g.older} over 7 days in ${g.name}`}>
                    {g.older.toLocaleString()}
                  </Link>
                </td>
                <td>
                  <Link
                    to={paths.devices({ group: g.groupId, backup: 'never', asOf })}
                    aria-label={`${g.never} never backed up in ${g.name}`}
                  >
                    {g.never.toLocaleString()}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fleet.groupsTotal > fleet.groups.length && (
        <p className="muted">
          The {fleet.groups.length} with the most of {fleet.groupsTotal.toLocaleString()} groups with failed or stale devices.
        </p>
      )}
    </section>
  );
}

function Access({ access }: { access: AccessHealth }) {
  const coverage = access.activePeople === 0 ? 100 : Math.floor((access.mfaEnrolled / access.activePeople) * 100);
  return (
    <section className="panel dashboard-section" aria-labelledby="dash-access">
      <h2 id="dash-access">Access health</h2>
      <p className="dash-coverage">
        <Link to={paths.hygieneSection('usersWithoutMfa')} data-testid="tile-mfa-coverage">
          Two-step verification: {access.mfaEnrolled.toLocaleString()} of {access.activePeople.toLocaleString()} active people ({coverage}%)
        </Link>
      </p>
      <div className="tiles">
        <Tile
          n={access.withoutMfa}
          label="Without two-step verification"
          to={paths.hygieneSection('usersWithoutMfa')}
          testId="tile-without-mfa"
          tone="bad"
        />
        <Tile
          n={access.pendingInvitations}
          label="Pending invitations"
          to={paths.hygieneSection('pendingInvitations')}
          testId="tile-pending"
        />
        <Tile
          n={access.expiredInvitations}
          label="Expired invitations"
          to={paths.hygieneSection('expiredInvitations')}
          testId="tile-expired"
          tone="warn"
        />
        <Tile
          n={access.dormantAccounts}
          label="Dormant accounts"
          to={paths.hygieneSection('dormantAccounts')}
          testId="tile-dormant"
          tone="warn"
        />
        <Tile
          n={access.unassignedDevices}
          label="Unassigned devices"
          to={paths.devices({ assignment: 'unassigned' })}
          testId="tile-unassigned"
          tone="warn"
        />
        <Tile n={access.unusedRoles} label="Roles nobody holds" to={paths.hygieneSection('unusedRoles')} testId="tile-unused-roles" />
      </div>
    </section>
  );
}

function Seats({ summary }: { summary: DashboardSummary }) {
  if (summary.seats.length === 0) return null;
  return (
    <section className="panel dashboard-section" aria-labelledby="dash-seats">
      <h2 id="dash-seats">Seats</h2>
      <table className="dash-table">
        <thead>
          <tr>
            <th scope="col">Company</th>
            <th scope="col">Members</th>
            <th scope="col">Pending invitations</th>
            <th scope="col">Used of limit</th>
          </tr>
        </thead>
        <tbody>
          {summary.seats.map((s) => (
            <tr key={s.companyId}>
              <th scope="row">
                <Link to={paths.group(s.companyId)}>{s.companyName}</Link>
              </th>
              <td>{s.members.toLocaleString()}</td>
              <td>{s.pending.toLocaleString()}</td>
              <td className={s.limit !== null && s.used >= s.limit ? 'dash-full' : undefined}>
                {s.used.toLocaleString()} of {s.limit === null ? 'no limit' : s.limit.toLocaleString()}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.seatsTotal > summary.seats.length && (
        <p className="muted">
          The {summary.seats.length} fullest of {summary.seatsTotal.toLocaleString()} companies.
        </p>
      )}
    </section>
  );
}

function Recent({ summary }: { summary: DashboardSummary }) {
  if (!summary.recent) return null;
  return (
    <section className="panel dashboard-section" aria-labelledby="dash-recent">
      <h2 id="dash-recent">
        Recent changes{' '}
        <Link to={paths.screen('audit')} className="dash-total">
          Open the audit trail
        </Link>
      </h2>
      {summary.recent.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ul className="dash-recent">
          {summary.recent.map((e) => (
            <li key={e.seq}>
              <Link to={paths.auditEvent(e.seq)}>{describeEvent(e)}</Link> <span className="muted">{formatDateTime(e.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History({ groups }: { groups: DashboardSummary['chartGroups'] }) {
  const [groupId, setGroupId] = useState<string | null>(null);
  const [days, setDays] = useState<HistoryRange>(30);
  const chosen = groupId ?? groups[0]?.id ?? null;
  const query = useOp('dashboard.history', chosen ? { groupId: chosen, days } : null, { keepPrevious: true });
  if (groups.length === 0) return null;
  return (
    <section className="panel dashboard-section" aria-labelledby="dash-history">
      <h2 id="dash-history">History</h2>
      <div className="row dash-history-controls">
        <label>
          Group{' '}
          <select value={chosen ?? ''} onChange={(e) => setGroupId(e.target.value)}>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Period" className="row">
          {HISTORY_RANGES.map((range) => (
            <button key={range} type="button" aria-pressed={days === range} onClick={() => setDays(range)}>
              {range} days
            </button>
          ))}
        </div>
      </div>
      {query.error ? (
        <FormError message={`The chart could not be loaded: ${query.error.message}`} />
      ) : !query.data ? (
        <p className="loading">Loading the chart…</p>
      ) : (
        <>
          {query.data.source === 'device-history' && (
            <p className="muted">Counted from the devices you can see in {query.data.groupName}, at each day’s snapshot.</p>
          )}
          <StatusChart history={query.data} fileStem={`device-status-${query.data.groupName}-${days}-days`.replace(/[^\w.-]+/g, '-')} />
        </>
      )}
    </section>
  );
}

/** Issue 18: what a person opens first — their fleet, their people and what changed, each figure a link to its list. */
export function DashboardScreen() {
  const query = useOp('dashboard.summary', {});
  const summary = query.data ?? null;
  return (
    <div className="page dashboard">
      <div className="page-head dashboard-head">
        <h1>Dashboard</h1>
        {/* The server counts backup ages from the start of the hour (exact sums of its hourly aggregates): say so, not "now". */}
        {summary && <span className="muted">Backup ages as of {formatDateTime(summary.asOf)}, the start of the hour</span>}
        {/* Commands refresh what they change by themselves; Refresh asks again for what others changed. */}
        <button type="button" onClick={() => refreshAnswers(['dashboard.summary', 'dashboard.history'])} disabled={query.isFetching}>
          Refresh
        </button>
      </div>
      {query.error ? (
        <FormError message={`The dashboard could not be loaded: ${query.error.message}`} />
      ) : !summary ? (
        <p className="loading">Counting…</p>
      ) : (
        <div className={query.isFetching ? 'stale' : undefined}>
          {summary.fleet && <Fleet fleet={summary.fleet} asOf={summary.asOf} />}
          <History groups={summary.chartGroups} />
          {summary.access && <Access access={summary.access} />}
          <Seats summary={summary} />
          <Recent summary={summary} />
        </div>
      )}
    </div>
  );
}
