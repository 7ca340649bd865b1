import type { GraphError, GraphRequest } from './graph-envelope';

/** Graph authorises app-only calls from the token's `roles` claim alone: consent given after the token was issued does not count. */
export function requireRole(request: GraphRequest, allowedRoles: readonly string[], denied: () => GraphError): void {
  if (!hasAnyRole(request, allowedRoles)) throw denied();
}

export function hasAnyRole(request: GraphRequest, roles: readonly string[]): boolean {
  const granted = request.claims.roles ?? [];
  return roles.some((role) => granted.includes(role));
}
