import type { Directory, Tenant } from './directory';
import { GUID_PATTERN } from './seeded-random';

/** How the identity platform reads the {tenant} segment of its URLs. */
export type TenantPathResolution =
  | { kind: 'found'; tenant: Tenant }
  /** A GUID or domain no directory owns: AADSTS90002. */
  | { kind: 'unknown' }
  /** 'common', 'organizations' or 'consumers': no single directory. */
  | { kind: 'multiTenant' }
  /** Neither a GUID nor a DNS name: AADSTS900023. */
  | { kind: 'malformed' };

const MULTI_TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);
const DOMAIN_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

export function resolveTenantPath(directory: Directory, segment: string): TenantPathResolution {
  if (MULTI_TENANT_ALIASES.has(segment.toLowerCase())) return { kind: 'multiTenant' };
  if (!GUID_PATTERN.test(segment) && !DOMAIN_PATTERN.test(segment)) return { kind: 'malformed' };
  const tenant = directory.findTenant(segment);
  return tenant ? { kind: 'found', tenant } : { kind: 'unknown' };
}

export function tenantNotFoundMessage(segment: string): string {
  return (
    `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
    'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.'
  );
}

export function malformedTenantMessage(segment: string): string {
  return `Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain.`;
}

export function appNotFoundMessage(clientId: string, directoryName: string): string {
  return (
    `Application with identifier '${clientId}' was not found in the directory '${directoryName}'. ` +
    'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
    'You may have sent your authentication request to the wrong tenant.'
  );
}
