import { Kind, visit, type DocumentNode } from 'graphql';

/**
 * Input fields that carry secrets. Their values never appear in an error message, an extension
 * or a log line: graphql-js echoes a variable's whole value when it cannot coerce it, so every
 * message that leaves the gateway is cleaned of these values (see request admission).
 */
export const SECRET_INPUT_FIELDS: ReadonlySet<string> = new Set([
  'clientSecret',
  // A webhook endpoint's URL often carries the receiver's own token (…/hooks/T0K3N): treated as a secret too.
  'url',
]);

export const isSecretPath = (path: readonly (string | number)[]) => path.some((key) => typeof key === 'string' && SECRET_INPUT_FIELDS.has(key));

/** Every value given for a secret field, in the variables or as a literal in the document. */
export function secretValuesIn(variables: unknown, document?: DocumentNode): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, underSecret: boolean): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) return value.forEach((item) => walk(item, underSecret));
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, underSecret || SECRET_INPUT_FIELDS.has(key));
      return;
    }
    if (underSecret) found.add(String(value));
  };
  walk(variables, false);
  if (document) {
    visit(document, {
      ObjectField(node) {
        if (!SECRET_INPUT_FIELDS.has(node.name.value)) return;
        const literal = node.value;
        if (literal.kind === Kind.STRING || literal.kind === Kind.INT || literal.kind === Kind.FLOAT) found.add(literal.value);
      },
    });
  }
  // Short values (a 1-character typo) would blank out unrelated words; real secrets are long.
  return [...found].filter((secret) => secret.length >= 4);
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join('[redacted]');
  return clean;
}
