/**
 * Navigation for code outside React components (stores, helpers called from menus): the
 * router registers itself here when it is created, so stores need not import the router
 * (which imports every screen).
 */
type Navigate = (to: string, options?: { replace?: boolean }) => void;

let current: Navigate | null = null;

export function setNavigator(navigate: Navigate): void {
  current = navigate;
}

/** Goes to an address built by `paths`; a no-op before the router exists (tests of stores alone). */
export function navigateTo(to: string, options?: { replace?: boolean }): void {
  current?.(to, options);
}
