import { z } from 'zod';
import { op } from './define';
import { baseVersion, email } from './fields';

export * from './smtp-password';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  /** Never sent back: true when a password is stored. */
  hasPassword: boolean;
  from: string;
  /**
   * Off by default: mail goes out only over TLS (implicit, or STARTTLS required). On, a
   * server without TLS is used as it is, and the password crosses the network in clear.
   */
  allowWithoutTls: boolean;
}

export interface SettingsView {
  idleTimeoutMinutes: number;
  invitationExpiryHours: number;
  /** Audit events older than this many days are pruned; null keeps them forever. */
  auditRetentionDays: number | null;
  /** Devices' status history and the daily status snapshots older than this many days are pruned (R32); null keeps them forever. */
  historyRetentionDays: number | null;
  /** The address people reach Steward at, used in invitation links; null: the console's own address. */
  publicAddress: string | null;
  smtp: SmtpSettings | null;
  /** Goes up by one on every settings.update that changes something: what the next update passes as `baseVersion`. */
  version: number;
}

export const smtpInput = z
  .object({
    host: z.string().trim().min(1, 'Host is required').max(253),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    username: z.string().max(254),
    /**
     * Omit to keep the stored password; '' clears it. Required again when host, port or
     * username change or sending without TLS is turned on (see smtpPasswordRetypeReason).
     */
    password: z.string().max(512).optional(),
    from: email,
    /** Omitted means false: TLS is required. */
    allowWithoutTls: z.boolean().optional(),
  })
  .strict();

/**
 * The address people reach Steward at, as invitation links should carry it: an http or https
 * URL with a host, maybe a path, without credentials, query or fragment. Kept without a
 * trailing slash. '' clears it.
 */
export const publicAddress = z.union([
  z.literal(''),
  z
    .string()
    .trim()
    .max(500, 'Public address must be at most 500 characters')
    .pipe(z.url({ protocol: /^https?$/, error: 'Public address must be a web address starting with https:// or http://' }))
    .refine(
      (value) => !/[?#]/.test(value) && !/^https?:\/\/[^/]*@/i.test(value),
      'Public address must not hold a user name, password, query (?) or fragment (#)',
    )
    .transform((value) => value.replace(/\/+$/, '')),
]);

/** The shortest status history kept: the dashboard's longest chart covers 90 days. */
export const HISTORY_RETENTION_MIN_DAYS = 90;

export const settingsContract = {
  'settings.get': op<SettingsView>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: ['FORBIDDEN'] }),
  'settings.update': op<SettingsView>()({
    input: z
      .object({
        baseVersion,
        idleTimeoutMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .optional(),
        invitationExpiryHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .optional(),
        auditRetentionDays: z.number().int().min(30, 'Keep audit events at least 30 days').max(36_500).nullable().optional(),
        historyRetentionDays: z
          .number()
          .int()
          .min(HISTORY_RETENTION_MIN_DAYS, `Keep status history at least ${HISTORY_RETENTION_MIN_DAYS} days: the dashboard charts 90 days`)
          .max(36_500)
          .nullable()
          .optional(),
        publicAddress: publicAddress.optional(),
        smtp: smtpInput.nullable().optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['smtp.password'],
    errors: ['FORBIDDEN', 'CONFLICT', 'VALIDATION'],
  }),
} as const;
