import { z } from 'zod';
import { op } from './define';
import type { EffectiveBranding } from './groups';
import { email, fullName, groupName, login, newPassword, password, recoveryCode, setupCode, totpCode, username } from './fields';

export interface SessionUser {
  id: string;
  username: string;
  fullName: string;
  email: string;
}

export type SessionStage = 'enroll' | 'mfa' | 'active';

export interface AuthStatus {
  /** True until the first account exists: the console shows the setup screen. */
  setupRequired: boolean;
  /**
   * While setup is required: true when this caller must give the one-time setup code (R35),
   * which a hub prints when it starts and keeps in the file `setup-code` in its data folder.
   */
  setupCodeRequired: boolean;
  /** The provider's name: the installation's, shown before anyone signs in. */
  rootGroupName: string | null;
  /**
   * For an active session, the highest group on the person's home path that they may see (issue 15,
   * finding 4): what the console's header names instead of the provider, so nobody is shown a group above their reach.
   */
  placeName: string | null;
  session: { stage: SessionStage; user: SessionUser } | null;
  /** Idle minutes after which a session locks. */
  idleTimeoutMinutes: number;
  /** The branding of the signed-in user's home group (or its nearest branded ancestor). */
  branding: EffectiveBranding | null;
}

export interface StageAnswer {
  stage: SessionStage;
  user: SessionUser;
}

export interface Enrollment {
  /** The key in base32, for typing into an authenticator by hand. */
  secret: string;
  otpauthUri: string;
  /** The same URI as a QR code, an SVG document. */
  qrSvg: string;
}

export interface EnrollmentDone extends StageAnswer {
  /** Ten single-use recovery codes, shown once and never again. */
  recoveryCodes: string[];
}

const empty = z.object({}).strict();

/** What a person is told when their session has ended (SESSION_EXPIRED), whichever call or status read notices it. */
export const SESSION_ENDED_MESSAGE = 'Your session has ended. Sign in again.';

export const authContract = {
  'auth.status': op<AuthStatus>()({ input: empty, audience: 'public', kind: 'query', errors: [] }),
  'auth.setup': op<StageAnswer>()({
    input: z
      .object({
        rootGroupName: groupName,
        username,
        email,
        fullName,
        password: newPassword,
        /** The hub's one-time setup code (R35); needed where auth.status says setupCodeRequired. */
        setupCode: setupCode.optional(),
      })
      .strict(),
    audience: 'public',
    kind: 'command',
    secrets: ['password', 'setupCode'],
    errors: ['SETUP_DONE', 'WEAK_PASSWORD', 'VALIDATION', 'FORBIDDEN', 'THROTTLED'],
  }),
  'auth.signIn': op<StageAnswer>()({
    input: z.object({ login, password }).strict(),
    audience: 'public',
    kind: 'command',
    // A login may be a password typed in the wrong field (the audit keeps mistyped logins only keyed, R19).
    secrets: ['login', 'password'],
    errors: ['SETUP_REQUIRED', 'INVALID_CREDENTIALS', 'THROTTLED', 'FORBIDDEN', 'SSO_REQUIRED'],
  }),
  'auth.verifyCode': op<StageAnswer>()({
    input: z
      .object({ code: totpCode.optional(), recoveryCode: recoveryCode.optional() })
      .strict()
      .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
        message: 'Enter either the code from your authenticator app or one recovery code',
        path: ['code'],
      }),
    audience: ['mfa'],
    kind: 'command',
    secrets: ['code', 'recoveryCode'],
    errors: ['INVALID_CODE', 'CODE_REUSED', 'THROTTLED'],
  }),
  'auth.beginEnrollment': op<Enrollment>()({
    input: empty,
    /** At stage `active` this replaces the authenticator (profile page); confirming then needs the password. */
    audience: ['enroll', 'active'],
    kind: 'command',
    errors: [],
  }),
  'auth.confirmEnrollment': op<EnrollmentDone>()({
    input: z.object({ code: totpCode, currentPassword: password.optional() }).strict(),
    audience: ['enroll', 'active'],
    kind: 'command',
    secrets: ['code', 'currentPassword'],
    errors: ['ENROLLMENT_NOT_STARTED', 'INVALID_CODE', 'THROTTLED'],
  }),
  'auth.regenerateRecoveryCodes': op<{ recoveryCodes: string[] }>()({
    input: z.object({ code: totpCode }).strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['code'],
    errors: ['INVALID_CODE', 'CODE_REUSED', 'THROTTLED'],
  }),
  'auth.signOut': op<{ signedOut: true }>()({
    input: empty,
    audience: ['enroll', 'mfa', 'active'],
    kind: 'command',
    errors: [],
  }),
  'auth.changePassword': op<{ changed: true }>()({
    input: z.object({ currentPassword: password, newPassword }).strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['currentPassword', 'newPassword'],
    errors: ['INVALID_CREDENTIALS', 'WEAK_PASSWORD', 'THROTTLED'],
  }),
} as const;
