import { useEffect, useState, type ComponentType } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { navigateTo } from '../../routes/navigate';
import { paths, type PersonTab } from '../../routes/paths';
import { Tabs, type TabSpec } from '../../ui/Tabs';
import { useGroups } from '../../state/groups-store';
import { useSession } from '../../state/session';
import { FormError } from '../../ui/FormError';
import { useFocusOnShow, useReturnFocus } from '../../ui/focus';
import { KIND_LABELS } from '../../ui/format';
import { ownedCompanyId, useMe } from '../../state/me-store';
import { ActionButton } from '../../ui/ActionButton';
import { RoleBadges } from '../parts/RoleBadges';
import { useRoles } from '../roles-store';
import { useTeam } from '../team-store';
import { ActivitySection } from './ActivitySection';
import { DepartmentsSection } from './DepartmentsSection';
import { DetailsSection } from './DetailsSection';
import { LoginStatusSection } from './LoginStatusSection';
import { OwnershipSection, type OwnershipMode } from './OwnershipSection';
import { isCompanyKind } from '../../../../shared/access/groups';
import type { TreeModel } from '../../state/tree-model';
import { RemoveUserDialog } from './RemoveUserDialog';
import { RolesSection } from './RolesSection';
import { SecuritySection } from './SecuritySection';
import { SessionsSection } from './SessionsSection';
import { useUser } from './use-user';

/** The tabs of a person's page (issue 15), each with its own address (`/team/people/<id>/<tab>`). */
const PERSON_TAB_SPECS: ReadonlyArray<TabSpec<PersonTab>> = [
  { id: 'overview', label: 'Overview' },
  { id: 'roles', label: 'Roles' },
  { id: 'devices', label: 'Devices' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'activity', label: 'Activity' },
];

/** The devices part of a member's page, drawn by the Devices feature (see TeamScreen). */
export type MemberDevicesView = ComponentType<{ user: Pick<UserDetail, 'id' | 'username' | 'fullName'> }>;

/**
 * One member, as tabs: Overview (details, login, password and two-step, ownership, removal),
 * Roles (and departments), Devices, Sessions and Activity.
 */
export function UserPage({
  userId,
  tab,
  memberDevices: MemberDevices,
}: {
  userId: string;
  tab: PersonTab;
  memberDevices: MemberDevicesView;
}) {
  const { user, error, loading, reload } = useUser(userId);
  const openUser = useTeam((s) => s.openUser);
  const setNotice = useTeam((s) => s.setNotice);
  const me = useMe((s) => s.me);
  const roles = useRoles((s) => s.roles);
  const model = useGroups((s) => s.model);
  const myId = useSession((s) => s.user?.id);
  const [saved, setSaved] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [revision, setRevision] = useState(0);
  // Opened from the members grid, whose link is gone with the grid: the page's title takes focus, and going back
  // to the members gives it to this member's link once the grid is drawn again.
  const titleRef = useFocusOnShow<HTMLHeadingElement>(user !== null, userId);
  useReturnFocus(userId, `.member-link[data-user-id="${CSS.escape(userId)}"]`);

  useEffect(() => {
    if (!useMe.getState().me) void useMe.getState().load();
    if (!useRoles.getState().roles) void useRoles.getState().load();
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  function onSaved(message: string) {
    setSaved(message);
    setRevision((r) => r + 1);
    reload();
  }

  // After a save refused as made from a stale copy: the sections are keyed by the member's version, so they start again from the new one.
  function onReload() {
    setSaved(null);
    reload();
  }

  const companyId = ownedCompanyId(me, roles);
  const companyName = companyId
    ? (model?.nodes.get(companyId)?.group.name ?? me?.bindings.find((b) => b.groupId === companyId)?.groupName ?? '')
    : '';
  const back = (
    <button type="button" className="link back-link" onClick={() => openUser(null)}>
      ‹ Back to members
    </button>
  );

  if (!user) {
    return (
      <div className="user-page">
        {back}
        {error ? <FormError message={error} /> : <p className="loading">Loading member…</p>}
      </div>
    );
  }

  const name = user.fullName || user.username;
  const ownership = ownershipMode(model, companyId, companyName, user.homeGroupId);
  return (
    <div className={`user-page${loading ? ' stale' : ''}`} key={user.id}>
      {back}
      <header className="user-header">
        <h2 className="user-title" ref={titleRef} tabIndex={-1}>
          {name}
        </h2>
        <p className="user-facts">
          {user.username} · {user.email} · {KIND_LABELS[user.kind]} · home group {user.homeGroupName}
          {user.protected && <span className="tag">First admin</span>}
          {user.status === 'disabled' && <span className="status-pill off">Login off</span>}
        </p>
        <RoleBadges user={user} />
      </header>
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      <Tabs label={`About ${name}`} tabs={PERSON_TAB_SPECS} current={tab} onChange={(next) => navigateTo(paths.person(user.id, next))}>
        <div className="user-sections">
          {tab === 'overview' && (
            <>
              <DetailsSection key={`details-${revision}-${user.version}`} user={user} onSaved={onSaved} onReload={onReload} />
              <LoginStatusSection user={user} onSaved={onSaved} />
              <SecuritySection user={user} onSaved={onSaved} />
              {ownership && user.id !== myId && roles && (
                <OwnershipSection
                  user={user}
                  mode={ownership}
                  roles={roles}
                  onDone={(message) => {
                    void useMe.getState().load();
                    onSaved(message);
                  }}
                />
              )}
              <section className="panel user-section" aria-labelledby="user-remove">
                <h2 id="user-remove">Remove</h2>
                <p className="muted">
                  Removing {name} revokes their access and deletes the account. Devices assigned to them ({user.deviceCount}) stay backed up
                  and can be reassigned.
                </p>
                <ActionButton
                  className="danger-outline"
                  reason={user.can.remove ? null : (user.can.reasons.remove ?? 'You cannot remove this member')}
                  onClick={() => setRemoving(true)}
                >
                  Remove {name}…
                </ActionButton>
              </section>
            </>
          )}
          {tab === 'roles' && (
            <>
              <RolesSection key={`roles-${user.version}`} user={user} onSaved={onSaved} onReload={onReload} />
              <DepartmentsSection
                key={`departments-${user.version}-${user.departments.map((d) => d.groupId).join(',')}`}
                user={user}
                onSaved={onSaved}
                onReload={onReload}
              />
            </>
          )}
          {tab === 'devices' && <MemberDevices user={user} />}
          {tab === 'sessions' && <SessionsSection user={user} onSaved={onSaved} />}
          {tab === 'activity' && <ActivitySection userId={user.id} />}
        </div>
      </Tabs>
      {removing && (
        <RemoveUserDialog
          user={user}
          onClose={() => setRemoving(false)}
          onDone={(message) => {
            setRemoving(false);
            openUser(null);
            setNotice(message);
          }}
        />
      )}
    </div>
  );
}

/**
 * The member's company is the nearest company at or above their home group. The signed-in
 * Owner transfers their own company, or assigns the Owner of a company below it (R10).
 */
function ownershipMode(model: TreeModel | null, ownedId: string | null, ownedName: string, homeGroupId: string): OwnershipMode | null {
  if (!ownedId) return null;
  if (!model) return { kind: 'transfer', companyId: ownedId, companyName: ownedName };
  let companyId: string | null = null;
  for (let id: string | null = homeGroupId; id; id = model.nodes.get(id)?.parentId ?? null) {
    const node = model.nodes.get(id);
    if (!node) break;
    if (!companyId && isCompanyKind(node.group.kind)) companyId = id;
    if (id === ownedId) {
      if (companyId === ownedId || !companyId) return { kind: 'transfer', companyId: ownedId, companyName: ownedName };
      return { kind: 'assign', companyId, companyName: model.nodes.get(companyId)?.group.name ?? '', aboveName: ownedName };
    }
  }
  // A member outside the Owner's company: the transfer dialog explains who may take it over.
  return { kind: 'transfer', companyId: ownedId, companyName: ownedName };
}
