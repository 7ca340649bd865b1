import { tenantWebhookEvents } from '../../../src/tenants/tenant-changes';
import { TenantEntity, TenantStatus } from '../../../src/tenants/tenant.entity';

const tenant = (status: TenantStatus, grantedScopes = ['Calendars.Read', 'Directory.Read.All']) =>
  Object.assign(new TenantEntity(), { id: 't1', connectorId: 'c1', microsoftTenantId: 'm1', displayName: 'Contoso', status, statusReason: null, grantedScopes });

const typesOf = (before: TenantEntity | null, after: TenantEntity | null) => tenantWebhookEvents({ before, after }).map((event) => event.type);

describe('the webhooks a tenant change causes', () => {
  it.each([
    ['a new consented tenant', null, tenant(TenantStatus.CONSENTED), ['TENANT_CONSENTED']],
    ['a new tenant whose token failed', null, tenant(TenantStatus.ERROR), ['TENANT_ERROR']],
    ['consent revoked', tenant(TenantStatus.CONSENTED), tenant(TenantStatus.REVOKED), ['TENANT_REVOKED']],
    ['consented again after a revocation', tenant(TenantStatus.REVOKED), tenant(TenantStatus.CONSENTED, ['Calendars.ReadWrite']), ['TENANT_CONSENTED']],
    ['the same consent again', tenant(TenantStatus.CONSENTED), tenant(TenantStatus.CONSENTED), []],
    ['the same roles in another order', tenant(TenantStatus.CONSENTED), tenant(TenantStatus.CONSENTED, ['Directory.Read.All', 'Calendars.Read']), []],
    ['a role granted', tenant(TenantStatus.CONSENTED), tenant(TenantStatus.CONSENTED, ['Calendars.Read', 'Directory.Read.All', 'Place.Read.All']), ['TENANT_PERMISSIONS_CHANGED']],
    ['a second failure', tenant(TenantStatus.ERROR), tenant(TenantStatus.ERROR), []],
    ['removed', tenant(TenantStatus.ERROR), null, ['TENANT_REMOVED']],
  ])('%s', (_, before, after, expected) => {
    expect(typesOf(before, after)).toEqual(expected);
  });

  it('keeps the events of one tenant in one order, and says what the roles were', () => {
    const [event] = tenantWebhookEvents({ before: tenant(TenantStatus.CONSENTED), after: tenant(TenantStatus.CONSENTED, ['Directory.Read.All']) });
    expect(event).toMatchObject({ subject: 'tenant:t1', data: { tenantId: 't1', grantedScopes: ['Directory.Read.All'], previousGrantedScopes: ['Calendars.Read', 'Directory.Read.All'] } });
  });
});
