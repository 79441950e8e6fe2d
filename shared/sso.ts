/**
 * Single sign-on presets (issue 14): what Steward fills in for Microsoft Entra ID and Google
 * Workspace, and what a generic OpenID Connect provider must be told. Pure data, used by the
 * contract, the server and the company's SSO tab alike.
 */
export const SSO_PRESETS = ['entra', 'google', 'generic'] as const;
export type SsoPreset = (typeof SSO_PRESETS)[number];

export interface PresetInfo {
  /** The button reads "Sign in with {label}". */
  label: string;
  /** What the issuer field shows until it is filled; `{tenant}` is the directory (tenant) id. */
  issuerHint: string;
  /** The issuer, when the preset fixes it. */
  fixedIssuer: string | null;
}

export const PRESET_INFO: Readonly<Record<SsoPreset, PresetInfo>> = {
  entra: {
    label: 'Microsoft',
    issuerHint: 'https://login.microsoftonline.com/{tenant}/v2.0',
    fixedIssuer: null,
  },
  google: { label: 'Google', issuerHint: 'https://accounts.google.com', fixedIssuer: 'https://accounts.google.com' },
  generic: { label: 'your provider', issuerHint: 'https://id.example.com', fixedIssuer: null },
};

/** The scopes Steward asks for: the subject, and the email that makes the first link. */
export const SSO_SCOPES = 'openid email profile';

/** "Sign in with Microsoft", or the name a generic provider was given. */
export function providerLabel(preset: SsoPreset, displayName: string | null): string {
  return preset === 'generic' ? displayName?.trim() || 'single sign-on' : PRESET_INFO[preset].label;
}

/** The domain of an email address, lower-cased; '' when it has none. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}
