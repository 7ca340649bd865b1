import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessTokenService } from './access-tokens';
import { createServerCertificates } from './certificates';
import type { BatchItemLogEntry, ConsentAnswer, FakeContext } from './context';
import { emptyCounters, resetCountersInPlace, type FakeCounters } from './counters';
import { Directory, type FakeTenantOptions, type FakeUser } from './directory';
import { consumeCountedFault, defaultFaults, resetFaultsInPlace, type FakeFaults } from './faults';
import { handleGraphRequest } from './graph-endpoint';
import { jsonResponse, readExchange, sendAfter, type OutgoingResponse } from './http-exchange';
import { handleIdentityRequest } from './identity-routes';
import { MailboxChanges } from './mailbox-changes';
import { AuthorizationCodes, type SignedInUser } from './sign-in';
import { GRAPH_DELIVERY_TIMING, type DeliveryTiming } from './notification-delivery';
import { subscriptionControls, type FakeSubscriptions } from './subscription-controls';
import { SubscriptionService } from './subscription-service';
import { mailboxControls, type MailboxControls } from './mailbox-controls';
import { MailboxStore } from './mailbox-store';

/**
 * A fake of the Microsoft identity platform and Graph v1.0 on one HTTPS origin, for tests, the
 * demo and the benchmark: point both XKIT_MICROSOFT_LOGIN_URL and XKIT_MICROSOFT_GRAPH_URL at `url`.
 */

export type { FakeCounters } from './counters';
export type { FakeTenantOptions, FakeUser } from './directory';
export type { FakeFaults } from './faults';
export type { MailboxChange } from './mailbox-changes';
export type { LifecycleEvent } from './change-notifications';
export type { DeliveryTiming, NotificationDelivery } from './notification-delivery';
export type { FakeSubscription, FakeSubscriptions } from './subscription-controls';
export type { BatchItemLogEntry } from './context';
export type { MailboxControls } from './mailbox-controls';
export type { FakeRoom } from './rooms';
export type { FakeWorkingHours } from './working-hours';

export interface FakeMicrosoftOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Added to every response (token and Graph). Default 0. */
  latencyMs?: number;
  /** Where to write ca.pem; default a fresh temporary directory, removed by stop(). */
  certDir?: string;
  /** Graph's deadlines and resend pauses for webhooks (default: 10 s handshake, 3 s notification, three short resends). */
  changeNotifications?: Partial<DeliveryTiming>;
  /**
   * How long an idle keep-alive connection stays open; default Node's 5 s, announced in a
   * `Keep-Alive: timeout=5` header that undici follows. 0: open until the client closes it, with no
   * such header, so that whether a client reconnects after an idle spell is its own doing.
   */
  keepAliveTimeoutMs?: number;
}

export interface FakeMicrosoft {
  /** https://127.0.0.1:<port> */
  url: string;
  /** PEM of the CA, for NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  /** An "Azure app registration"; registering the same clientId again updates it (e.g. a rotated secret). */
  registerApp(app: { clientId: string; clientSecret: string; displayName?: string; redirectUris: string[]; requiredRoles: string[] }): void;
  addTenant(options: FakeTenantOptions): { tenantId: string; users: FakeUser[] };
  /** A user added to the tenant's directory later; /users lists it from now on. */
  addUser(tenantId: string, user?: Partial<FakeUser>): FakeUser;
  /** As if the tenant's admin consented; default roles = the app's requiredRoles. */
  grantConsent(tenantId: string, clientId: string, roles?: string[]): void;
  /** Deletes the enterprise app; tokens already issued stay valid until they expire unless invalidateIssuedTokens. */
  revokeConsent(tenantId: string, clientId: string, options?: { invalidateIssuedTokens?: boolean }): void;
  /**
   * What the next admin-consent page visits do, until changed. null (the initial state): consent in
   * the tenant of the path when it names one, else in the first tenant added.
   */
  setConsentAnswer(answer: { tenantId: string } | { error: 'access_denied' | 'consent_required' } | null): void;
  /**
   * Whose Microsoft session the browser has at the sign-in endpoint. null (the initial state): an
   * administrator of whichever tenant the sign-in names. A tenant: signing in to any other fails (AADSTS50020).
   */
  setSignedInUser(user: SignedInUser): void;
  counters: FakeCounters;
  resetCounters(): void;
  faults: FakeFaults;
  resetFaults(): void;
  /** Announces every change to a mailbox's events (what change notifications and delta are built on). */
  mailboxChanges: MailboxChanges;
  /** Graph's change-notification subscriptions: inspect them, expire or age them, send lifecycle events, see what was delivered. */
  subscriptions: FakeSubscriptions;
  /** Change mailboxes as their users would in Outlook (each change announced on mailboxChanges). */
  mailbox: MailboxControls;
  /** Every $batch item received (method, url, headers as sent), in arrival order. */
  batchItemLog: BatchItemLogEntry[];
  /** Graph requests the fake is answering right now ($batch counts 1): tests wait for 0 before measuring concurrency. */
  graphRequestsInFlight(): number;
  /** Every HTTP request received ($batch items not included); headers lower-cased, Authorization left out. */
  requestLog: Array<{ method: string; path: string; query: string; at: number; headers: Record<string, string | undefined> }>;
  stop(): Promise<void>;
}

export async function startFakeMicrosoft(options: FakeMicrosoftOptions = {}): Promise<FakeMicrosoft> {
  const ownsCertDir = options.certDir === undefined;
  const certDir = options.certDir ?? (await mkdtemp(join(tmpdir(), 'fake-microsoft-')));
  const certificates = await createServerCertificates(certDir);
  const latencyMs = options.latencyMs ?? 0;
  const counters = emptyCounters();
  const faults = defaultFaults();
  const mailboxChanges = new MailboxChanges();
  const context: FakeContext = {
    baseUrl: '',
    directory: new Directory(),
    tokens: new AccessTokenService(),
    faults,
    counters,
    consentAnswer: null,
    signIns: new AuthorizationCodes(),
    signedIn: null,
    pageTokenKey: randomBytes(32),
    batchSequence: 0,
    mailboxChanges,
    subscriptions: new SubscriptionService(counters, faults, mailboxChanges, { ...GRAPH_DELIVERY_TIMING, ...options.changeNotifications }),
    mailboxes: new MailboxStore(mailboxChanges),
    batchItemLog: [],
  };
  const requestLog: FakeMicrosoft['requestLog'] = [];
  const requestsServed = new WeakMap<object, number>();
  let graphInFlight = 0;
  const inFlight = {
    start: () => {
      graphInFlight++;
      context.counters.maxConcurrentGraphRequests = Math.max(context.counters.maxConcurrentGraphRequests, graphInFlight);
    },
    end: () => void graphInFlight--,
  };

  const server = createServer({ key: certificates.serverKey, cert: certificates.serverCert }, (request, response) => {
    void (async () => {
      const exchange = await readExchange(request).catch(() => undefined);
      if (!exchange) return response.destroy();
      const { authorization: _token, ...headers } = exchange.headers;
      requestLog.push({ method: exchange.method, path: exchange.path, query: exchange.rawQuery, at: Date.now(), headers });
      const isGraph = exchange.path === '/v1.0' || exchange.path.startsWith('/v1.0/');
      const served = requestsServed.get(request.socket) ?? 0;
      requestsServed.set(request.socket, served + 1);
      if (isGraph && served > 0 && consumeCountedFault(context.faults.resetReusedConnections)) {
        // As a server that had already closed this idle connection: the client learns only now.
        context.counters.connectionsReset++;
        return void request.socket.destroy();
      }
      // A request is in flight until its answer is written (or the client hangs up): counting it
      // then, not at 'finish', which a busy event loop may run after the client's next request.
      let ended = !isGraph;
      const end = () => {
        if (!ended) inFlight.end();
        ended = true;
      };
      if (isGraph) {
        inFlight.start();
        response.once('close', end);
      }
      // A client that gives up (a deadline, a cancelled request) closes the connection before the answer.
      response.once('close', () => {
        if (!response.writableFinished) context.counters.abandonedRequests++;
      });
      let outgoing: OutgoingResponse;
      try {
        outgoing = isGraph ? await handleGraphRequest(context, exchange) : handleIdentityRequest(context, exchange);
      } catch (error) {
        // A bug in the fake must be loud, not look like a Microsoft error the client might handle.
        outgoing = jsonResponse(500, { error: { code: 'FakeMicrosoftBug', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } });
      }
      await sendAfter(response, outgoing, isGraph ? (context.faults.graphLatencyMs ?? latencyMs) : latencyMs);
      end();
    })();
  });
  server.on('secureConnection', () => context.counters.tlsConnections++);
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  const port = await listen(server, options.port ?? 0);
  context.baseUrl = `https://127.0.0.1:${port}`;
  context.tokens.issuerBase = context.baseUrl;

  return {
    url: context.baseUrl,
    caCertPath: certificates.caCertPath,
    registerApp: (app) => context.directory.registerApp(app),
    addTenant: (tenantOptions) => {
      const tenant = context.directory.addTenant(tenantOptions);
      return { tenantId: tenant.tenantId, users: tenant.users };
    },
    addUser: (tenantId, user) => context.directory.addUser(tenantId, user),
    grantConsent: (tenantId, clientId, roles) => context.directory.grantConsent(tenantId, clientId, roles),
    revokeConsent: (tenantId, clientId, revokeOptions) => {
      context.directory.revokeConsent(tenantId, clientId);
      if (revokeOptions?.invalidateIssuedTokens) context.tokens.invalidateIssued(tenantId, clientId);
    },
    setConsentAnswer: (answer: ConsentAnswer) => {
      context.consentAnswer = answer;
    },
    setSignedInUser: (user) => {
      context.signedIn = user;
    },
    counters: context.counters,
    resetCounters: () => resetCountersInPlace(context.counters),
    faults: context.faults,
    resetFaults: () => resetFaultsInPlace(context.faults),
    mailboxChanges: context.mailboxChanges,
    subscriptions: subscriptionControls(context.subscriptions),
    graphRequestsInFlight: () => graphInFlight,
    requestLog,
    mailbox: mailboxControls(context),
    batchItemLog: context.batchItemLog,
    stop: async () => {
      context.subscriptions.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (ownsCertDir) await rm(certDir, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
