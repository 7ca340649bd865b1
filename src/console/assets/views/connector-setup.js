// @ts-check
import { ApiError, request } from '../api.js';
import { announce, badge, confirmButton, copyField, h, replaceChildren } from '../dom.js';
import { CONNECTOR_FIELDS, connectorForm } from './connector-form.js';
import { consentSection } from './consent-link.js';
import { breadcrumbs, loadPage } from './page.js';
import { tenantSection } from './tenant-list.js';

const CONNECTOR = `query ConsoleConnector($id: ID!) { connector(id: $id) { ${CONNECTOR_FIELDS} } }`;
const DELETE = `mutation ConsoleDeleteConnector($id: ID!) { deleteConnector(id: $id) }`;

/**
 * One connector, set up in the order the Azure portal asks for things: the callback URL first
 * (Azure needs it before there are credentials), then client ID and secret, the catalog entry,
 * the permissions; then consent links and the tenants that consented.
 * @param {HTMLElement} container
 * @param {{ connectorId: string }} params
 */
export async function renderConnectorSetup(container, { connectorId }) {
  const crumbs = breadcrumbs();
  const connector = await loadPage(container, { title: 'Connector', crumbs }, async () => (await request(CONNECTOR, { id: connectorId })).connector);
  if (!connector) return;

  const status = h('p', { class: 'meta' });
  const consent = consentSection(connector);
  const showStatus = (/** @type {any} */ current) =>
    replaceChildren(
      status,
      current.status === 'READY' ? badge('Ready: consent links can be made', 'good') : badge('Needs client ID and secret', 'warn'),
      ' ',
      current.catalog.published ? badge('In the catalog', 'good') : badge('Not in the catalog', 'neutral'),
    );
  showStatus(connector);
  const form = connectorForm(connector, (saved) => {
    showStatus(saved);
    consent.update(saved);
  });

  replaceChildren(
    container,
    crumbs,
    h('h1', {}, connector.name),
    status,
    azureSection(connector),
    form,
    consent.element,
    tenantSection(connector),
    dangerZone(connector),
  );
}

/** @param {any} connector */
function azureSection(connector) {
  const id = 'azure-heading';
  return h(
    'section',
    { class: 'card step', 'aria-labelledby': id },
    h('h2', { id }, '1. Register the app in Azure'),
    copyField({
      label: 'Callback URL',
      value: connector.callbackUrl,
      hint: 'The redirect URI of the app registration. Microsoft sends your customers\' admins back here after consent.',
    }).element,
    h(
      'ol',
      { class: 'steps' },
      h('li', {}, 'In the Azure portal, open ', h('strong', {}, 'Microsoft Entra ID → App registrations → New registration'), '.'),
      h('li', {}, 'Supported account types: ', h('strong', {}, 'Accounts in any organizational directory (multitenant)'), '.'),
      h(
        'li',
        {},
        'Redirect URI: platform ',
        h('strong', {}, 'Web'),
        ', and paste the callback URL above. Microsoft accepts http only for localhost; in production the gateway\'s XKIT_PUBLIC_URL must be https.',
      ),
      h('li', {}, h('strong', {}, 'Overview'), ': copy the Application (client) ID into Client ID below.'),
      h('li', {}, h('strong', {}, 'Certificates & secrets → New client secret'), ': copy its Value (not its Secret ID) into Client secret below.'),
      h('li', {}, h('strong', {}, 'API permissions'), ': add the permissions you choose in step 4, as Microsoft Graph ', h('em', {}, 'application'), ' permissions.'),
    ),
  );
}

/** @param {any} connector */
function dangerZone(connector) {
  const id = 'danger-heading';
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  return h(
    'section',
    { class: 'card danger-zone', 'aria-labelledby': id },
    h('h2', { id }, 'Delete this connector'),
    h('p', {}, 'Removes its catalog entry and forgets all its tenants. The app registration in Azure and the consents in customers\' directories stay until removed there.'),
    confirmButton({
      label: 'Delete connector',
      confirmLabel: 'Yes, delete it',
      question: `Delete ${connector.name} and its tenants?`,
      onConfirm: async () => {
        try {
          await request(DELETE, { id: connector.id });
          announce(`${connector.name} was deleted`);
          location.hash = '#/connectors';
        } catch (error) {
          alert.textContent = error instanceof ApiError ? error.message : String(error);
          alert.hidden = false;
        }
      },
    }),
    alert,
  );
}
