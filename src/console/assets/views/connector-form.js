// @ts-check
import { ApiError, request } from '../api.js';
import { clearFormErrors, field, formAlert, h, newTabLink, replaceChildren, showFormErrors, uniqueId } from '../dom.js';

/** What the setup page shows of a connector; the same after a save. */
export const CONNECTOR_FIELDS = `id slug name provider callbackUrl clientId hasClientSecret clientSecretHint scopes status
  availableScopes { name description required selected }
  catalog { name description logoUrl published }`;
const UPDATE = `mutation ConsoleUpdateConnector($id: ID!, $input: UpdateConnectorInput!) {
  updateConnector(id: $id, input: $input) { ${CONNECTOR_FIELDS} }
}`;

/** @param {{ input: HTMLElement }} control */
const valueOf = (control) => /** @type {HTMLInputElement} */ (control.input).value.trim();

/**
 * Steps 2 to 4 and one Save, like the provider's screen. Errors come back from the API with
 * `extensions.field` and are shown beside that field; nothing is checked twice in the browser.
 * @param {any} connector
 * @param {(saved: any) => void} onSaved
 */
export function connectorForm(connector, onSaved) {
  const clientId = field({
    label: 'Client ID',
    input: h('input', { type: 'text', name: 'clientId', value: connector.clientId ?? '', spellcheck: 'false', autocomplete: 'off' }),
    hint: 'The Application (client) ID, a GUID, from the app\'s Overview page.',
  });
  const secretHint = h('span', {});
  const clientSecret = field({
    label: 'Client secret',
    input: h('input', { type: 'password', name: 'clientSecret', autocomplete: 'new-password', spellcheck: 'false' }),
    hint: secretHint,
  });
  const showSecretHint = (/** @type {any} */ current) =>
    replaceChildren(
      secretHint,
      current.hasClientSecret
        ? `A secret is stored${current.clientSecretHint ? `, ending in …${current.clientSecretHint}` : ''}. Leave this empty to keep it, or paste a new Value to replace it.`
        : 'The secret\'s Value from Certificates & secrets. It is write-only: once saved, only its last 4 characters are shown.',
    );
  showSecretHint(connector);

  const catalogName = field({
    label: 'Name in the catalog',
    input: h('input', { type: 'text', name: 'catalogName', value: connector.catalog.name, maxlength: '100' }),
  });
  const description = field({
    label: 'Description',
    optional: true,
    input: h('textarea', { name: 'description', rows: '3', maxlength: '1000' }, connector.catalog.description ?? ''),
    hint: 'One or two sentences for your customers\' admins: what connecting gives them.',
  });
  const logoUrl = field({
    label: 'Logo URL',
    optional: true,
    input: h('input', { type: 'url', name: 'logoUrl', value: connector.catalog.logoUrl ?? '', spellcheck: 'false', placeholder: 'https://example.com/logo.png' }),
    hint: 'An https address of a square image.',
  });
  const published = h('input', { type: 'checkbox', name: 'published', id: uniqueId('published'), checked: connector.catalog.published });
  const permissions = permissionsFieldset(connector);

  const alert = formAlert();
  const saved = h('p', { class: 'saved', role: 'status' });
  const submit = h('button', { type: 'submit' }, 'Save');
  const fields = { clientId, clientSecret, 'catalog.name': catalogName, 'catalog.description': description, 'catalog.logoUrl': logoUrl, scopes: permissions.control };

  const form = h(
    'form',
    { class: 'connector-form', novalidate: true, 'aria-label': 'Connector settings' },
    step('credentials', '2. Client ID and secret', clientId.element, clientSecret.element),
    step(
      'catalog',
      '3. Catalog entry',
      h('p', {}, 'How your customers see this connector on the public ', newTabLink('/catalog', 'catalog page'), '.'),
      catalogName.element,
      description.element,
      logoUrl.element,
      h(
        'div',
        { class: 'checkbox' },
        published,
        h('label', { for: published.id }, 'Published: list it on the catalog page, with a Connect button'),
      ),
    ),
    step('permissions', '4. Permissions', permissions.element),
    h('div', { class: 'actions' }, submit, saved),
    alert,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(fields, alert);
    saved.textContent = '';
    const id = valueOf(clientId);
    const secret = /** @type {HTMLInputElement} */ (clientSecret.input).value;
    const input = {
      // Unchanged values are left out, so saving the catalog never re-sends credentials.
      ...(id !== (connector.clientId ?? '') ? { clientId: id } : {}),
      ...(secret ? { clientSecret: secret } : {}),
      scopes: permissions.selected(),
      catalog: {
        name: valueOf(catalogName),
        description: valueOf(description) || null,
        logoUrl: valueOf(logoUrl) || null,
        published: /** @type {HTMLInputElement} */ (published).checked,
      },
    };
    submit.setAttribute('disabled', '');
    submit.textContent = 'Saving…';
    try {
      connector = (await request(UPDATE, { id: connector.id, input })).updateConnector;
      /** @type {HTMLInputElement} */ (clientSecret.input).value = '';
      /** @type {HTMLInputElement} */ (clientId.input).value = connector.clientId ?? '';
      showSecretHint(connector);
      saved.textContent = `Saved${connector.status === 'READY' ? '. The connector is ready for consent links.' : '.'}`;
      onSaved(connector);
    } catch (error) {
      showFormErrors(error instanceof ApiError ? error : new ApiError([{ message: String(error) }]), fields, alert);
    } finally {
      submit.removeAttribute('disabled');
      submit.textContent = 'Save';
    }
  });
  return form;
}

/**
 * @param {string} name
 * @param {string} title
 * @param {import('../dom.js').Child[]} children
 */
function step(name, title, ...children) {
  const id = `${name}-heading`;
  return h('section', { class: 'card step', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/**
 * The provider's permissions as checkboxes. Required ones are checked and disabled: the API
 * refuses to drop them, so the browser does not offer it.
 * @param {any} connector
 */
function permissionsFieldset(connector) {
  const error = h('p', { class: 'field-error', id: uniqueId('scopes-error'), hidden: true });
  /** @type {HTMLInputElement[]} */
  const boxes = [];
  const items = connector.availableScopes.map((/** @type {any} */ scope) => {
    const id = uniqueId('scope');
    const box = /** @type {HTMLInputElement} */ (
      h('input', { type: 'checkbox', id, name: 'scopes', value: scope.name, checked: scope.selected || scope.required, disabled: scope.required, 'aria-describedby': `${id}-description` })
    );
    boxes.push(box);
    return h(
      'li',
      { class: 'checkbox' },
      box,
      h(
        'div',
        {},
        h('label', { for: id }, h('code', {}, scope.name), scope.required ? h('span', { class: 'required-tag' }, ' required') : null),
        h('p', { class: 'hint', id: `${id}-description` }, scope.description),
      ),
    );
  });
  const legendId = uniqueId('scopes-legend');
  const element = h(
    'fieldset',
    { class: 'permissions', tabindex: '-1', 'aria-describedby': error.id },
    h('legend', { id: legendId }, 'Microsoft Graph application permissions'),
    h('ul', { role: 'list' }, items),
    error,
    h(
      'p',
      { class: 'reminder' },
      h('strong', {}, 'Also in Azure: '),
      'add each permission selected here to the app under API permissions → Add a permission → Microsoft Graph → Application permissions. ',
      'An organisation grants only what the app asks for in Azure; a tenant that consented before a change must consent again to grant the new permission.',
    ),
  );
  return {
    element,
    selected: () => boxes.filter((box) => box.checked).map((box) => box.value),
    control: {
      input: element,
      /** @param {string} message */
      showError(message) {
        error.textContent = message;
        error.hidden = false;
      },
      clearError() {
        error.textContent = '';
        error.hidden = true;
      },
    },
  };
}
