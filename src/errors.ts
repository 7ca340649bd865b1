import { GraphQLError } from 'graphql';

/** The contract's `extensions.code` values. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONNECTOR_INCOMPLETE'
  | 'CONSENT_REQUIRED'
  | 'GRAPH_FORBIDDEN'
  | 'GRAPH_THROTTLED'
  | 'UPSTREAM_ERROR'
  | 'RATE_LIMITED';

/**
 * A domain error that reaches the client as it is: a contract code and a message that says
 * what was wrong and what to do. Services throw these; anything else is masked at the edge.
 * Messages must never contain a secret, a token or a stack trace.
 */
export class GatewayError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'GatewayError';
  }
}

export const badInput = (message: string, extra?: Record<string, unknown>) =>
  new GatewayError('BAD_USER_INPUT', message, extra);

export const notFound = (message: string) => new GatewayError('NOT_FOUND', message);

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/** The same error, answered with this HTTP status (Apollo reads `extensions.http` and removes it). */
export function withHttpStatus(error: GraphQLError, status: number, headers?: Map<string, string>): GraphQLError {
  // Apollo wants `headers` as a Map at run time; graphql's typing of `http` says otherwise.
  const http = { status, ...(headers ? { headers } : {}) } as unknown as Record<string, string>;
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http } });
}
