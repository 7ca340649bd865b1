/**
 * `$select` from what a query asks for: the gateway's field names map to the Graph properties
 * that carry them, so a query for subjects never downloads attendees or bodies. Loads that ask
 * for the same resource with different fields in one DataLoader tick are merged into one Graph
 * request that selects the union, so they still share `$batch` calls.
 */

/** Gateway field → the Graph properties it is read from; fields that are not in the table (nested resolvers, __typename) need none. */
export type PropertyTable = Readonly<Record<string, readonly string[]>>;

const selects = new WeakMap<PropertyTable, WeakMap<ReadonlySet<string>, string>>();

/**
 * The Graph properties for these fields, in the table's order, always with `id`, comma-joined for
 * `$select`. Remembered per set of fields, since every item of a page asks with the same set.
 */
export function graphSelect(table: PropertyTable, fields: ReadonlySet<string>): string {
  let byFields = selects.get(table);
  if (!byFields) selects.set(table, (byFields = new WeakMap()));
  let select = byFields.get(fields);
  if (select === undefined) {
    const wanted = new Set<string>(['id']);
    for (const field of fields) for (const property of table[field] ?? []) wanted.add(property);
    select = [...new Set(Object.values(table).flat())].filter((property) => wanted.has(property)).join(',');
    byFields.set(fields, select);
  }
  return select;
}

/** One Graph request standing for every key of a tick that names the same resource. */
export interface MergedRead<K> {
  /** the first of those keys: what the request is built from */
  key: K;
  /** the union of their selections, for `$select` */
  select: string;
  /** where those keys are in the DataLoader's batch */
  positions: number[];
}

/**
 * Groups a DataLoader batch by the resource each key names (`resourceOf`), merging the `$select`
 * of each group. Each key's `select` is a comma-joined list as graphSelect returns it.
 */
export function mergeSelections<K extends { select: string }>(keys: readonly K[], resourceOf: (key: K) => string): Array<MergedRead<K>> {
  const groups = new Map<string, { key: K; select: string; positions: number[] }>();
  keys.forEach((key, position) => {
    const resource = resourceOf(key);
    const group = groups.get(resource);
    if (!group) {
      groups.set(resource, { key, select: key.select, positions: [position] });
      return;
    }
    // Usually every key of a resource asks the same; only a different selection is merged property by property.
    if (key.select !== group.select) {
      const properties = group.select.split(',');
      for (const property of key.select.split(',')) if (!properties.includes(property)) properties.push(property);
      group.select = properties.join(',');
    }
    group.positions.push(position);
  });
  return [...groups.values()];
}

/** Spreads each merged read's result back to the positions of the keys it stands for. */
export function spreadToPositions<K, R>(reads: Array<MergedRead<K>>, results: R[], size: number): R[] {
  const byPosition = new Array<R>(size);
  reads.forEach((read, index) => {
    for (const position of read.positions) byPosition[position] = results[index]!;
  });
  return byPosition;
}
