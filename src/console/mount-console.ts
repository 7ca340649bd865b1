import type { Express, Request, Response } from 'express';
import type { CatalogService } from '../catalog/catalog.service';
import type { ConnectorService } from '../connectors/connector.service';
import type { ConsentService } from '../consent/consent.service';
import type { Logger } from '../observability/logger';
import { catalogCards, catalogPage } from './catalog-page';
import { connectHandler } from './connect.route';
import { ConsoleAssets } from './console-assets';
import { graphiqlHandler } from './graphiql-page';
import { policies, sendPageHeaders } from './security-headers';

/**
 * The gateway's browser pages: /console (the admin app, a client of the public GraphQL API only),
 * /catalog and /connect/:slug (what end users' admins see), and /graphiql.
 */
export function mountConsole(
  app: Express,
  deps: { connectors: ConnectorService; catalog: CatalogService; consent: ConsentService; logger: Logger },
): void {
  const assets = ConsoleAssets.load();
  const shell = consoleShell(assets);
  const asyncRoute = (handler: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: (error: unknown) => void) =>
    void handler(req, res).catch(next);

  app.get('/console/assets/*path', assets.serve);
  app.get(['/console', '/console/'], (_req, res) => {
    sendPageHeaders(res, policies.console);
    res.type('html').send(shell);
  });
  app.get(
    '/catalog',
    asyncRoute(async (req, res) => {
      const cards = await catalogCards(deps.catalog, deps.connectors);
      const pass = { returnTo: queryString(req.query.returnTo), tenant: queryString(req.query.tenant) };
      sendPageHeaders(res, policies.catalog);
      res.type('html').send(catalogPage(cards, assets, pass));
    }),
  );
  app.get('/connect/:slug', asyncRoute(connectHandler(deps)));
  app.get('/graphiql', asyncRoute(graphiqlHandler()));
}

function queryString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 2048 ? value : undefined;
}

/** The console is one page; the app (hash routes) draws everything in <main> from the API. */
function consoleShell(assets: ConsoleAssets): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Xkit console</title>
    <link rel="icon" href="${assets.url('favicon.svg')}">
    <link rel="stylesheet" href="${assets.url('site.css')}">
    <script type="module" src="${assets.url('app.js')}"></script>
  </head>
  <body class="console-page">
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="top-bar">
      <a class="brand" href="#/connectors">Xkit console</a>
      <nav aria-label="Console" id="nav" hidden>
        <a href="#/connectors">Connectors</a>
        <a href="/catalog">Catalog</a>
        <a href="/graphiql">GraphiQL</a>
        <button type="button" class="link-button" id="sign-out">Sign out</button>
      </nav>
    </header>
    <main id="main" tabindex="-1"><p>Loading the console…</p></main>
    <div class="visually-hidden" role="status" aria-live="polite" id="announcer"></div>
    <noscript><p class="notice">The console needs JavaScript. The same operations work with curl: see the README.</p></noscript>
  </body>
</html>
`;
}
