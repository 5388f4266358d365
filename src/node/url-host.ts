/** A host as a URL writes it: an IPv6 address in brackets (`[::1]`), a name or IPv4 address as is. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
