import type { ErrorRequestHandler } from 'express';

/** The most the gateway reads of a GraphQL request, as express.json takes it. */
export const MAX_GRAPHQL_BODY = '1mb';

/**
 * A /graphql body the JSON parser refused (too large, not JSON) answered as GraphQL clients read
 * errors, instead of Express's HTML page with its stack trace.
 */
export const graphqlBodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (error.type === 'entity.too.large') {
    res.status(413).json({
      errors: [{ message: `The request body is larger than ${MAX_GRAPHQL_BODY.toUpperCase()}, the most the gateway reads: send less (an event body is limited to 512 KiB)`, extensions: { code: 'BAD_USER_INPUT' } }],
    });
    return;
  }
  if (error.type === 'entity.parse.failed' || error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    res.status(error.status ?? 400).json({ errors: [{ message: 'The request body is not JSON the gateway can read: send {"query": "…", "variables": {…}} as UTF-8 JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(error);
};
