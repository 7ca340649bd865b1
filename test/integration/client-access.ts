import { randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { CLIENT_TOKEN_KEY_PURPOSE } from '../../src/access/client-token';
import { GatewayKeys } from '../../src/crypto/keys';
import type { GatewayProcess, GraphQLResult } from './harness';

/** What a SaaS backend and its frontend do with client tokens, written once for the access tests. */

export interface TokenRequest {
  tenantId: string;
  userId?: string;
  capabilities: string[];
  ttlSeconds?: number;
}

const MINT = `mutation($tenantId: ID!, $userId: ID, $capabilities: [ClientCapability!]!, $ttlSeconds: Int) {
  createClientToken(tenantId: $tenantId, userId: $userId, capabilities: $capabilities, ttlSeconds: $ttlSeconds) { token expiresAt } }`;

/** The backend mints a token with its admin key. */
export async function mintClientToken(gateway: GatewayProcess, request: TokenRequest): Promise<string> {
  const { ttlSeconds, ...rest } = request;
  const answer = await gateway.gql(MINT, ttlSeconds === undefined ? rest : request);
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data.createClientToken.token;
}

export function mintAnswer(gateway: GatewayProcess, variables: Record<string, unknown>, key?: string) {
  return gateway.gql(MINT, variables, { key });
}

/** A POST to /graphql with the headers given, answered with its status and headers too. */
export async function postGraphql(
  gateway: GatewayProcess,
  query: string,
  options: { variables?: Record<string, unknown>; bearer?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResult<any> & { headers: Headers }> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const body = (await response.json()) as any;
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
}

/**
 * A token signed as the gateway signs (the test knows XKIT_SECRET_KEY), with claims changed:
 * an expiry in the past, say. `key` signs with another key instead.
 */
export function resignToken(gateway: GatewayProcess, token: string, changes: Record<string, unknown>, key?: Uint8Array): Promise<string> {
  const payload = { ...decodeJwt(token), ...changes };
  const gatewayKey = new GatewayKeys(Buffer.from(gateway.env.XKIT_SECRET_KEY!, 'hex')).subkey(CLIENT_TOKEN_KEY_PURPOSE);
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key ?? gatewayKey);
}

export const anotherKey = () => randomBytes(32);

/** The token with its payload replaced but the original signature kept. */
export function alterPayload(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), ...changes })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The same claims with `alg: none` and no signature: what a forger tries first. */
export function unsignedToken(token: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${token.split('.')[1]}.`;
}
