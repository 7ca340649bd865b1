import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogEntryEntity } from '../catalog/catalog-entry.entity';
import { CatalogService } from '../catalog/catalog.service';
import { GatewayKeys } from '../crypto/keys';
import { runInTransaction } from '../db/transaction';
import { GatewayError, badInput, notFound } from '../errors';
import type { AppCredentials } from '../microsoft/app-token.service';
import { RowsById } from '../db/rows-by-id';
import type { TenantChangeListener } from '../tenants/tenant-changes';
import { TenantEntity } from '../tenants/tenant.entity';
import { ConnectorEntity } from './connector.entity';
import { isGuid, shorten, validText } from '../validation/input-rules';
import { validClientId, validClientSecret, validScopes, validSlug } from './connector-input';
import { ConnectorStatus, type CreateConnectorInput, type Scope, type UpdateConnectorInput } from './connector.types';
import { providers, requiredScopes } from './providers';

/** What the connectors' changes tell the rest of the gateway. */
export interface ConnectorHooks {
  /** a connector's credentials changed or it was deleted: drop cached Microsoft clients */
  credentialsRetired?(connectorId: string): void;
  /** told of the tenants a deletion removes, in its transaction (tenant.removed webhooks) */
  tenantListener?: TenantChangeListener;
  /** a connector was created or deleted (after the commit) */
  listChanged?(): void;
}

export class ConnectorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: GatewayKeys,
    private readonly publicUrl: string,
    private readonly hooks: ConnectorHooks = {},
  ) {
    this.connectorRows = new RowsById(dataSource, ConnectorEntity);
  }

  /** Every request reads its connectors: plain SQL, not the query builder. */
  private readonly connectorRows: RowsById<ConnectorEntity>;

  private get connectors() {
    return this.dataSource.getRepository(ConnectorEntity);
  }

  list(): Promise<ConnectorEntity[]> {
    return this.connectors.find({ order: { createdAt: 'ASC' } });
  }

  async find(selector: { id?: string | null; slug?: string | null }): Promise<ConnectorEntity> {
    const { id, slug } = selector;
    if (!id && !slug) throw badInput('Give the connector id or its slug, e.g. connector(slug: "outlook-calendar-admin")');
    const connector =
      id != null
        ? isGuid(id)
          ? await this.connectors.findOneBy({ id })
          : null
        : await this.connectors.findOneBy({ slug: slug! });
    if (!connector || (id != null && slug != null && connector.slug !== slug)) {
      throw notFound(
        `No connector with ${id != null ? `id "${shorten(id)}"` : `slug "${shorten(slug!)}"`}; list them with { connectors { id slug name } }`,
      );
    }
    return connector;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, ConnectorEntity>> {
    const rows = await this.connectorRows.load(ids);
    return new Map(rows.map((row) => [row.id, row]));
  }

  async findById(id: string): Promise<ConnectorEntity> {
    return this.find({ id });
  }

  async create(input: CreateConnectorInput): Promise<ConnectorEntity> {
    const definition = providers[input.provider];
    const name = input.name == null ? definition.defaultName : validText('name', input.name, 100);
    const wantedSlug = input.slug == null ? null : validSlug(input.slug);

    return runInTransaction(this.dataSource, async ({ manager, afterCommit }) => {
      const slug = wantedSlug ?? (await this.freeSlug(manager, definition.defaultSlug));
      if (wantedSlug && (await manager.existsBy(ConnectorEntity, { slug }))) {
        throw badInput(`slug "${slug}" is already used by another connector; choose another one`, { field: 'slug' });
      }
      const connector = Object.assign(new ConnectorEntity(), {
        id: randomUUID(),
        slug,
        provider: input.provider,
        name,
        clientId: null,
        clientSecretSealed: null,
        clientSecretHint: null,
        scopes: validScopes(input.provider, [...requiredScopes(input.provider), ...definition.defaultScopes]),
        credentialsVersion: 0,
      });
      await manager.save(connector);
      await manager.save(CatalogService.defaultEntry(connector.id, name));
      afterCommit(() => this.hooks.listChanged?.());
      return connector;
    });
  }

  /** Validates the whole input first; only then writes connector and catalog entry in one transaction. */
  async update(id: string, input: UpdateConnectorInput): Promise<ConnectorEntity> {
    const connector = await this.findById(id);
    const changes: Partial<ConnectorEntity> = {};
    if (input.name !== undefined) changes.name = validText('name', input.name, 100);
    if (input.clientId !== undefined) changes.clientId = validClientId(input.clientId);
    if (input.clientSecret !== undefined) {
      const secret = validClientSecret(input.clientSecret);
      changes.clientSecretSealed = this.keys.encrypt(secret, connector.id);
      changes.clientSecretHint = secret.length >= 12 ? secret.slice(-4) : null;
    }
    if (input.scopes !== undefined) {
      if (input.scopes === null) throw badInput('scopes cannot be null; send the full list of permissions to select', { field: 'scopes' });
      changes.scopes = validScopes(connector.provider, input.scopes);
    }
    const credentialsChanged =
      (changes.clientId !== undefined && changes.clientId !== connector.clientId) || changes.clientSecretSealed !== undefined;

    const saved = await runInTransaction(this.dataSource, async ({ manager }) => {
      if (input.catalog) {
        const entry = await manager.findOneByOrFail(CatalogEntryEntity, { connectorId: connector.id });
        await manager.save(CatalogService.applyInput(entry, input.catalog));
      }
      // Only the given columns, and the version incremented by the database: two concurrent
      // updates neither undo each other's fields nor reuse one credentials version.
      await manager.update(ConnectorEntity, { id: connector.id }, {
        ...changes,
        ...(credentialsChanged ? { credentialsVersion: () => 'credentials_version + 1' } : {}),
        updatedAt: new Date(),
      });
      return manager.findOneByOrFail(ConnectorEntity, { id: connector.id });
    });
    if (credentialsChanged) this.hooks.credentialsRetired?.(connector.id);
    return saved;
  }

  /** Removes the connector; its catalog entry, tenants and pending consent states go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<boolean> {
    const connector = await this.findById(id);
    await runInTransaction(this.dataSource, async (transaction) => {
      const tenants = await transaction.manager.findBy(TenantEntity, { connectorId: connector.id });
      await transaction.manager.delete(ConnectorEntity, { id: connector.id });
      for (const before of tenants) await this.hooks.tenantListener?.changed(transaction, { before, after: null });
      transaction.afterCommit(() => this.hooks.listChanged?.());
    });
    this.hooks.credentialsRetired?.(connector.id);
    return true;
  }

  status(connector: ConnectorEntity): ConnectorStatus {
    return connector.clientId && connector.clientSecretSealed ? ConnectorStatus.READY : ConnectorStatus.INCOMPLETE;
  }

  callbackUrl(connector: Pick<ConnectorEntity, 'slug'>): string {
    return `${this.publicUrl}/callback/${connector.slug}`;
  }

  availableScopes(connector: ConnectorEntity): Scope[] {
    return providers[connector.provider].scopes.map((scope) => ({ ...scope, selected: connector.scopes.includes(scope.name) }));
  }

  /** The plaintext credentials, for the Microsoft token client only. */
  credentials(connector: ConnectorEntity): AppCredentials {
    if (!connector.clientId || !connector.clientSecretSealed) {
      throw new GatewayError(
        'CONNECTOR_INCOMPLETE',
        `Connector "${connector.slug}" has no ${connector.clientId ? 'client secret' : 'client ID'} yet: set clientId and clientSecret with updateConnector first`,
      );
    }
    return {
      connectorId: connector.id,
      clientId: connector.clientId,
      clientSecret: this.keys.decrypt(connector.clientSecretSealed, connector.id),
      version: String(connector.credentialsVersion),
    };
  }

  private async freeSlug(manager: EntityManager, base: string): Promise<string> {
    for (let suffix = 1; ; suffix++) {
      const candidate = suffix === 1 ? base : `${base}-${suffix}`;
      if (!(await manager.existsBy(ConnectorEntity, { slug: candidate }))) return candidate;
    }
  }
}
