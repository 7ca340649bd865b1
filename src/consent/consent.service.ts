import { randomBytes } from 'node:crypto';
import { DataSource, IsNull, LessThan, MoreThan } from 'typeorm';
import { ConnectorEntity } from '../connectors/connector.entity';
import { ConnectorService } from '../connectors/connector.service';
import { GatewayKeys } from '../crypto/keys';
import { runInTransaction } from '../db/transaction';
import { badInput } from '../errors';
import { adminConsentUrl } from '../microsoft/admin-consent';
import { AdminSignIn, SignInFailed } from '../microsoft/admin-sign-in';
import { isGuid } from '../validation/input-rules';
import { ConsentStateEntity } from './consent-state.entity';

const STATE_LIFETIME_MS = 60 * 60 * 1000;
const DOMAIN = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export interface StatePayload {
  /** the consent_states row id */
  n: string;
  /** connector id */
  c: string;
  /** expiry, epoch seconds */
  e: number;
  /** 'signin' once the admin consented and was sent to sign in; absent before */
  s?: 'signin';
}

export interface ConsentLink {
  url: string;
  expiresAt: Date;
}

/** Why a callback's state was refused before it was used; each becomes a 400 page that says what to do. */
export class ConsentStateError extends Error {}

/**
 * The consent went wrong after its state was used up: the admin declined, or the sign-in did not
 * prove the tenant. Nothing was recorded; the app at returnTo is told (`status=declined|error`).
 */
export class ConsentRefused extends Error {
  constructor(
    readonly outcome: 'declined' | 'error',
    /** a short code for returnTo, e.g. access_denied, tenant_mismatch */
    readonly errorCode: string,
    readonly title: string,
    message: string,
    readonly returnTo: string | null,
  ) {
    super(message);
  }
}

/**
 * Consent links and the two steps Microsoft sends the admin back through, both to the connector's
 * one callback URL: the admin-consent answer (which names a tenant, unauthenticated), then an
 * OpenID Connect sign-in whose ID token proves it. A state works once, across replicas: each step
 * is one conditional UPDATE of its row.
 */
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: ConnectorService,
    private readonly keys: GatewayKeys,
    private readonly signIn: AdminSignIn,
    private readonly options: { loginUrl: string; allowedReturnOrigins: string[] },
  ) {}

  private get states() {
    return this.dataSource.getRepository(ConsentStateEntity);
  }

  async createLink(connectorId: string, tenantHint?: string | null, returnTo?: string | null): Promise<ConsentLink> {
    const connector = await this.connectors.findById(connectorId);
    const credentials = this.connectors.credentials(connector);
    const hint = tenantHint == null || tenantHint === '' ? null : validTenantHint(tenantHint);
    const checkedReturnTo = returnTo == null || returnTo === '' ? null : this.validReturnTo(returnTo);

    const now = Date.now();
    const expiresAt = new Date(now + STATE_LIFETIME_MS);
    const row = Object.assign(new ConsentStateEntity(), {
      id: randomBytes(32).toString('base64url'),
      connectorId: connector.id,
      returnTo: checkedReturnTo,
      tenantHint: hint === 'organizations' ? null : hint,
      consentedTenantId: null,
      expiresAt,
      usedAt: null,
      createdAt: new Date(now),
    });
    await runInTransaction(this.dataSource, async ({ manager }) => {
      await manager.insert(ConsentStateEntity, row);
      // Expired states are useless; sweeping them here keeps the table small without a scheduler.
      await manager.delete(ConsentStateEntity, { expiresAt: LessThan(new Date(now - STATE_LIFETIME_MS)) });
    });

    const state = this.keys.sign({ n: row.id, c: connector.id, e: Math.floor(expiresAt.getTime() / 1000) } satisfies StatePayload);
    return {
      url: adminConsentUrl({
        loginUrl: this.options.loginUrl,
        tenant: hint ?? 'organizations',
        clientId: credentials.clientId,
        redirectUri: this.connectors.callbackUrl(connector),
        state,
      }),
      expiresAt,
    };
  }

  /**
   * Checks a callback's state without using it up: signature, connector, expiry. Consuming is a
   * separate step so that a callback with other bad input does not burn the admin's link.
   */
  verifyState(connector: ConnectorEntity, state: string | undefined): StatePayload {
    if (!state) throw new ConsentStateError('The callback has no state parameter. Open the consent link the gateway generated; do not edit it.');
    const payload = this.keys.verify<StatePayload>(state);
    if (!payload || typeof payload.n !== 'string' || typeof payload.c !== 'string' || typeof payload.e !== 'number') {
      throw new ConsentStateError('The state parameter is not one this gateway signed. Ask for a new consent link.');
    }
    if (payload.c !== connector.id) {
      throw new ConsentStateError(`This consent link was made for another connector, not "${connector.slug}". Ask for a new consent link for this connector.`);
    }
    if (payload.e * 1000 <= Date.now()) {
      throw new ConsentStateError('This consent link has expired (links are valid for one hour). Ask for a new consent link.');
    }
    return payload;
  }

  /**
   * The admin consented and Microsoft named `claimedTenant`: remember it on the state (once) and
   * return where to send the admin to sign in. A link made for one tenant refuses any other.
   */
  async startSignIn(connector: ConnectorEntity, payload: StatePayload, claimedTenant: string): Promise<string> {
    if (payload.s) throw new ConsentStateError('This link is already past the consent step. Ask for a new consent link.');
    const row = await this.liveRow(payload);
    if (row.tenantHint && isGuid(row.tenantHint) && row.tenantHint !== claimedTenant) {
      throw new ConsentStateError(`This consent link was made for the directory ${row.tenantHint} only, and Microsoft's answer names another one. Nothing was recorded. Ask for a consent link for that organisation.`);
    }
    const now = new Date();
    const result = await runInTransaction(this.dataSource, ({ manager }) =>
      manager.update(ConsentStateEntity, { id: payload.n, connectorId: payload.c, usedAt: IsNull(), consentedTenantId: IsNull(), expiresAt: MoreThan(now) }, { consentedTenantId: claimedTenant }),
    );
    if (result.affected !== 1) throw alreadyUsed();
    return this.signIn.authorizeUrl({
      ...this.signInRequest(connector, payload.n, row.tenantHint ?? claimedTenant),
      state: this.keys.sign({ n: payload.n, c: payload.c, e: payload.e, s: 'signin' } satisfies StatePayload),
    });
  }

  /**
   * The admin signed in: redeem the code and use up the state. The ID token's directory must be
   * the one the consent answer named, or nothing is recorded.
   */
  async finishSignIn(connector: ConnectorEntity, payload: StatePayload, code: string): Promise<{ microsoftTenantId: string; returnTo: string | null }> {
    if (payload.s !== 'signin') throw new ConsentStateError('This callback carries a sign-in code but its link is not at the sign-in step. Ask for a new consent link.');
    const row = await this.liveRow(payload);
    const claimed = row.consentedTenantId;
    if (!claimed) throw new ConsentStateError('This consent link has no consent to confirm. Ask for a new consent link.');
    let proof: { tenantId: string };
    try {
      proof = await this.signIn.redeem({ ...this.signInRequest(connector, payload.n, row.tenantHint ?? claimed), code });
    } catch (error) {
      if (!(error instanceof SignInFailed)) throw error;
      const { returnTo } = await this.consume(payload);
      throw new ConsentRefused('error', 'sign_in_failed', 'The sign-in did not complete', `Microsoft did not confirm the administrator's sign-in: ${error.reason} Nothing was recorded; try again with a new consent link.`, returnTo);
    }
    const { returnTo } = await this.consume(payload);
    if (proof.tenantId !== claimed) {
      throw new ConsentRefused(
        'error',
        'tenant_mismatch',
        'This consent cannot be confirmed',
        `The administrator who signed in belongs to the directory ${proof.tenantId}, not to ${claimed} that the consent answer named. Nothing was recorded. An administrator of the organisation must open a new consent link.`,
        returnTo,
      );
    }
    return { microsoftTenantId: claimed, returnTo };
  }

  /** Uses up the state (a declined consent, a failed sign-in); returns its returnTo. */
  async consume(payload: StatePayload): Promise<{ returnTo: string | null }> {
    const now = new Date();
    const result = await runInTransaction(this.dataSource, ({ manager }) =>
      manager.update(ConsentStateEntity, { id: payload.n, connectorId: payload.c, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now }),
    );
    if (result.affected !== 1) throw alreadyUsed();
    const row = await this.states.findOneByOrFail({ id: payload.n });
    return { returnTo: row.returnTo };
  }

  private async liveRow(payload: StatePayload): Promise<ConsentStateEntity> {
    const row = await this.states.findOneBy({ id: payload.n, connectorId: payload.c });
    if (!row || row.usedAt) throw alreadyUsed();
    return row;
  }

  private signInRequest(connector: ConnectorEntity, stateId: string, tenant: string) {
    return {
      credentials: this.connectors.credentials(connector),
      tenant,
      redirectUri: this.connectors.callbackUrl(connector),
      codeVerifier: this.keys.derive('consent-sign-in-pkce', stateId),
      nonce: this.keys.derive('consent-sign-in-nonce', stateId),
    };
  }

  private validReturnTo(returnTo: string): string {
    const parsed = URL.canParse(returnTo) ? new URL(returnTo) : null;
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || returnTo.length > 2048) {
      throw badInput('returnTo must be an absolute http(s) URL of your app, for example https://app.example.com/connected', { field: 'returnTo' });
    }
    if (!this.options.allowedReturnOrigins.includes(parsed.origin)) {
      throw badInput(
        `returnTo's origin ${parsed.origin} is not allowed. Allowed: ${this.options.allowedReturnOrigins.join(', ')}. Add it to XKIT_ALLOWED_RETURN_ORIGINS (comma-separated) and restart the gateway.`,
        { field: 'returnTo' },
      );
    }
    return parsed.toString();
  }
}

function alreadyUsed(): ConsentStateError {
  return new ConsentStateError('This consent link has already been used. Each link works once: ask for a new one.');
}

export function validTenantHint(hint: string): string {
  const value = hint.trim().toLowerCase();
  if (value === 'organizations' || isGuid(value) || DOMAIN.test(value)) return value;
  throw badInput(
    'tenantHint must be the customer\'s directory (tenant) ID GUID or one of its domains such as contoso.onmicrosoft.com; leave it out to let any organisation\'s admin sign in',
    { field: 'tenantHint' },
  );
}
