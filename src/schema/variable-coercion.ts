import {
  GraphQLError,
  coerceInputValue,
  getNamedType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  print,
  typeFromAST,
  valueFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { badInput } from '../errors';
import { isSecretPath } from './secret-inputs';

export type CoercedVariables = Record<string, unknown>;

/**
 * Coerces the operation's variables as graphql-js does, but words each refusal without echoing
 * the value (graphql-js prints the whole variable, secrets included) and as BAD_USER_INPUT, so
 * it is the caller's error and not the gateway's. A value at a secret field is never repeated.
 */
export function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown>): CoercedVariables {
  const coerced: CoercedVariables = Object.create(null);
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    // Validation already refused unknown and output types.
    if (!type || !isInputType(type)) continue;
    if (!Object.prototype.hasOwnProperty.call(inputs, name)) {
      if (definition.defaultValue) coerced[name] = valueFromAST(definition.defaultValue, type);
      else if (isNonNullType(type)) throw refusal(`Variable "$${name}" of required type "${print(definition.type)}" was not provided.`, name);
      continue;
    }
    const value = inputs[name];
    if (value === null && isNonNullType(type)) throw refusal(`Variable "$${name}" of non-null type "${print(definition.type)}" must not be null.`, name);
    let first: GraphQLError | null = null;
    coerced[name] = coerceInputValue(value, type, (path, _invalidValue, error) => {
      if (first) return;
      const where = path.length > 0 ? ` at "${name}${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}"` : '';
      const reason = isSecretPath(path)
        ? `expected a ${leafTypeName(type, path)}; the value is not repeated because it is secret`
        : error.message;
      first = refusal(`Variable "$${name}" got an invalid value${where}: ${reason}`, name);
    });
    if (first) throw first;
  }
  return coerced;
}

function refusal(message: string, variable: string): GraphQLError {
  return badInput(message, { variable });
}

/** The named type at `path` inside an input type, for a message that needs no value. */
function leafTypeName(type: GraphQLInputType, path: readonly (string | number)[]): string {
  let current: GraphQLInputType = type;
  for (const key of path) {
    const unwrapped = isNonNullType(current) ? current.ofType : current;
    if (typeof key === 'number' && isListType(unwrapped)) current = unwrapped.ofType;
    else if (typeof key === 'string' && isInputObjectType(unwrapped)) current = unwrapped.getFields()[key]?.type ?? current;
  }
  return getNamedType(current).name;
}
