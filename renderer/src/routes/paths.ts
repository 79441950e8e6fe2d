/**
 * Every screen and every object of the console has an address (issue 15): the part after
 * `#` in the window's URL. Hash routes suit Electron, which loads the console from a file.
 * These builders are the one place that spells them; the router (routes/router.tsx) reads them back.
 */

export type ScreenId = 'dashboard' | 'customers' | 'team' | 'devices' | 'roles' | 'access' | 'hygiene' | 'audit' | 'settings' | 'profile';

/** The tabs of a person's page, in the order shown; `overview` is the page's own address. */
export const PERSON_TABS = ['overview', 'roles', 'devices', 'sessions', 'activity'] as const;
export type PersonTab = (typeof PERSON_TABS)[number];

const seg = (id: string | number) => encodeURIComponent(String(id));

/**
 * The devices list already filtered (a dashboard figure's link): `/devices?status=failed&group=<id>&backup=older&asOf=<ms>`.
 * Devices reads these on arrival and shows them as its filters; `asOf` fixes the moment a
 * freshness bucket is measured from, so the list counts what the figure counted.
 */
export interface DevicesLink {
  status?: string;
  group?: string;
  backup?: string;
  asOf?: number;
  assignment?: 'assigned' | 'unassigned';
}

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};
/** The search parameter naming the group a screen was opened from. */
export const OPENED_FROM = 'group';

/** What "Who can access this" opens: Access's "Who can" question, filled in with the object. */
export type AccessTarget = { type: 'group' | 'device' | 'user'; id: string };

export const paths = {
  screen: (id: ScreenId) => `/${id}`,
  group: (id: string) => `/customers/${seg(id)}`,
  team: () => '/team',
  /** A screen opened from a group's page: its list narrowed to the group, its pickers starting there (issue 15, finding 3). */
  teamIn: (groupId: string) => `/team?${OPENED_FROM}=${seg(groupId)}`,
  devicesIn: (groupId: string) => `/devices?${OPENED_FROM}=${seg(groupId)}`,
  rolesFor: (groupId: string) => `/roles?${OPENED_FROM}=${seg(groupId)}`,
  invitations: () => '/team/invitations',
  person: (id: string, tab: PersonTab = 'overview') => `/team/people/${seg(id)}${tab === 'overview' ? '' : `/${tab}`}`,
  device: (id: string) => `/devices/${seg(id)}`,
  job: (id: string) => `/devices/jobs/${seg(id)}`,
  role: (id: string) => `/roles/${seg(id)}`,
  auditEvent: (seq: number) => `/audit/events/${seg(seq)}`,
  whoCanAccess: (target: AccessTarget) => `/access?who=${seg(target.type)}:${seg(target.id)}`,
  invitation: (token: string) => `/invite/${seg(token)}`,
  devices: (link: DevicesLink = {}) => `/devices${query({ ...link })}`,
  /** Access hygiene opened at one of its sections. */
  hygieneSection: (section: string) => `/hygiene${query({ section })}`,
};

/** Reads `who=<type>:<id>` from Access's address; null when absent or not one of the three kinds. */
export function parseAccessTarget(value: string | null): AccessTarget | null {
  if (!value) return null;
  const at = value.indexOf(':');
  const type = value.slice(0, at);
  const id = value.slice(at + 1);
  if (at < 1 || !id || (type !== 'group' && type !== 'device' && type !== 'user')) return null;
  return { type, id };
}

/** The screen an address belongs to: its first segment. */
export function screenOf(pathname: string): string {
  return pathname.split('/').find((part) => part !== '') ?? '';
}
