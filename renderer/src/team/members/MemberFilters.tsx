import { useEffect } from 'react';
import type { UserFacets } from '../../../../shared/contract';
import { MFA_STATES, USER_KINDS, USER_STATUSES } from '../../../../shared/contract';
import { useOp } from '../../data/query';
import { GroupFilter } from '../../ui/GroupFilter';
import { countedOptions, FacetSelect } from '../../ui/FacetSelect';
import { SearchFilter } from '../../ui/SearchFilter';
import { KIND_LABELS, MFA_LABELS, STATUS_LABELS } from '../../ui/format';
import { useRoles } from '../roles-store';
import { NO_FILTERS, useTeam } from '../team-store';
import { useDebounced } from '../../ui/use-debounced';
import { toUserFilter } from './use-members';

/**
 * The filters of the members list; each is a WHERE clause on the server, never a filter over the
 * page shown. Status, kind, two-step and role take several values, each counted with the other
 * filters applied (users.facets; issue 15, finding 6).
 */
export function MemberFilters() {
  const filters = useTeam((s) => s.filters);
  const setFilters = useTeam((s) => s.setFilters);
  const roles = useRoles((s) => s.roles);
  const any = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const query = useDebounced(filters.query.trim(), 250);
  const facets: UserFacets | undefined = useOp('users.facets', { filter: toUserFilter(filters, query) }, { keepPrevious: true }).data;

  useEffect(() => {
    if (!useRoles.getState().roles) void useRoles.getState().load();
  }, []);

  const roleOptions = (roles ?? []).map((role) => ({
    value: role.id,
    label: role.name,
    count: facets ? (facets.roles.find((f) => f.value === role.id)?.count ?? 0) : null,
  }));

  return (
    <div className="member-filters" role="search" aria-label="Filter members">
      <SearchFilter
        label="Search"
        className="filter-search"
        placeholder="Username, name, email or company"
        value={filters.query}
        onChange={(text) => setFilters({ query: text })}
      />
      <FacetSelect
        label="Status"
        anyText="Any status"
        options={countedOptions(USER_STATUSES, STATUS_LABELS, facets?.statuses)}
        chosen={filters.statuses}
        onChange={(statuses) => setFilters({ statuses })}
      />
      <FacetSelect
        label="Kind"
        anyText="Members and external"
        options={countedOptions(USER_KINDS, KIND_LABELS, facets?.kinds)}
        chosen={filters.kinds}
        onChange={(kinds) => setFilters({ kinds })}
      />
      <FacetSelect
        label="Two-step"
        anyText="Any state"
        options={countedOptions(MFA_STATES, MFA_LABELS, facets?.mfa)}
        chosen={filters.mfa}
        onChange={(mfa) => setFilters({ mfa })}
      />
      <FacetSelect
        label="Role"
        anyText="Any role"
        options={roleOptions}
        chosen={filters.roleIds}
        onChange={(roleIds) => setFilters({ roleIds })}
      />
      <GroupFilter
        groupId={filters.groupId}
        onChange={(groupId) => setFilters({ groupId })}
        testId="member-group-filter"
        title="Filter members by group"
        description="People homed in the group you pick or in any group inside it."
      />
      {any && (
        <button type="button" className="link clear-filters" onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
