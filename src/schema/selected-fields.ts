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
  return fieldNamesUnder(info.fieldNodes, info.fragments);
}

/** The same, for field nodes found further down the document (a field of each item of a page). */
export function fieldNamesUnder(fieldNodes: readonly FieldNode[], fragments: GraphQLResolveInfo['fragments']): ReadonlySet<string> {
  let names = selectionsByFieldNodes.get(fieldNodes);
  if (!names) {
    const found = new Set<string>();
    for (const node of fieldNodes) if (node.selectionSet) collect(node.selectionSet, fragments, found, new Set());
    names = found;
    selectionsByFieldNodes.set(fieldNodes, names);
  }
  return names;
}

/**
 * The field nodes of `selectionSet` that graphql-js will merge into one field per response key
 * (alias or name), through fragments: what one resolver call below will receive as `fieldNodes`.
 */
export function childFieldNodes(selectionSets: readonly (SelectionSetNode | undefined)[], fragments: GraphQLResolveInfo['fragments']): Map<string, FieldNode[]> {
  const byResponseKey = new Map<string, FieldNode[]>();
  const visit = (selectionSet: SelectionSetNode, visitedFragments: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        byResponseKey.set(key, [...(byResponseKey.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, visitedFragments);
      } else if (!visitedFragments.has(selection.name.value)) {
        visitedFragments.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet, visitedFragments);
      }
    }
  };
  for (const selectionSet of selectionSets) if (selectionSet) visit(selectionSet, new Set());
  return byResponseKey;
}

function collect(selectionSet: SelectionSetNode, fragments: GraphQLResolveInfo['fragments'], found: Set<string>, visitedFragments: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      found.add(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, fragments, found, visitedFragments);
    } else if (!visitedFragments.has(selection.name.value)) {
      visitedFragments.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment) collect(fragment.selectionSet, fragments, found, visitedFragments);
    }
  }
}
