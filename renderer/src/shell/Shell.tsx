import { useEffect } from 'react';
import { holdsAnywhere } from '../access/missing-permission';
import { useMyAccess } from '../access/my-access';
import { BrandMark } from '../branding/BrandMark';
import { brandingStyle } from '../branding/branding-style';
import { useNavigation } from '../state/navigation';
import { useSession } from '../state/session';
import { SignOutLink } from '../screens/SignOutLink';
import { SCREENS } from './screens';
import { SyncAsOf, SyncChip } from '../sync/SyncChip';
import { useSyncStatus } from '../sync/use-sync-status';
import { useIdleLock } from './use-idle-lock';

export function Shell() {
  const { user, rootGroupName, branding } = useSession();
  const current = useNavigation((s) => s.screen);
  const setCurrent = useNavigation((s) => s.go);
  const access = useMyAccess((s) => s.access);
  const accessError = useMyAccess((s) => s.error);
  useIdleLock();
  const sync = useSyncStatus();
  // A screen whose permission the person holds nowhere is not offered; if their access cannot be read, every screen is (the server still refuses).
  const known = access !== null || accessError !== null;
  const screens = known ? SCREENS.filter((s) => !s.requires || !access || holdsAnywhere(access, s.requires)) : [];
  const screen = screens.find((s) => s.id === current) ?? screens[0];
  const Screen = screen?.component;
  const productName = branding?.productName || 'Steward';

  useEffect(() => {
    document.title = productName;
  }, [productName]);

  // Like the state it replaces, the choice lives as long as the shell: signing in again starts on the first screen.
  useEffect(() => () => setCurrent(null), [setCurrent]);

  // Roles can change while the console is open: each screen change reads the person's access again.
  useEffect(() => {
    void useMyAccess.getState().load();
  }, [current]);

  return (
    <div className={`shell${branding?.primaryColor ? ' shell-branded' : ''}`} style={brandingStyle(branding)}>
      <header className="shell-header">
        <div className="shell-brand">
          <BrandMark productName={productName} logo={branding?.logo ?? null} testId="product-name" />
          <span className="root-group" data-testid="root-group">
            {rootGroupName}
          </span>
        </div>
        <div className="shell-user">
          <SyncChip status={sync.status} refresh={sync.refresh} />
          <span data-testid="signed-in-user" title={user?.email}>
            {user?.fullName || user?.username}
          </span>
          <SignOutLink label="Sign out" />
        </div>
      </header>
      <SyncAsOf status={sync.status} />
      <nav className="shell-nav" aria-label="Main">
        <ul>
          {screens.map((entry) => (
            <li key={entry.id}>
              <button type="button" aria-current={entry.id === screen?.id ? 'page' : undefined} onClick={() => setCurrent(entry.id)}>
                {entry.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="shell-main">{known ? Screen && <Screen /> : <p className="loading">Loading…</p>}</main>
    </div>
  );
}
