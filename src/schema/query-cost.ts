import type { DocumentNode, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { CoercedVariables } from './variable-coercion';

/**
 * How many items the gateway's own lists hold right now, so a query across every tenant costs
 * what it will really do: `tenants { users { … } }` over 21 tenants costs 21 times one tenant.
 */
export interface ListSizes {
  connectors: number;
  /** tenants per connector id */
  tenantsByConnector: ReadonlyMap<string, number>;
}

/** Fields whose item count is the size of one of the gateway's lists, by "Type.field". */
const LIST_FIELDS: Record<string, (sizes: ListSizes, args: Record<string, unknown>) => number> = {
  'Query.connectors': (sizes) => sizes.connectors,
  'Query.tenants': (sizes, args) =>
    typeof args.connectorId === 'string' ? (sizes.tenantsByConnector.get(args.connectorId) ?? 0) : sum(sizes.tenantsByConnector.values()),
  // Per connector, bounded by the connector with the most tenants.
  'Connector.tenants': (sizes) => Math.max(0, ...sizes.tenantsByConnector.values()),
};

export const LIST_FIELD_NAMES = new Set(Object.keys(LIST_FIELDS).map((key) => key.split('.')[1]!));

/**
 * The estimated cost of an operation: every item of a list multiplies what is asked of each item,
 * so users(first: 999) with a year of events is refused while a page of users with their calendars
 * is not. Field costs come from the `complexity` option of each field, 1 otherwise.
 */
export function estimateCost(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: CoercedVariables;
  listSizes?: ListSizes;
}): number {
  const estimators: ComplexityEstimator[] = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];
  const { listSizes } = options;
  if (listSizes) {
    estimators.unshift(({ type, field, args, childComplexity }) => {
      const size = LIST_FIELDS[`${type.name}.${field.name}`];
      return size ? 1 + size(listSizes, args) * Math.max(1, childComplexity) : undefined;
    });
  }
  return getComplexity({
    schema: options.schema,
    query: options.document,
    operationName: options.operationName ?? undefined,
    variables: options.variables,
    estimators,
  });
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
