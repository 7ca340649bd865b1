import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
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

/**
 * The line of a request refused before it could execute (a client token refused or rate limited):
 * the code and reason the caller saw, and the address it came from, never the credential. A
 * failure while deciding (the database away) is logged as an error, with its stack.
 */
export function logRefusal(logger: Logger, request: { requestId: string; ip: string | null }, error: unknown): void {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (typeof code === 'string') logger.info({ ...request, code, reason: (error as GraphQLError).message }, 'graphql request refused');
  else logger.error({ ...request, err: error }, 'graphql request failed before execution (deciding who sent it)');
}
