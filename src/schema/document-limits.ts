import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Bounds on the shape of a document, so that nobody, signed in or not, can make the gateway burn
 * CPU on parsing and validating it. The token limit is enforced by graphql-js's parser itself,
 * which stops reading at the limit: a 1 MB document of directives costs no more than 5,000 tokens.
 * Generous for real use: the README's largest query is about 120 tokens and 6 levels deep.
 */
export const DOCUMENT_LIMITS = {
  tokens: 5_000,
  aliases: 30,
  directives: 20,
  depth: 12,
  variables: 50,
} as const;

export const parseOptions = { maxTokens: DOCUMENT_LIMITS.tokens };

/**
 * The rules report a refusal as a validation error (HTTP 400, GRAPHQL_VALIDATION_FAILED) instead
 * of throwing out of validation, which Apollo would answer as a 500.
 */
const refusal = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(`${error.message.replace(/^Syntax Error: /, '')} Split the query into smaller ones.`)),
  ],
};

export const documentLimitRules: ValidationRule[] = [
  maxAliasesRule({ n: DOCUMENT_LIMITS.aliases, ...refusal }) as ValidationRule,
  maxDirectivesRule({ n: DOCUMENT_LIMITS.directives, ...refusal }) as ValidationRule,
  maxDepthRule({ n: DOCUMENT_LIMITS.depth, ignoreIntrospection: true, ...refusal }) as ValidationRule,
];
