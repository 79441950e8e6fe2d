import { z } from 'zod';
import { op } from './define';
import { SSO_PRESETS, type SsoPreset } from '../sso';
import type { StageAnswer } from './auth';
import { email, entityId, withoutInvisible } from './fields';

/** A company's OpenID Connect sign-in as its SSO tab shows it; the client secret is never sent back. */
export interface SsoConfigView {
  companyId: string;
  /** False until the company saves a configuration; the other fields then hold the defaults. */
  configured: boolean;
  preset: SsoPreset;
  /** A generic provider's name on the sign-in button. */
  displayName: string | null;
  issuer: string;
  clientId: string;
  /** True when a client secret is stored. */
  hasClientSecret: boolean;
  allowedDomains: string[];
  /** On: the company's people sign in only through the provider, its Owner excepted (break-glass). */
  enforced: boolean;
  /** On: the provider's MFA (the ID token's `amr` shows it) stands for Steward's authenticator code. */
  trustProviderMfa: boolean;
  /** 0 while not configured; what the next sso.configure passes as `baseVersion`. */
  version: number;
  /** Whoever keeps the password-and-code path while SSO is enforced: the company's Owner. */
  breakGlass: { userId: string; username: string } | null;
}

export type LockoutReason = 'not-linked' | 'domain-not-allowed';

export interface LockoutEntry {
  userId: string;
  username: string;
  fullName: string;
  email: string;
  reasons: LockoutReason[];
}

export interface SsoPreview {
  /** People of the company who could not sign in once SSO is enforced, by username. */
  lockedOut: LockoutEntry[];
  /** Locked-out people the caller may not see (R13): counted, not named. */
  hiddenCount: number;
  /** The Owner keeps the password path (break-glass) and is never locked out. */
  exempt: { userId: string; username: string } | null;
}

export interface SsoProviderOption {
  providerId: string;
  label: string;
}

/**
 * An email domain as typed: ASCII or Unicode (IDN), any case, perhaps a trailing dot. Its shape
 * only; the server turns it into its one IDNA ASCII spelling and refuses what is no domain (R28).
 */
const domain = withoutInvisible(z.string().trim().max(253, 'A domain is at most 253 characters'), 'A domain').regex(
  /^[^\s@/\\:?#%[\]]+\.[^\s@/\\:?#%[\]]+$/u,
  'Enter a domain such as example.com',
);

export const allowedDomains = z
  .array(domain)
  .min(1, 'Name at least one email domain whose people may sign in')
  .max(50, 'At most 50 domains');

const issuerUrl = z
  .string()
  .trim()
  .max(500, 'The issuer is at most 500 characters')
  .pipe(z.url({ protocol: /^https?$/, message: 'The issuer is an https:// address' }));

/** Version of the SSO configuration an edit started from; 0 when there was none yet. */
const ssoBaseVersion = z.number().int('Base version must be a whole number').min(0, 'Base version must be 0 or more');

const companyRef = z.object({ companyId: entityId }).strict();

export const ssoContract = {
  'sso.get': op<SsoConfigView>()({ input: companyRef, audience: ['active'], kind: 'query', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  'sso.configure': op<SsoConfigView>()({
    input: z
      .object({
        companyId: entityId,
        baseVersion: ssoBaseVersion,
        preset: z.enum(SSO_PRESETS),
        displayName: z.string().trim().max(60, 'The name is at most 60 characters').optional(),
        issuer: issuerUrl,
        clientId: z.string().trim().min(1, 'The client id is required').max(200),
        /** Omit to keep the stored secret; '' clears it. */
        clientSecret: z.string().max(500).optional(),
        allowedDomains,
        enforced: z.boolean(),
        trustProviderMfa: z.boolean(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['clientSecret'],
    errors: ['NOT_FOUND', 'FORBIDDEN', 'VALIDATION', 'CONFLICT'],
  }),
  'sso.remove': op<{ removed: true }>()({
    input: z.object({ companyId: entityId, baseVersion: ssoBaseVersion }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  'sso.preview': op<SsoPreview>()({
    input: z.object({ companyId: entityId, allowedDomains }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  /** The sign-in page: which provider signs in people of this email's domain (none when no company claims it). */
  'auth.ssoOptions': op<{ providers: SsoProviderOption[] }>()({
    input: z.object({ email }).strict(),
    audience: 'public',
    kind: 'query',
    errors: [],
  }),
  /**
   * Starts a sign-in at the company's provider (authorization code with PKCE, state and nonce).
   * Called by a transport: the web server's /sso/start, or the desktop's loopback listener
   * (RFC 8252). `binding` is a digest of a value only the starting browser holds.
   */
  'auth.ssoBegin': op<{ authorizationUrl: string }>()({
    input: z
      .object({
        providerId: entityId,
        redirectUri: z
          .string()
          .max(500)
          .pipe(z.url({ protocol: /^https?$/ })),
        binding: z.string().max(128).optional(),
      })
      .strict(),
    audience: 'public',
    kind: 'command',
    errors: ['NOT_FOUND', 'SSO_FAILED', 'SETUP_REQUIRED'],
  }),
  /** Finishes it: the provider's redirect back, with its code and state. */
  'auth.ssoComplete': op<StageAnswer>()({
    input: z
      .object({
        callbackUrl: z
          .string()
          .max(4000)
          .pipe(z.url({ protocol: /^https?$/ })),
        binding: z.string().max(128).optional(),
      })
      .strict(),
    audience: 'public',
    kind: 'command',
    // The callback carries the authorization code.
    secrets: ['callbackUrl'],
    errors: ['SSO_FAILED', 'FORBIDDEN'],
  }),
} as const;
