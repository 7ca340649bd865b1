import { badInput } from '../errors';
import { isGuid, shorten, validHttpsUrl } from '../validation/input-rules';
import { ConnectorProvider } from './connector.entity';
import { providers } from './providers';

/** Validation rules for what a developer types into connector mutations. Each message says what to do. */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function validSlug(slug: string): string {
  if (!SLUG.test(slug) || slug.includes('--')) {
    throw badInput(
      `slug "${shorten(slug)}" is not url-safe: use 1 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (for example "outlook-calendar-admin")`,
      { field: 'slug' },
    );
  }
  return slug;
}

export function validClientId(value: unknown): string {
  if (typeof value !== 'string' || !isGuid(value.trim())) {
    throw badInput(
      "clientId must be the Application (client) ID GUID from the app's Overview page in the Azure portal, like 00000000-0000-0000-0000-000000000000",
      { field: 'clientId' },
    );
  }
  return value.trim().toLowerCase();
}

export function validClientSecret(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw badInput("clientSecret cannot be empty: paste the secret's Value from Certificates & secrets in the Azure portal", {
      field: 'clientSecret',
    });
  }
  if (value.length > 256) {
    throw badInput(`clientSecret is ${value.length} characters long; Azure secrets are far shorter (the limit here is 256)`, {
      field: 'clientSecret',
    });
  }
  if (/\s/.test(value)) {
    throw badInput('clientSecret contains spaces or line breaks: paste exactly the Value column of the secret', {
      field: 'clientSecret',
    });
  }
  if (isGuid(value)) {
    throw badInput(
      "clientSecret looks like the secret's ID (a GUID); paste its Value instead, shown once in Certificates & secrets when the secret is created",
      { field: 'clientSecret' },
    );
  }
  return value;
}

export function validLogoUrl(value: string | null): string | null {
  return validHttpsUrl('catalog.logoUrl', value, 'https://example.com/logo.png (an image)');
}

/**
 * The selected scopes in the provider's order. Unknown names and a dropped required scope are
 * refused rather than silently fixed, so what the developer sees is what the admin consents to.
 */
export function validScopes(provider: ConnectorProvider, requested: string[]): string[] {
  const definition = providers[provider];
  const known = new Set(definition.scopes.map((scope) => scope.name));
  const unknown = requested.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw badInput(
      `Unknown scope ${unknown.map((name) => `"${shorten(name)}"`).join(', ')} for ${definition.defaultName}; choose from: ${[...known].join(', ')} (see availableScopes)`,
      { field: 'scopes' },
    );
  }
  const missing = definition.scopes.filter((scope) => scope.required && !requested.includes(scope.name));
  if (missing.length > 0) {
    const names = missing.map((scope) => scope.name).join(', ');
    throw badInput(
      `${names} ${missing.length > 1 ? 'are' : 'is'} required by ${definition.defaultName} and cannot be removed; include ${names} in scopes`,
      { field: 'scopes' },
    );
  }
  return definition.scopes.map((scope) => scope.name).filter((name) => requested.includes(name));
}
