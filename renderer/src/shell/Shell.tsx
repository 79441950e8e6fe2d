import { useEffect } from 'react';
import { BrandMark } from '../branding/BrandMark';
import { brandingStyle } from '../branding/branding-style';
import { useNavigation } from '../state/navigation';
import { useSession } from '../state/session';
import { SignOutLink } from '../screens/SignOutLink';
import { SCREENS } from './screens';
import { useIdleLock } from './use-idle-lock';

export function Shell() {
  const { user, rootGroupName, branding } = useSession();
  const current = useNavigation((s) => s.screen);
  const setCurrent = useNavigation((s) => s.go);
  useIdleLock();
  const screen = SCREENS.find((s) => s.id === current) ?? SCREENS[0];
  const Screen = screen?.component;
  const productName = branding?.productName || 'Steward';

  useEffect(() => {
    document.title = productName;
  }, [productName]);

  // Like the state it replaces, the choice lives as long as the shell: signing in again starts on the first screen.
  useEffect(() => () => setCurrent(null), [setCurrent]);

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
          <span data-testid="signed-in-user" title={user?.email}>
            {user?.fullName || user?.username}
          </span>
          <SignOutLink label="Sign out" />
        </div>
      </header>
      <nav className="shell-nav" aria-label="Main">
        <ul>
          {SCREENS.map((entry) => (
            <li key={entry.id}>
              <button type="button" aria-current={entry.id === screen?.id ? 'page' : undefined} onClick={() => setCurrent(entry.id)}>
                {entry.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="shell-main">{Screen && <Screen />}</main>
    </div>
  );
}
