/** The short page an admin sees after Microsoft's redirect when no returnTo was given (or on an error). */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

/** Inline styles only, https images only, no script: what the Content-Security-Policy of these pages allows. */
export const CONSENT_PAGE_CSP = "default-src 'none'; img-src https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ConsentPageBrand {
  /** the catalog entry's name: what the developer's end users know the integration as */
  name: string;
  logoUrl: string | null;
}

export function consentPage(options: { title: string; paragraphs: string[]; ok: boolean; brand?: ConsentPageBrand | null }): string {
  const body = options.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n    ');
  const brand = options.brand;
  const header = brand
    ? `<header>${brand.logoUrl ? `<img src="${escapeHtml(brand.logoUrl)}" alt="" width="40" height="40">` : ''}<span>${escapeHtml(brand.name)}</span></header>`
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(options.title)}${brand ? ` · ${escapeHtml(brand.name)}` : ''}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
      header { display: flex; align-items: center; gap: .75rem; font-weight: 600; margin-bottom: 2rem; }
      header img { border-radius: 8px; object-fit: contain; }
      h1 { font-size: 1.4rem; color: ${options.ok ? '#1a7f37' : '#cf222e'}; }
    </style>
  </head>
  <body>
    ${header}
    <main>
      <h1>${escapeHtml(options.title)}</h1>
      ${body}
    </main>
  </body>
</html>
`;
}
