import { type DocumentNode, visit } from 'graphql';

const fieldNamesByDocument = new WeakMap<DocumentNode, ReadonlySet<string>>();

/**
 * The field names a document selects anywhere. Apollo reuses one parsed DocumentNode per query
 * text, so this walk happens once per distinct query, not once per request.
 */
export function fieldNamesOf(document: DocumentNode): ReadonlySet<string> {
  let names = fieldNamesByDocument.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, { Field: (node) => void found.add(node.name.value) });
    names = found;
    fieldNamesByDocument.set(document, names);
  }
  return names;
}
