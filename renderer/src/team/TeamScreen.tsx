import { useEffect, useState } from 'react';
import { useMatch, useParams, useSearchParams } from 'react-router';
import { useOp } from '../data/query';
import { navigateTo } from '../routes/navigate';
import { OPENED_FROM, PERSON_TABS, paths, type PersonTab } from '../routes/paths';
import { useMissingPermission } from '../state/missing-permission';
import { useGroups } from '../state/groups-store';
import { Tabs } from '../ui/Tabs';
import { CreateUserDialog } from './CreateUserDialog';
import { InvitationsTab } from './invitations/InvitationsTab';
import { InviteDialog } from './invitations/InviteDialog';
import { ownedCompanyId, useMe } from '../state/me-store';
import { MembersTab } from './members/MembersTab';
import { ActionButton } from '../ui/ActionButton';
import { TransferOwnershipDialog } from './parts/TransferOwnershipDialog';
import { useRoles } from './roles-store';
import { useTeam, type TeamTab } from './team-store';
import { UserPage, type MemberDevicesView } from './user/UserPage';
import './team.css';

const TABS = [
  { id: 'members', label: 'Members' },
  { id: 'invitations', label: 'Invitations' },
] as const satisfies ReadonlyArray<{ id: TeamTab; label: string }>;

type Open = 'create' | 'invite' | 'transfer' | null;

/**
 * Seeds 000, 002 and 004: the people of the organization, their invitations, and ownership.
 * `memberDevices` draws a member's devices on their page: the Devices feature's, handed over by
 * routes/router.tsx, since features do not import each other.
 */
export function TeamScreen({ memberDevices }: { memberDevices: MemberDevicesView }) {
  const { setTab, openUser, setNotice, setFilters } = useTeam();
  const groupFilter = useTeam((s) => s.filters.groupId);
  // The address says what is shown: `/team`, `/team/invitations` or `/team/people/<id>`.
  const { userId: openUserId = null, tab: openTab } = useParams();
  const personTab: PersonTab = (PERSON_TABS as readonly string[]).includes(openTab ?? '') ? (openTab as PersonTab) : 'overview';
  const tab: TeamTab = useMatch('/team/invitations') ? 'invitations' : 'members';
  const me = useMe((s) => s.me);
  const roles = useRoles((s) => s.roles);
  const model = useGroups((s) => s.model);
  const [open, setOpen] = useState<Open>(null);
  // Seed 002: "the Create user button is gray when your role lacks create_additional_users".
  const createLock = useMissingPermission('users.create', me?.homeGroupId);

  useEffect(() => {
    void useMe.getState().load();
    if (!useRoles.getState().roles) void useRoles.getState().load();
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  // Opened from a group's page (`/team?group=<id>`): the list narrows to that group, kept as an ordinary filter.
  const [params] = useSearchParams();
  const openedFrom = params.get(OPENED_FROM);
  useEffect(() => {
    if (!openedFrom) return;
    setFilters({ groupId: openedFrom });
    navigateTo(paths.team(), { replace: true });
  }, [openedFrom, setFilters]);

  // Invite and Create user start where the person is looking: the member's page open, else the group the list is narrowed to.
  const openMember = useOp('users.get', openUserId ? { id: openUserId } : null).data;
  const lookingAt = openUserId ? (openMember?.homeGroupId ?? null) : groupFilter;

  const companyId = ownedCompanyId(me, roles);
  const companyName = companyId ? (model?.nodes.get(companyId)?.group.name ?? '') : '';

  return (
    <div className="page team">
      <div className="page-head team-head">
        <h1>Team</h1>
        <div className="team-actions">
          <ActionButton quiet reason={createLock} onClick={() => setOpen('invite')}>
            Invite member…
          </ActionButton>
          <ActionButton quiet reason={createLock} onClick={() => setOpen('create')}>
            Create user…
          </ActionButton>
          {companyId && (
            <button type="button" onClick={() => setOpen('transfer')}>
              Transfer ownership…
            </button>
          )}
        </div>
      </div>
      {openUserId ? (
        <UserPage key={openUserId} userId={openUserId} tab={personTab} memberDevices={memberDevices} />
      ) : (
        <Tabs label="Team" tabs={TABS} current={tab} onChange={setTab}>
          {tab === 'members' ? (
            <MembersTab canCreate={createLock === null} onInvite={() => setOpen('invite')} onCreate={() => setOpen('create')} />
          ) : (
            <InvitationsTab onInvite={() => setOpen('invite')} />
          )}
        </Tabs>
      )}
      {open === 'create' && (
        <CreateUserDialog
          defaultGroupId={lookingAt}
          onClose={() => setOpen(null)}
          onCreated={(id) => {
            setOpen(null);
            openUser(id);
          }}
        />
      )}
      {open === 'invite' && <InviteDialog defaultGroupId={lookingAt} onClose={() => setOpen(null)} />}
      {open === 'transfer' && companyId && (
        <TransferOwnershipDialog
          companyId={companyId}
          companyName={companyName}
          onClose={() => setOpen(null)}
          onDone={(message) => {
            setOpen(null);
            void useMe.getState().load();
            openUser(null);
            setNotice(message);
          }}
        />
      )}
    </div>
  );
}
