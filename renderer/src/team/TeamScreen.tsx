import { useEffect, useState } from 'react';
import { useMatch, useParams } from 'react-router';
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
  const { setTab, openUser, setNotice } = useTeam();
  // The address says what is shown: `/team`, `/team/invitations` or `/team/people/<id>`.
  const openUserId = useParams().userId ?? null;
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
        <UserPage key={openUserId} userId={openUserId} memberDevices={memberDevices} />
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
          onClose={() => setOpen(null)}
          onCreated={(id) => {
            setOpen(null);
            openUser(id);
          }}
        />
      )}
      {open === 'invite' && <InviteDialog onClose={() => setOpen(null)} />}
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
