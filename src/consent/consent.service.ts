import { randomBytes } from 'node:crypto';
import { DataSource, IsNull, LessThan, MoreThan } from 'typeorm';
import { ConnectorEntity } from '../connectors/connector.entity';
import { ConnectorService } from '../connectors/connector.service';
import { isGuid } from '../validation/input-rules';
import { GatewayKeys } from '../crypto/keys';
import { badInput } from '../errors';
import { adminConsentUrl } from '../microsoft/admin-consent';
import { ConsentStateEntity } from './consent-state.entity';

const STATE_LIFETIME_MS = 60 * 60 * 1000;
const DOMAIN = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

interface StatePayload {
  /** the consent_states row id */
  n: string;
  /** connector id */
  c: string;
  /** expiry, epoch seconds */
  e: number;
}

export interface ConsentLink {
  url: string;
  expiresAt: Date;
}

/** Why a callback's state was refused; each becomes a 400 page that says what to do. */
export class ConsentStateError extends Error {}

export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: ConnectorService,
    private readonly keys: GatewayKeys,
    private readonly loginUrl: string,
    private readonly allowedReturnOrigins: string[],
  ) {}

  private get states() {
    return this.dataSource.getRepository(ConsentStateEntity);
  }

  async createLink(connectorId: string, tenantHint?: string | null, returnTo?: string | null): Promise<ConsentLink> {
    const connector = await this.connectors.findById(connectorId);
    const credentials = this.connectors.credentials(connector);
    const authorityTenant = tenantHint == null || tenantHint === '' ? 'organizations' : validTenantHint(tenantHint);
    const checkedReturnTo = returnTo == null || returnTo === '' ? null : this.validReturnTo(returnTo);

    const now = Date.now();
    const expiresAt = new Date(now + STATE_LIFETIME_MS);
    const row = Object.assign(new ConsentStateEntity(), {
      id: randomBytes(32).toString('base64url'),
      connectorId: connector.id,
      returnTo: checkedReturnTo,
      expiresAt,
      usedAt: null,
      createdAt: new Date(now),
    });
    await this.states.save(row);
    // Expired states are useless; sweeping them here keeps the table small without a scheduler.
    await this.states.delete({ expiresAt: LessThan(new Date(now - STATE_LIFETIME_MS)) });

    const state = this.keys.sign({ n: row.id, c: connector.id, e: Math.floor(expiresAt.getTime() / 1000) } satisfies StatePayload);
    return {
      url: adminConsentUrl({
        loginUrl: this.loginUrl,
        tenant: authorityTenant,
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

  /** Marks the state used, atomically across replicas; returns its returnTo. */
  async consumeState(payload: StatePayload): Promise<{ returnTo: string | null }> {
    const now = new Date();
    const result = await this.states
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where({ id: payload.n, connectorId: payload.c, usedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    if (result.affected !== 1) {
      throw new ConsentStateError('This consent link has already been used. Each link works once: ask for a new one.');
    }
    const row = await this.states.findOneByOrFail({ id: payload.n });
    return { returnTo: row.returnTo };
  }

  private validReturnTo(returnTo: string): string {
    let parsed: URL | null = null;
    try {
      parsed = new URL(returnTo);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || returnTo.length > 2048) {
      throw badInput('returnTo must be an absolute http(s) URL of your app, for example https://app.example.com/connected', { field: 'returnTo' });
    }
    if (!this.allowedReturnOrigins.includes(parsed.origin)) {
      throw badInput(
        `returnTo's origin ${parsed.origin} is not allowed. Allowed: ${this.allowedReturnOrigins.join(', ')}. Add it to XKIT_ALLOWED_RETURN_ORIGINS (comma-separated) and restart the gateway.`,
        { field: 'returnTo' },
      );
    }
    return parsed.toString();
  }
}

export function validTenantHint(hint: string): string {
  const value = hint.trim().toLowerCase();
  if (value === 'organizations' || isGuid(value) || DOMAIN.test(value)) return value;
  throw badInput(
    'tenantHint must be the customer\'s directory (tenant) ID GUID or one of its domains such as contoso.onmicrosoft.com; leave it out to let any organisation\'s admin sign in',
    { field: 'tenantHint' },
  );
}
