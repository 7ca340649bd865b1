import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { validLogoUrl } from '../connectors/connector-input';
import { validOptionalText, validText } from '../validation/input-rules';
import type { CatalogInput } from '../connectors/connector.types';
import { CatalogEntryEntity } from './catalog-entry.entity';

export class CatalogService {
  constructor(private readonly dataSource: DataSource) {}

  private get entries() {
    return this.dataSource.getRepository(CatalogEntryEntity);
  }

  /** The public catalog: published entries only. */
  published(): Promise<CatalogEntryEntity[]> {
    return this.entries.find({ where: { published: true }, order: { name: 'ASC' } });
  }

  async forConnectors(connectorIds: readonly string[]): Promise<Map<string, CatalogEntryEntity>> {
    const rows = await this.entries.findBy({ connectorId: In([...connectorIds]) });
    return new Map(rows.map((row) => [row.connectorId, row]));
  }

  /** A new connector's entry: unpublished, named like the connector. */
  static defaultEntry(connectorId: string, name: string): CatalogEntryEntity {
    return Object.assign(new CatalogEntryEntity(), {
      id: randomUUID(),
      connectorId,
      name,
      description: null,
      logoUrl: null,
      published: false,
    });
  }

  /** Validates every field before changing any, so a rejected input leaves the entry as it was. */
  static applyInput(entry: CatalogEntryEntity, input: CatalogInput): CatalogEntryEntity {
    const changes: Partial<CatalogEntryEntity> = {};
    if (input.name !== undefined) changes.name = validText('catalog.name', input.name, 100);
    if (input.description !== undefined) changes.description = validOptionalText('catalog.description', input.description, 1000);
    if (input.logoUrl !== undefined) changes.logoUrl = validLogoUrl(input.logoUrl);
    if (input.published !== undefined && input.published !== null) changes.published = input.published;
    return Object.assign(entry, changes);
  }
}
