import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for /graphql: browser apps on XKIT_CORS_ORIGINS may call it; any other origin gets no
 * Access-Control-Allow-Origin, so the browser keeps the answer from it. No cookies are involved
 * (credentials travel as a bearer header), so credentials mode stays off.
 */
export function graphqlCors(origins: readonly string[]): RequestHandler {
  const handler = cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    // What browser GraphQL clients send: a JSON body (which Apollo's CSRF prevention requires, or
    // apollo-require-preflight on GET) and the bearer token.
    allowedHeaders: ['authorization', 'content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'apollographql-client-version', 'x-request-id'],
    exposedHeaders: ['retry-after', 'www-authenticate', 'x-request-id'],
    maxAge: 600,
  });
  // Only browsers send Origin; a backend's call (most of the traffic) skips the header work.
  return (req, res, next) => (req.headers.origin === undefined ? next() : handler(req, res, next));
}
