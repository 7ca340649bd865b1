import { createHmac } from 'node:crypto';
import { graphBaseUrl, type FakeContext } from './context';
import type { FakeUser, Tenant } from './directory';
import { GraphError, nextLink, pagingNumber, project, selectedProperties, type GraphRequest, type GraphResult } from './graph-envelope';
import { requireRole } from './graph-permissions';
import { userSearch } from './user-search';

/** The directory half of Graph (Entra ID): /organization and /users. Its errors use the Request_* / Authorization_* codes. */

export const USER_PROPERTIES = [
  'aboutMe', 'accountEnabled', 'ageGroup', 'assignedLicenses', 'assignedPlans', 'birthday', 'businessPhones', 'city', 'companyName',
  'consentProvidedForMinor', 'country', 'createdDateTime', 'creationType', 'deletedDateTime', 'department', 'displayName',
  'employeeHireDate', 'employeeId', 'employeeOrgData', 'employeeType', 'externalUserState', 'faxNumber', 'givenName', 'hireDate',
  'id', 'identities', 'imAddresses', 'interests', 'jobTitle', 'lastPasswordChangeDateTime', 'legalAgeGroupClassification',
  'licenseAssignmentStates', 'mail', 'mailboxSettings', 'mailNickname', 'mobilePhone', 'mySite', 'officeLocation',
  'onPremisesDistinguishedName', 'onPremisesDomainName', 'onPremisesExtensionAttributes', 'onPremisesImmutableId',
  'onPremisesLastSyncDateTime', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName', 'otherMails', 'passwordPolicies', 'passwordProfile', 'pastProjects', 'postalCode',
  'preferredDataLocation', 'preferredLanguage', 'preferredName', 'provisionedPlans', 'proxyAddresses', 'responsibilities', 'schools',
  'securityIdentifier', 'showInAddressList', 'signInSessionsValidFromDateTime', 'skills', 'state', 'streetAddress', 'surname',
  'usageLocation', 'userPrincipalName', 'userType',
] as const;
const DEFAULT_USER_PROPERTIES = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id',
];
const USER_READ_ROLES = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const ORGANIZATION_READ_ROLES = ['Directory.Read.All', 'Organization.Read.All', 'Directory.ReadWrite.All'];
const DEFAULT_USERS_PAGE = 100;
// Query options this fake does not implement: refusing them beats silently returning unfiltered data.
const UNSUPPORTED_USER_OPTIONS = ['$filter', '$orderby', '$expand'];
// Looks like the start of a real directory skiptoken; what follows is ours.
const SKIPTOKEN_PREFIX = 'RFNwdAIAAQAAA';

export function getOrganization(context: FakeContext, request: GraphRequest): GraphResult {
  requireRole(request, ORGANIZATION_READ_ROLES, directoryDenied);
  const tenant = request.tenant;
  return ok({
    '@odata.context': `${graphBaseUrl(context)}/$metadata#organization`,
    value: [
      {
        id: tenant.tenantId,
        deletedDateTime: null,
        businessPhones: [],
        city: null,
        countryLetterCode: 'US',
        createdDateTime: '2020-01-01T00:00:00Z',
        displayName: tenant.displayName,
        tenantType: 'AAD',
        verifiedDomains: [{ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: true, name: tenant.domain, type: 'Managed' }],
      },
    ],
  });
}

export function listUsers(context: FakeContext, request: GraphRequest): GraphResult {
  requireRole(request, USER_READ_ROLES, directoryDenied);
  const query = request.query;
  if (query.has('$skip')) throw new GraphError(400, 'Request_BadRequest', "'$skip' is not supported by the service.");
  const unsupported = UNSUPPORTED_USER_OPTIONS.find((option) => query.has(option));
  if (unsupported) throw new GraphError(400, 'Request_UnsupportedQuery', `The fake Microsoft Graph does not implement ${unsupported} on /users.`);
  const top = pagingNumber(query, '$top', DEFAULT_USERS_PAGE, 1, 999, (raw) => new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`));
  const selected = selectUserProperties(query);
  // concepts/aad-advanced-queries.md: $search needs ConsistencyLevel: eventual; without it $count=true is silently ignored.
  const eventual = request.headers.consistencylevel?.trim().toLowerCase() === 'eventual';
  const search = query.get('$search');
  if (search !== null && !eventual) {
    throw new GraphError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  }
  const users = search === null ? request.tenant.users : request.tenant.users.filter(userSearch(search));
  const skipToken = query.get('$skiptoken');
  const offset = skipToken === null ? 0 : readSkipToken(context, request.tenant, skipToken, search);
  const page = users.slice(offset, offset + top);
  const hasMore = offset + top < users.length;
  const graphBase = graphBaseUrl(context);
  return ok({
    '@odata.context': `${graphBase}/$metadata#users${selected ? `(${selected.join(',')})` : ''}`,
    ...(eventual && query.get('$count')?.toLowerCase() === 'true' ? { '@odata.count': users.length } : {}),
    ...(hasMore ? { '@odata.nextLink': nextLink(graphBase, '/users', request.rawQuery, '$skiptoken', writeSkipToken(context, request.tenant, offset + top, search)) } : {}),
    value: page.map((user) => userView(request.tenant, user, selected)),
  });
}

export function getUser(context: FakeContext, request: GraphRequest, userKey: string): GraphResult {
  requireRole(request, USER_READ_ROLES, directoryDenied);
  const selected = selectUserProperties(request.query);
  const user = context.directory.findUser(request.tenant, userKey);
  if (!user) {
    throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${userKey}' does not exist or one of its queried reference-property objects are not present.`);
  }
  return ok({ '@odata.context': `${graphBaseUrl(context)}/$metadata#users${selected ? `(${selected.join(',')})` : ''}/$entity`, ...userView(request.tenant, user, selected) });
}

function userView(tenant: Tenant, user: FakeUser, selected: string[] | undefined): Record<string, unknown> {
  const full = userResource(tenant, user);
  if (!selected) return Object.fromEntries(DEFAULT_USER_PROPERTIES.map((name) => [name, full[name]]));
  return project(full, selected, ['id']);
}

/** Every property the fake models; the rest of the user type reads as null. */
function userResource(tenant: Tenant, user: FakeUser): Record<string, unknown> {
  const [givenName = null, surname = null] = user.displayName.split(' ');
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    accountEnabled: true,
    companyName: tenant.displayName,
    createdDateTime: '2020-01-01T00:00:00Z',
    department: null,
    mailNickname: user.userPrincipalName.split('@')[0],
    usageLocation: 'US',
    userType: 'Member',
  };
}

function selectUserProperties(query: URLSearchParams): string[] | undefined {
  return selectedProperties(query, USER_PROPERTIES, (name) => new GraphError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'Microsoft.DirectoryServices.User'.`));
}

/** The token is bound to its search, so a page of one search cannot be read with another. */
function writeSkipToken(context: FakeContext, tenant: Tenant, offset: number, search: string | null): string {
  const payload = Buffer.from(JSON.stringify({ tenant: tenant.tenantId, offset, search })).toString('base64url');
  return `${SKIPTOKEN_PREFIX}${payload}.${signature(context, payload)}`;
}

function readSkipToken(context: FakeContext, tenant: Tenant, token: string, search: string | null): number {
  const expired = new GraphError(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
  const [payload, givenSignature] = token.startsWith(SKIPTOKEN_PREFIX) ? token.slice(SKIPTOKEN_PREFIX.length).split('.') : [];
  if (!payload || givenSignature !== signature(context, payload)) throw expired;
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tenant: string; offset: number; search?: string | null };
  if (decoded.tenant !== tenant.tenantId || (decoded.search ?? null) !== search || !Number.isInteger(decoded.offset) || decoded.offset < 0) throw expired;
  return decoded.offset;
}

function signature(context: FakeContext, payload: string): string {
  return createHmac('sha256', context.pageTokenKey).update(payload).digest('base64url').slice(0, 16);
}

function directoryDenied(): GraphError {
  return new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

function ok(body: unknown): GraphResult {
  return { status: 200, body };
}
