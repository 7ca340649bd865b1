import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, TypeInfo, getArgumentValues, getNamedType, visit, visitWithTypeInfo } from 'graphql';
import type { GatewayContext } from '../context';
import { fieldNamesOf } from './document-fields';

/** A check of one field's arguments, by "Type.field". It throws a GatewayError to refuse. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arguments arrive already coerced by GraphQL
export type ArgumentCheck = (args: any) => void;

/**
 * Runs argument checks for every field in the operation before anything executes. A nested
 * field's arguments (an events window under a page of users) would otherwise only be seen after
 * Microsoft has already been called for the parent.
 */
export function argumentPreflight(checks: Record<string, ArgumentCheck>): ApolloServerPlugin<GatewayContext> {
  const watchedFields = Object.keys(checks).map((key) => key.split('.')[1]!);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const selected = fieldNamesOf(document);
          if (!watchedFields.some((name) => selected.has(name))) return;
          const typeInfo = new TypeInfo(schema);
          const failures: GraphQLError[] = [];
          visit(
            document,
            visitWithTypeInfo(typeInfo, {
              Field(node) {
                const parent = typeInfo.getParentType();
                const field = typeInfo.getFieldDef();
                const check = parent && field ? checks[`${getNamedType(parent).name}.${field.name}`] : undefined;
                if (!check || !field) return;
                try {
                  check(getArgumentValues(field, node, request.variables ?? {}));
                } catch (error) {
                  if (error instanceof GraphQLError) failures.push(error);
                  // Ill-typed arguments are reported by GraphQL's own validation.
                }
              },
            }),
          );
          if (failures.length > 0) throw failures[0];
        },
      };
    },
  };
}
