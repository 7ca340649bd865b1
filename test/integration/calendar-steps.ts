import type { FakeMicrosoft, FakeSubscription } from '../fake-microsoft';
import type { GatewayProcess } from './harness';
import { consentedTenant } from './scenario';
import type { SignedWebhookReceiver } from './signed-webhook-receiver';
import { CALENDAR_EVENTS, createEndpoint, eventually } from './webhook-steps';

/** The steps of the calendar webhook stories: a watched tenant, changes made "in Outlook", and what came of them. */

export const STATUS_QUERY = 'query($id: ID!) { tenant(id: $id) { changeNotifications { users active failing nextRenewalAt } } }';

/** Graph's live subscriptions on the tenant's mailboxes. */
export function subscriptionsOf(fake: FakeMicrosoft, microsoftTenantId: string): FakeSubscription[] {
  return fake.subscriptions.list().filter((subscription) => subscription.tenantId === microsoftTenantId);
}

/** Calendar delta calls the fake received for one mailbox. */
export function deltaCallsOf(fake: FakeMicrosoft, userId: string): number {
  return fake.requestLog.filter((entry) => entry.path === `/v1.0/users/${userId}/calendarView/delta`).length;
}

/**
 * An endpoint asking for calendar events and a consented tenant whose mailboxes the gateway now
 * watches: a subscription per user, and a first delta round done for each.
 */
export async function watchedTenant(gateway: GatewayProcess, fake: FakeMicrosoft, receiver: SignedWebhookReceiver, options: { users?: number; events?: string[] } = {}) {
  const endpoint = await createEndpoint(gateway, receiver, options.events ?? CALENDAR_EVENTS);
  const setup = await consentedTenant(gateway, fake, { users: options.users ?? 2 });
  const { users } = setup.organisation;
  await eventually(async () => {
    if (subscriptionsOf(fake, setup.organisation.tenantId).length !== users.length || !users.every((user) => deltaCallsOf(fake, user.id) > 0)) return false;
    const status = await gateway.gql(STATUS_QUERY, { id: setup.tenant.id });
    return status.data.tenant.changeNotifications.active === users.length;
  }, 'a subscription and a first delta round for every mailbox');
  return { ...setup, endpoint, users };
}

/** Tomorrow at `hour` UTC, for an event in the window the gateway sweeps. */
export function tomorrowAt(hour: number): string {
  const day = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  return `${day}T${String(hour).padStart(2, '0')}:00:00`;
}

export function eventBody(subject: string, hour = 10) {
  return { subject, start: { dateTime: tomorrowAt(hour), timeZone: 'UTC' }, end: { dateTime: tomorrowAt(hour + 1), timeZone: 'UTC' } };
}

/** The calendar webhooks the receiver acknowledged for one event, in arrival order. */
export function calendarWebhooksFor(receiver: SignedWebhookReceiver, eventId: string) {
  return receiver.acknowledged().filter((entry) => entry.type.startsWith('calendar.event.') && entry.data.eventId === eventId);
}

/** Waits until the endpoint has nothing pending: whatever was recorded before now has reached the receiver. */
export async function deliveriesSettled(gateway: GatewayProcess, endpointId: string) {
  await eventually(async () => {
    const result = await gateway.gql('{ webhookEndpoints { id deliveries(first: 100, status: PENDING) { id } } }');
    const endpoint = result.data.webhookEndpoints.find((each: { id: string }) => each.id === endpointId);
    return endpoint && endpoint.deliveries.length === 0;
  }, 'no pending deliveries');
}
