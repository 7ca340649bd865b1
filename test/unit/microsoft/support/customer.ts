import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeMicrosoft, FakeUser } from '../../../fake-microsoft';
import type { Target } from './microsoft-child';

export const DEFAULT_ROLES = ['User.Read.All', 'Directory.Read.All', 'Calendars.Read'];

export interface Customer {
  /** the app credentials and the tenant, as the product's services would hand them over */
  target: Target;
  users: FakeUser[];
  clientSecret: string;
}

/**
 * One SaaS team's app registration and one customer organisation that consented to it, new for
 * every test so no test depends on another's tokens or faults.
 */
export function consentedCustomer(
  fake: FakeMicrosoft,
  options: { users?: number | Array<Partial<FakeUser>>; roles?: string[]; displayName?: string } = {},
): Customer {
  const clientId = randomUUID();
  const clientSecret = `${randomBytes(3).toString('hex')}~${randomBytes(24).toString('base64url')}`;
  fake.registerApp({ clientId, clientSecret, redirectUris: ['https://gateway.test/callback/outlook'], requiredRoles: DEFAULT_ROLES });
  const tenant = fake.addTenant({ displayName: options.displayName ?? `Contoso ${randomBytes(4).toString('hex')}`, users: options.users ?? 3 });
  fake.grantConsent(tenant.tenantId, clientId, options.roles ?? DEFAULT_ROLES);
  return {
    target: { credentials: { connectorId: randomUUID(), clientId, clientSecret, version: 'v1' }, tenantId: tenant.tenantId },
    users: tenant.users,
    clientSecret,
  };
}
