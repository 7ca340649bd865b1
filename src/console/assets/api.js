// @ts-check
/**
 * The console's only way to the gateway: POST /graphql with the API key, like any other client.
 * The key lives in sessionStorage, so it is gone when the tab closes and never sent anywhere else.
 */

const KEY_NAME = 'xkit.apiKey';

export const session = {
  /** @returns {string | null} */
  get key() {
    return sessionStorage.getItem(KEY_NAME);
  },
  /** @param {string} key */
  signIn(key) {
    sessionStorage.setItem(KEY_NAME, key);
  },
  signOut() {
    sessionStorage.removeItem(KEY_NAME);
  },
};

/**
 * @typedef {{ message: string, path?: (string | number)[], extensions?: { code?: string, field?: string } }} GraphQLErrorEntry
 * @typedef {{ data: any, errors: GraphQLErrorEntry[] }} GraphQLAnswer
 */

/** A request that failed as a whole: every entry of `errors`, with helpers for forms. */
export class ApiError extends Error {
  /** @param {GraphQLErrorEntry[]} errors */
  constructor(errors) {
    super(errors.map((error) => error.message).join(' '));
    this.errors = errors;
  }

  /** @param {string} code */
  has(code) {
    return this.errors.some((error) => error.extensions?.code === code);
  }

  /** A schema that lacks a field answers GRAPHQL_VALIDATION_FAILED: used for features still to come. */
  get isUnsupported() {
    return this.has('GRAPHQL_VALIDATION_FAILED');
  }
}

/**
 * Sends one operation. Resolves with data and errors both, because a field that Microsoft refused
 * (one user's calendars) comes back as null with an error beside the rest of the data.
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @param {{ key?: string | null }} [options]
 * @returns {Promise<GraphQLAnswer>}
 */
export async function graphql(query, variables = {}, options = {}) {
  const key = options.key === undefined ? session.key : options.key;
  /** @type {Response} */
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError([{ message: 'The gateway did not answer. Check that it is running and that this browser can reach it, then try again.' }]);
  }
  const body = await response.json().catch(() => null);
  if (!body || typeof body !== 'object') {
    throw new ApiError([{ message: `The gateway answered HTTP ${response.status} without a GraphQL result. Try again.` }]);
  }
  const answer = { data: body.data ?? null, errors: body.errors ?? [] };
  if (options.key === undefined && answer.errors.some((/** @type {GraphQLErrorEntry} */ error) => error.extensions?.code === 'UNAUTHENTICATED')) {
    // The key was revoked or the gateway's keys changed: back to the sign-in form.
    session.signOut();
    window.dispatchEvent(new CustomEvent('xkit:signed-out', { detail: 'The gateway no longer accepts this API key. Sign in again.' }));
  }
  return answer;
}

/**
 * The usual case: any error fails the whole operation.
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 */
export async function request(query, variables) {
  const answer = await graphql(query, variables);
  if (answer.errors.length) throw new ApiError(answer.errors);
  return answer.data;
}

/**
 * The error at a field's path, for partial answers.
 * @param {GraphQLAnswer} answer
 * @param {(string | number)[]} path
 */
export function errorAt(answer, path) {
  return answer.errors.find((error) => error.path && path.every((part, index) => error.path?.[index] === part));
}
