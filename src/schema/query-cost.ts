import type { ApolloServerPlugin } from '@apollo/server';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { DocumentNode } from 'graphql';
import type { GatewayContext } from '../context';
import { fieldNamesOf } from './document-fields';
import { badInput } from '../errors';

/**
 * Refuses, before anything runs, a query whose estimated cost exceeds the limit: every user of a
 * page multiplies what is asked of each user, so users(first: 999) with a year of events is refused
 * while a page of users with their calendars is not.
 */
const ARGUMENT_DEPENDENT_FIELDS = ['users', 'events'];
const staticCosts = new WeakMap<DocumentNode, Map<string, number>>();

export function queryCostLimit(maxCost: number): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          // Only fields whose cost depends on their arguments make the cost vary between requests.
          const varies = ARGUMENT_DEPENDENT_FIELDS.some((name) => fieldNamesOf(document).has(name));
          const key = `${request.operationName ?? ''}`;
          let cost = varies ? undefined : staticCosts.get(document)?.get(key);
          if (cost === undefined) {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
            if (!varies) staticCosts.set(document, (staticCosts.get(document) ?? new Map()).set(key, cost));
          }
          if (cost > maxCost) {
            throw badInput(
              `This query's estimated cost is ${cost}, above the limit of ${maxCost}. Ask for fewer users per page (users(first: …)) and follow pageInfo.endCursor, or use a shorter events window.`,
              { cost, maxCost },
            );
          }
        },
      };
    },
  };
}
