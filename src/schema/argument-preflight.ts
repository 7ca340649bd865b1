import { GraphQLError, TypeInfo, getArgumentValues, getNamedType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { CoercedVariables } from './variable-coercion';

/** A check of one field's arguments, by "Type.field". It throws a GatewayError to refuse. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arguments arrive already coerced by GraphQL
export type ArgumentCheck = (args: any) => void;
export type ArgumentChecks = Record<string, ArgumentCheck>;

/**
 * Runs the argument checks of every field in the operation before anything executes. A nested
 * field's arguments (an events window under a page of users) would otherwise only be seen after
 * Microsoft has already been called for the parent. Throws the first refusal.
 */
export function preflightArguments(schema: GraphQLSchema, document: DocumentNode, variables: CoercedVariables, checks: ArgumentChecks): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const check = parent && field ? checks[`${getNamedType(parent).name}.${field.name}`] : undefined;
        if (!check || !field) return;
        const args = getArgumentValues(field, node, variables);
        try {
          check(args);
        } catch (error) {
          if (error instanceof GraphQLError) throw error;
          throw new Error(`argument check of ${field.name} failed unexpectedly`, { cause: error });
        }
      },
    }),
  );
}

/** The "Type.field" names the checks watch, to skip documents that select none of them. */
export function watchedFieldNames(checks: ArgumentChecks): Set<string> {
  return new Set(Object.keys(checks).map((key) => key.split('.')[1]!));
}
