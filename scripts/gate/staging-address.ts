/**
 * The staging address of the canary's host, from the API: the version's domains with
 * `?include=staging_ips`. Reading staging means connecting there with the production Host and SNI.
 */
import { UsageError } from '../../src/node/cli-kit';
import type { FastlyApi } from './fastly-api';
import type { Address } from './readings';

export async function findStagingAddress(api: FastlyApi, serviceId: string, version: number, url: URL): Promise<Address> {
  const domains = await api.listStagingDomains(serviceId, version);
  const host = url.hostname.toLowerCase();
  const domain = domains.find((d) => d.name.toLowerCase() === host) ?? domains.find((d) => wildcardMatches(d.name.toLowerCase(), host));
  if (!domain) {
    const names = domains.map((d) => d.name).slice(0, 10).join(', ') || 'none';
    throw new UsageError(`${host} is not a domain of service ${serviceId} version ${version} (its domains: ${names}): --url must be on the production hostname`);
  }
  if (domain.stagingIp === null) {
    throw new UsageError(`the API gives no staging IP for ${domain.name} (is Staging enabled for this account?): `
      + 'pass --connect-to STAGING_IP:443 with the staging IP from the control panel');
  }
  return { host: domain.stagingIp, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 };
}

/** `*.example.org` covers `files.example.org`, one label deep, as Fastly wildcard domains do. */
function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}
