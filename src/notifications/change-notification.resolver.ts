import { Authorized, FieldResolver, Resolver, Root } from 'type-graphql';
import { TenantEntity } from '../tenants/tenant.entity';
import { ChangeNotificationStatus } from './change-notification-status';
import { ChangeNotificationService } from './change-notification.service';

@Authorized()
@Resolver(() => TenantEntity)
export class ChangeNotificationResolver {
  constructor(private readonly service: ChangeNotificationService) {}

  @FieldResolver(() => ChangeNotificationStatus, { description: "How the tenant's calendars are watched for calendar.event.* webhooks (all zero while no endpoint asks for them)" })
  changeNotifications(@Root() tenant: TenantEntity): Promise<ChangeNotificationStatus> {
    return this.service.status(tenant);
  }
}
