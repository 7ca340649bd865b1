import type { AuthChecker } from 'type-graphql';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import { shorten } from '../validation/input-rules';
import { ApiKeyRole } from './api-key.entity';
import type { AccessRule } from './access-rules';
import type { Caller, ClientCaller } from './caller';

/** The field being resolved, as the decision sees it. */
export interface FieldAccess {
  /** "Type.field", for messages */
  field: string;
  /** a root Mutation field */
  mutation: boolean;
  root: unknown;
  args: Record<string, unknown>;
}

/**
 * The one place where access is decided, for every field that declares a rule (access-rules.ts),
 * before its resolver runs, so before any call to Microsoft. A refusal throws and becomes that
 * field's error; the rest of the answer stands. `rule` undefined is plain `@Authorized()`.
 */
export function decideAccess(caller: Caller, rule: AccessRule | undefined, access: FieldAccess): void {
  switch (caller.kind) {
    case 'anonymous':
      throw new GatewayError(
        'UNAUTHENTICATED',
        'This operation needs an API key or a client token: send the header "Authorization: Bearer <key or token>" (XKIT_ADMIN_API_KEY, a key made with createApiKey, or a token from createClientToken)',
      );
    case 'apiKey':
      if (caller.role === ApiKeyRole.ADMIN) return;
      if (access.mutation) throw forbidden(`A READ_ONLY API key runs queries only; ${access.field} needs an ADMIN key`);
      if (rule?.kind === 'adminKey') throw forbidden(`${access.field} needs an ADMIN API key: a READ_ONLY key never sees raw tokens or API keys`);
      return;
    case 'client':
      return decideForClient(caller, rule, access);
  }
}

function decideForClient(caller: ClientCaller, rule: AccessRule | undefined, access: FieldAccess): void {
  if (rule?.kind === 'anyCaller') return;
  if (rule?.kind !== 'client') {
    throw forbidden(`Client tokens cannot use ${access.field}: admin operations, raw tokens and other tenants are for your backend, with an API key`);
  }
  const tenantId = rule.tenant(access);
  // The same answer whether another tenant exists or not, so that ids cannot be probed.
  if (tenantId !== caller.tenant.id) throw new GatewayError('NOT_FOUND', `No tenant with id "${shorten(String(tenantId ?? ''))}" for this client token`);
  if (caller.userId !== null && rule.user && !sameUser(rule.user(access), caller.userId)) {
    throw forbidden(`This client token is bound to user ${caller.userId}: ${access.field} is allowed for that user only`);
  }
  if (rule.capability === null || caller.capabilities.has(rule.capability)) return;
  if (caller.userId !== null && rule.self) {
    if (sameUser(rule.self(access), caller.userId)) return;
    throw forbidden(`This client token is bound to user ${caller.userId} and lacks ${rule.capability}: ${access.field} reaches that user only (by its id)`);
  }
  throw forbidden(`This client token lacks the ${rule.capability} capability that ${access.field} needs; have your backend mint one with it in capabilities`);
}

/** Graph user ids are GUIDs, compared without regard to case. */
function sameUser(named: string | null | undefined, userId: string): boolean {
  return typeof named === 'string' && named.toLowerCase() === userId.toLowerCase();
}

const forbidden = (message: string) => new GatewayError('FORBIDDEN', message);

/** type-graphql's auth checker: every `@Authorized` field, with its rule, goes through decideAccess. */
export const accessChecker: AuthChecker<GatewayContext, AccessRule> = ({ root, args, context, info }, rules) => {
  // The common case first and cheaply: it runs for every calendar of every user on a page.
  if (context.caller.kind === 'apiKey' && context.caller.role === ApiKeyRole.ADMIN) return true;
  decideAccess(context.caller, rules[0], {
    field: `${info.parentType.name}.${info.fieldName}`,
    mutation: info.parentType === info.schema.getMutationType(),
    root,
    args,
  });
  return true;
};
