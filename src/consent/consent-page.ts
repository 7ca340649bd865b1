/** The short page an admin sees after Microsoft's redirect when no returnTo was given (or on an error). */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

export function consentPage(options: { title: string; paragraphs: string[]; ok: boolean }): string {
  const body = options.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(options.title)}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
      h1 { font-size: 1.4rem; color: ${options.ok ? '#1a7f37' : '#cf222e'}; }
    </style>
  </head>
  <body>
    <h1>${escapeHtml(options.title)}</h1>
    ${body}
  </body>
</html>
`;
}
