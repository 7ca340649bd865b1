import { badInput } from '../errors';

/**
 * Rules for values that enter from outside (GraphQL arguments, callback parameters), shared by
 * every domain. Each refusal is BAD_USER_INPUT with a message that says what to send instead.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const EMAIL_ADDRESS = /^[^\s@<>()[\],;:"\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** An SMTP address as mailboxes have them (adele@contoso.com), at most 254 characters. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL_ADDRESS.test(value);
}

/** A required, trimmed, single-line text of at most `maxLength` characters. */
export function validText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badInput(`${field} cannot be empty: give 1 to ${maxLength} characters`, { field });
  }
  const text = value.trim();
  if (text.length > maxLength) {
    throw badInput(`${field} is ${text.length} characters long; the limit is ${maxLength}`, { field });
  }
  if (CONTROL_CHARACTERS.test(text)) {
    throw badInput(`${field} contains control characters (such as a line break); remove them`, { field });
  }
  return text;
}

/** Like validText, but null or blank clears the value. */
export function validOptionalText(field: string, value: string | null, maxLength: number): string | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  if (text.length > maxLength) {
    throw badInput(`${field} is ${text.length} characters long; the limit is ${maxLength}`, { field });
  }
  return text;
}

/** An absolute https URL, or null when blank. */
export function validHttpsUrl(field: string, value: string | null, example: string): string | null {
  const text = validOptionalText(field, value, 2048);
  if (text === null) return null;
  const parsed = URL.canParse(text) ? new URL(text) : null;
  if (!parsed || parsed.protocol !== 'https:') {
    throw badInput(`${field} must be an absolute https URL, for example ${example}`, { field });
  }
  return parsed.toString();
}

/** Echoes caller input in a message without letting a huge value through. */
export function shorten(value: string, maxLength = 64): string {
  return value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
}
