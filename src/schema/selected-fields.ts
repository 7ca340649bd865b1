import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields a resolver's result is asked for (`events { subject start }` →
 * subject, start), through fragments and inline fragments, so a loader can ask Graph for exactly
 * those. A field under @skip or @include counts as asked for: selecting a little more is harmless.
 *
 * graphql-js hands every item of a list the same `fieldNodes` array, so a page of a thousand users
 * walks each selection once per request.
 */
const selectionsByFieldNodes = new WeakMap<readonly FieldNode[], ReadonlySet<string>>();

export function selectedFieldNames(info: GraphQLResolveInfo): ReadonlySet<string> {
  let names = selectionsByFieldNodes.get(info.fieldNodes);
  if (!names) {
    const found = new Set<string>();
    for (const node of info.fieldNodes) if (node.selectionSet) collect(node.selectionSet, info, found, new Set());
    names = found;
    selectionsByFieldNodes.set(info.fieldNodes, names);
  }
  return names;
}

function collect(selectionSet: SelectionSetNode, info: GraphQLResolveInfo, found: Set<string>, visitedFragments: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      found.add(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, info, found, visitedFragments);
    } else if (!visitedFragments.has(selection.name.value)) {
      visitedFragments.add(selection.name.value);
      const fragment = info.fragments[selection.name.value];
      if (fragment) collect(fragment.selectionSet, info, found, visitedFragments);
    }
  }
}
