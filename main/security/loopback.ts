/** Host names of this machine's loopback address, as `URL.hostname` spells them (IPv6 in brackets). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a URL's `hostname` is this machine's loopback address: traffic to it never leaves
 * the machine (RFC 8252 section 8.3), so plain http:// and plain ldap:// are accepted there only.
 */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}
