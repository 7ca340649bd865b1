import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { policies, sendPageHeaders } from './security-headers';

const gzipAsync = promisify(gzip);

interface RenderedPage {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  policy: string;
}

const DEFAULT_QUERY = `# The gateway's own GraphQL IDE: everything on this page comes from the gateway.
# Put your API key in the Headers tab below:  { "Authorization": "Bearer <key>" }
# The catalog is public; everything else needs the key.

query Catalog {
  catalog {
    name
    description
    published
  }
}
`;

/**
 * GET /graphiql: graphql-yoga's self-contained GraphiQL (about 9 MB of inline script and CSS),
 * rendered once and then served from memory. It is rendered on the first request rather than at
 * start because loading the bundle costs a process some 70 MB of memory, and most replicas
 * never serve this page. Its single inline script is allowed by hash, nothing else runs.
 */
export function graphiqlHandler() {
  let rendering: Promise<RenderedPage> | undefined;
  return async (req: Request, res: Response) => {
    // Rendered once; a failed render is not kept, so the next request tries again.
    rendering ??= renderPage().catch((error) => {
      rendering = undefined;
      throw error;
    });
    const page = await rendering;
    sendPageHeaders(res, page.policy);
    res.setHeader('ETag', page.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === page.etag) {
      res.status(304).end();
      return;
    }
    res.type('html');
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(page.gzipped);
    } else {
      res.send(page.body);
    }
  };
}

async function renderPage(): Promise<RenderedPage> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderGraphiQL({
    endpoint: '/graphql',
    title: 'Xkit gateway · GraphiQL',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
    // The key stays out of localStorage: it is typed per tab, as in the console.
    shouldPersistHeaders: false,
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
  });
  const body = Buffer.from(html);
  return {
    body,
    gzipped: await gzipAsync(body),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    policy: policies.graphiql(inlineScriptHash(html)),
  };
}

/** The CSP hash of the page's one inline <script>, so a change in the package cannot slip in unhashed code. */
export function inlineScriptHash(html: string): string {
  const open = html.indexOf('<script>');
  const close = html.indexOf('</script>', open);
  if (open < 0 || close < 0 || html.indexOf('</script>', close + 1) >= 0) {
    throw new Error('GraphiQL page: expected exactly one inline <script>; @graphql-yoga/render-graphiql changed its page');
  }
  const script = html.slice(open + '<script>'.length, close);
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
}
