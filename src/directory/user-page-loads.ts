import { getArgumentValues, isObjectType, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { childFieldNodes, fieldNamesUnder } from '../schema/selected-fields';

/** What a query asks of every user of a page that Graph serves per user (their calendars, their events). */
export interface UserPageLoads {
  calendars: ReadonlySet<string>[];
  events: Array<{ start: Date; end: Date; fields: ReadonlySet<string> }>;
}

const NONE: UserPageLoads = { calendars: [], events: [] };

/**
 * Read from the `users` field's own selection, so the per-user loads can start the moment the
 * page arrives: the first `$batch` then leaves before GraphQL has walked a thousand users to reach
 * their `calendars` fields. The field resolvers later find the same loads in the DataLoaders.
 * Fields under a directive are left to their resolvers (they may be skipped).
 */
export function userPageLoads(info: GraphQLResolveInfo): UserPageLoads {
  const userType = info.schema.getType('User');
  if (!isObjectType(userType)) return NONE;
  const pages = [...childFieldNodes(info.fieldNodes.map((node) => node.selectionSet), info.fragments).values()].filter(
    (nodes) => nodes[0]!.name.value === 'nodes',
  );
  const loads: UserPageLoads = { calendars: [], events: [] };
  for (const nodes of pages) {
    for (const fieldNodes of childFieldNodes(nodes.map((node) => node.selectionSet), info.fragments).values()) {
      if (fieldNodes.some(hasDirectives)) continue;
      const name = fieldNodes[0]!.name.value;
      if (name === 'calendars') loads.calendars.push(fieldNamesUnder(fieldNodes, info.fragments));
      if (name === 'events') {
        const { start, end } = getArgumentValues(userType.getFields().events!, fieldNodes[0]!, info.variableValues) as { start: Date; end: Date };
        loads.events.push({ start, end, fields: fieldNamesUnder(fieldNodes, info.fragments) });
      }
    }
  }
  return loads;
}

function hasDirectives(node: FieldNode): boolean {
  return (node.directives?.length ?? 0) > 0;
}
