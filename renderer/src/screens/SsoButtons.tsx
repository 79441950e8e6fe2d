import { useEffect, useState } from 'react';
import type { SsoProviderOption, StageAnswer } from '../../../shared/contract';
import { invoke } from '../api/client';
import { FormError } from '../ui/FormError';
import '../ui/sso.css';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A refusal the web server's /sso/callback sent back in the address (`?sso_error=`). */
function redirectError(): string | null {
  return new URLSearchParams(window.location.search).get('sso_error');
}

/** Takes the refusal out of the address once shown, so a reload does not show it again. */
function forgetRedirectError(): void {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('sso_error')) return;
  params.delete('sso_error');
  const rest = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
}

/**
 * Issue 14: "Sign in with Microsoft" (or Google, or the company's provider) for the company
 * that signs in the typed email's domain. The web console goes to the provider by redirect;
 * the desktop app opens the system browser and waits for it (RFC 8252).
 */
export function SsoButtons({ login, onSignedIn }: { login: string; onSignedIn: (answer: StageAnswer) => void }) {
  // Kept with the email they were found for, so an edited email shows no stale button.
  const [found, setFound] = useState<{ email: string; providers: SsoProviderOption[] }>({ email: '', providers: [] });
  const [error, setError] = useState<string | null>(redirectError);
  useEffect(forgetRedirectError, []);
  const [waiting, setWaiting] = useState(false);
  const email = login.trim();
  const providers = found.email === email ? found.providers : [];

  useEffect(() => {
    if (!EMAIL.test(email)) return;
    let live = true;
    const timer = setTimeout(() => {
      void invoke('auth.ssoOptions', { email }).then((result) => {
        if (live) setFound({ email, providers: result.ok ? result.value.providers : [] });
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [email]);

  async function signIn(provider: SsoProviderOption) {
    setError(null);
    const bridge = window.steward;
    if (!bridge) {
      window.location.assign(`/sso/start?provider=${encodeURIComponent(provider.providerId)}`);
      return;
    }
    setWaiting(true);
    try {
      const result = await bridge.signInWithProvider(provider.providerId);
      if (result.ok) onSignedIn(result.value as StageAnswer);
      else setError(result.error.message);
    } finally {
      setWaiting(false);
    }
  }

  return (
    <div className="sso-buttons">
      <FormError message={error} />
      {providers.map((p) => (
        <button key={p.providerId} type="button" className="primary sso-button" disabled={waiting} onClick={() => void signIn(p)}>
          Sign in with {p.label}
        </button>
      ))}
      {waiting && (
        <p className="muted" role="status">
          Finish signing in in your browser, then come back here.
        </p>
      )}
      {providers.length > 0 && <p className="muted sso-or">or with your password:</p>}
    </div>
  );
}
