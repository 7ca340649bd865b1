import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';
import { isGatewayError } from '../errors';
import type { Logger } from './logger';
import { graphqlDuration } from './metrics';

/** Domain errors and GraphQL's own (syntax, validation, bad variables) are meant for the caller; anything else is masked. */
export function isMeantForCaller(formatted: GraphQLFormattedError, error: unknown): boolean {
  const original = unwrapResolverError(error);
  return isGatewayError(original) || original === error || formatted.extensions?.code === 'BAD_USER_INPUT';
}

/**
 * One JSON line per GraphQL request (request id, operation, duration, error codes), the latency
 * histogram, and the details of unexpected errors, which the caller only sees masked.
 */
export function requestLogging(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      const stopTimer = graphqlDuration.startTimer();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors as readonly GraphQLError[]) {
            const original = unwrapResolverError(error);
            if (!isGatewayError(original) && original !== error) {
              logger.error({ requestId: contextValue.requestId, path: error.path, err: original }, 'unexpected error in a resolver');
            }
          }
        },
        async willSendResponse({ operation, errors }) {
          stopTimer({ operation: operation?.operation ?? 'unknown' });
          logger.info(
            {
              requestId: contextValue.requestId,
              operation: operation?.name?.value ?? null,
              type: operation?.operation ?? null,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
              errors: errors?.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
