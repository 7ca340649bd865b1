// @ts-check
import { request } from '../api.js';
import { badge, h, replaceChildren } from '../dom.js';
import { loadPage } from './page.js';

const CONNECTORS = `query ConsoleConnectors {
  connectors { id slug name status catalog { name published } tenants { id status } }
}`;

/** @param {HTMLElement} container */
export async function renderConnectorList(container) {
  const connectors = await loadPage(container, { title: 'Connectors' }, async () => (await request(CONNECTORS)).connectors);
  if (!connectors) return;
  replaceChildren(
    container,
    h('div', { class: 'page-head' }, h('h1', {}, 'Connectors'), h('a', { class: 'button', href: '#/connectors/new' }, 'New connector')),
    h('p', {}, 'A connector is one app registered in Azure. Your customers\' admins consent to it once; each organisation then becomes a tenant.'),
    connectors.length
      ? h('ul', { class: 'cards', role: 'list' }, connectors.map(connectorCard))
      : h('p', { class: 'empty' }, 'No connectors yet. Create one to get its callback URL for Azure.'),
  );
}

/** @param {any} connector */
function connectorCard(connector) {
  const consented = connector.tenants.filter((/** @type {any} */ tenant) => tenant.status === 'CONSENTED').length;
  return h(
    'li',
    { class: 'card' },
    h('h2', {}, h('a', { href: `#/connectors/${connector.id}` }, connector.name)),
    h(
      'p',
      { class: 'meta' },
      connector.status === 'READY' ? badge('Ready', 'good') : badge('Needs client ID and secret', 'warn'),
      ' ',
      connector.catalog.published ? badge('In the catalog', 'good') : badge('Not in the catalog', 'neutral'),
    ),
    h(
      'p',
      { class: 'meta' },
      h('code', {}, connector.slug),
      ` · ${connector.tenants.length} tenant${connector.tenants.length === 1 ? '' : 's'}`,
      connector.tenants.length ? ` (${consented} connected)` : '',
    ),
  );
}
