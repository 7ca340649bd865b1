// @ts-check
import { ApiError, request } from '../api.js';
import { announce, badge, confirmButton, errorMessage, h, loading, replaceChildren } from '../dom.js';
import { describeScope, formatDateTime } from '../format.js';

const TENANT_FIELDS = 'id microsoftTenantId status displayName grantedScopes missingScopes statusReason consentedAt checkedAt';
const TENANTS = `query ConsoleTenants($connectorId: ID!) { tenants(connectorId: $connectorId) { ${TENANT_FIELDS} } }`;
const REFRESH = `mutation ConsoleRefreshTenant($id: ID!) { refreshTenant(id: $id) { ${TENANT_FIELDS} } }`;
const REMOVE = `mutation ConsoleRemoveTenant($id: ID!) { removeTenant(id: $id) }`;

const STATUS = {
  CONSENTED: { text: 'Connected', tone: /** @type {const} */ ('good') },
  REVOKED: { text: 'Consent revoked', tone: /** @type {const} */ ('bad') },
  ERROR: { text: 'Error', tone: /** @type {const} */ ('bad') },
};

/**
 * The organisations that consented to this connector, with what they granted and, for what is
 * missing, what to do about it.
 * @param {any} connector
 */
export function tenantSection(connector) {
  const id = 'tenants-heading';
  const list = h('div', {});
  const reload = h('button', { type: 'button', class: 'secondary' }, 'Reload tenants');
  const load = async () => {
    replaceChildren(list, loading('Loading tenants…'));
    try {
      const { tenants } = await request(TENANTS, { connectorId: connector.id });
      replaceChildren(
        list,
        tenants.length
          ? h('ul', { class: 'tenant-list', role: 'list' }, tenants.map((/** @type {any} */ tenant) => tenantCard(tenant, connector)))
          : h('p', { class: 'empty' }, 'No organisation has consented yet. Send a consent link, then reload.'),
      );
    } catch (error) {
      replaceChildren(list, errorMessage(error));
    }
  };
  reload.addEventListener('click', () => void load().then(() => announce('Tenants reloaded')));
  void load();
  return h('section', { class: 'step', 'aria-labelledby': id }, h('div', { class: 'page-head' }, h('h2', { id }, 'Tenants'), reload), list);
}

/**
 * @param {any} tenant
 * @param {any} connector
 */
function tenantCard(tenant, connector) {
  const card = h('li', { class: 'card tenant' });
  const draw = (/** @type {any} */ current) => replaceChildren(card, ...tenantDetails(current, connector, draw, card));
  draw(tenant);
  return card;
}

/**
 * @param {any} tenant
 * @param {any} connector
 * @param {(tenant: any) => void} redraw
 * @param {HTMLElement} card
 */
function tenantDetails(tenant, connector, redraw, card) {
  const name = tenant.displayName ?? `Directory ${tenant.microsoftTenantId}`;
  const status = STATUS[/** @type {keyof typeof STATUS} */ (tenant.status)] ?? { text: tenant.status, tone: 'neutral' };
  const alert = h('p', { class: 'alert', role: 'alert', hidden: true });
  const fail = (/** @type {unknown} */ error) => {
    alert.textContent = error instanceof ApiError ? error.message : String(error);
    alert.hidden = false;
  };
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
  refresh.addEventListener('click', async () => {
    refresh.setAttribute('disabled', '');
    try {
      const { refreshTenant } = await request(REFRESH, { id: tenant.id });
      redraw(refreshTenant);
      announce(`${name} checked again: ${STATUS[/** @type {keyof typeof STATUS} */ (refreshTenant.status)]?.text ?? refreshTenant.status}`);
    } catch (error) {
      fail(error);
      refresh.removeAttribute('disabled');
    }
  });
  const remove = confirmButton({
    label: 'Remove',
    confirmLabel: 'Yes, remove',
    question: `Forget ${name}?`,
    onConfirm: async () => {
      try {
        await request(REMOVE, { id: tenant.id });
        card.remove();
        announce(`${name} was removed`);
      } catch (error) {
        fail(error);
      }
    },
  });

  return [
    h('div', { class: 'tenant-head' }, h('h3', {}, name), badge(status.text, status.tone)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Tenant ID'),
      h('dd', {}, h('code', {}, tenant.microsoftTenantId)),
      h('dt', {}, 'Consented'),
      h('dd', {}, formatDateTime(tenant.consentedAt)),
      h('dt', {}, 'Last checked'),
      h('dd', {}, formatDateTime(tenant.checkedAt)),
    ),
    tenant.statusReason ? problem(tenant) : null,
    permissionList('Granted permissions', tenant.grantedScopes, connector.availableScopes, 'None.'),
    tenant.missingScopes.length ? missingPermissions(tenant.missingScopes, connector.availableScopes) : null,
    alert,
    h(
      'div',
      { class: 'actions' },
      tenant.status === 'CONSENTED' ? h('a', { class: 'button', href: `#/tenants/${tenant.id}` }, 'Browse users') : null,
      refresh,
      remove,
    ),
  ];
}

/** @param {any} tenant */
function problem(tenant) {
  const fix =
    tenant.status === 'REVOKED'
      ? 'The organisation removed the app or its consent. Send its admin a new consent link; the tenant comes back when they consent again.'
      : 'Fix what the message says (in Azure, or in the client secret above), then Refresh.';
  return h('div', { class: 'problem' }, h('p', {}, h('strong', {}, 'What Microsoft said: '), tenant.statusReason), h('p', {}, h('strong', {}, 'What to do: '), fix));
}

/**
 * @param {string} title
 * @param {string[]} scopes
 * @param {any[]} available
 * @param {string} empty
 */
function permissionList(title, scopes, available, empty) {
  return h(
    'div',
    { class: 'permission-list' },
    h('h4', {}, title),
    scopes.length
      ? h('ul', {}, scopes.map((scope) => h('li', {}, h('code', {}, scope), ': ', describeScope(scope, available))))
      : h('p', {}, empty),
  );
}

/**
 * @param {string[]} missing
 * @param {any[]} available
 */
function missingPermissions(missing, available) {
  return h(
    'div',
    { class: 'problem' },
    permissionList('Not granted', missing, available, ''),
    h(
      'p',
      {},
      h('strong', {}, 'To fix: '),
      `add ${missing.join(', ')} to the app in Azure (API permissions → Microsoft Graph → Application permissions), `,
      'then send the organisation\'s admin a new consent link. When they have consented, press Refresh.',
    ),
  );
}
