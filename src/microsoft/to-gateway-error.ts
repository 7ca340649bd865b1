import { GatewayError } from '../errors';
import { forbiddenHint } from './graph-permissions';
import { GraphRequestError } from './graph-request-error';
import { UnexpectedPayloadError } from './graph-resources';
import { MicrosoftTokenError } from './microsoft-token-error';

/** What the failed request was about, to name it in the message. */
export interface GraphErrorContext {
  /** the Graph user the request concerned */
  userId?: string;
  /**
   * The write that failed: when Microsoft gave no answer or a 5xx, the message says it may have
   * been made, and what to do before repeating it, so nobody repeats it blindly.
   */
  write?: { action: string; ifUnknown: string };
}


/**
 * Maps Microsoft's failures to the contract's error codes, with a message that says what to do.
 * Resolvers use it to attach a failure to one field (one user's calendars) instead of failing the
 * whole query. GatewayErrors pass through; anything else is not Microsoft's failure but a bug,
 * returned unchanged so that it reaches the caller as INTERNAL_SERVER_ERROR and the log with its stack.
 */
export function toGatewayError(
  error: GatewayError | GraphRequestError | MicrosoftTokenError | UnexpectedPayloadError,
  context?: GraphErrorContext,
): GatewayError;
export function toGatewayError(error: unknown, context?: GraphErrorContext): Error;
export function toGatewayError(error: unknown, context: GraphErrorContext = {}): Error {
  if (error instanceof GatewayError) return error;
  if (error instanceof GraphRequestError) return fromGraph(error, context);
  if (error instanceof MicrosoftTokenError) return fromToken(error);
  if (error instanceof UnexpectedPayloadError) {
    return new GatewayError('UPSTREAM_ERROR', `${error.message}. Try again; if it persists, Microsoft Graph may be changing: report it.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function fromGraph(error: GraphRequestError, context: GraphErrorContext): GatewayError {
  const subject = context.userId ? ` for user ${context.userId}` : '';
  const details = { graphCode: error.graphCode, graphStatus: error.status };
  switch (true) {
    case error.status === 401:
      return new GatewayError(
        'CONSENT_REQUIRED',
        `Microsoft Graph rejected the tenant's access token even after a new one was issued (${error.graphCode}); the organisation's consent was probably revoked. An administrator must consent again through a new consent link.`,
        details,
      );
    case error.status === 403:
      return new GatewayError(
        'GRAPH_FORBIDDEN',
        `Microsoft Graph refused ${describeRoute(error.route)}${subject} (${error.graphCode}). ${forbiddenHint(error.route)}`,
        details,
      );
    case error.status === 404:
      return new GatewayError('NOT_FOUND', notFoundMessage(error, context), details);
    case error.status === 400:
      return new GatewayError(
        'BAD_USER_INPUT',
        `Microsoft Graph rejected the request for ${describeRoute(error.route)}${subject}: ${error.message} (${error.graphCode})`,
        details,
      );
    case error.status === 429:
      return new GatewayError(
        'GRAPH_THROTTLED',
        `Microsoft Graph is throttling this organisation's requests (${describeRoute(error.route)}${subject}) and ${context.write ? `refused ${context.write.action}, which was not made` : "the gateway's retries ran out"}. Try again ${error.retryAfterSeconds ? `in ${error.retryAfterSeconds} seconds` : 'in a minute'}.`,
        { ...details, retryAfterSeconds: error.retryAfterSeconds ?? null },
      );
    case context.write !== undefined && (error.status === 0 || error.status >= 500):
      return new GatewayError(
        'UPSTREAM_ERROR',
        `Microsoft Graph did not confirm ${context.write!.action}${subject} (${error.status === 0 ? error.message : `HTTP ${error.status} ${error.graphCode}`}); it may or may not have been made. ${context.write!.ifUnknown}`,
        details,
      );
    case error.status === 0:
      return new GatewayError(
        'UPSTREAM_ERROR',
        `Microsoft Graph could not be reached (${error.message}) while reading ${describeRoute(error.route)}${subject}. Try again shortly.`,
        details,
      );
    default:
      return new GatewayError(
        'UPSTREAM_ERROR',
        `Microsoft Graph answered HTTP ${error.status} (${error.graphCode}) while reading ${describeRoute(error.route)}${subject}${error.status >= 500 ? ', still after retries' : ''}. Try again shortly.`,
        details,
      );
  }
}

function notFoundMessage(error: GraphRequestError, context: GraphErrorContext): string {
  const user = context.userId ? `user ${context.userId}` : 'this user';
  if (error.graphCode === 'ErrorItemNotFound' && /^POST .*\/calendars\/\{id\}\/events$/.test(error.route)) {
    return `No such calendar of ${user}: find calendar ids with User.calendars, or leave calendarId out for the default calendar.`;
  }
  if (error.graphCode === 'ErrorItemNotFound' && /\/events\b/.test(error.route)) {
    return `No such event in the calendar of ${user}: it may have been deleted or declined, or belong to another mailbox. Find event ids with User.events.`;
  }
  switch (error.graphCode) {
    case 'MailboxNotEnabledForRESTAPI':
      return `The mailbox of ${user} is not in Exchange Online (inactive, soft-deleted or hosted on-premises), so Microsoft Graph has no calendars or events to show for it.`;
    case 'ErrorInvalidUser':
    case 'Request_ResourceNotFound':
      return `Microsoft Graph does not know ${user} in the organisation's directory; it may have been deleted.`;
    default:
      return `Microsoft Graph found nothing at ${describeRoute(error.route)}${context.userId ? ` for user ${context.userId}` : ''} (${error.graphCode}).`;
  }
}

function describeRoute(route: string): string {
  const path = route.replace(/^[A-Z]+ /, '');
  if (/\/getSchedule\b/.test(path)) return 'the free/busy schedules';
  if (/\/events\b/.test(path)) return 'the event';
  if (path.startsWith('/places')) return 'the rooms';
  if (/\/calendarView\b/.test(path)) return 'the calendar view';
  if (/\/calendars?\b/.test(path)) return 'the calendars';
  if (path.startsWith('/organization')) return 'the organisation';
  if (path === '/users') return 'the user list';
  if (path.startsWith('/users')) return 'the user';
  return path;
}

function fromToken(error: MicrosoftTokenError): GatewayError {
  const details = { tokenFailure: error.kind, aadstsCode: error.aadstsCode ?? null };
  switch (error.kind) {
    case 'consent_missing':
      return new GatewayError(
        'CONSENT_REQUIRED',
        `${error.reason} An administrator of the organisation must consent again through a new consent link.`,
        details,
      );
    // The tenant cannot be served until someone acts; callers see the same code as a revoked
    // consent, and the message (and the tenant's statusReason) says which action.
    case 'invalid_client':
      return new GatewayError(
        'CONSENT_REQUIRED',
        `${error.reason} Set a current client secret on the connector with updateConnector.`,
        details,
      );
    case 'tenant_not_found':
      return new GatewayError('CONSENT_REQUIRED', `${error.reason} Check the tenant, or remove it with removeTenant.`, details);
    case 'throttled':
      return error.status === 429 || error.status === undefined
        ? new GatewayError('GRAPH_THROTTLED', `${error.reason} Try again in a minute.`, details)
        : new GatewayError('UPSTREAM_ERROR', `${error.reason} Try again in a minute.`, details);
    default:
      return new GatewayError('UPSTREAM_ERROR', `${error.reason} Try again shortly.`, details);
  }
}
