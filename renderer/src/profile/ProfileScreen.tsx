import { useSession } from '../state/session';
import { ChangePassword } from './ChangePassword';
import { NotificationsSection } from './NotificationsSection';
import { TwoStepSection } from './TwoStepSection';
import './profile.css';

/** The signed-in person's own page: who they are, their password, their authenticator and their email notifications. */
export function ProfileScreen() {
  const user = useSession((s) => s.user);
  return (
    <div className="page profile">
      <h1>Profile</h1>
      <section className="panel" aria-labelledby="who">
        <h2 id="who">Signed in as</h2>
        <dl className="facts">
          <dt>Username</dt>
          <dd>{user?.username}</dd>
          <dt>Full name</dt>
          <dd>{user?.fullName}</dd>
          <dt>Email</dt>
          <dd>{user?.email}</dd>
        </dl>
      </section>
      <ChangePassword />
      <TwoStepSection />
      <NotificationsSection />
    </div>
  );
}
