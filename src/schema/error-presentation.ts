import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isGatewayError } from '../errors';

/**
 * What the caller may see of an error. Domain errors (a contract code and a message that says
 * what to do) and GraphQL's own refusals of the document pass; anything else is a bug, or a
 * failure the caller cannot act on: it reaches the caller as INTERNAL_SERVER_ERROR and is logged
 * with its stack (see request logging), never under a Microsoft code it did not earn.
 */
export function isMeantForCaller(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (isGatewayError(original)) return true;
  if (!(original instanceof GraphQLError)) return false;
  // Apollo's refusals of the request itself (syntax, validation, bad variables, a bad HTTP request).
  if (typeof original.extensions.code === 'string' && CALLER_CODES.has(original.extensions.code)) return true;
  // graphql-js's own execution errors wrap nothing.
  return original.originalError === undefined;
}

const CALLER_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export const INTERNAL_ERROR_MESSAGE = 'Internal error in the gateway; it was logged with the request id. Try again, and report it if it persists.';

/** Apollo's formatError. */
export function presentError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (isMeantForCaller(error)) return formatted;
  return {
    message: INTERNAL_ERROR_MESSAGE,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
