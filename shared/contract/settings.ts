import { z } from 'zod';
import { op } from './define';
import { email } from './fields';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  /** Never sent back: true when a password is stored. */
  hasPassword: boolean;
  from: string;
}

export interface SettingsView {
  idleTimeoutMinutes: number;
  invitationExpiryHours: number;
  /** Audit events older than this many days are pruned; null keeps them forever. */
  auditRetentionDays: number | null;
  smtp: SmtpSettings | null;
}

export const smtpInput = z
  .object({
    host: z.string().trim().min(1, 'Host is required').max(253),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    username: z.string().max(254),
    /** Omit to keep the stored password; '' clears it. */
    password: z.string().max(512).optional(),
    from: email,
  })
  .strict();

export const settingsContract = {
  'settings.get': op<SettingsView>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: ['FORBIDDEN'] }),
  'settings.update': op<SettingsView>()({
    input: z
      .object({
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
        smtp: smtpInput.nullable().optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['FORBIDDEN'],
  }),
} as const;
