import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { isMeantForCaller } from '../schema/error-presentation';
import type { Logger } from './logger';
import { graphqlDuration } from './metrics';

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
            if (isMeantForCaller(error)) continue;
            const original = unwrapResolverError(error);
            const cause = original instanceof Error && 'originalError' in original && original.originalError ? original.originalError : original;
            logger.error({ requestId: contextValue.requestId, path: error.path, err: cause }, 'unexpected error: the caller saw INTERNAL_SERVER_ERROR');
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
