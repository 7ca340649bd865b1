import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { GatewayError } from '../../src/errors';
import { GraphRequestError } from '../../src/microsoft/graph-request-error';
import { toGatewayError } from '../../src/microsoft/to-gateway-error';
import { requestLogging } from '../../src/observability/request-logging';
import { INTERNAL_ERROR_MESSAGE, presentError } from '../../src/schema/error-presentation';

/** A bug reaches the caller as INTERNAL_SERVER_ERROR, without details, and the log with its stack and the request id. */

const typeDefs = 'type Query { broken: String, refused: String, microsoft: String }';

function serverWithLog() {
  const lines: Array<Record<string, any>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const server = new ApolloServer<any>({
    typeDefs,
    resolvers: {
      Query: {
        broken: () => (null as unknown as { field: string }).field,
        refused: () => {
          throw new GatewayError('BAD_USER_INPUT', 'first must be between 1 and 999');
        },
        microsoft: () => {
          throw toGatewayError(new GraphRequestError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', 'GET /users'));
        },
      },
    },
    plugins: [requestLogging(logger)],
    formatError: presentError,
  });
  return { server, lines };
}

it('masks a bug as INTERNAL_SERVER_ERROR and logs it with its stack and the request id', async () => {
  const { server, lines } = serverWithLog();
  const response = await server.executeOperation({ query: '{ broken }' }, { contextValue: { requestId: 'req-bug-1' } });
  const result = (response.body as any).singleResult;
  expect(result.errors[0]).toMatchObject({ message: INTERNAL_ERROR_MESSAGE, path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  expect(JSON.stringify(result)).not.toMatch(/TypeError|Cannot read/);
  const logged = lines.find((line) => line.msg.startsWith('unexpected error'));
  expect(logged).toMatchObject({ requestId: 'req-bug-1', path: ['broken'] });
  expect(logged!.err.stack).toMatch(/TypeError: Cannot read properties of null/);
});

it("passes the gateway's own errors and Microsoft's failures through with their codes, and logs no stack for them", async () => {
  const { server, lines } = serverWithLog();
  const response = await server.executeOperation({ query: '{ refused microsoft }' }, { contextValue: { requestId: 'req-2' } });
  const codes = (response.body as any).singleResult.errors.map((error: any) => error.extensions.code).sort();
  expect(codes).toEqual(['BAD_USER_INPUT', 'UPSTREAM_ERROR']);
  expect(lines.filter((line) => line.msg.startsWith('unexpected error'))).toEqual([]);
});

it("never dresses a bug as one of Microsoft's failures", () => {
  const bug = new TypeError('x is not a function');
  expect(toGatewayError(bug)).toBe(bug);
});
