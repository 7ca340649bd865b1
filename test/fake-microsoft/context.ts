import type { AccessTokenService } from './access-tokens';
import type { FakeCounters } from './counters';
import type { Directory } from './directory';
import type { FakeFaults } from './faults';
import type { MailboxChanges } from './mailbox-changes';
import type { AuthorizationCodes, SignedInUser } from './sign-in';
import type { SubscriptionService } from './subscription-service';
import type { MailboxStore } from './mailbox-store';

/** What the next admin-consent page visits do; null means the default (consent in the tenant of the path). */
export type ConsentAnswer = { tenantId: string } | { error: 'access_denied' | 'consent_required' } | null;

/** The state every route handler shares: one per running fake. */
export interface FakeContext {
  /** https://127.0.0.1:<port>; serves both the identity platform and Graph. */
  baseUrl: string;
  directory: Directory;
  tokens: AccessTokenService;
  faults: FakeFaults;
  counters: FakeCounters;
  consentAnswer: ConsentAnswer;
  /** Authorization codes issued by the sign-in endpoint. */
  signIns: AuthorizationCodes;
  /** Whose Microsoft session the browser has; null: an admin of whichever tenant the sign-in names. */
  signedIn: SignedInUser;
  /** Signs /users $skiptoken values, so a forged or foreign one is refused like an expired one. */
  pageTokenKey: Buffer;
  /** Numbers $batch calls so each gets its own, reproducible, response order. */
  batchSequence: number;
  /** Every change to a mailbox's events, for change notifications and delta. */
  mailboxChanges: MailboxChanges;
  /** Change-notification subscriptions and the notifications sent for them. */
  subscriptions: SubscriptionService;
  /** What writes did to mailboxes, over the generated events; announces on mailboxChanges. */
  mailboxes: MailboxStore;
  /** Every $batch item as received: method, url, headers and body, so tests can assert what each carried. */
  batchItemLog: BatchItemLogEntry[];
}

export interface BatchItemLogEntry {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The id of the item within its batch. */
  id: string;
  /** The JSON body of a POST or PATCH item, as sent (getSchedule's mailboxes, an event). */
  body?: unknown;
}

export function graphBaseUrl(context: FakeContext): string {
  return `${context.baseUrl}/v1.0`;
}
