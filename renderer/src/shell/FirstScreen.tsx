import { Link, Navigate } from 'react-router';
import { useScreens } from './screens';

/** The console's bare address opens the first screen the person may use. */
export function FirstScreen() {
  const screens = useScreens();
  const first = screens?.[0];
  if (!first) return null;
  return <Navigate to={`/${first.id}`} replace />;
}

/** An address the console does not know (a mistyped or outdated link). */
export function NotFound() {
  return (
    <div className="page">
      <h1>Nothing at this address</h1>
      <p>This link does not lead to a screen of the console. It may be mistyped, or from another version.</p>
      <Link to="/">Go to the first screen</Link>
    </div>
  );
}
