import type { FakeUser } from './directory';
import { GraphError } from './graph-envelope';

/**
 * $search on /users (concepts/search-query-parameter.md, directory objects): quoted
 * "property:term" clauses joined by AND / OR (AND binds first). displayName is tokenized (words,
 * and camelCase parts) and each word of the term must start a word of the name; other properties
 * match as startsWith on the whole value. Case-insensitive.
 */

type UserPredicate = (user: FakeUser) => boolean;

const SEARCHABLE: Record<string, (user: FakeUser) => string | null> = {
  displayname: (user) => user.displayName,
  givenname: (user) => user.displayName.split(' ')[0] ?? null,
  surname: (user) => user.displayName.split(' ')[1] ?? null,
  mail: (user) => user.mail,
  userprincipalname: (user) => user.userPrincipalName,
  mailnickname: (user) => user.userPrincipalName.split('@')[0],
  jobtitle: (user) => user.jobTitle,
};
const TOKENIZED = new Set(['displayname']);

export function userSearch(raw: string): UserPredicate {
  const clauses: UserPredicate[][] = [[]];
  let rest = raw.trim();
  let expectClause = true;
  while (rest.length > 0) {
    if (expectClause) {
      const clause = rest.match(/^"([^"]*)"/);
      if (!clause) throw syntaxError(raw, raw.length - rest.length);
      clauses[clauses.length - 1].push(clausePredicate(clause[1]));
      rest = rest.slice(clause[0].length).trimStart();
    } else {
      const operator = rest.match(/^(AND|OR)\s+/);
      if (!operator) throw syntaxError(raw, raw.length - rest.length);
      if (operator[1] === 'OR') clauses.push([]);
      rest = rest.slice(operator[0].length);
    }
    expectClause = !expectClause;
  }
  if (expectClause) throw syntaxError(raw, raw.length);
  return (user) => clauses.some((all) => all.every((predicate) => predicate(user)));
}

function clausePredicate(clause: string): UserPredicate {
  const separator = clause.indexOf(':');
  if (separator <= 0) {
    throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid $search clause '${clause}': write it as "property:term", e.g. "displayName:adele".`);
  }
  const property = clause.slice(0, separator).trim();
  const term = clause.slice(separator + 1).trim().toLowerCase();
  const read = SEARCHABLE[property.toLowerCase()];
  if (!read) throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
  if (!TOKENIZED.has(property.toLowerCase())) return (user) => (read(user) ?? '').toLowerCase().startsWith(term);
  const termTokens = tokens(term);
  return (user) => {
    const nameTokens = tokens(read(user) ?? '');
    return termTokens.every((token) => nameTokens.some((nameToken) => nameToken.startsWith(token)));
  };
}

function tokens(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// Not documented: the message Graph gives a malformed $search; it answers 400 Request_UnsupportedQuery.
function syntaxError(raw: string, position: number): GraphError {
  return new GraphError(400, 'Request_UnsupportedQuery', `Syntax error: character '${raw[position] ?? 'end of input'}' is not valid at position ${position} in '${raw}'.`);
}
