/** Switches a test flips to make the fake misbehave the way Microsoft does. A plain mutable object. */
export interface FakeFaults {
  /** `expires_in` of issued tokens (default 3599). msal treats a token as expired 300 s early, so 301 makes it stale at once. */
  tokenLifetimeSeconds?: number;
  /** While set, every token request answers this AADSTS error. */
  tokenFailure?: { status: number; error: string; aadsts: number; description: string } | null;
  /** While set, client-credentials (app token) requests answer this AADSTS error; sign-ins still work. */
  clientCredentialsFailure?: { status: number; error: string; aadsts: number; description: string } | null;
  /** The next `count` top-level Graph requests ($batch excluded) answer 429 with Retry-After. */
  throttleGraphRequests?: { count: number; retryAfterSeconds: number };
  /** The next `count` items inside batches answer 429, with Retry-After in that item's headers. */
  throttleBatchItems?: { count: number; retryAfterSeconds: number };
  /** The next `count` top-level Graph requests ($batch included) fail with this status. */
  failGraphRequests?: { count: number; status: 503 | 504 | 500 };
  /** Calendar and event routes of these user ids answer 403 ErrorAccessDenied (an Exchange application access policy). */
  forbiddenUsers: Set<string>;
  /** Calendar and event routes of these user ids answer 404 MailboxNotEnabledForRESTAPI. */
  mailboxDisabledUsers: Set<string>;
  /** The next `count` Graph requests arriving on a connection that already served one get it closed instead of an answer (a stale pooled connection). */
  resetReusedConnections?: { count: number };
  /** Overrides the start option `latencyMs` for Graph responses only. */
  graphLatencyMs?: number;
  /** The next `count` change notifications are silently lost (Graph has lost notifications for hours): only a delta sweep finds the change. */
  dropNotifications?: { count: number };
  /** Every change notification is POSTed this many times in all (default 1), each copy in its own POST, as Graph often repeats itself. */
  notificationCopies?: number;
  /** A created event also produces an `updated` notification (when subscribed to it), as Graph often sends both for one create. */
  updatedAfterCreate?: boolean;
  /** Grants at most this many minutes on create and renew, below Graph's maximum: the gateway must use the expiry Graph returned. */
  grantedLifetimeMinutes?: number;
  /** Overrides Graph's limit of active subscriptions per mailbox (1,000 for all apps together). */
  subscriptionsPerMailboxLimit?: number;
  /** Mailboxes whose organisation offers no online-meeting provider: Graph then creates their events without a meeting, silently. */
  onlineMeetingsDisabledUsers?: Set<string>;
  /** The next event create is stored, then its connection destroyed without an answer: a lost response. */
  dropNextCreateAnswer?: boolean;
  /** The next event create is stored, then answered with this status instead of 201, as when Graph's front end gives up on a mailbox that went on to book it. */
  failNextCreateAfterStoring?: { status: 500 | 503 | 504 };
  /** The next event delete is performed, then its connection destroyed without an answer. */
  dropNextDeleteAnswer?: boolean;
  /** The next `count` event writes (create, update, delete, cancel, respond) fail with this status and store nothing. */
  failEventWrites?: { count: number; status: 503 | 504 | 500 };
  /** The next `count` subscription deletes (DELETE /subscriptions/{id}; of that subscription only, when given) fail with this status and delete nothing. */
  failSubscriptionDeletes?: { count: number; status: 503 | 504 | 500; subscriptionId?: string };
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

export function defaultFaults(): FakeFaults {
  return { tokenLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS, tokenFailure: null, forbiddenUsers: new Set(), mailboxDisabledUsers: new Set() };
}

/** Restores the defaults in place, so a reference a test took earlier stays live. */
export function resetFaultsInPlace(faults: FakeFaults): void {
  for (const key of Object.keys(faults)) delete (faults as unknown as Record<string, unknown>)[key];
  Object.assign(faults, defaultFaults());
}

/** Uses one unit of a counted fault; true when this request is affected. */
export function consumeCountedFault(fault: { count: number } | undefined): boolean {
  if (!fault || fault.count <= 0) return false;
  fault.count--;
  return true;
}

/** Checks a user id against a fault set case-insensitively, since Graph ids are case-insensitive GUIDs. */
export function userInSet(users: Set<string> | undefined, userId: string): boolean {
  if (!users || users.size === 0) return false;
  const wanted = userId.toLowerCase();
  for (const candidate of users) if (candidate.toLowerCase() === wanted) return true;
  return false;
}
