import { GatewayError, badInput } from '../errors';
import type { GraphClient, TenantAccess } from './graph-client';
import { MAX_USERS_PAGE } from './graph-limits';
import { USER_SELECT, toGraphOrganization, toGraphUser, type GraphUser } from './graph-resources';
import { toGatewayError } from './to-gateway-error';

export type { GraphCalendar, GraphUser } from './graph-resources';
export type { GraphEvent } from './graph-events';


interface Collection {
  value?: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

/** Which users a page lists: all of them, or those a search matches; `count` asks Graph for the total too. */
export interface UsersPage {
  top: number;
  skipToken?: string;
  /** matched against displayName (word starts), mail and userPrincipalName (starts) */
  search?: string;
  count?: boolean;
}

/**
 * One page of the tenant's users. The continuation is only the `$skiptoken` value, never the
 * nextLink itself: a cursor comes back from clients, and rebuilding the URL ourselves means a
 * client can never make the gateway send a token to a URL of its choosing.
 */
export async function listUsers(
  graph: GraphClient,
  access: TenantAccess,
  page: UsersPage,
): Promise<{ users: GraphUser[]; nextSkipToken: string | null; totalCount: number | null }> {
  if (!Number.isInteger(page.top) || page.top < 1 || page.top > MAX_USERS_PAGE) {
    throw badInput(`The page size must be between 1 and ${MAX_USERS_PAGE} (Microsoft Graph's limit for users); got ${page.top}`);
  }
  const skip = page.skipToken ? `&$skiptoken=${encodeURIComponent(page.skipToken)}` : '';
  const search = page.search === undefined ? '' : `&$search=${encodeURIComponent(userSearchClause(page.search))}`;
  const count = page.count ? '&$count=true' : '';
  // $search and $count are advanced directory queries: Graph refuses the one and ignores the other without this header.
  const headers = page.search !== undefined || page.count ? { ConsistencyLevel: 'eventual' } : undefined;
  try {
    const answer = await graph.get<Collection & { '@odata.count'?: unknown }>(access, `/users?$select=${USER_SELECT}&$top=${page.top}${search}${count}${skip}`, headers);
    return {
      users: (answer.value ?? []).map(toGraphUser),
      nextSkipToken: skipTokenOf(answer['@odata.nextLink']),
      totalCount: typeof answer['@odata.count'] === 'number' ? answer['@odata.count'] : null,
    };
  } catch (error) {
    throw toGatewayError(error);
  }
}

/**
 * `"displayName:ann" OR "mail:ann" OR "userPrincipalName:ann"`. Graph's search syntax has no
 * escape for a double quote inside a clause, so callers refuse terms that hold one.
 */
export function userSearchClause(term: string): string {
  return ['displayName', 'mail', 'userPrincipalName'].map((property) => `"${property}:${term}"`).join(' OR ');
}

/** The tenant's organisation object; `id` is the tenant GUID. */
export async function getOrganization(
  graph: GraphClient,
  access: TenantAccess,
): Promise<{ id: string; displayName: string | null }> {
  let answer: Collection;
  try {
    answer = await graph.get<Collection>(access, '/organization?$select=id,displayName');
  } catch (error) {
    throw toGatewayError(error);
  }
  const organization = answer.value?.[0];
  if (!organization) throw new GatewayError('NOT_FOUND', 'Microsoft Graph returned no organisation for this tenant.');
  try {
    return toGraphOrganization(organization);
  } catch (error) {
    throw toGatewayError(error);
  }
}

/**
 * The raw `$skiptoken` value of a nextLink. Parsed by hand because URLSearchParams turns `+`
 * into a space, which would corrupt a token that carries a literal plus.
 */
export function skipTokenOf(nextLink: string | undefined): string | null {
  const queryStart = nextLink?.indexOf('?') ?? -1;
  if (!nextLink || queryStart < 0) return null;
  for (const pair of nextLink.slice(queryStart + 1).split('&')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    const name = safeDecode(pair.slice(0, separator)).toLowerCase();
    const value = safeDecode(pair.slice(separator + 1));
    if (name === '$skiptoken' && value !== '') return value;
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
