import { randomUUID } from 'node:crypto';
import { graphBaseUrl, type FakeContext } from './context';
import type { FakeUser } from './directory';
import { consumeCountedFault, userInSet } from './faults';
import { TRANSIENT_FAILURES } from './graph-endpoint';
import { GraphError, nextLink, pagingNumber, type GraphRequest, type GraphResult } from './graph-envelope';
import { hasAnyRole } from './graph-permissions';
import { calendarsOf } from './mailbox-content';
import { extensionError, parseEventResource } from './subscription-resource';
import {
  SUBSCRIPTIONS_PER_MAILBOX, changeTypesOf, checkClientState, checkReceiverUrl, checkTlsVersion, grantedExpiry, parseExpiration, unreadablePayload,
} from './subscription-rules';
import { graphDateTime, type StoredSubscription } from './subscription-store';

/**
 * /subscriptions for Outlook events, app-only (api-reference/v1.0/api/subscription-*.md).
 * Graph validates the receivers before the Exchange side looks at the resource: apps report
 * a handshake followed by ExtensionError 403 (OneDrive/onedrive-api-docs#1398,
 * msgraph-sdk-dotnet#365), so the resource, role and lifetime checks come after it.
 */

/** "Calendars.Read" is the least privileged application permission for event subscriptions; ReadBasic does not qualify. */
const SUBSCRIPTION_ROLES = ['Calendars.Read', 'Calendars.ReadWrite'];
/** Not documented; Graph does page the list with $skiptoken (msgraph-sdk-javascript#906). */
const LIST_PAGE_SIZE = 100;

export async function createSubscription(context: FakeContext, request: GraphRequest): Promise<GraphResult> {
  const body = objectBody(request.body);
  const required = (name: string): string => {
    const value = body[name];
    if (value === undefined || value === null || value === '') throw new GraphError(400, 'InvalidRequest', `${name} is a required property for subscription creation.`);
    if (typeof value !== 'string') throw unreadablePayload();
    return value;
  };
  const optional = (name: string): string | null => {
    const value = body[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw unreadablePayload();
    return value;
  };
  const changeType = required('changeType');
  const notificationUrl = required('notificationUrl');
  const resource = required('resource');
  const requestedExpiry = parseExpiration(required('expirationDateTime'));
  const clientState = optional('clientState');
  const lifecycleNotificationUrl = optional('lifecycleNotificationUrl');
  const latestSupportedTlsVersion = optional('latestSupportedTlsVersion') ?? 'v1_2';
  const changeTypes = changeTypesOf(changeType);
  checkClientState(clientState);
  checkTlsVersion(latestSupportedTlsVersion);
  checkReceiverUrl('NotificationUrl', notificationUrl);
  if (lifecycleNotificationUrl !== null) checkReceiverUrl('LifecycleNotificationUrl', lifecycleNotificationUrl);
  if (body.includeResourceData === true) {
    throw new GraphError(400, 'FakeMicrosoftNotImplemented', 'The fake does not encrypt resource data: subscribe without includeResourceData.');
  }

  const service = context.subscriptions;
  await service.validate(notificationUrl, request.requestId);
  if (lifecycleNotificationUrl !== null) await service.validate(lifecycleNotificationUrl, request.requestId);

  const target = parseEventResource(resource);
  requireSubscriptionRole(request, 'Create');
  const user = openMailbox(context, request, target.userKey);
  const calendarId = watchedCalendar(context, request, user, target.calendarId);
  const expiresAt = grantedExpiry(requestedExpiry, Date.now(), context.faults.grantedLifetimeMinutes);
  const limit = context.faults.subscriptionsPerMailboxLimit ?? SUBSCRIPTIONS_PER_MAILBOX;
  if (service.store.onMailbox(request.tenant.tenantId, user.id).length >= limit) {
    // The docs say a quota breach is a 403 whose message names the limit; its exact text is not documented.
    throw extensionError(403, 'Create', `The number of subscriptions on this mailbox has reached the limit of ${limit}.`);
  }
  const subscription: StoredSubscription = {
    id: randomUUID(),
    tenantId: request.tenant.tenantId,
    applicationId: request.claims.appid,
    creatorId: request.claims.oid,
    resource,
    userId: user.id,
    calendarId,
    changeType,
    changeTypes,
    clientState,
    notificationUrl,
    lifecycleNotificationUrl,
    expiresAt,
    latestSupportedTlsVersion,
    immutableIds: /IdType\s*=\s*"?ImmutableId"?/i.test(request.headers.prefer ?? ''),
    deliveryPaused: false,
  };
  service.store.add(subscription);
  context.counters.subscriptionsCreated++;
  return { status: 201, body: { '@odata.context': `${graphBaseUrl(context)}/$metadata#subscriptions/$entity`, ...subscriptionView(subscription, true) } };
}

/** This app's subscriptions in the caller's tenant; event subscriptions only while the token can read calendars. clientState is withheld "for security purposes". */
export function listSubscriptions(context: FakeContext, request: GraphRequest): GraphResult {
  const visible = hasAnyRole(request, SUBSCRIPTION_ROLES) ? context.subscriptions.store.ownedBy(request.tenant.tenantId, request.claims.appid) : [];
  const skip = pagingNumber(request.query, '$skiptoken', 0, 0, Number.MAX_SAFE_INTEGER, () => new GraphError(400, 'BadRequest', 'Invalid $skiptoken.'));
  const page = visible.slice(skip, skip + LIST_PAGE_SIZE);
  const graphBase = graphBaseUrl(context);
  return {
    status: 200,
    body: {
      '@odata.context': `${graphBase}/$metadata#subscriptions`,
      ...(skip + LIST_PAGE_SIZE < visible.length ? { '@odata.nextLink': nextLink(graphBase, request.path, request.rawQuery, '$skiptoken', skip + LIST_PAGE_SIZE) } : {}),
      value: page.map((subscription) => subscriptionView(subscription, false)),
    },
  };
}

export function getSubscription(context: FakeContext, request: GraphRequest, id: string): GraphResult {
  const subscription = ownSubscription(context, request, id, 'Get');
  return { status: 200, body: { '@odata.context': `${graphBaseUrl(context)}/$metadata#subscriptions/$entity`, ...subscriptionView(subscription, false) } };
}

/** Renews (expirationDateTime) and/or moves (notificationUrl, validated first). Either one also reauthorizes. */
export async function updateSubscription(context: FakeContext, request: GraphRequest, id: string): Promise<GraphResult> {
  const body = objectBody(request.body);
  const subscription = ownSubscription(context, request, id, 'Update');
  const unsupported = Object.keys(body).find((name) => name !== 'expirationDateTime' && name !== 'notificationUrl' && !name.startsWith('@odata.'));
  // Not documented: the fake refuses rather than silently ignores a change Graph would not make (lifecycleNotificationUrl needs a new subscription).
  if (unsupported) throw new GraphError(400, 'InvalidRequest', `The property '${unsupported}' of a subscription cannot be updated; only 'expirationDateTime' and 'notificationUrl' can.`);
  const { expirationDateTime, notificationUrl } = body;
  if ((expirationDateTime ?? null) === null && (notificationUrl ?? null) === null) {
    throw new GraphError(400, 'InvalidRequest', "Subscription must contain either the 'expirationDateTime' or 'notificationUrl' property and its value.");
  }
  const expiresAt = expirationDateTime == null ? undefined : grantedExpiry(parseExpiration(expirationDateTime), Date.now(), context.faults.grantedLifetimeMinutes);
  if (notificationUrl != null) {
    if (typeof notificationUrl !== 'string') throw unreadablePayload();
    checkReceiverUrl('NotificationUrl', notificationUrl);
    if (notificationUrl !== subscription.notificationUrl) await context.subscriptions.validate(notificationUrl, request.requestId);
    subscription.notificationUrl = notificationUrl;
  }
  if (expiresAt !== undefined) {
    subscription.expiresAt = expiresAt;
    context.counters.subscriptionsRenewed++;
  }
  subscription.deliveryPaused = false;
  return { status: 200, body: { '@odata.context': `${graphBaseUrl(context)}/$metadata#subscriptions/$entity`, ...subscriptionView(subscription, true) } };
}

export function deleteSubscription(context: FakeContext, request: GraphRequest, id: string): GraphResult {
  const subscription = ownSubscription(context, request, id, 'Delete');
  const failure = context.faults.failSubscriptionDeletes;
  const targeted = !failure?.subscriptionId || failure.subscriptionId.toLowerCase() === subscription.id.toLowerCase();
  if (targeted && consumeCountedFault(failure)) {
    const { code, message } = TRANSIENT_FAILURES[failure!.status] ?? TRANSIENT_FAILURES[500]!;
    throw new GraphError(failure!.status, code, message);
  }
  context.subscriptions.store.remove(subscription.id);
  context.counters.subscriptionsDeleted++;
  return { status: 204, body: undefined };
}

/** POST /subscriptions/{id}/reauthorize: 204, the expiry unchanged, a paused delivery resumed. */
export function reauthorizeSubscription(context: FakeContext, request: GraphRequest, id: string): GraphResult {
  const subscription = ownSubscription(context, request, id, 'Reauthorize');
  subscription.deliveryPaused = false;
  context.counters.subscriptionsReauthorized++;
  return { status: 204, body: undefined };
}

/** The subscription resource as Graph returns it; create and update echo clientState, reads return null. */
function subscriptionView(subscription: StoredSubscription, withClientState: boolean): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: subscription.resource,
    applicationId: subscription.applicationId,
    changeType: subscription.changeType,
    clientState: withClientState ? subscription.clientState : null,
    notificationUrl: subscription.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: graphDateTime(subscription.expiresAt),
    creatorId: subscription.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: subscription.latestSupportedTlsVersion,
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    notificationContentType: 'application/json',
  };
}

/** Another app's or tenant's subscription, an expired one and a made-up id all read as Graph's 404 (microsoft-graph-docs#6657, msgraph-sdk-php#221). */
function ownSubscription(context: FakeContext, request: GraphRequest, id: string, operation: 'Get' | 'Update' | 'Delete' | 'Reauthorize'): StoredSubscription {
  const subscription = context.subscriptions.store.find(id);
  const owned = subscription && subscription.tenantId === request.tenant.tenantId && subscription.applicationId.toLowerCase() === request.claims.appid.toLowerCase();
  if (!owned) throw new GraphError(404, 'ResourceNotFound', 'The object was not found.');
  requireSubscriptionRole(request, operation);
  return subscription;
}

function requireSubscriptionRole(request: GraphRequest, operation: 'Create' | 'Get' | 'Update' | 'Delete' | 'Reauthorize'): void {
  // The reason Exchange gives for a resource the app may not read (microsoft-graph-docs#7625).
  if (!hasAnyRole(request, SUBSCRIPTION_ROLES)) throw extensionError(403, operation, 'Forbidden');
}

/** Exchange's checks of the mailbox, as for reads, wrapped the way Graph's subscription service wraps them (microsoft-graph-docs-contrib#3201). */
function openMailbox(context: FakeContext, request: GraphRequest, userKey: string): FakeUser {
  const user = context.directory.findUser(request.tenant, userKey);
  if (!user) throw extensionError(404, 'Create', `The requested user '${userKey}' is invalid.`);
  if (userInSet(context.faults.forbiddenUsers, user.id)) throw extensionError(403, 'Create', 'Access is denied. Check credentials and try again.');
  if (user.mail === null || userInSet(context.faults.mailboxDisabledUsers, user.id)) {
    throw extensionError(404, 'Create', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
  return user;
}

function watchedCalendar(context: FakeContext, request: GraphRequest, user: FakeUser, calendarId: string | null): string {
  const calendars = calendarsOf(graphBaseUrl(context), request.tenant, user);
  const calendar = calendarId === null ? calendars[0] : calendars.find((each) => each.id === calendarId);
  if (!calendar) throw extensionError(404, 'Create', 'The specified object was not found in the store.');
  return calendar.id as string;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unreadablePayload();
  return body as Record<string, unknown>;
}
