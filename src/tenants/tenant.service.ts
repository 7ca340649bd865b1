import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { ConnectorEntity } from '../connectors/connector.entity';
import { ConnectorService } from '../connectors/connector.service';
import type { EntityLoaders } from '../entity-loaders';
import { RowsById } from '../db/rows-by-id';
import { runInTransaction, type Transaction } from '../db/transaction';
import { isGuid } from '../validation/input-rules';
import { GatewayError, notFound } from '../errors';
import { AppToken, AppTokenService, MicrosoftTokenError, type AppCredentials } from '../microsoft/app-token.service';
import { GraphClient, type TenantAccess } from '../microsoft/graph-client';
import { toGatewayError } from '../microsoft/to-gateway-error';
import { getOrganization } from '../microsoft/graph-directory';
import type { Logger } from '../observability/logger';
import type { TenantGraphAccess, WorkScope } from './tenant-access';
import { sameRoles, type TenantChangeListener } from './tenant-changes';
import { TenantEntity, TenantStatus } from './tenant.entity';

/** A proven consent that records no tenant: the directory does not exist, or the app is not consented there. */
export class TenantNotRecorded extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TenantNotRecorded';
  }
}

/** Tenants: recording consent, checking it again, and handing out app tokens for Graph. */
export class TenantService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: ConnectorService,
    private readonly tokens: AppTokenService,
    private readonly graph: GraphClient,
    private readonly logger: Logger,
    /** told of every change in its transaction: webhooks, change-notification bookkeeping */
    private readonly listener: TenantChangeListener = { changed: async () => undefined },
  ) {
    this.tenantRows = new RowsById(dataSource, TenantEntity);
  }

  /** Every request reads its tenant: plain SQL, not the query builder. */
  private readonly tenantRows: RowsById<TenantEntity>;

  private get tenants() {
    return this.dataSource.getRepository(TenantEntity);
  }

  async list(connectorId?: string | null): Promise<TenantEntity[]> {
    if (connectorId != null) await this.connectors.findById(connectorId);
    return this.tenants.find({
      where: connectorId != null ? { connectorId } : {},
      order: { consentedAt: 'ASC' },
    });
  }

  /** With the request's loaders, a tenant the request already read is not read again. */
  async get(id: string, loaders?: EntityLoaders): Promise<TenantEntity> {
    const tenant = !isGuid(id) ? null : loaders ? await loaders.tenant.load(id) : await this.tenants.findOneBy({ id });
    if (!tenant) throw notFound(`No tenant with id "${id.slice(0, 64)}"; list them with { tenants { id microsoftTenantId displayName } }`);
    return tenant;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, TenantEntity>> {
    const rows = await this.tenantRows.load(ids);
    return new Map(rows.map((row) => [row.id, row]));
  }

  forConnectors(connectorIds: readonly string[]): Promise<TenantEntity[]> {
    return this.tenants.find({ where: { connectorId: In([...connectorIds]) }, order: { consentedAt: 'ASC' } });
  }

  missingScopes(tenant: TenantEntity, connector: ConnectorEntity): string[] {
    return connector.scopes.filter((scope) => !tenant.grantedScopes.includes(scope));
  }

  /**
   * After a proven admin consent: checks it with a fresh token (roles, organisation name), then
   * records the tenant or re-activates it. A directory that does not exist or where the app is not
   * consented records nothing (TenantNotRecorded, with Microsoft's reason); another token failure
   * (a rejected secret, Microsoft unreachable) records the tenant as ERROR, so the admin's consent
   * is not lost. Concurrent consents of the same new tenant leave one row.
   */
  async recordConsent(connector: ConnectorEntity, microsoftTenantId: string): Promise<TenantEntity> {
    const now = new Date();
    const checked: Partial<TenantEntity> = { status: TenantStatus.CONSENTED, statusReason: null, consentedAt: now, checkedAt: now };
    try {
      // Fresh: a token cached before a re-consent still carries the old roles.
      const token = await this.tokens.acquire(this.connectors.credentials(connector), microsoftTenantId, { fresh: true });
      checked.grantedScopes = [...token.roles].sort();
      const organization = await this.organizationName(microsoftTenantId, this.accessWith(connector, microsoftTenantId, token.accessToken));
      if (organization !== null) checked.displayName = organization;
    } catch (error) {
      if (error instanceof GatewayError || !(error instanceof MicrosoftTokenError)) throw error;
      const failure = describeTokenFailure(error);
      if (error.kind === 'consent_missing' || error.kind === 'tenant_not_found') throw new TenantNotRecorded(failure.reason);
      Object.assign(checked, { status: TenantStatus.ERROR, statusReason: failure.reason });
      this.logger.warn({ connectorId: connector.id, reason: failure.reason }, 'consent recorded, but no token could be had');
    }
    const where = { connectorId: connector.id, microsoftTenantId };
    const newId = randomUUID();
    return runInTransaction(this.dataSource, async (transaction) => {
      // Concurrent consents of the same new tenant: one insert wins, the others find its row.
      await transaction.manager
        .createQueryBuilder()
        .insert()
        .into(TenantEntity)
        .values({ id: newId, ...where, displayName: null, grantedScopes: [], ...checked })
        .orIgnore()
        .execute();
      const row = (await this.locked(transaction, where))!;
      const before = row.id === newId ? null : Object.assign(new TenantEntity(), row);
      if (before) {
        await transaction.manager.update(TenantEntity, where, checked);
        Object.assign(row, checked);
      }
      await this.listener.changed(transaction, { before, after: row });
      return row;
    });
  }

  async refresh(id: string): Promise<TenantEntity> {
    const tenant = await this.get(id);
    return this.check(tenant, await this.connectors.findById(tenant.connectorId));
  }

  /**
   * Client tokens issued before `notBefore` are refused from now on: all of the tenant's, or those
   * bound to one user. A later instant already set stays; user revocations older than the longest
   * token lifetime are dropped, since every token they covered has expired.
   */
  async revokeClientTokens(id: string, notBefore: Date, userId: string | null, longestTokenMs: number): Promise<void> {
    await runInTransaction(this.dataSource, async (transaction) => {
      const tenant = await this.locked(transaction, { id });
      if (!tenant) return;
      if (!userId) {
        if (!tenant.clientTokensNotBefore || tenant.clientTokensNotBefore < notBefore) {
          await transaction.manager.update(TenantEntity, { id }, { clientTokensNotBefore: notBefore });
        }
        return;
      }
      const revocations = withUserRevocation(tenant.clientTokenUserRevocations, userId, notBefore, longestTokenMs);
      await transaction.manager.update(TenantEntity, { id }, { clientTokenUserRevocations: revocations });
    });
  }

  async remove(id: string): Promise<boolean> {
    const tenant = await this.get(id);
    await runInTransaction(this.dataSource, async (transaction) => {
      const before = await transaction.manager.findOneBy(TenantEntity, { id: tenant.id });
      if (!before) return;
      // Told first: what the tenant's rows hold (its Graph subscriptions) is still there to read.
      await this.listener.changed(transaction, { before, after: null });
      await transaction.manager.delete(TenantEntity, { id: tenant.id });
    });
    return true;
  }

  /**
   * The tenant's Graph access for one unit of work: its connector is read and its secret decrypted
   * once, on first use, however many Graph calls and retries follow; calls end with the scope's signal.
   */
  access(tenant: TenantEntity, scope: WorkScope & { connector?: ConnectorEntity } = {}): TenantGraphAccess {
    const cached = scope.tenantAccess?.get(tenant.id);
    if (cached) return cached;
    let app: Promise<{ connector: ConnectorEntity; credentials: AppCredentials }> | undefined;
    const resolveApp = () =>
      (app ??= (async () => {
        const connector = scope.connector ?? (scope.loaders ? await scope.loaders.connector.load(tenant.connectorId) : await this.connectors.findById(tenant.connectorId));
        return { connector, credentials: this.connectors.credentials(connector) };
      })());
    const appToken = async (options: { fresh?: boolean } = {}) => {
      const { connector, credentials } = await resolveApp();
      return this.token(tenant, connector, credentials, options);
    };
    const access: TenantGraphAccess = {
      tenantId: tenant.microsoftTenantId,
      signal: scope.signal,
      deadline: scope.deadline,
      appToken,
      getToken: async (options) => (await appToken(options)).accessToken,
    };
    scope.tenantAccess?.set(tenant.id, access);
    return access;
  }

  /**
   * Graph access to a directory that has no tenant row any more, to undo what the gateway made
   * there (its subscriptions): the connector's app token, with nothing recorded about the directory.
   */
  async formerTenantAccess(connectorId: string, microsoftTenantId: string, scope: WorkScope = {}): Promise<TenantAccess> {
    const credentials = this.connectors.credentials(await this.connectors.findById(connectorId));
    return {
      tenantId: microsoftTenantId,
      signal: scope.signal,
      deadline: scope.deadline,
      getToken: async (options) => (await this.tokens.acquire(credentials, microsoftTenantId, options)).accessToken,
    };
  }

  /** The tenant's app token, from cache while valid; failures mark the tenant and become contract errors. */
  private async token(tenant: TenantEntity, connector: ConnectorEntity, credentials: AppCredentials, options: { fresh?: boolean }): Promise<AppToken> {
    try {
      const token = await this.tokens.acquire(credentials, tenant.microsoftTenantId, options);
      if (tenant.status !== TenantStatus.CONSENTED || !sameRoles(tenant.grantedScopes, token.roles)) {
        await this.save(tenant, { status: TenantStatus.CONSENTED, statusReason: null, grantedScopes: [...token.roles].sort() });
      }
      return token;
    } catch (error) {
      throw await this.tokenFailure(tenant, connector, error);
    }
  }

  /** Checks the consent again; a transient failure is reported without touching the tenant. */
  private async check(tenant: TenantEntity, connector: ConnectorEntity): Promise<TenantEntity> {
    const changes: Partial<TenantEntity> = { checkedAt: new Date() };
    try {
      // Fresh: a token cached before a re-consent still carries the old roles.
      const token = await this.tokens.acquire(this.connectors.credentials(connector), tenant.microsoftTenantId, { fresh: true });
      Object.assign(changes, { grantedScopes: [...token.roles].sort(), status: TenantStatus.CONSENTED, statusReason: null });
      changes.displayName = (await this.organizationName(tenant.microsoftTenantId, this.access(tenant, { connector }))) ?? tenant.displayName;
    } catch (error) {
      if (!(error instanceof MicrosoftTokenError)) throw error;
      const failure = describeTokenFailure(error);
      if (!failure.status) throw new GatewayError('UPSTREAM_ERROR', `${failure.reason} Try again shortly.`);
      Object.assign(changes, { status: failure.status, statusReason: failure.reason });
      this.logger.warn({ tenantId: tenant.id, reason: failure.reason }, 'consent check failed');
    }
    return (await this.transition(tenant.id, changes)) ?? Object.assign(tenant, changes);
  }

  private async organizationName(microsoftTenantId: string, access: TenantAccess): Promise<string | null> {
    try {
      return (await getOrganization(this.graph, access)).displayName;
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      // Without Directory.Read.All (or while consent replicates) the name is simply unknown for now.
      this.logger.info({ microsoftTenantId, code: error.code }, 'organisation name not readable');
      return null;
    }
  }

  /** Graph access with a token just taken, for reads made before the tenant has a row. */
  private accessWith(connector: ConnectorEntity, microsoftTenantId: string, accessToken: string): TenantAccess {
    const credentials = this.connectors.credentials(connector);
    return {
      tenantId: microsoftTenantId,
      getToken: async (options) => (options?.fresh ? (await this.tokens.acquire(credentials, microsoftTenantId, { fresh: true })).accessToken : accessToken),
    };
  }

  /** Records what a token failure says about the tenant; the contract code comes from the Microsoft layer. */
  private async tokenFailure(tenant: TenantEntity, connector: ConnectorEntity, error: unknown): Promise<Error> {
    const mapped = toGatewayError(error);
    if (!(mapped instanceof GatewayError) || mapped === error) return mapped;
    const failure = describeTokenFailure(error);
    if (!failure.status) return mapped;
    await this.save(tenant, { status: failure.status, statusReason: failure.reason });
    return new GatewayError(mapped.code, `${failure.reason} (tenant ${tenant.microsoftTenantId}, connector "${connector.slug}")`, {
      ...mapped.extensions,
      tenantId: tenant.id,
    });
  }

  private async save(tenant: TenantEntity, changes: Partial<TenantEntity>): Promise<void> {
    Object.assign(tenant, changes, { checkedAt: new Date() });
    await this.transition(tenant.id, { ...changes, checkedAt: tenant.checkedAt });
  }

  /** Applies the changes to the row as it is in the database now, telling the listener in the same transaction; null when the tenant is gone. */
  private transition(id: string, changes: Partial<TenantEntity>): Promise<TenantEntity | null> {
    return runInTransaction(this.dataSource, async (transaction) => {
      const before = await this.locked(transaction, { id });
      if (!before) return null;
      await transaction.manager.update(TenantEntity, { id }, changes);
      const after = Object.assign(new TenantEntity(), before, changes);
      await this.listener.changed(transaction, { before, after });
      return after;
    });
  }

  /** The row, locked for the rest of the transaction on PostgreSQL (SQLite has one writer at a time); null when there is none. */
  private async locked(transaction: Transaction, where: Partial<Pick<TenantEntity, 'id' | 'connectorId' | 'microsoftTenantId'>>): Promise<TenantEntity | null> {
    const query = transaction.manager.createQueryBuilder(TenantEntity, 'tenant').where(where);
    return (transaction.locksRows ? query.setLock('pessimistic_write') : query).getOne();
  }
}

/**
 * The user revocations with one more (or a later instant for that user), less those older than
 * the longest token lifetime: every token they covered has expired.
 */
export function withUserRevocation(revocations: Record<string, string> | null, userId: string, notBefore: Date, longestTokenMs: number): Record<string, string> {
  const oldest = notBefore.getTime() - longestTokenMs;
  const kept: Record<string, string> = Object.fromEntries(Object.entries(revocations ?? {}).filter(([, at]) => Date.parse(at) > oldest));
  if (!kept[userId] || Date.parse(kept[userId]) < notBefore.getTime()) kept[userId] = notBefore.toISOString();
  return kept;
}

/** Microsoft's reason in plain words plus what to do, and the tenant status it implies (none when transient). */
export function describeTokenFailure(error: unknown): { status: TenantStatus | null; reason: string } {
  if (!(error instanceof MicrosoftTokenError)) {
    return { status: null, reason: 'Microsoft could not be reached for an app token.' };
  }
  switch (error.kind) {
    case 'consent_missing':
      return {
        status: TenantStatus.REVOKED,
        reason: `The organisation's consent is missing or was revoked: ${error.reason} An admin must consent again through a new consent link (or wait a few minutes if they consented just now, then refreshTenant).`,
      };
    case 'invalid_client':
      return {
        status: TenantStatus.ERROR,
        reason: `Microsoft rejected the connector's credentials: ${error.reason} Set a current client secret with updateConnector, then refreshTenant.`,
      };
    case 'tenant_not_found':
      return {
        status: TenantStatus.ERROR,
        reason: `Microsoft does not know this directory: ${error.reason} Check the tenant, or remove it with removeTenant.`,
      };
    default:
      return { status: null, reason: `Microsoft did not issue an app token: ${error.reason}` };
  }
}

