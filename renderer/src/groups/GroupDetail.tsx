import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { isCompanyKind, KIND_LABELS, nestingProblem } from '../../../shared/access/groups';
import type { GroupDetail } from '../../../shared/contract';
import { refreshSessionBranding } from '../state/refresh-branding';
import { paths } from '../routes/paths';
import { useScreens } from '../shell/screens';
import { useSelectedGroupId } from '../state/customer-tree';
import { FormError } from '../ui/FormError';
import { KeepsFocus } from '../ui/KeepsFocus';
import { Tabs, type TabSpec } from '../ui/Tabs';
import { Breadcrumb } from './Breadcrumb';
import type { GroupDialogState } from './dialogs/group-dialog';
import { useGroups } from '../state/groups-store';
import { KindIcon } from '../ui/KindIcon';
import { SyncedMarker } from '../ui/SyncedMarker';
import { revealGroup } from './reveal';
import { ActivitiesTab } from './tabs/ActivitiesTab';
import { BrandingTab } from './tabs/BrandingTab';
import { ContactsTab } from './tabs/ContactsTab';
import { DirectoryTab } from './tabs/DirectoryTab';
import { ModulesTab } from './tabs/ModulesTab';
import { ProfileTab } from './tabs/ProfileTab';
import { SsoTab } from './tabs/SsoTab';
import type { SaveEffects, TabProps } from './tabs/tab-props';
import { useGroupDetail } from './use-group-detail';

type TabId = 'profile' | 'contacts' | 'activities' | 'branding' | 'modules' | 'sso' | 'directory';

const TABS: readonly TabSpec<TabId>[] = [
  { id: 'profile', label: 'Profile' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'activities', label: 'Activities' },
  { id: 'branding', label: 'Branding' },
  { id: 'modules', label: 'Modules' },
  { id: 'sso', label: 'SSO' },
  { id: 'directory', label: 'Departments' },
];

const COMPANY_TABS: readonly TabId[] = ['contacts', 'activities', 'branding', 'sso', 'directory'];

const PANELS: Record<TabId, (props: TabProps) => ReactNode> = {
  profile: ProfileTab,
  contacts: ContactsTab,
  activities: ActivitiesTab,
  branding: BrandingTab,
  modules: ModulesTab,
  sso: SsoTab,
  directory: DirectoryTab,
};

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function GroupDetailPanel({ onDialog }: { onDialog: (dialog: GroupDialogState) => void }) {
  const selectedId = useSelectedGroupId();
  const { detail: loaded, previous, error, loading, version, reload } = useGroupDetail(selectedId);
  const detail = loaded ?? (loading ? previous : null);
  const stale = loaded === null && detail !== null;
  const [tab, setTab] = useState<TabId>('profile');
  const [notice, setNotice] = useState<{ groupId: string; text: string } | null>(null);

  if (!selectedId) {
    return (
      <section className="detail detail-empty">
        <p>Select a group in the tree to see its profile, contacts, activities, branding and modules.</p>
      </section>
    );
  }
  if (!detail) {
    return (
      <section className="detail detail-empty" aria-busy={loading}>
        {loading ? (
          <p className="loading">Loading the group…</p>
        ) : (
          <FormError
            message={error?.code === 'NOT_FOUND' ? 'This group no longer exists, or you may no longer see it.' : (error?.message ?? null)}
          />
        )}
      </section>
    );
  }

  function onSaved(text: string, effects?: SaveEffects) {
    if (!detail || stale) return;
    setNotice({ groupId: detail.id, text });
    if (effects?.branding) void refreshSessionBranding();
  }

  function onReload() {
    setNotice(null);
    reload();
    void useGroups.getState().load();
  }

  // Finding 6: the company tabs are company.view's; without it only the profile (which says so) and modules remain.
  // Single sign-on is set per company, never for a location or department; the directory sync at a
  // customer, the one kind of company departments sit in.
  const tabs = (detail.visible.company ? TABS : TABS.filter((t) => !COMPANY_TABS.includes(t.id))).filter((t) =>
    t.id === 'sso'
      ? isCompanyKind(detail.kind)
      : t.id === 'directory'
        ? isCompanyKind(detail.kind) && !nestingProblem(detail.kind, 'department')
        : true,
  );
  const shown = tabs.some((t) => t.id === tab) ? tab : 'profile';
  const Panel = PANELS[shown];
  return (
    <section className={`detail${stale ? ' stale' : ''}`} aria-labelledby="group-detail-title" aria-busy={loading} inert={stale}>
      <Breadcrumb path={detail.path} onPick={revealGroup} />
      <DetailHeader detail={detail} onDialog={onDialog} />
      {notice?.groupId === detail.id && (
        <p className="success" role="status">
          {notice.text}
        </p>
      )}
      <Tabs
        label={`About ${detail.name}`}
        tabs={tabs}
        current={shown}
        onChange={(next) => {
          setTab(next);
          setNotice(null);
        }}
      >
        <KeepsFocus version={version}>
          <Panel key={version} detail={detail} onSaved={onSaved} onReload={onReload} />
        </KeepsFocus>
      </Tabs>
    </section>
  );
}

function DetailHeader({ detail, onDialog }: { detail: GroupDetail; onDialog: (dialog: GroupDialogState) => void }) {
  const { can } = detail;
  const node = useGroups((s) => s.model?.nodes.get(detail.id));
  const screens = new Set((useScreens() ?? []).map((entry) => entry.id));
  // What lives here and below, each with the list it opens (null when the person may not count it here).
  const tallies: Array<Omit<HereAndInsideProps, 'hasInside'>> = [
    detail.userCount === null
      ? null
      : {
          here: detail.userCount,
          inside: node?.userTotal ?? null,
          one: 'person homed',
          many: 'people homed',
          list: screens.has('team') ? paths.teamIn(detail.id) : null,
          listName: `Members of ${detail.name}`,
        },
    detail.deviceCount === null
      ? null
      : {
          here: detail.deviceCount,
          inside: node?.deviceTotal ?? null,
          one: 'device',
          many: 'devices',
          list: screens.has('devices') ? paths.devicesIn(detail.id) : null,
          listName: `Devices of ${detail.name}`,
        },
  ].filter((tally) => tally !== null);
  const firstKind = detail.allowedChildKinds[0];
  return (
    <>
      <div className="detail-header">
        <div className="detail-title">
          <KindIcon kind={detail.kind} />
          <h2 id="group-detail-title">{detail.name}</h2>
          {detail.synced && <SyncedMarker source={detail.synced.source} locked={detail.synced.locked} />}
          <span className="tag">{KIND_LABELS[detail.kind]}</span>
        </div>
        <div className="detail-actions">
          {can.createChild && firstKind && (
            <button type="button" onClick={() => onDialog({ type: 'add', parent: detail, kind: firstKind })}>
              Add group…
            </button>
          )}
          {can.move && (
            <button type="button" onClick={() => onDialog({ type: 'move', group: detail })}>
              Move…
            </button>
          )}
          {can.remove && (
            <button type="button" className="danger-outline" onClick={() => onDialog({ type: 'remove', group: detail })}>
              Remove…
            </button>
          )}
        </div>
      </div>
      {detail.synced?.locked && (
        <p className="notice" data-testid="synced-notice">
          Synced from {detail.synced.source}. While the directory sync is on, its name, place and members follow the directory: change them
          there, or turn the sync off on the company’s Departments tab.
        </p>
      )}
      <p className="detail-facts" data-testid="group-counts">
        {count(detail.childCount, 'group', 'groups')} directly inside
        {tallies.map((tally) => (
          <span key={tally.one}>
            {' · '}
            <HereAndInside {...tally} hasInside={detail.childCount > 0} />
          </span>
        ))}
        {detail.serviceType && <> · {detail.serviceType}</>}
        {detail.seatLimit !== null && <> · {count(detail.seatLimit, 'seat', 'seats')} in all</>}
        {screens.has('roles') && (
          <>
            {' · '}
            <Link to={paths.rolesFor(detail.id)}>Roles for {detail.name}</Link>
          </>
        )}
      </p>
      {detail.childCount === 0 && can.createChild && firstKind && (
        <p className="notice">
          Nothing inside {detail.name} yet. Use <strong>Add group…</strong> (or right-click it in the tree) to add a{' '}
          {orList(detail.allowedChildKinds.map((k) => KIND_LABELS[k].toLowerCase()))}.
        </p>
      )}
    </>
  );
}

interface HereAndInsideProps {
  here: number;
  /** The total with the groups inside, as the tree counts it; null when the tree has not loaded. */
  inside: number | null;
  hasInside: boolean;
  one: string;
  many: string;
  /** The list the subtree's count opens (Team or Devices narrowed to this group), when the person may open it. */
  list: string | null;
  listName: string;
}

/**
 * A count that says what it counts (issue 15, finding 15): "344 devices here, 1,028 with the
 * groups inside". The second number is the tree's, and the list it opens counts the same.
 */
function HereAndInside({ here, inside, hasInside, one, many, list, listName }: HereAndInsideProps) {
  const total = hasInside ? inside : here;
  const totalText = hasInside ? `${(inside ?? 0).toLocaleString()} with the groups inside` : null;
  const linked = (text: string) =>
    list ? (
      <Link to={list} title={listName}>
        {text}
      </Link>
    ) : (
      text
    );
  return (
    <span className="here-and-inside">
      {hasInside ? `${count(here, one, many)} here` : linked(`${count(here, one, many)} here`)}
      {hasInside && total !== null && totalText && <>, {linked(totalText)}</>}
    </span>
  );
}

function orList(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
