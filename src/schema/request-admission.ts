import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context';
import { GatewayError, badInput, withHttpStatus } from '../errors';
import { preflightArguments, watchedFieldNames, type ArgumentChecks } from './argument-preflight';
import { fieldNamesOf } from './document-fields';
import { LIST_FIELD_NAMES, estimateCost, type ListSizes } from './query-cost';
import { redactSecrets, secretValuesIn } from './secret-inputs';
import { coerceVariables } from './variable-coercion';

export interface AdmissionOptions {
  maxCost: number;
  argumentChecks: ArgumentChecks;
  /** the current sizes of the gateway's own lists; asked only when a document selects one */
  listSizes: () => Promise<ListSizes>;
  /** production: introspection needs an API key or a client token */
  introspectionNeedsKey: boolean;
}

/**
 * Everything decided about a request before it executes, in one place and in this order:
 * variables coerced (refusals worded without the value), introspection allowed, arguments checked,
 * cost within the limit. Each refusal is the caller's mistake and answers HTTP 400 with
 * BAD_USER_INPUT (401 for a missing key), whether the query text is new or cached. On the way
 * out, every error message is cleaned of secret input values.
 */
export function requestAdmission(options: AdmissionOptions): ApolloServerPlugin<GatewayContext> {
  const watchedArguments = watchedFieldNames(options.argumentChecks);
  const staticCosts = new WeakMap<DocumentNode, Map<string, number>>();
  let costVaryingFields: ReadonlySet<string> | null = null;

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation, contextValue }) {
          try {
            const fields = fieldNamesOf(document);
            if (options.introspectionNeedsKey && contextValue.caller.kind === 'anonymous' && (fields.has('__schema') || fields.has('__type'))) {
              throw new GatewayError('UNAUTHENTICATED', 'Introspection needs an API key or a client token in production: send "Authorization: Bearer <key or token>"');
            }
            const variables = operation ? coerceVariables(schema, operation, request.variables ?? {}) : {};
            if ([...watchedArguments].some((name) => fields.has(name))) {
              preflightArguments(schema, document, variables, options.argumentChecks);
            }
            costVaryingFields ??= fieldsWithArgumentCosts(schema);
            const selectsList = [...LIST_FIELD_NAMES].some((name) => fields.has(name));
            const varies = selectsList || [...costVaryingFields].some((name) => fields.has(name));
            const key = request.operationName ?? '';
            let cost = varies ? undefined : staticCosts.get(document)?.get(key);
            if (cost === undefined) {
              const listSizes = selectsList ? await options.listSizes() : undefined;
              cost = estimateCost({ schema, document, operationName: request.operationName, variables, listSizes });
              if (!varies) staticCosts.set(document, (staticCosts.get(document) ?? new Map()).set(key, cost));
            }
            if (cost > options.maxCost) {
              throw badInput(
                `This query's estimated cost is ${cost}, above the limit of ${options.maxCost}. Ask for fewer users per page (users(first: …)) and follow pageInfo.endCursor, use a shorter events or schedule window, or query one tenant at a time.`,
                { cost, maxCost: options.maxCost },
              );
            }
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            throw withHttpStatus(error, error.extensions.code === 'UNAUTHENTICATED' ? 401 : 400);
          }
        },
        async willSendResponse({ request, document, response }) {
          const body = response.body;
          if (body.kind !== 'single' || !body.singleResult.errors?.length) return;
          const secrets = [...secretValuesIn(request.variables, document), ...literalSecretsOf(document ? undefined : request.query)];
          if (secrets.length === 0) return;
          body.singleResult.errors = body.singleResult.errors.map((error) => ({
            ...error,
            message: redactSecrets(error.message, secrets),
            ...(error.extensions ? { extensions: JSON.parse(redactSecrets(JSON.stringify(error.extensions), secrets)) } : {}),
          }));
        },
      };
    },
  };
}

/** Fields whose cost depends on their arguments (a `complexity` function): such documents are costed per request. */
function fieldsWithArgumentCosts(schema: GraphQLSchema): ReadonlySet<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (typeof field.extensions?.complexity === 'function') names.add(field.name);
    }
  }
  return names;
}

/** A document that did not parse can still carry a secret literal; find it in the text itself. */
function literalSecretsOf(query: string | undefined): string[] {
  if (!query) return [];
  return [...query.matchAll(/clientSecret\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!).filter((secret) => secret.length >= 4);
}
