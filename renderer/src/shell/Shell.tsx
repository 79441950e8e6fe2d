import { useEffect } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { BrandMark } from '../ui/BrandMark';
import { brandingStyle } from '../ui/branding-style';
import { useMyAccess } from '../state/my-access';
import { screenOf } from '../routes/paths';
import { useSession } from '../state/session';
import { SignOutLink } from '../screens/SignOutLink';
import { SCREENS, useScreens } from './screens';
import { SyncAsOf, SyncChip } from '../sync/SyncChip';
import { useSyncStatus } from '../sync/use-sync-status';
import { useIdleLock } from './use-idle-lock';

export function Shell() {
  const { user, rootGroupName, placeName, branding } = useSession();
  const screens = useScreens();
  const { pathname } = useLocation();
  const current = screenOf(pathname);
  useIdleLock();
  const sync = useSyncStatus();
  const productName = branding?.productName || 'Steward';

  useEffect(() => {
    document.title = productName;
  }, [productName]);

  // Roles can change while the console is open: each screen change reads the person's access again.
  useEffect(() => {
    void useMyAccess.getState().load();
  }, [current]);

  // A known screen the person may not use says so, rather than showing a screen whose every call is refused.
  const known = SCREENS.some((s) => s.id === current);
  const allowed = !known || screens === null || screens.some((s) => s.id === current);

  return (
    <div className={`shell${branding?.primaryColor ? ' shell-branded' : ''}`} style={brandingStyle(branding)}>
      <a className="skip-link" href="#main-content" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="shell-header">
        <div className="shell-brand">
          <BrandMark productName={productName} logo={branding?.logo ?? null} testId="product-name" />
          {/* Never a group above the person's reach: a customer's people see their customer, not the provider. */}
          <span className="root-group" data-testid="root-group">
            {placeName ?? rootGroupName}
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
          {(screens ?? []).map((entry) => (
            <li key={entry.id}>
              {/* `end` is off: a device's or a person's address keeps its screen marked current. */}
              <NavLink to={`/${entry.id}`} aria-current={entry.id === current ? 'page' : undefined}>
                {entry.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="shell-main" id="main-content" tabIndex={-1}>
        {screens === null ? (
          <p className="loading">Loading…</p>
        ) : allowed ? (
          <Outlet />
        ) : (
          <div className="page">
            <h1>You cannot open this screen</h1>
            <p>Your roles do not include the permission this screen needs. Ask an administrator if you need it.</p>
          </div>
        )}
      </main>
    </div>
  );
}

/** The skip link moves focus, not only the scroll position: the hash is the router's, so the browser's own jump cannot be used. */
function skipToMain(event: React.MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main-content')?.focus();
}
