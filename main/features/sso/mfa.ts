import type { SessionStage } from '../../../shared/contract';

/** RFC 8176 method values that prove something the person has, or is. */
const POSSESSION_OR_INHERENCE = new Set(['otp', 'hwk', 'swk', 'sms', 'tel', 'fpt', 'face', 'iris', 'retina', 'vbm', 'sc', 'pop']);
/** RFC 8176 values for something the person knows. */
const KNOWLEDGE = new Set(['pwd', 'pin', 'kba']);

/**
 * Whether the ID token's `amr` (RFC 8176) shows a multi-factor sign-in: `mfa` itself (what
 * Entra ID sends), or a factor the person knows together with one they have or are.
 */
export function providerDidMfa(amr: readonly string[]): boolean {
  if (amr.includes('mfa')) return true;
  return amr.some((m) => KNOWLEDGE.has(m)) && amr.some((m) => POSSESSION_OR_INHERENCE.has(m));
}

/**
 * The stage a sign-in through the provider leaves the session at (issue 14, "MFA with
 * SSO"). Steward's own authenticator step still applies (`mfa`, or `enroll` for someone who
 * has none yet) unless the company trusts its provider's MFA and this ID token shows it.
 */
export function stageAfterSso(options: { trustProviderMfa: boolean; amr: readonly string[]; hasAuthenticator: boolean }): SessionStage {
  if (options.trustProviderMfa && providerDidMfa(options.amr)) return 'active';
  return options.hasAuthenticator ? 'mfa' : 'enroll';
}
