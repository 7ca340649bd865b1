// @ts-check
import { ApiError, request } from '../api.js';
import { copyField, field, formAlert, h, newTabLink, replaceChildren, showFormErrors } from '../dom.js';
import { formatDateTime } from '../format.js';

const CREATE_LINK = `mutation ConsoleConsentLink($connectorId: ID!, $tenantHint: String) {
  createConsentLink(connectorId: $connectorId, tenantHint: $tenantHint) { url expiresAt }
}`;

/**
 * Step 5: a consent link for one customer's admin. Links are single-use and expire, so the
 * console makes one on request rather than showing a standing one.
 * @param {any} connector
 */
export function consentSection(connector) {
  const id = 'consent-heading';
  const body = h('div', {});
  const element = h('section', { class: 'card step', 'aria-labelledby': id }, h('h2', { id }, '5. Send a consent link'), body);
  /** @param {any} current */
  const update = (current) => replaceChildren(body, current.status === 'READY' ? linkForm(current) : notReady());
  update(connector);
  return { element, update };
}

const notReady = () =>
  h('p', { class: 'notice' }, 'Save the client ID and secret first: Microsoft shows the consent page only for a registered app.');

/** @param {any} connector */
function linkForm(connector) {
  const tenantHint = field({
    label: 'Customer\'s tenant',
    optional: true,
    input: h('input', { type: 'text', name: 'tenantHint', spellcheck: 'false', placeholder: 'contoso.onmicrosoft.com' }),
    hint: 'Its directory (tenant) ID or a domain such as contoso.onmicrosoft.com: Microsoft then skips the account picker. Leave empty to let any organisation\'s admin sign in.',
  });
  const alert = formAlert();
  const result = h('div', { class: 'consent-result' });
  const submit = h('button', { type: 'submit' }, 'Generate consent link');
  const form = h('form', { novalidate: true, 'aria-label': 'Consent link' }, tenantHint.element, alert, h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const hint = /** @type {HTMLInputElement} */ (tenantHint.input).value.trim();
    submit.setAttribute('disabled', '');
    try {
      const { createConsentLink } = await request(CREATE_LINK, { connectorId: connector.id, tenantHint: hint || null });
      tenantHint.clearError();
      alert.hidden = true;
      const link = copyField({ label: 'Consent link', value: createConsentLink.url });
      replaceChildren(
        result,
        link.element,
        h('p', { class: 'hint' }, `Works once, until ${formatDateTime(createConsentLink.expiresAt)}. Send it to the organisation's admin (Global or Privileged Role Administrator).`),
      );
      link.input.focus();
      /** @type {HTMLInputElement} */ (link.input).select();
    } catch (error) {
      showFormErrors(error instanceof ApiError ? error : new ApiError([{ message: String(error) }]), { tenantHint }, alert);
    } finally {
      submit.removeAttribute('disabled');
    }
  });

  return h(
    'div',
    {},
    h('p', {}, 'The customer\'s admin opens the link, signs in to Microsoft and approves the permissions; the organisation then appears under Tenants.'),
    connector.catalog.published
      ? h('p', {}, 'Or send them to the ', newTabLink('/catalog', 'catalog page'), ', which makes a fresh link each time.')
      : null,
    form,
    result,
  );
}
