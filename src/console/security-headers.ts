import type { Response } from 'express';

/**
 * The Content-Security-Policies of the browser pages. Each page gets the least it needs: the
 * console and the catalog run only the gateway's own files; GraphiQL runs its one inline script
 * by hash. Logos are https URLs chosen by the developer, hence `img-src https:`.
 */
export const policies = {
  console:
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  catalog: "default-src 'none'; style-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  /** Monaco injects <style> elements and style attributes, and runs its workers from blob: URLs. */
  graphiql: (scriptHash: string) =>
    `default-src 'none'; script-src '${scriptHash}'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; ` +
    "connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

/** Headers every HTML page of the gateway sends. */
export function sendPageHeaders(res: Response, policy: string): void {
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Pages are small and change with each release (and the catalog with each edit): always revalidate.
  res.setHeader('Cache-Control', 'no-cache');
}
