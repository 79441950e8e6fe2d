import { useEffect } from 'react';
import { SearchFilter } from '../../ui/SearchFilter';
import { useRoles } from '../roles-store';
import { NO_FILTERS, useTeam, type MemberFilters as Filters } from '../team-store';
import { MFA_LABELS } from '../../ui/format';

/** The filters of the members list; each is a WHERE clause on the server, never a filter over the page shown. */
export function MemberFilters() {
  const filters = useTeam((s) => s.filters);
  const setFilters = useTeam((s) => s.setFilters);
  const roles = useRoles((s) => s.roles);
  const any = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  useEffect(() => {
    if (!useRoles.getState().roles) void useRoles.getState().load();
  }, []);

  const select = <K extends keyof Filters>(key: K) => ({
    value: filters[key],
    onChange: (e: { target: { value: string } }) => setFilters({ [key]: e.target.value } as Partial<Filters>),
  });

  return (
    <div className="member-filters" role="search" aria-label="Filter members">
      <SearchFilter
        label="Search"
        className="filter-search"
        placeholder="Username, name, email or company"
        value={filters.query}
        onChange={(query) => setFilters({ query })}
      />
      <div className="field">
        <label htmlFor="member-status">Status</label>
        <select id="member-status" {...select('status')}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="member-kind">Kind</label>
        <select id="member-kind" {...select('kind')}>
          <option value="">Members and external</option>
          <option value="member">Members</option>
          <option value="external">External</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="member-mfa">Two-step</label>
        <select id="member-mfa" {...select('mfa')}>
          <option value="">Any state</option>
          {(['enrolled', 'not_enrolled', 'reset_pending'] as const).map((state) => (
            <option key={state} value={state}>
              {MFA_LABELS[state]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="member-role">Role</label>
        <select id="member-role" {...select('roleId')} disabled={!roles}>
          <option value="">Any role</option>
          {(roles ?? []).map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </select>
      </div>
      {any && (
        <button type="button" className="link clear-filters" onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
