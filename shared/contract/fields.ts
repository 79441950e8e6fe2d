import { z } from 'zod';
import { invisibleCharacter } from '../names';

/** Field rules shared by every form and operation that takes these values. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/**
 * `schema` refusing invisible characters (shared/names.ts): a name holding one would look
 * like another while comparing unequal. The message names the character and where it is.
 */
export function withoutInvisible<S extends z.ZodString>(schema: S, label: string): S {
  return schema.superRefine((value, ctx) => {
    const found = invisibleCharacter(value);
    if (found) ctx.addIssue({ code: 'custom', message: `${label} contains an invisible character (${found}); type it without` });
  }) as S;
}

export const username = z
  .string()
  .trim()
  .min(3, 'Username must be at least 3 characters')
  .max(64, 'Username must be at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'Username may contain only letters, digits, dot, dash and underscore');
// The pattern already keeps usernames to visible ASCII; emails and names are checked for invisible characters.

export const email = withoutInvisible(z.string().trim().max(254, 'Email must be at most 254 characters'), 'Email').pipe(
  z.email('Enter a valid email address'),
);

export const fullName = z.string().trim().min(1, 'Full name is required').max(200, 'Full name must be at most 200 characters');

export const groupName = withoutInvisible(
  z.string().trim().min(1, 'Name is required').max(120, 'Name must be at most 120 characters'),
  'Name',
);

/** Length only: the common-password check needs the bundled list, which lives with the server. */
export const newPassword = z
  .string()
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

/** A password being checked, not set: any length the form could send. */
export const password = z.string().min(1, 'Password is required').max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

export const totpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Code must be the 6 digits shown by your authenticator app');

export const recoveryCode = z.string().trim().min(1, 'Recovery code is required').max(32, 'Recovery code is at most 32 characters');

/** A hub's one-time setup code (R35). Length only: any text is compared (spaces, dashes and case aside), so a malformed code is answered, and throttled, as a wrong one. */
export const setupCode = z.string().max(64, 'Setup code is at most 64 characters');

export const login = z.string().trim().min(1, 'Username or email is required').max(254, 'Username or email must be at most 254 characters');

export const entityId = z.string().trim().min(1, 'An id is required').max(64, 'An id is at most 64 characters');

export const optionalEmail = z.union([z.literal(''), email]);

export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is written #RRGGBB');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is written YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'Not a real date');

/** A logo is a small image carried as a data URL; SVG is shown only through <img>, where scripts do not run. */
export const LOGO_MAX_CHARS = 300_000;
export const logoDataUrl = z
  .string()
  .max(LOGO_MAX_CHARS, 'The logo must be under about 220 KB')
  .regex(/^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/, 'The logo must be a PNG, JPEG, WebP or SVG image');

/**
 * The version of a stored object that an update was made from (the `version` its read
 * returned). Required on every update from a copy: a stale one is refused with CONFLICT
 * saying what changed since, instead of silently undoing someone else's change.
 */
export const baseVersion = z.number().int('Base version must be a whole number').min(1, 'Base version must be 1 or more');
