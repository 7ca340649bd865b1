import type { CatalogService } from '../catalog/catalog.service';
import type { ConnectorService } from '../connectors/connector.service';
import { ConnectorStatus } from '../connectors/connector.types';
import { escapeHtml } from '../consent/consent-page';
import type { ConsoleAssets } from './console-assets';

export interface CatalogCard {
  slug: string;
  name: string;
  description: string | null;
  logoUrl: string | null;
  ready: boolean;
  permissions: Array<{ name: string; description: string }>;
}

/** The published entries as the end user's admin sees them: no client IDs, no secrets. */
export async function catalogCards(catalog: CatalogService, connectors: ConnectorService): Promise<CatalogCard[]> {
  const entries = await catalog.published();
  const byId = await connectors.byIds(entries.map((entry) => entry.connectorId));
  return entries.flatMap((entry) => {
    const connector = byId.get(entry.connectorId);
    if (!connector) return [];
    return [
      {
        slug: connector.slug,
        name: entry.name,
        description: entry.description,
        logoUrl: entry.logoUrl,
        ready: connectors.status(connector) === ConnectorStatus.READY,
        permissions: connectors.availableScopes(connector).filter((scope) => scope.selected),
      },
    ];
  });
}

/**
 * GET /catalog, rendered on the server so that it works without JavaScript: it is the page a
 * SaaS sends its customers' admins to. `returnTo` and `tenant` in its query are passed on to
 * /connect, which checks them.
 */
export function catalogPage(cards: CatalogCard[], assets: ConsoleAssets, pass: { returnTo?: string; tenant?: string }): string {
  const query = new URLSearchParams(Object.entries(pass).filter((pair): pair is [string, string] => Boolean(pair[1]))).toString();
  const items = cards.map((card) => catalogItem(card, query)).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Connect your organisation</title>
    <link rel="icon" href="${assets.url('favicon.svg')}">
    <link rel="stylesheet" href="${assets.url('site.css')}">
  </head>
  <body class="catalog-page">
    <main>
      <h1>Connect your Microsoft 365 organisation</h1>
      <p class="lead">Choose what to connect. An administrator of your organisation signs in to Microsoft and
        approves the permissions listed. The app can be removed at any time in Microsoft Entra ID, under Enterprise applications.</p>
      ${cards.length ? `<ul class="catalog" role="list">\n${items}\n      </ul>` : '<p class="empty">Nothing can be connected yet.</p>'}
    </main>
  </body>
</html>
`;
}

function catalogItem(card: CatalogCard, query: string): string {
  const name = escapeHtml(card.name);
  const logo = card.logoUrl
    ? `<img class="logo" src="${escapeHtml(card.logoUrl)}" alt="" width="56" height="56">`
    : `<span class="logo logo-initial" aria-hidden="true">${escapeHtml(card.name.slice(0, 1).toUpperCase())}</span>`;
  const permissions = card.permissions
    .map((scope) => `<li><strong>${escapeHtml(scope.name)}</strong>: ${escapeHtml(scope.description)}</li>`)
    .join('');
  const href = `/connect/${encodeURIComponent(card.slug)}${query ? `?${query}` : ''}`;
  const action = card.ready
    ? `<a class="button" href="${escapeHtml(href)}" aria-label="Connect ${name}">Connect</a>`
    : '<p class="unavailable">Not available yet: its provider is still setting it up.</p>';
  return `        <li class="card entry">
          <div class="entry-head">${logo}<h2>${name}</h2></div>
          ${card.description ? `<p>${escapeHtml(card.description)}</p>` : ''}
          <details><summary>Permissions it asks for</summary><ul>${permissions}</ul></details>
          ${action}
        </li>`;
}
