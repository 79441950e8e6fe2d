import { z } from 'zod';
import type { DeviceVisibility } from '../access/builtin-roles';
import type { RoleTemplate, ScopeKind } from '../access/templates';
import type { RoleMeaning } from '../access/owner';
import { op } from './define';
import { baseVersion, entityId, withoutInvisible } from './fields';

export interface RoleSummary {
  id: string;
  name: string;
  description: string;
  builtin: string | null;
  ownerGroupId: string | null;
  deviceVisibility: DeviceVisibility;
  permissions: string[];
  protected: boolean;
  /** The kind of group every binding of this role must sit at (seed 003 locations, seed 004 departments); null: any group. */
  scopeKind: ScopeKind | null;
  /** R9: Owner or Admin in meaning (the built-in ones, and a company role set's Company Owner and Administrator); null: an ordinary role. */
  meaning: RoleMeaning | null;
  /** The newest saved version: what an update or revert from this copy passes as `baseVersion`. */
  version: number;
}

export interface RoleHolder {
  userId: string;
  username: string;
  groupId: string;
  groupName: string;
}

export interface RoleVersion {
  version: number;
  at: number;
  by: string;
  name: string;
  description: string;
  deviceVisibility: DeviceVisibility;
  scopeKind: ScopeKind | null;
  permissions: string[];
}

export interface RoleListItem extends RoleSummary {
  /** People holding the role whom the caller may see (users.view); others are not counted. */
  holderCount: number;
}

export interface RoleDetail extends RoleSummary {
  /** Bindings of the role held by people the caller may see (users.view). */
  holders: RoleHolder[];
  versions: RoleVersion[];
}

const roleName = withoutInvisible(z.string().trim().min(1, 'Name is required').max(80, 'Name must be at most 80 characters'), 'Name');
const description = z.string().trim().max(500, 'Description must be at most 500 characters');
const permissions = z.array(z.string().trim().min(1).max(80)).max(500, 'At most 500 permissions');
const visibility = z.enum(['scope', 'assigned']);
const scopeKind = z.enum(['location', 'department'], 'Scope kind must be location or department, or null for any group').nullable();

export interface RolePreview {
  /** People holding the role (each binding counts its person once). */
  holders: number;
  /** Per permission, how many people gain or lose it through this change. */
  changes: Array<{ key: string; gained: number; lost: number }>;
  /** The first people affected, with what each gains and loses. */
  people: Array<{ userId: string; username: string; gained: string[]; lost: string[] }>;
  /** Devices and groups inside the role's bound subtrees: the reach of the change. */
  devices: number;
  groups: number;
}

export const rolesContract = {
  'roles.list': op<{ roles: RoleListItem[] }>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: [] }),
  'roles.get': op<RoleDetail>()({ input: z.object({ id: entityId }).strict(), audience: ['active'], kind: 'query', errors: ['NOT_FOUND'] }),
  'roles.templates': op<{ templates: RoleTemplate[] }>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: [] }),
  'roles.create': op<{ id: string }>()({
    input: z
      .object({
        ownerGroupId: entityId,
        name: roleName,
        description: description.optional(),
        deviceVisibility: visibility,
        permissions,
        scopeKind: scopeKind.optional(),
        meaning: z.enum(['owner', 'admin'], 'Meaning must be owner or admin').optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /** `baseVersion`: the role's version the editor loaded; a stale one is CONFLICT naming the keys added and removed since. */
  'roles.update': op<{ id: string; version: number }>()({
    input: z
      .object({
        id: entityId,
        baseVersion,
        name: roleName.optional(),
        description: description.optional(),
        deviceVisibility: visibility.optional(),
        permissions: permissions.optional(),
        scopeKind: scopeKind.optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'VALIDATION'],
  }),
  /**
   * Saves an earlier version's content (`version`) as the newest version, through the same guard as roles.update;
   * `baseVersion` is the newest version the person saw, since a revert overwrites whatever came after it.
   */
  'roles.revert': op<{ id: string; version: number }>()({
    input: z
      .object({ id: entityId, version: z.number().int('Version must be a whole number').min(1, 'Version must be 1 or more'), baseVersion })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  'roles.preview': op<RolePreview>()({
    input: z.object({ id: entityId, permissions }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'roles.remove': op<{ removed: true }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
} as const;
