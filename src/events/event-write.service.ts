import { randomUUID } from 'node:crypto';
import type { GatewayContext } from '../context';
import { EventWarningCode, type Event, type EventWarning } from '../directory/event.types';
import { GatewayError, badInput, notFound } from '../errors';
import type { GraphClient } from '../microsoft/graph-client';
import { graphEventBody, type EventFields } from '../microsoft/graph-event-body';
import type { GraphEvent } from '../microsoft/graph-events';
import {
  answerGraphEvent,
  cancelGraphEvent,
  createGraphEvent,
  deleteGraphEvent,
  isOrganizerOf,
  readGraphEvent,
  updateGraphEvent,
  type EventAnswer,
} from '../microsoft/graph-event-writes';
import { graphPermissions, requireGranted } from '../microsoft/graph-permissions';
import type { Logger } from '../observability/logger';
import type { TenantGraphAccess } from '../tenants/tenant-access';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import {
  validCancelEvent,
  validCreateEvent,
  validEventTarget,
  validRespondToEvent,
  validUpdateEvent,
  type CancelEventArgs,
  type CreateEventArgs,
  type EventTargetArgs,
  type RespondToEventArgs,
  type UpdateEventArgs,
} from './event-arguments';
import type { EventResponse } from './event-inputs';
import { fingerprintOf, type IdempotencyKeyStore, type KeyClaim } from './idempotency-key.store';

type Operation = 'create' | 'update' | 'cancel' | 'delete' | 'respond';

const ANSWERS: Record<EventResponse, EventAnswer> = { ACCEPT: 'accept', TENTATIVE: 'tentativelyAccept', DECLINE: 'decline' };

/** Codes after which Microsoft surely booked nothing; after any other failure it may have. */
const NOTHING_BOOKED = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'GRAPH_FORBIDDEN', 'GRAPH_THROTTLED', 'CONSENT_REQUIRED', 'CONNECTOR_INCOMPLETE']);

/**
 * Books, moves, cancels, deletes and answers events in a user's calendar. Input is checked and
 * Calendars.ReadWrite required before any call to Microsoft; each write is sent once (creates
 * carry a transactionId, so their resends are safe) and logged once, without its content.
 */
export class EventWriteService {
  constructor(
    private readonly tenants: TenantService,
    private readonly graph: GraphClient,
    private readonly keys: IdempotencyKeyStore,
    private readonly logger: Logger,
  ) {}

  async create(tenantId: string, args: CreateEventArgs, context: GatewayContext): Promise<Event> {
    validCreateEvent(args);
    const { tenant, access } = await this.writableTenant(tenantId, context);
    const body = graphEventBody(args.input);
    const target = { userId: args.userId, calendarId: args.calendarId };
    if (!args.idempotencyKey) {
      const event = await createGraphEvent(this.graph, access, target, body, randomUUID());
      this.audit('create', tenant, args.userId, event.id, context);
      return withWarnings(event, args.input);
    }
    const claim = await this.keys.claim({ tenantId: tenant.id, userId: args.userId, key: args.idempotencyKey, fingerprint: fingerprintOf(args.calendarId, body) });
    if (claim.eventId !== null) return this.bookedBefore(tenant, access, args, claim.eventId, context);
    const event = await this.createWithKey(access, target, body, claim);
    this.audit('create', tenant, args.userId, event.id, context);
    return withWarnings(event, args.input);
  }

  async update(tenantId: string, args: UpdateEventArgs, context: GatewayContext): Promise<Event> {
    validUpdateEvent(args);
    const { tenant, access } = await this.writableTenant(tenantId, context);
    const event = await updateGraphEvent(this.graph, access, args.userId, args.eventId, graphEventBody(args.input));
    this.audit('update', tenant, args.userId, event.id, context);
    return withWarnings(event, args.input);
  }

  /** Only the organizer cancels, which Graph would refuse with a generic error: decided from the event first. */
  async cancel(tenantId: string, args: CancelEventArgs, context: GatewayContext): Promise<boolean> {
    validCancelEvent(args);
    const { tenant, access } = await this.writableTenant(tenantId, context);
    if (!(await isOrganizerOf(this.graph, access, args.userId, args.eventId))) {
      throw badInput(
        `User ${args.userId} is an attendee of this meeting, not its organizer, and only the organizer can cancel it. Decline it instead with respondToEvent(response: DECLINE), or delete the user's copy with deleteEvent.`,
        { field: 'eventId' },
      );
    }
    await cancelGraphEvent(this.graph, access, args.userId, args.eventId, args.comment?.trim() || null);
    this.audit('cancel', tenant, args.userId, args.eventId, context);
    return true;
  }

  async delete(tenantId: string, args: EventTargetArgs, context: GatewayContext): Promise<boolean> {
    validEventTarget(args);
    const { tenant, access } = await this.writableTenant(tenantId, context);
    await deleteGraphEvent(this.graph, access, args.userId, args.eventId);
    this.audit('delete', tenant, args.userId, args.eventId, context);
    return true;
  }

  async respond(tenantId: string, args: RespondToEventArgs, context: GatewayContext): Promise<boolean> {
    validRespondToEvent(args);
    const { tenant, access } = await this.writableTenant(tenantId, context);
    const answer = { action: ANSWERS[args.response], comment: args.comment?.trim() || null, sendResponse: args.sendResponse };
    await answerGraphEvent(this.graph, access, args.userId, args.eventId, answer);
    this.audit('respond', tenant, args.userId, args.eventId, context);
    return true;
  }

  private async writableTenant(tenantId: string, context: GatewayContext): Promise<{ tenant: TenantEntity; access: TenantGraphAccess }> {
    const tenant = await this.tenants.get(tenantId, context.loaders);
    requireGranted(tenant.grantedScopes, graphPermissions.writeEvents);
    return { tenant, access: this.tenants.access(tenant, context) };
  }

  /**
   * The create under a claimed key. Sent with the key's transactionId, so when an earlier
   * attempt's answer was lost Graph answers with the event it booked then. When Microsoft
   * refused, nothing was booked and the key is released for corrected input.
   */
  private async createWithKey(access: TenantGraphAccess, target: { userId: string; calendarId?: string | null }, body: Record<string, unknown>, claim: KeyClaim): Promise<GraphEvent> {
    let event: GraphEvent;
    try {
      event = await createGraphEvent(this.graph, access, target, body, claim.transactionId);
    } catch (error) {
      if (error instanceof GatewayError && NOTHING_BOOKED.has(error.code)) await this.keys.release(claim);
      throw error;
    }
    await this.keys.settle(claim, event.id);
    return event;
  }

  /** The key's event, read back: the same answer as the first time. */
  private async bookedBefore(tenant: TenantEntity, access: TenantGraphAccess, args: CreateEventArgs, eventId: string, context: GatewayContext): Promise<Event> {
    const event = await readGraphEvent(this.graph, access, args.userId, eventId);
    if (!event) {
      throw notFound(`The event booked earlier with this idempotencyKey (${eventId}) is no longer in the calendar of user ${args.userId}: it was deleted or declined. Use a new idempotencyKey to book it again.`);
    }
    this.audit('create', tenant, args.userId, event.id, context, { replayed: true });
    return withWarnings(event, args.input);
  }

  /** One line per write: who, what, which event, which request; never its subject, body or attendees. */
  private audit(operation: Operation, tenant: TenantEntity, userId: string, eventId: string, context: GatewayContext, extra: Record<string, unknown> = {}): void {
    this.logger.info({ audit: 'event_write', operation, tenantId: tenant.id, userId, eventId, requestId: context.requestId, ...extra }, `event ${operation}`);
  }
}

/** The event as written, with what Microsoft left out of what was asked. */
function withWarnings(event: GraphEvent, asked: EventFields): Event {
  const warnings: EventWarning[] = [];
  if (asked.isOnlineMeeting === true && (event.isOnlineMeeting !== true || !event.onlineMeetingUrl)) {
    warnings.push({
      code: EventWarningCode.ONLINE_MEETING_NOT_CREATED,
      message: "Microsoft saved the event without a Teams meeting: the mailbox's organisation allows no online-meeting provider for it. Put a meeting link in the body or location instead, or have an administrator allow Teams meetings for this mailbox.",
    });
  }
  return { ...event, warnings };
}
